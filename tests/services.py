"""Real servers for the tests, started on loopback and always stopped: PostgreSQL and Dask.

Nothing is mocked: PostgreSQL is Debian's server (``make test`` installs it when missing),
run by an unprivileged user because ``initdb`` refuses root; the Dask cluster is the
``dask scheduler`` and ``dask worker`` commands a course would run on its machines.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def kill_everything(processes: list[psutil.Process]) -> None:
    """Kill processes and all they started, kernels in their own sessions included."""
    family: list[psutil.Process] = []
    for proc in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            family += [proc, *proc.children(recursive=True)]
    for proc in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    psutil.wait_procs(family, timeout=10)


# ---------------------------------------------------------------- PostgreSQL


def postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise RuntimeError(
            "PostgreSQL's server is not installed (no /usr/lib/postgresql/*/bin/initdb). "
            "`make test` installs it (Debian package postgresql); or run: sudo apt-get install postgresql"
        )
    return found[-1].parent


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL server on a free loopback port; yields a URL with a password."""
    bindir = postgres_bin()
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="course-pg-"))  # under /tmp: the server's user must reach it
    if os.geteuid() == 0:  # initdb refuses root: run the server as an unprivileged user
        user = "postgres" if _user_exists("postgres") else "nobody"
        as_user = ["runuser", "-u", user, "--"]
        shutil.chown(folder, user)
    port, password = free_port(), "s3cret-for-tests"
    (folder / "pw").write_text(password)
    if as_user:
        shutil.chown(folder / "pw", as_user[2])
    data = folder / "data"

    def run(*args: str) -> None:
        result = subprocess.run([*as_user, *args], capture_output=True, text=True, timeout=120)
        if result.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")

    try:
        run(
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "course",
            f"--pwfile={folder / 'pw'}",
            "--auth=scram-sha-256",
            "--no-sync",
        )
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")
        env = {**os.environ, "PGPASSWORD": password}
        subprocess.run(
            [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "course", "gradebook"],
            env=env,
            check=True,
            timeout=60,
        )
        yield f"postgresql://course:{password}@127.0.0.1:{port}/gradebook"
    finally:
        if (data / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError):
                run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


# ---------------------------------------------------------------- Dask


@dataclass
class DaskCluster:
    address: str
    scheduler: subprocess.Popen
    workers: list[subprocess.Popen] = field(default_factory=list)


@contextlib.contextmanager
def dask_cluster(workers: int, hide: Path | None = None) -> Iterator[DaskCluster]:
    """``dask scheduler`` and ``workers`` × ``dask worker`` (one thread each) on loopback.

    ``hide``: a folder the workers must not see. They run in a mount namespace where it is
    an empty tmpfs, so a grading job that reached for the coordinator's files instead of
    its payload would fail: the workers really share no filesystem with the course.
    """
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scratch = Path(tempfile.mkdtemp(prefix="course-dask-"))
    started: list[subprocess.Popen] = []
    logs = []

    def start(args: list[str], name: str) -> subprocess.Popen:
        log = (scratch / f"{name}.log").open("w")
        logs.append(log)
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=scratch, start_new_session=True)
        started.append(proc)
        return proc

    try:
        scheduler = start(
            [
                str(BIN / "dask"),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-dashboard",
            ],
            "scheduler",
        )
        cluster = DaskCluster(address, scheduler)
        prefix: list[str] = []
        if hide is not None:
            namespace = ["unshare", "--mount", "--propagation", "private"]
            if os.geteuid() != 0:
                namespace[1:1] = ["--user", "--map-root-user"]
            prefix = [*namespace, "sh", "-c", 'mount -t tmpfs tmpfs "$0" && exec "$@"', str(hide)]
        for index in range(workers):
            command = [str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-dashboard"]
            command += ["--host", "127.0.0.1", "--name", f"w{index}", "--local-directory", str(scratch / f"w{index}")]
            cluster.workers.append(start([*prefix, *command], f"worker{index}"))
        client = Client(address, timeout="60s", set_as_default=False)
        try:
            client.wait_for_workers(workers, timeout=120)
        finally:
            client.close()
        yield cluster
    except Exception:
        for log in logs:
            log.flush()
        print("\n".join(p.read_text()[-3000:] for p in scratch.glob("*.log")), file=sys.stderr)
        raise
    finally:
        kill_everything([psutil.Process(p.pid) for p in started if p.poll() is None])
        for proc in started:
            proc.wait(timeout=10)
        for log in logs:
            log.close()
        shutil.rmtree(scratch, ignore_errors=True)
