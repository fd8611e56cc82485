"""A long-lived grading process, and :func:`run_job`: grade one payload within a time limit.

Why a separate process: a submission can hang (a route handler looping in a thread that no
interrupt stops) or take its kernel down; the process that grades it, with its kernel, is
killed at the time limit and the caller gets a plain failure. Why long-lived: nbgrader is
imported once per process, not once per submission.

:func:`run_job` is what every grader slot calls, a thread of the local pool or a Dask
worker's task thread alike; each calling thread keeps its own grading process. The process
is started with ``subprocess`` (not ``multiprocessing``) so it also works inside Dask's
daemonic worker processes, and it exits by itself, taking its kernel along, when the
process that started it dies (a cluster worker killed mid-run leaves nothing behind).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from autograder.grading.bundle import CourseBundle, Job
from autograder.grading.results import MachineryFailed, Result, SubmissionFailed


def kill_tree(pid: int) -> None:
    """Kill a process and everything it started (kernels run in sessions of their own)."""
    import psutil

    try:
        parent = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    for proc in [*parent.children(recursive=True), parent]:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()


class GraderProcess:
    """``python -P -m autograder.grading.process``: receives (bundle, job), sends the result back.

    ``-P`` keeps the working folder off ``sys.path``: the process imports only installed code,
    never a module that happens to lie in the folder it was started from.
    """

    def __init__(self, log: Path | None = None) -> None:
        job_read, job_write = os.pipe()
        result_read, result_write = os.pipe()
        # What the process and its kernels print (nbgrader's log, start-up chatter) is not for the
        # terminal, where it would bury the progress line: it goes to the run's log, if there is one.
        output = log.open("ab") if log is not None else subprocess.DEVNULL
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-P", "-m", "autograder.grading.process", str(job_read), str(result_write)],
                pass_fds=(job_read, result_write),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=output,
            )
        finally:
            if log is not None:
                output.close()
        os.close(job_read)
        os.close(result_write)
        self.jobs = Connection(job_write, readable=False)
        self.results = Connection(result_read, writable=False)

    def run(self, bundle: CourseBundle, job: Job, timeout: float) -> Result:
        """Grade ``job``; a failure result (never an exception) when it dies or runs out of time."""
        try:
            self.jobs.send((bundle, job))
            if not self.results.poll(timeout):
                self.kill()
                return SubmissionFailed(f"timed out after {timeout:g} s", seconds=timeout)
            return self.results.recv()
        except (EOFError, OSError):
            pass  # the process died; its exit code says how
        self.alive_after(2)
        code = self.process.returncode
        self.kill()
        return MachineryFailed(f"the grading process died (exit {code})")

    def alive_after(self, seconds: float) -> bool:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(seconds)
        return self.process.poll() is None

    def kill(self) -> None:
        kill_tree(self.process.pid)
        self.alive_after(10)
        self.close_pipes()

    def close_pipes(self) -> None:
        for conn in (self.jobs, self.results):
            with contextlib.suppress(OSError):
                conn.close()

    def stop(self) -> None:
        """Ask for a clean exit (the loop ends on a closed pipe); kill what does not comply."""
        with contextlib.suppress(OSError):
            self.jobs.close()
        if self.alive_after(5):
            kill_tree(self.process.pid)
            self.alive_after(5)
        self.close_pipes()


_local = threading.local()
_started: list[GraderProcess] = []
_started_lock = threading.Lock()


def run_job(bundle: CourseBundle, job: Job, timeout: float, log: str | None = None) -> Result:
    """Grade one job in this thread's grading process, replacing it after a kill.

    ``log``: a file for the grading process's own output (the run's log on this machine).
    """
    from autograder.grading.worker import StaleGrader

    grader: GraderProcess | None = getattr(_local, "grader", None)
    fresh = grader is None or grader.process.poll() is not None
    if fresh or grader is None:
        _forget(grader)
        grader = GraderProcess(Path(log) if log else None)
        _local.grader = grader
        with _started_lock:
            _started.append(grader)
    result = grader.run(bundle, job, timeout)
    if isinstance(result, StaleGrader) and not fresh:
        # The process was started before the course's code changed on disk: a new one loads today's code.
        grader.stop()
        _forget(grader)
        _local.grader = None
        return run_job(bundle, job, timeout, log)
    if grader.process.poll() is not None:
        _local.grader = None
    return result


def _forget(grader: GraderProcess | None) -> None:
    with _started_lock:
        if grader in _started:
            _started.remove(grader)


def stop_all() -> None:
    """Stop every grading process this process started (the local pool's end of run)."""
    with _started_lock:
        graders, _started[:] = list(_started), []
    for grader in graders:
        grader.stop()


# ---------------------------------------------------------------- inside the grading process


def _exit_with_parent(parent: int) -> None:
    """Kill our kernel and exit when the process that started us is gone (e.g. kill -9 of a worker)."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            import psutil

            for child in psutil.Process().children(recursive=True):
                with contextlib.suppress(psutil.NoSuchProcess):
                    child.kill()
            os._exit(1)


def main(job_fd: int, result_fd: int) -> None:
    import warnings

    from autograder.grading import speedups

    speedups.install()
    from autograder.grading.worker import grade_payload
    from autograder.sandbox import sandbox_disabled

    warm = not sandbox_disabled()  # kernels forked from a warm sandbox: their imports done once per process

    warnings.filterwarnings("ignore")
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    jobs, results = Connection(job_fd, writable=False), Connection(result_fd, readable=False)
    while True:
        try:
            bundle, job = jobs.recv()
        except EOFError:
            return
        try:
            result: Result = grade_payload(bundle, job, warm=warm)
        except Exception as exc:  # never let one submission take the process down silently
            result = MachineryFailed(f"grading error: {type(exc).__name__}: {exc}")
        results.send(result)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
    from autograder.sandbox import close_zygote

    close_zygote()  # its sandbox would die with this process anyway; this also removes its cgroup
    # Every result is sent: skip the interpreter's teardown of nbgrader's modules (0.7 s
    # measured), which the coordinator would otherwise wait for at the end of every run.
    os._exit(0)
