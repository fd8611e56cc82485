"""``course grade``: grade every submission of a lab in parallel, robustly, resumably.

How it stays identical to plain ``nbgrader autograde`` while being faster and safer:

* Each submission is graded by nbgrader's own ``Autograde`` converter, with the course's
  configuration, in a private copy of the course made from a payload of bytes (the lab's
  source, the submission, a gradebook snapshot holding the lab's definition only: see
  :mod:`autograder.grading.bundle`). One submission cannot disturb another, a crash stays in
  its copy, and the same payload grades on this machine or on a cluster worker with no shared
  filesystem (``--cluster``, see :mod:`autograder.grading.runners`).
* Graders are long-lived processes (nbgrader is imported once per process, not once per
  submission). A submission that runs past its time limit has its grader and kernel killed.
* Only this coordinating process writes the real gradebook (SQLite or PostgreSQL) and
  ``autograded/``, through :class:`~autograder.grading.recorder.Recorder`, with nbgrader's
  own per-cell rules, in batches: so scores are those of plain nbgrader.
* The kind of each result decides what happens next (:mod:`autograder.grading.results`); a
  journal (:mod:`autograder.grading.journal`) makes a killed run resumable. A submission our
  own machinery failed on is tried once more at the end of the run before it is left for
  the next one: a passing fault should not make the instructor run the class again.
* A submission that cannot be graded is flagged in the gradebook, gets zero, and its reason
  is journaled: it is never silently an honest 0, and never keeps stale scores.
* When the lab's own given code cannot run in this environment for the first submissions
  graded, the run stops with one message instead of flagging the whole class.
* Each run writes a log, ``autograder/logs/<lab>-<time>.log``: one line per submission,
  and the graders' own output beside it (``.graders.log``).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from autograder.config import Course
from autograder.errors import CourseError
from autograder.gradebook import identity, snapshot_definition
from autograder.grading.bundle import CourseBundle, Job, fingerprint, pack
from autograder.grading.journal import Journal, Submission, find_submissions
from autograder.grading.recorder import Finished, Recorder
from autograder.grading.results import Graded, MachineryFailed, Outcome
from autograder.layout import CONFIG_FILE, Lab

if TYPE_CHECKING:
    from autograder.grading.runners import LocalPool

ENVIRONMENT_PROBE = 3
"""How many first results, all failing in the lab's given code, stop the run (see grade_lab)."""
TRIES_WHEN_OURS_FAILS = 2
"""How many times one run grades a submission whose grading failed on our side (MachineryFailed)."""


def grade_lab(
    lab: Lab,
    workers: int | None = None,
    student_glob: str = "*",
    force: bool = False,
    timeout: float = 600.0,
    progress: Callable[[int, int, Outcome], None] | None = None,
    cluster: str | None = None,
    course: Course | None = None,
    graders: LocalPool | None = None,
) -> list[Outcome]:
    """Grade the lab's submissions; return an outcome for each (already-journaled ones included).

    ``cluster`` is a Dask scheduler's address: the jobs then run on its workers instead of
    ``workers`` local processes. Everything else (journal, gradebook, flags) is the same.
    ``course``: the course with its configuration loaded, if the caller has it already.
    ``graders``: local graders the caller keeps open across runs (several labs in a row);
    they are used instead of ``workers`` new ones and left open, the caller closes them.
    """
    from autograder.grading.runners import DaskCluster, LocalPool, Runner

    if cluster and workers:
        raise CourseError("--workers sets local graders; with --cluster the cluster's workers grade: give only one.")
    if graders is not None and (cluster or workers):
        raise ValueError("graders kept open by the caller replace both --workers and --cluster")
    from autograder.sandbox import SandboxUnavailable, bwrap_path, sandbox_disabled

    if not sandbox_disabled() and not cluster:  # a cluster's workers check their own machine
        try:
            bwrap_path()  # fail once, clearly, rather than flag every submission
        except SandboxUnavailable as exc:
            raise CourseError(str(exc)) from None
    course = course or Course.at(lab.root)
    submissions = find_submissions(lab, student_glob)
    if not submissions:
        submitted = lab.layout.submitted
        raise CourseError(
            f"No submissions of {lab.name} match {student_glob!r} in {lab.root / submitted}: "
            f"expected {submitted}/<student>/{lab.name}/{lab.name}.ipynb"
        )
    journal = Journal(lab)
    todo = [s for s in submissions if force or not journal.is_done(s, identity(lab.root, course.db_url))]
    outcomes = {s.student: Outcome(**journal.entries[s.student]) for s in submissions if s not in todo}
    if not todo:
        return [outcomes[s.student] for s in submissions]

    bundle = _bundle(lab, course.db_url)
    local = graders.workers if graders is not None else workers or os.cpu_count() or 1
    log = RunLog(lab, len(todo), cluster or f"{local} local workers")
    runner: Runner
    if graders is not None:
        runner, graders.log = graders, str(log.graders)  # graders started from now on write to this run's log
    elif cluster:
        runner = DaskCluster(cluster, lab.name)
    else:
        runner = LocalPool(max(1, min(workers or os.cpu_count() or 1, len(todo))), log=str(log.graders))
    recorder = Recorder(course, lab)
    aborted = True
    in_flight: dict[Any, Submission] = {}
    try:
        shared = runner.share(bundle)
        waiting = list(reversed(todo))
        first: list[Finished] = []  # the first results, to tell a broken environment from broken submissions
        tries: dict[str, int] = {}
        while waiting or in_flight:
            # A bounded window: thousands of submissions are never all in memory, here or on the cluster.
            while waiting and len(in_flight) < runner.capacity():
                submission = waiting.pop()
                job = Job(submission.student, pack(submission.folder))
                in_flight[runner.submit(shared, job, timeout)] = submission
            done, _ = runner.wait_first(set(in_flight))
            batch = []
            for future in done:
                finished = Finished(in_flight.pop(future), runner.result(future))
                if _try_again(finished, tries, log):
                    waiting.insert(0, finished.submission)  # the end of the queue: the others go first
                else:
                    batch.append(finished)
            if not batch:
                continue
            recorded = recorder.record(batch)
            journal.record(recorded)
            for outcome in recorded:
                outcomes[outcome.student] = outcome
                log.outcome(outcome)
                if progress:
                    progress(len(outcomes), len(submissions), outcome)
            first += batch[: max(0, ENVIRONMENT_PROBE - len(first))]
            _stop_if_the_environment_is_broken(first, min(ENVIRONMENT_PROBE, len(todo)), log)
        aborted = False
    finally:
        if graders is None:
            runner.close(abort=aborted)
        elif aborted:
            for future in in_flight:  # not ours to close: only what this run started stops
                future.cancel()
        recorder.close()
        log.close(aborted)
    return [outcomes[s.student] for s in submissions]


def _try_again(finished: Finished, tries: dict[str, int], log: RunLog) -> bool:
    """True when our machinery failed this submission and it has tries left in this run."""
    student = finished.submission.student
    tries[student] = tries.get(student, 0) + 1  # this one included
    if not isinstance(finished.result, MachineryFailed) or tries[student] >= TRIES_WHEN_OURS_FAILS:
        return False
    log.write(f"{student}: our side failed ({finished.result.reason}); graded once more at the end of this run")
    return True


def _stop_if_the_environment_is_broken(first: list[Finished], probe: int, log: RunLog) -> None:
    """Stop when every one of the first results failed in the lab's given code: a class-wide fault.

    The lab's given code is the same in every submission (grading restores it), so when it
    cannot run for the first few, it will not run for anyone: the environment is broken
    (a missing package, a kernel that cannot import the course's helpers). Grading on would
    flag the whole class; one message is what the instructor needs.
    """
    if len(first) < probe:
        return
    faults = [item.result.environment_fault for item in first if isinstance(item.result, Graded)]
    if len(faults) == probe and all(faults):
        message = (
            f"Grading stopped: the lab's given code cannot run in this grading environment ({faults[0]}). "
            f"The first {probe} submissions are flagged and will be graded again on the next run; nothing else "
            f"was graded. Fix the environment (run `make .venv/.installed` or reinstall the course), then run "
            f"`course grade` again. The run's log: {log.path}"
        )
        log.write(message)
        raise CourseError(message)


def _bundle(lab: Lab, db_url: str) -> CourseBundle:
    """What every grader needs besides the submission, as bytes (see :mod:`autograder.grading.bundle`)."""
    with tempfile.TemporaryDirectory(prefix=f"course-grade-{lab.name}-") as scratch:
        snapshot = Path(scratch) / "gradebook-snapshot.db"
        snapshot_definition(lab, db_url, snapshot)
        return CourseBundle(
            lab=lab.name,
            config=(lab.root / CONFIG_FILE).read_bytes(),
            source=pack(lab.source_folder),
            checks=lab.checks.read_bytes() if lab.checks.is_file() else b"",
            gradebook=snapshot.read_bytes(),
            fingerprint=fingerprint(),
        )


class RunLog:
    """``autograder/logs/<lab>-<time>.log``: what one run did, one line a submission."""

    def __init__(self, lab: Lab, todo: int, where: str) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        folder = lab.root / lab.layout.logs
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{lab.name}-{stamp}.log"
        self.graders = self.path.with_suffix(".graders.log")
        self._file: TextIO = self.path.open("a", encoding="utf-8")
        self.write(f"course grade {lab.name}: {todo} submission(s) to grade on {where}")

    def write(self, line: str) -> None:
        self._file.write(f"{time.strftime('%H:%M:%S')} {line}\n")
        self._file.flush()

    def outcome(self, outcome: Outcome) -> None:
        what = f"{outcome.score:g}/{outcome.max_score:g}" if outcome.status == "graded" else f"FAILED: {outcome.reason}"
        extra = f" | flag: {outcome.flag}" if outcome.flag else ""
        extra += " | graded again next run" if outcome.retry else ""
        self.write(f"{outcome.student}: {what} ({outcome.seconds:.1f} s){extra}")
        for note in outcome.notes:
            self.write(f"{outcome.student}: note: {note}")

    def close(self, aborted: bool) -> None:
        self.write("run interrupted" if aborted else "run finished")
        self._file.close()
