"""Where grading jobs run: a pool of local processes, or a Dask distributed cluster.

Both run the same task, :func:`autograder.grading.process.run_job` (one payload, graded
within a time limit in a grading process), and hand back futures; the coordinator in
:mod:`autograder.grading.coordinator` treats them alike. Neither writes anything of the course: the
coordinator alone records results.
"""

from __future__ import annotations

import concurrent.futures
import uuid
from typing import Any, Protocol

from autograder.errors import CourseError
from autograder.grading.bundle import CourseBundle, Job
from autograder.grading.process import run_job, stop_all
from autograder.grading.results import MachineryFailed, Result


class Runner(Protocol):
    def capacity(self) -> int:
        """How many jobs to keep in flight: enough to keep every grader busy, no more."""
        ...

    def share(self, bundle: CourseBundle) -> Any:
        """Make the bundle available to every grader once; returns what ``submit`` takes."""
        ...

    def submit(self, shared: Any, job: Job, timeout: float) -> Any: ...

    def wait_first(self, futures: set[Any]) -> tuple[set[Any], set[Any]]:
        """Block until at least one job is finished; return (finished, still running)."""
        ...

    def result(self, future: Any) -> Result:
        """A finished job's result, or why the machinery (never the submission) failed to give one."""
        ...

    def close(self, abort: bool) -> None: ...


class LocalPool:
    """Threads on this machine, each driving its own long-lived grading process.

    A pool may outlive one run: used as a context manager and handed to several
    :func:`~autograder.grading.coordinator.grade_lab` calls (labs graded in a row), its
    grading processes and their warm sandboxes start once, not once a lab (about 2.5 CPU
    seconds each, measured). A grading process writes its own output to the ``log`` set
    when it started.
    """

    def __init__(self, workers: int, log: str | None = None) -> None:
        self.workers, self.log = workers, log
        self.pool = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="grader")

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(abort=exc[0] is not None)

    def capacity(self) -> int:
        return 2 * self.workers

    def share(self, bundle: CourseBundle) -> CourseBundle:
        return bundle

    def submit(self, shared: CourseBundle, job: Job, timeout: float) -> concurrent.futures.Future:
        return self.pool.submit(run_job, shared, job, timeout, self.log)

    def wait_first(self, futures: set[Any]) -> tuple[set[Any], set[Any]]:
        done, pending = concurrent.futures.wait(futures, return_when=concurrent.futures.FIRST_COMPLETED)
        return set(done), set(pending)

    def result(self, future: concurrent.futures.Future) -> Result:
        try:
            return future.result()
        except Exception as exc:  # raised by the pool, never by the submission (run_job never raises for it)
            return MachineryFailed(f"the grading process failed: {type(exc).__name__}: {exc}")

    def close(self, abort: bool) -> None:
        self.pool.shutdown(wait=not abort, cancel_futures=True)
        stop_all()


class DaskCluster:
    """A Dask distributed scheduler and its workers; each job carries its files as bytes.

    A worker that dies mid-job (killed, out of memory, machine lost) has its jobs run again
    on another worker by the scheduler itself; a job whose workers keep dying is given up
    after ``distributed.scheduler.allowed-failures`` attempts and flagged, to retry on rerun.
    """

    def __init__(self, address: str, lab: str, wait_for_workers: float = 30.0) -> None:
        from distributed import Client

        self.lab = lab
        try:
            self.client = Client(address, timeout="10s", set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise CourseError(
                f"Cannot reach a Dask scheduler at {address}: {exc}. Start one with `dask scheduler` "
                "and pass the address it prints (e.g. tcp://10.0.0.5:8786)."
            ) from None
        try:
            self.client.wait_for_workers(1, timeout=wait_for_workers)
        except TimeoutError:
            self.client.close()
            raise CourseError(
                f"The Dask scheduler at {address} has no workers after {wait_for_workers:g} s. On each grading "
                f"machine, in its clone of the course, run: .venv/bin/dask worker {address} --nthreads 1"
            ) from None

    def capacity(self) -> int:
        return 2 * max(1, sum(self.client.nthreads().values()))

    def share(self, bundle: CourseBundle) -> Any:
        # A task's result, not scattered data: when a worker holding it dies, the scheduler
        # computes it again from the task, where lost scattered data would fail every job
        # still waiting for it (measured: even with a copy on every worker).
        return self.client.submit(_the, bundle, key=f"course-bundle-{self.lab}-{uuid.uuid4().hex[:8]}", pure=False)

    def submit(self, shared: Any, job: Job, timeout: float) -> Any:
        key = f"course-grade-{self.lab}-{job.student}-{uuid.uuid4().hex[:8]}"
        return self.client.submit(run_job, shared, job, timeout, key=key, pure=False)

    def wait_first(self, futures: set[Any]) -> tuple[set[Any], set[Any]]:
        from distributed import wait
        from distributed.client import FuturesCancelledError

        try:
            with self.client.as_current():
                done, pending = wait(list(futures), return_when="FIRST_COMPLETED")
        except FuturesCancelledError:  # cancelled jobs are done too: result() says why they failed
            cancelled = {future for future in futures if future.cancelled()}
            if not cancelled:
                raise
            return cancelled, futures - cancelled
        return set(done), set(pending)

    def result(self, future: Any) -> Result:
        from distributed import KilledWorker

        try:
            return future.result()
        except KilledWorker as exc:
            return MachineryFailed(f"the grading process died on every worker that tried it: {exc}")
        except Exception as exc:  # cancelled, lost: raised by the cluster, never by the submission
            return MachineryFailed(f"the grading process failed: {type(exc).__name__}: {exc}")

    def close(self, abort: bool) -> None:
        self.client.close()


def _the(bundle: CourseBundle) -> CourseBundle:
    """The bundle as a task's result (see DaskCluster.share)."""
    return bundle
