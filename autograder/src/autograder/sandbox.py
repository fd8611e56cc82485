"""Run learner code in a bubblewrap sandbox with resource limits, for grading.

nbgrader runs every submission in a kernel with the grader's own permissions: learner
code could read the gradebook (hidden tests included), delete other submissions or the
gradebook itself, open network connections, or exhaust the machine. Here the kernel is
started inside `bubblewrap <https://github.com/containers/bubblewrap>`_ (Debian package
``bubblewrap``) with:

- a private filesystem view: the operating system and the Python installation read-only,
  the course's code (the ``labkit`` package lab cells import, wherever it is installed),
  the submission's own working copy read-write, a private ``/tmp``; nothing else of the
  course (no gradebook, no lab sources, no other submission, no home directory);
- no network (a private network namespace), its own process and IPC namespaces, and an
  unprivileged user inside a private user namespace;
- limits on address space, CPU seconds, processes, open files and file size, so that
  hitting one costs the learner's own checks and never the grading run.

The kernel talks to the grader over ZeroMQ ``ipc`` sockets in a private folder, the only
other folder the sandbox can write. Interrupts go over the control channel (a signal to
bubblewrap would not reach the kernel inside its namespaces).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Bool, Integer

import labkit
from labkit.cli import GRADING
from labkit.cli import NESTED as NESTED_CHECK

SANDBOX_ENV = "COURSE_SANDBOX"
"""Set to ``off`` to grade without the sandbox (trusted submissions only; see the README)."""


class SandboxUnavailable(RuntimeError):
    """Raised when the sandbox is required but bubblewrap is missing or does not work."""


@dataclass(frozen=True)
class Limits:
    """Resource limits for learner code (per kernel or verification server process tree)."""

    address_space_mb: int = 4096  # generous: threads reserve virtual memory they never touch
    cpu_seconds: int = 300  # total for a whole notebook, far above any correct lab's need
    processes: int = 256
    open_files: int = 1024
    file_size_mb: int = 64

    def prlimit_args(self) -> list[str]:
        mb = 1024 * 1024
        return [
            shutil.which("prlimit") or "prlimit",
            f"--as={self.address_space_mb * mb}",
            f"--cpu={self.cpu_seconds}",
            f"--nproc={self.processes}",
            f"--nofile={self.open_files}",
            f"--fsize={self.file_size_mb * mb}",
            "--",
        ]


class ProcessGroupLimit:
    """A pids cgroup that caps how many processes the sandbox may have at once.

    RLIMIT_NPROC does not hold for a grader running as root (root's processes are exempt,
    inside a user namespace too), so when the pids controller is writable (cgroup v1's
    ``/sys/fs/cgroup/pids`` or a cgroup v2 hierarchy with ``pids``) the sandbox is started
    inside its own cgroup with ``pids.max``; otherwise only RLIMIT_NPROC applies, which counts
    all of the grading user's processes.
    """

    CLOSE_WITHIN = 30.0  # seconds for the processes killed at close to exit
    STALE_AFTER = 600.0  # seconds: an empty sandbox cgroup this old was left by a process killed before close()

    def __init__(self, max_processes: int) -> None:
        self.path: Path | None = None
        for base in (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")):
            if not (base / "cgroup.procs").exists():
                continue
            if base == Path("/sys/fs/cgroup") and "pids" not in _read(base / "cgroup.subtree_control"):
                continue
            self.remove_stale(base, self.STALE_AFTER)
            try:
                path = Path(tempfile.mkdtemp(prefix="course-sandbox-", dir=base))
                (path / "pids.max").write_text(str(max_processes))
            except OSError:
                continue
            self.path = path
            break

    @staticmethod
    def remove_stale(base: Path, older_than: float) -> None:
        """Remove the sandbox cgroups that processes killed before :meth:`close` left behind.

        A process killed before it closes its sandbox (a grading process killed at its time
        limit, a grading run killed outright) leaves the cgroup behind: a full test run left
        five or six empty ones. Only empty ones go (the kernel refuses to remove a cgroup with
        a process in it), and only old ones: a sandbox enters its cgroup just after making it,
        so a young empty one may be about to be used.
        """
        now = time.time()
        for group in base.glob("course-sandbox-*"):
            with contextlib.suppress(OSError):
                if now - group.stat().st_mtime > older_than:
                    group.rmdir()

    def wrap(self, command: list[str]) -> list[str]:
        """Prefix ``command`` so that it enters the cgroup before it starts."""
        if self.path is None:
            return command
        enter = 'echo $$ > "$0/cgroup.procs" && exec "$@"'
        return ["/bin/sh", "-c", enter, str(self.path), *command]

    def close(self) -> None:
        """Kill whatever is left in the cgroup (a fork bomb's children) and remove it.

        The folder can only be removed once every process in it has exited, which takes a
        while for hundreds of copies of a big kernel (each unmaps its memory): it is retried
        until then, up to CLOSE_WITHIN seconds, so that a sandbox does not leave an empty
        cgroup behind in /sys/fs/cgroup for every run that met a fork bomb.
        """
        if self.path is None:
            return
        import signal

        deadline = time.monotonic() + self.CLOSE_WITHIN
        while True:
            for pid in _read(self.path / "cgroup.procs").split():
                with contextlib.suppress(OSError):
                    os.kill(int(pid), signal.SIGKILL)
            try:
                self.path.rmdir()
                break
            except FileNotFoundError:  # already removed (remove_stale, by another process)
                break
            except OSError:
                if time.monotonic() > deadline:
                    break
            time.sleep(0.02)
        self.path = None


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def sandbox_disabled() -> bool:
    return os.environ.get(SANDBOX_ENV, "").strip().lower() in {"off", "0", "no", "false"}


def bwrap_path() -> str:
    """The bubblewrap executable, or a clear error saying how to get it."""
    path = shutil.which("bwrap")
    if path is None:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed, and grading runs learner code in it. "
            "Install it (Debian/Ubuntu: `sudo apt-get install bubblewrap`; `make test` and `make demo` "
            f"do this when run as root), or set {SANDBOX_ENV}=off to grade without protection "
            "(only for submissions you trust)."
        )
    return path


def _readonly_system() -> list[str]:
    """Bind the operating system and the Python installation read-only."""
    args: list[str] = []
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        path = Path(top)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), top]
        elif path.is_dir():
            args += ["--ro-bind", top, top]
    prefixes = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}
    for prefix in sorted(prefixes):
        if not str(prefix).startswith(("/usr/", "/bin/", "/lib")):
            args += ["--ro-bind", str(prefix), str(prefix)]
    # Lab cells import labkit. Installed from a wheel it lies in the environment, bound above;
    # installed in editable mode it lies in the course's code folder (autograder/src), which
    # holds code only (the course's data lives beside it, never inside): bind that folder.
    code = Path(labkit.__file__).resolve().parent.parent
    if not any(code.is_relative_to(prefix) for prefix in prefixes):
        args += ["--ro-bind", str(code), str(code)]
    return args


def sandbox_command(
    command: list[str], workdir: Path, private: Path, limits: Limits | None = None, env: dict[str, str] | None = None
) -> list[str]:
    """Wrap ``command`` so it runs in the sandbox with ``workdir`` (read-write) as its folder.

    ``private`` is a grader-owned folder shared with the sandbox for sockets and
    connection files; it must not hold anything the learner may not see.
    """
    workdir, private = workdir.resolve(), private.resolve()
    environment = {
        "HOME": "/tmp/home",
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "IPYTHONDIR": "/tmp/home/.ipython",
        "MPLCONFIGDIR": "/tmp/home/.matplotlib",
        "MPLBACKEND": "Agg",
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MALLOC_ARENA_MAX": "4",  # threads' malloc arenas would otherwise eat the address-space limit
        "USER": "learner",
        # A learner's `!course check` cell, left in the notebook, does nothing under grading.
        NESTED_CHECK: GRADING,
        **(env or {}),
    }
    args = [
        *(limits or Limits()).prlimit_args(),
        bwrap_path(),
        "--die-with-parent",
        "--new-session",
        "--unshare-all",
        "--uid",
        "1000",
        "--gid",
        "1000",
        "--hostname",
        "grading-sandbox",
        # Mounts apply in order: the private /tmp first, so that a course or environment that
        # lives under /tmp (a fresh clone, a temporary course) is bound on top of it, not hidden.
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--tmpfs",
        "/tmp",
        "--dir",
        "/tmp/home",
        *_readonly_system(),
        "--bind",
        str(workdir),
        str(workdir),
        "--bind",
        str(private),
        str(private),
        "--chdir",
        str(workdir),
        "--clearenv",
    ]
    for name, value in environment.items():
        args += ["--setenv", name, value]
    return [*args, "--", *command]


# ---------------------------------------------------------------- warm kernels

ZYGOTE_SCRIPT = Path(__file__).with_name("kernel_zygote.py")
# What lab kernels import: done once per grading process instead of once per submission.
# Besides what the labs import by name, what the libraries import on first use (the list was
# taken from sys.modules after each worked solution ran, an error included): FastAPI imports
# pydantic.v1 at its first route (to rule out v1 models) and its telemetry runtime at its
# first request, TestClient anyio's asyncio backend at its first request, IPython its
# traceback formatter (stack_data, pygments) at a cell's first error, SQLAlchemy a dialect at
# its first engine, alembic (lab04) mako and pygments. tests/test_warm_kernels.py checks it.
PRELOAD = [
    "IPython",
    "labkit",
    "labkit.aids",
    "fastapi",
    "fastapi.testclient",
    "fastapi.middleware.cors",
    "fastapi.middleware.gzip",
    "fastapi.telemetry._runtime",
    "starlette.middleware.base",
    "pydantic",
    "pydantic.v1",
    "pydantic_settings",
    "email_validator",
    "httpx",
    "httpx2",
    "anyio",
    "anyio._backends._asyncio",
    "stack_data",
    "pygments.formatters.terminal256",
    "sqlalchemy",
    "sqlalchemy.ext.asyncio",
    "sqlalchemy.orm",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.sqlite.aiosqlite",
    "aiosqlite",
    "alembic",
    "alembic.autogenerate",
    "alembic.migration",
    "alembic.operations",
    "jwt",
    "pwdlib",
    "pwdlib.hashers.argon2",
    "multipart",
]


class Zygote:
    """One sandbox per grading process that forks kernels with their imports done (kernel_zygote.py).

    A kernel costs its imports (IPython, ipykernel, then the lab's FastAPI, Pydantic and
    SQLAlchemy: about a CPU second) every time it starts. Here one sandboxed process does
    them once and forks a kernel for each submission, copy on write. The sandbox is the
    same as a kernel's own, with one folder, :attr:`scratch`, where each kernel's working
    folder lives; between submissions :meth:`reset` kills whatever the last kernel left
    running and empties the private ``/tmp`` (IPython's configuration folder included),
    so one submission cannot reach the next. Children run within the same limits.
    """

    def __init__(self, limits: Limits, preload: list[str]) -> None:
        import socket

        self.limits = limits
        self.scratch = Path(tempfile.mkdtemp(prefix="course-zygote-"))
        self.private = Path(tempfile.mkdtemp(prefix="course-zygote-ipc-"))
        self.group = ProcessGroupLimit(limits.processes)
        self._control, theirs = socket.socketpair()
        namespaces = [os.readlink(f"/proc/self/ns/{kind}") for kind in ("mnt", "pid")]
        command = [sys.executable, "-P", str(ZYGOTE_SCRIPT), str(theirs.fileno()), *namespaces, *preload]
        command = self.group.wrap(sandbox_command(command, self.scratch, self.private, limits))
        self.process = subprocess.Popen(
            command,
            cwd=self.private,
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        theirs.close()
        self._replies = self._control.makefile("r", encoding="utf-8")
        self._control.settimeout(120)
        self._ask(None)  # the "ready" line, once the imports are done

    def _ask(self, request: dict[str, Any] | None) -> dict[str, Any]:
        import json

        if request is not None:
            self._control.sendall((json.dumps(request) + "\n").encode())
        line = self._replies.readline()
        if not line:
            raise SandboxUnavailable("the warm kernel sandbox stopped answering")
        return json.loads(line)

    def alive(self) -> bool:
        return self.process.poll() is None

    def reset(self) -> None:
        """Kill what the last kernel left and empty the private /tmp (the caller owns :attr:`scratch`).

        Returns once every process the last kernel left is gone (a kernel started before that
        would find the process limit still spent): raises if some would not die.
        """
        reply = self._ask({"op": "reset"})
        if not reply.get("ok"):
            raise SandboxUnavailable(
                f"{reply.get('left')} process(es) left by the previous submission would not stop; "
                "this one is graded again next run"
            )

    def start(self, cwd: Path, argv: list[str], log: Path | None = None) -> ZygoteChild:
        """A kernel forked in ``cwd`` (inside :attr:`scratch`); ``log``: a file for what it prints to fds 1 and 2."""
        reply = self._ask({"op": "start", "cwd": str(cwd), "argv": argv, "log": str(log or "")})
        return ZygoteChild(self._host_pid(reply["pid"]))

    def _host_pid(self, sandbox_pid: int) -> int:
        """The child's pid as this side sees it (the sandbox has its own pid namespace)."""
        import psutil

        for _ in range(100):
            for child in psutil.Process(self.process.pid).children(recursive=True):
                with contextlib.suppress(psutil.Error, OSError, ValueError):
                    status = Path(f"/proc/{child.pid}/status").read_text()
                    nspid = next(line for line in status.splitlines() if line.startswith("NSpid:")).split()
                    if int(nspid[-1]) == sandbox_pid:
                        return child.pid
            time.sleep(0.01)
        raise SandboxUnavailable(f"the warm kernel sandbox started a kernel that cannot be found ({sandbox_pid})")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.killpg(self.process.pid, 9)
        self.process.wait()
        self.group.close()
        self._control.close()
        shutil.rmtree(self.scratch, ignore_errors=True)
        shutil.rmtree(self.private, ignore_errors=True)


class ZygoteChild:
    """A kernel forked by the zygote, managed like a ``subprocess.Popen`` (what jupyter_client expects)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        import psutil

        if self.returncode is None:
            try:
                if psutil.Process(self.pid).status() == psutil.STATUS_ZOMBIE:
                    self.returncode = -9
            except psutil.NoSuchProcess:
                self.returncode = -9  # reaped by the zygote: its exit status is not ours to read
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("kernel", timeout or 0)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        with contextlib.suppress(OSError):
            os.killpg(self.pid, signum)  # the kernel leads its own session: its children too
        with contextlib.suppress(OSError):
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(9)

    def terminate(self) -> None:
        self.send_signal(15)


_ZYGOTE: Zygote | None = None


def warm_zygote(limits: Limits | None = None, preload: list[str] | None = None) -> Zygote:
    """This process's zygote, started on first use, and again if it died or other limits are asked for."""
    global _ZYGOTE
    limits = limits or Limits()
    if _ZYGOTE is None or not _ZYGOTE.alive() or _ZYGOTE.limits != limits:
        if _ZYGOTE is not None:
            _ZYGOTE.close()
        _ZYGOTE = Zygote(limits, PRELOAD if preload is None else preload)
    return _ZYGOTE


def close_zygote() -> None:
    global _ZYGOTE
    if _ZYGOTE is not None:
        _ZYGOTE.close()
        _ZYGOTE = None


class _ZygoteProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching through the zygote instead of Popen."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        manager = self.parent
        zygote = warm_zygote(manager._limits() if isinstance(manager, SandboxedKernelManager) else None)
        cwd = Path(kwargs.get("cwd") or os.getcwd()).resolve()
        if not cwd.is_relative_to(zygote.scratch):
            raise SandboxUnavailable(f"a warm kernel must work in the zygote's scratch folder, not {cwd}")
        argv = cmd[cmd.index("ipykernel_launcher") + 1 :]
        zygote.reset()
        self.process = zygote.start(cwd, argv)
        self.pid, self.pgid, self.cwd = self.process.pid, None, cwd
        return self.connection_info


# ---------------------------------------------------------------- the kernel manager


class SandboxedKernelManager(AsyncKernelManager):
    """An ipykernel started in the sandbox, reached over ipc sockets in a private folder.

    With ``warm`` (``course grade`` sets it in its grading processes), kernels are forked
    from the process's :class:`Zygote`, in its scratch folder, instead of started cold.
    """

    enabled = Bool(True, help="Run the kernel in the sandbox (off only for trusted code).").tag(config=True)
    warm = Bool(False, help="Fork kernels from a warm sandboxed process (course grade's graders).").tag(config=True)
    cpu_seconds = Integer(Limits.cpu_seconds, help="CPU seconds for the whole notebook.").tag(config=True)
    address_space_mb = Integer(Limits.address_space_mb, help="Address space limit in MiB.").tag(config=True)

    _private: Path | None = None
    _group: ProcessGroupLimit | None = None

    def _limits(self) -> Limits:
        return Limits(cpu_seconds=self.cpu_seconds, address_space_mb=self.address_space_mb)

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        import uuid

        if self.enabled and not sandbox_disabled() and self.warm:
            zygote = warm_zygote(self._limits())
            assert self.kernel_spec is not None
            self.kernel_spec.interrupt_mode = "message"  # a signal would stop at bubblewrap
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.transport = "ipc"
            self.ip = str(zygote.private / f"{self.kernel_id}-ipc")
            self.connection_file = str(zygote.private / f"{self.kernel_id}.json")
            if self.provisioner is None:
                spec = self.kernel_spec
                self.provisioner = _ZygoteProvisioner(kernel_id=self.kernel_id, kernel_spec=spec, parent=self)
            return await super()._async_pre_start_kernel(**kw)
        if self.enabled and not sandbox_disabled():
            bwrap_path()  # fail before anything starts, with the message that says what to do
            if self._private is None:  # a restart reuses the folder
                self._private = Path(tempfile.mkdtemp(prefix="course-kernel-"))
            self.transport = "ipc"
            self.ip = str(self._private / "kernel-ipc")
            self.connection_file = str(self._private / "kernel.json")
        return await super()._async_pre_start_kernel(**kw)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        if self._private is not None and not self.warm:
            # `python -P`: the submission's folder is not on sys.path, so a file it brings or writes
            # (a json.py, a labkit.py) cannot stand in for a module the checks import later.
            if Path(kernel_cmd[0]).name.startswith("python") and "-P" not in kernel_cmd:
                kernel_cmd = [kernel_cmd[0], "-P", *kernel_cmd[1:]]
            assert self.kernel_spec is not None
            self.kernel_spec.interrupt_mode = "message"  # a signal would stop at bubblewrap
            workdir = Path(kw.pop("cwd", None) or os.getcwd())
            limits = Limits(cpu_seconds=self.cpu_seconds, address_space_mb=self.address_space_mb)
            self._close_group()
            self._group = ProcessGroupLimit(limits.processes)
            kernel_cmd = self._group.wrap(sandbox_command(kernel_cmd, workdir, self._private, limits))
            kw.pop("env", None)  # the sandbox sets a clean environment of its own
            kw["cwd"] = str(self._private)
            # Learner code writing to file descriptors 1 and 2 directly must not flood the
            # grader's terminal or log; what it prints through Python reaches the notebook.
            kw["stdout"] = kw["stderr"] = subprocess.DEVNULL
        await super()._async_launch_kernel(kernel_cmd, **kw)

    def _close_group(self) -> None:
        if self._group is not None:
            self._group.close()
            self._group = None

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        self._close_group()
        if self._private is not None and not restart:
            shutil.rmtree(self._private, ignore_errors=True)
            self._private = None
