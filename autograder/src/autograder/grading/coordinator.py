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
  ``autograded/``, once per finished job, using nbgrader's ``SaveAutoGrades`` on the
  autograded notebook, so scores are computed by the same code as in plain nbgrader.
* A journal (:mod:`autograder.grading.journal`) makes a killed run resumable.
* A submission that cannot be graded is flagged in the gradebook, gets zero, and its reason
  is journaled: it is never silently an honest 0, and never keeps stale scores.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from autograder.config import Course
from autograder.errors import CourseError
from autograder.gradebook import identity, open_gradebook, snapshot_definition
from autograder.grading.bundle import CourseBundle, Job, fingerprint, pack, save_autograded
from autograder.grading.journal import Journal, Submission, find_submissions
from autograder.grading.results import Outcome
from autograder.grading.runners import result_of
from autograder.layout import CONFIG_FILE, Lab


def _write_success(course: Course, lab: Lab, submission: Submission, result: dict[str, Any]) -> None:
    """Copy the autograded notebook in and let nbgrader's own preprocessors record the grades."""
    import nbformat
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades

    db_url = course.db_url
    target = lab.autograded(submission.student)
    save_autograded(result["autograded"], target)

    coursedir = CourseDirectory(config=course.config)
    timestamp = coursedir.get_existing_timestamp(str(submission.folder))
    with open_gradebook(db_url) as gradebook:
        gradebook.update_or_create_student(submission.student)
        gradebook.update_or_create_submission(lab.name, submission.student, timestamp=timestamp)
    notebook = nbformat.read(target / f"{lab.name}.ipynb", as_version=4)
    resources = {
        "nbgrader": {"db_url": db_url, "assignment": lab.name, "notebook": lab.name, "student": submission.student}
    }
    for preprocessor in (SaveAutoGrades(), AssignLatePenalties(config=course.config)):
        notebook, resources = preprocessor.preprocess(notebook, resources)
    with open_gradebook(db_url) as gradebook:
        notebook = gradebook.find_submission_notebook(lab.name, lab.name, submission.student)
        notebook.flagged = bool(result.get("flag"))
        gradebook.db.commit()


def _write_failure(course: Course, lab: Lab, submission: Submission) -> None:
    """Zero and flag a submission that could not be graded, so no stale score survives.

    An autograded notebook or feedback page left from an earlier, successful grading is
    removed too: it describes a submission that no longer exists.
    """

    for stale in (lab.autograded(submission.student), lab.feedback(submission.student)):
        shutil.rmtree(stale, ignore_errors=True)

    with open_gradebook(course.db_url) as gradebook:
        gradebook.update_or_create_student(submission.student)
        record = gradebook.update_or_create_submission(lab.name, submission.student)
        for notebook in record.notebooks:
            notebook.flagged = True
            for grade in notebook.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = True
        gradebook.db.commit()


def _totals(scores: dict[str, list[float]]) -> tuple[float, float]:
    return sum(s or 0 for s, _ in scores.values()), sum(m for _, m in scores.values())


def grade_lab(
    lab: Lab,
    workers: int | None = None,
    student_glob: str = "*",
    force: bool = False,
    timeout: float = 600.0,
    progress: Callable[[int, int, Outcome], None] | None = None,
    cluster: str | None = None,
    course: Course | None = None,
) -> list[Outcome]:
    """Grade the lab's submissions; return an outcome for each (already-journaled ones included).

    ``cluster`` is a Dask scheduler's address: the jobs then run on its workers instead of
    ``workers`` local processes. Everything else (journal, gradebook, flags) is the same.
    ``course``: the course with its configuration loaded, if the caller has it already.
    """
    from autograder.grading.runners import DaskCluster, LocalPool, Runner

    if cluster and workers:
        raise CourseError("--workers sets local graders; with --cluster the cluster's workers grade: give only one.")
    from autograder.sandbox import SandboxUnavailable, bwrap_path, sandbox_disabled

    if not sandbox_disabled() and not cluster:  # a cluster's workers check their own machine
        try:
            bwrap_path()  # fail once, clearly, rather than flag every submission
        except SandboxUnavailable as exc:
            raise CourseError(str(exc)) from None
    course = course or Course.at(lab.root)
    db_url = course.db_url
    submissions = find_submissions(lab, student_glob)
    if not submissions:
        submitted = lab.layout.submitted
        raise CourseError(
            f"No submissions of {lab.name} match {student_glob!r} in {lab.root / submitted}: "
            f"expected {submitted}/<student>/{lab.name}/{lab.name}.ipynb"
        )
    journal = Journal(lab)
    todo = [s for s in submissions if force or not journal.is_done(s, identity(lab.root, db_url))]
    outcomes = {s.student: Outcome(**journal.entries[s.student]) for s in submissions if s not in todo}
    if not todo:
        return [outcomes[s.student] for s in submissions]

    bundle = _bundle(lab, db_url)
    runner: Runner = (
        DaskCluster(cluster, lab.name) if cluster else LocalPool(max(1, min(workers or os.cpu_count() or 1, len(todo))))
    )
    aborted = True
    try:
        shared = runner.share(bundle)
        waiting = list(reversed(todo))
        in_flight: dict[Any, Submission] = {}
        while waiting or in_flight:
            # A bounded window: thousands of submissions are never all in memory, here or on the cluster.
            while waiting and len(in_flight) < runner.capacity():
                submission = waiting.pop()
                job = Job(submission.student, pack(submission.folder))
                in_flight[runner.submit(shared, job, timeout)] = submission
            done, _ = runner.wait_first(set(in_flight))
            for future in done:
                submission = in_flight.pop(future)
                outcome = _finish(course, lab, submission, result_of(future))
                journal.record(outcome)
                outcomes[submission.student] = outcome
                if progress:
                    progress(len(outcomes), len(submissions), outcome)
        aborted = False
    finally:
        runner.close(abort=aborted)
    return [outcomes[s.student] for s in submissions]


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


def _finish(course: Course, lab: Lab, submission: Submission, result: dict[str, Any]) -> Outcome:
    """Record one job's result, quietly: nbgrader's gradebook code trips SQLAlchemy warnings
    about its own session use on every submission, which say nothing about the submission
    and would bury the progress bar (the grading processes silence them too)."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module=r"nbgrader\.")
        return _record(course, lab, submission, result)


def _record(course: Course, lab: Lab, submission: Submission, result: dict[str, Any]) -> Outcome:
    done = {"student": submission.student, "digest": submission.digest, "gradebook": identity(lab.root, course.db_url)}
    seconds = float(result.get("seconds", 0.0))
    if result["status"] == "graded":
        try:
            _write_success(course, lab, submission, result)
        except Exception as exc:  # a gradebook problem must surface as a flag, not a crash mid-cohort
            result = {"status": "failed", "reason": f"could not record grades: {type(exc).__name__}: {exc}"}
        else:
            score, max_score = _totals(result["scores"])
            return Outcome(
                **done,
                status="graded",
                score=score,
                max_score=max_score,
                seconds=seconds,
                scores=result["scores"],
                flag=result.get("flag", ""),
                notes=result.get("notes", []),
            )
    _write_failure(course, lab, submission)
    return Outcome(**done, status="failed", reason=result["reason"], seconds=seconds)
