"""A warm kernel factory, run inside the grading sandbox: fork a kernel whose imports are already done.

Started by :class:`autograder.sandbox.Zygote` as ``python -P kernel_zygote.py CONTROL_FD
OUTSIDE_MOUNT_NS OUTSIDE_PID_NS MODULE ...``; it refuses to run in the namespaces it is told
are the grader's (it empties ``/tmp``: only ever its own private one). It imports ipykernel
and the modules named (the labs' stack: FastAPI, Pydantic, SQLAlchemy...), then serves
requests, one JSON line each on the control pipe:

- ``{"op": "start", "cwd": ..., "argv": [...]}``: fork; the child becomes an IPython kernel
  started with ``argv`` in ``cwd`` (its imports cost nothing: they are the parent's, copied
  on write), and the reply is ``{"pid": <pid in the sandbox>}``;
- ``{"op": "reset"}``: kill every process this one started, and their orphans (a previous
  kernel and whatever it left running), and empty the private ``/tmp``, so nothing of one submission
  reaches the next (what is mounted under ``/tmp``, the folders the grader binds, is left
  alone); reply ``{"ok": true}`` once they are all gone, or ``{"ok": false, "left": N}`` if
  N processes are still there after RESET_WITHIN seconds.

The process cannot be traced or read by its children (``PR_SET_DUMPABLE`` is off), adopts
their orphans (``PR_SET_CHILD_SUBREAPER``) so that none escapes a reset, and reaps them.
It must not import the grader: only the standard library and the modules it preloads.
"""

import contextlib
import ctypes
import functools
import gc
import importlib
import json
import os
import shutil
import signal
import sys
import time

# What starting an IPython kernel imports (measured: its debugger's debugpy is most of it).
KERNEL_MODULES = [
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.iostream",
    "ipykernel.heartbeat",
    "ipykernel.debugger",
    "debugpy",
    "jupyter_client.session",
    "tornado.ioloop",
    "psutil",
    "sqlite3",
    "pydoc",
]
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
PRIVATE_TMP = "/tmp"
RESET_WITHIN = 30.0  # seconds for the last kernel's processes to be gone (a stuck one fails the job, not the zygote)


def _prctl(option: int, value: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(option, value, 0, 0, 0)


def _reap(*_: object) -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _descendants() -> list[int]:
    """Every process descended from this one (orphans included: this process adopts them).

    Only descendants, wherever this runs: never a process it did not start.
    """
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
    mine, found = os.getpid(), []
    for pid in parents:
        ancestor, seen = parents.get(pid), 0
        while ancestor is not None and ancestor > 0 and seen < 64:
            if ancestor == mine:
                found.append(pid)
                break
            ancestor, seen = parents.get(ancestor), seen + 1
    return found


def _mounted() -> list[str]:
    """Every mount point of the sandbox: the folders bound into it (under /tmp too, in CI) must not be emptied."""
    points = []
    with open("/proc/self/mountinfo") as mounts:
        for line in mounts:
            points.append(line.split()[4].replace("\\040", " "))
    return points


def _holds_a_mount(path: str, mounts: list[str]) -> bool:
    return any(point == path or point.startswith(path + "/") for point in mounts)


def _reset() -> int:
    """Kill every descendant, wait until each is gone, empty the private /tmp; 0, or how many would not die.

    Waiting matters: a killed process still counts against the sandbox's process limit until
    it has exited and been reaped, and exiting takes time (a fork bomb's copies of a big
    kernel take a second or more to unmap their memory, longer on a busy machine). A kernel
    forked before they are gone cannot start its threads and dies before it answers.
    """
    deadline = time.monotonic() + RESET_WITHIN
    while others := _descendants():
        if time.monotonic() > deadline:
            return len(others)
        for pid in others:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        _reap()
        time.sleep(0.005)
    mounts = _mounted()
    for name in os.listdir(PRIVATE_TMP):
        path = os.path.join(PRIVATE_TMP, name)
        if _holds_a_mount(path, mounts):
            continue
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(path)
    os.makedirs(os.environ.get("HOME", "/tmp/home"), exist_ok=True)
    return 0


def _start_kernel(cwd: str, argv: list[str], log: str) -> None:
    """In the forked child: become the kernel. Never returns."""
    try:
        os.setsid()
        os.chdir(cwd)
        devnull = os.open(os.devnull, os.O_RDWR)
        output = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600) if log else devnull
        os.dup2(devnull, 0)
        os.dup2(output, 1)
        os.dup2(output, 2)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sys.argv = ["ipykernel_launcher", *argv]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
    finally:
        os._exit(0)


def _remember_cell_transforms() -> None:
    """Turn each cell into Python once per kernel, not twice.

    ipykernel transforms a cell (IPython syntax to Python) to decide whether it needs an event
    loop, then calls ``run_cell``, which transforms it again and compiles it once more for the
    same question. Both are pure functions of the cell's text and of the transformers
    installed, and a lab's test cells are long: about a tenth of a kernel's time went there
    (profiled on lab03). The result is remembered per kernel, keyed by the text and by the
    transformers themselves, so a transformer the learner's code adds, removes or replaces
    applies to every cell after it exactly as before.
    """
    try:
        from IPython.core import inputtransformer2, interactiveshell
    except ImportError:
        return
    transform = inputtransformer2.TransformerManager.transform_cell
    transformed: dict[tuple, str] = {}

    def transform_cell(self: inputtransformer2.TransformerManager, cell: str) -> str:
        try:
            key = (cell, *self.cleanup_transforms, None, *self.line_transforms, None, *self.token_transformers)
            known = transformed.get(key)
        except TypeError:  # a transformer that cannot be hashed: nothing remembered
            return transform(self, cell)
        if known is None:
            if len(transformed) > 512:
                transformed.clear()
            known = transformed[key] = transform(self, cell)
        return known

    inputtransformer2.TransformerManager.transform_cell = transform_cell
    should_be_async = interactiveshell._should_be_async
    interactiveshell._should_be_async = functools.lru_cache(maxsize=512)(should_be_async)


def _store_tracebacks_plainly() -> None:
    """Keep the history's copy of a cell's error in the standard library's format.

    IPython (9.x) formats every error of a cell twice with its full formatter: once for the
    output (what the notebook, the grade and the feedback show, unchanged here) and once more
    only to keep in the kernel's history, which grading never reads. That second copy is
    made with ``traceback.format_exception`` instead, a small part of the cost: most graded
    submissions fail a test cell or two, and that copy took 2 to 7% of a kernel's time (lab03,
    lab01; profiled).
    """
    try:
        from IPython.core.interactiveshell import InteractiveShell
    except ImportError:
        return

    def for_storage(self: InteractiveShell, exception: BaseException, filename: str | None = None, **_: object) -> dict:
        import traceback

        lines = traceback.format_exception(type(exception), exception, exception.__traceback__)
        return {"ename": type(exception).__name__, "evalue": str(exception), "traceback": lines}

    InteractiveShell._format_exception_for_storage = for_storage


def _index_module_files() -> None:
    """Fill ``inspect``'s table of which file holds which loaded module, once for every kernel.

    IPython looks up the module of every frame of a traceback it formats. For a frame of a
    cell, which no module holds, ``inspect.getmodule`` first resolves the real path of every
    loaded module's file (a few thousand, with the labs' stack), then remembers them. Each
    kernel did that again on its first error, 25 ms of a lab03 grading (profiled); a kernel
    forked from here inherits the table, and looks up only what it imports itself.
    """
    import inspect

    inspect.getmodule(sys._getframe())


def _freeze_what_is_loaded() -> None:
    """Take everything loaded so far out of the garbage collector's reach, in every kernel forked after.

    The preloaded stack is about 250,000 objects that live as long as the kernel. Without this,
    each full collection in a kernel scans them all again, and writes to each one's header, so
    the kernel copies the pages it shares with this process. Python's documentation recommends
    ``gc.freeze()`` before forking for both reasons. Collected first, so no garbage is kept.
    """
    gc.collect()
    gc.freeze()


def _inside_its_own_sandbox(outside_mount_ns: str, outside_pid_ns: str) -> bool:
    """True only in namespaces other than the grader's: emptying /tmp anywhere else would be a disaster."""
    return os.readlink("/proc/self/ns/mnt") != outside_mount_ns and os.readlink("/proc/self/ns/pid") != outside_pid_ns


def main() -> None:
    control = int(sys.argv[1])
    if not _inside_its_own_sandbox(sys.argv[2], sys.argv[3]):
        sys.exit("kernel_zygote.py runs only inside its own sandbox (mount and pid namespaces of its own)")
    _prctl(PR_SET_DUMPABLE, 0)
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    for module in [*KERNEL_MODULES, *sys.argv[4:]]:
        # A module that will not import here is imported by the kernel if it ever needs it.
        with contextlib.suppress(Exception):
            importlib.import_module(module)
    _remember_cell_transforms()
    _store_tracebacks_plainly()
    _index_module_files()
    _freeze_what_is_loaded()
    signal.signal(signal.SIGCHLD, _reap)
    requests = os.fdopen(control, "r", buffering=1)
    replies = os.fdopen(os.dup(control), "w", buffering=1)
    _reset()
    replies.write(json.dumps({"ready": True}) + "\n")
    for line in requests:
        request = json.loads(line)
        if request["op"] == "start":
            pid = os.fork()
            if pid == 0:
                requests.close()
                replies.close()
                _start_kernel(request["cwd"], request["argv"], request.get("log", ""))
            replies.write(json.dumps({"pid": pid}) + "\n")
        elif request["op"] == "reset":
            left = _reset()
            replies.write(json.dumps({"ok": not left, "left": left}) + "\n")


if __name__ == "__main__":
    main()
