"""``course grade``: grade every submission of a lab in parallel, robustly, resumably.

How it stays identical to plain ``nbgrader autograde`` while being faster and safer:

* Each submission is graded by nbgrader's own ``Autograde`` converter, with the course's
  configuration, in a private copy of the course made from a payload of bytes (the lab's
  source, the submission, a gradebook snapshot holding the lab's definition only: see
  :mod:`autograder.payload`). One submission cannot disturb another, a crash stays in its
  copy, and the same payload grades on this machine or on a cluster worker with no shared
  filesystem (``--cluster``, see :mod:`autograder.dispatch`).
* Graders are long-lived processes (nbgrader is imported once per process, not once per
  submission). A submission that runs past its time limit has its grader and kernel killed.
* Only this coordinating process writes the real gradebook (SQLite or PostgreSQL) and
  ``autograded/``, once per finished job, using nbgrader's ``SaveAutoGrades`` on the
  autograded notebook, so scores are computed by the same code as in plain nbgrader.
* A journal (``autograder/journal/<lab>.json``) records each finished submission with a hash
  of its files. A killed run, started again, skips what is recorded and grades the rest; a
  submission is recorded only after its grades are written, so none is skipped half-graded.
* A submission that cannot be graded is flagged in the gradebook, gets zero, and its reason
  is journaled: it is never silently an honest 0, and never keeps stale scores.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from autograder.course import CourseError, Lab
from autograder.dispatch import result_of
from autograder.gradebook import DEFAULT_IDENTITY, course_db_url, identity, open_gradebook, snapshot_definition
from autograder.payload import (
    AUTOGRADED_DIR,
    SOURCE_DIR,
    SUBMITTED_DIR,
    CourseBundle,
    Job,
    fingerprint,
    pack,
    save_autograded,
)

JOURNAL_DIR = Path("autograder") / "journal"


@dataclass
class Submission:
    student: str
    folder: Path  # autograder/submitted/<student>/<lab>
    digest: str  # sha256 of every file in the folder, so a changed submission is regraded


@dataclass
class Outcome:
    """What happened to one submission; the journal stores one per student."""

    student: str
    digest: str
    status: str  # "graded" or "failed"
    score: float = 0.0
    max_score: float = 0.0
    reason: str = ""
    seconds: float = 0.0
    scores: dict[str, list[float]] = field(default_factory=dict)  # grade id -> [score, max]
    flag: str = ""  # graded, but an instructor should look (e.g. outside checks disagreed)
    notes: list[str] = field(default_factory=list)  # what happened on the way (timeouts, restarts)
    gradebook: str = DEFAULT_IDENTITY  # where the grades were written (gradebook.identity)


def _digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sha.update(str(path.relative_to(folder)).encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


def find_submissions(lab: Lab, student_glob: str = "*") -> list[Submission]:
    base = lab.root / SUBMITTED_DIR
    if not base.is_dir():
        return []
    found = []
    for student_dir in sorted(base.iterdir()):
        folder = student_dir / lab.name
        if student_dir.is_dir() and folder.is_dir() and fnmatch.fnmatch(student_dir.name, student_glob):
            found.append(Submission(student_dir.name, folder, _digest(folder)))
    return found


class Journal:
    """The per-lab record of finished submissions, rewritten atomically after each one."""

    def __init__(self, lab: Lab) -> None:
        self.path = lab.root / JOURNAL_DIR / f"{lab.name}.json"
        self.entries: dict[str, dict[str, Any]] = {}
        if self.path.is_file():
            try:
                self.entries = json.loads(self.path.read_text())
            except json.JSONDecodeError:
                self.entries = {}  # a torn journal only costs regrading; it never skips work

    # Failures of the grading machinery, not of the submission: worth another try on rerun.
    TRANSIENT = ("the grading process died", "the grading process failed", "could not record grades")

    def is_done(self, submission: Submission, gradebook: str) -> bool:
        """Recorded, unchanged since, graded into this same gradebook, and not a machinery failure."""
        entry = self.entries.get(submission.student)
        if not entry or entry.get("digest") != submission.digest:
            return False
        if entry.get("gradebook", DEFAULT_IDENTITY) != gradebook:
            return False
        return not str(entry.get("reason", "")).startswith(self.TRANSIENT)

    def record(self, outcome: Outcome) -> None:
        self.entries[outcome.student] = asdict(outcome)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.entries, indent=1, sort_keys=True))
        os.replace(tmp, self.path)


# ---------------------------------------------------------------- coordinator side


def _write_success(lab: Lab, db_url: str, submission: Submission, result: dict[str, Any]) -> None:
    """Copy the autograded notebook in and let nbgrader's own preprocessors record the grades."""
    import nbformat
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades

    from autograder.build import course_config

    target = lab.root / AUTOGRADED_DIR / submission.student / lab.name
    save_autograded(result["autograded"], target)

    coursedir = CourseDirectory(config=course_config(lab.root))
    timestamp = coursedir.get_existing_timestamp(str(submission.folder))
    with open_gradebook(db_url) as gradebook:
        gradebook.update_or_create_student(submission.student)
        gradebook.update_or_create_submission(lab.name, submission.student, timestamp=timestamp)
    notebook = nbformat.read(target / f"{lab.name}.ipynb", as_version=4)
    resources = {
        "nbgrader": {"db_url": db_url, "assignment": lab.name, "notebook": lab.name, "student": submission.student}
    }
    for preprocessor in (SaveAutoGrades(), AssignLatePenalties(config=course_config(lab.root))):
        notebook, resources = preprocessor.preprocess(notebook, resources)
    with open_gradebook(db_url) as gradebook:
        notebook = gradebook.find_submission_notebook(lab.name, lab.name, submission.student)
        notebook.flagged = bool(result.get("flag"))
        gradebook.db.commit()


def _write_failure(lab: Lab, db_url: str, submission: Submission) -> None:
    """Zero and flag a submission that could not be graded, so no stale score survives.

    An autograded notebook or feedback page left from an earlier, successful grading is
    removed too: it describes a submission that no longer exists.
    """

    for stale in (AUTOGRADED_DIR, Path("autograder") / "feedback"):
        shutil.rmtree(lab.root / stale / submission.student / lab.name, ignore_errors=True)

    with open_gradebook(db_url) as gradebook:
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
) -> list[Outcome]:
    """Grade the lab's submissions; return an outcome for each (already-journaled ones included).

    ``cluster`` is a Dask scheduler's address: the jobs then run on its workers instead of
    ``workers`` local processes. Everything else (journal, gradebook, flags) is the same.
    """
    from autograder.dispatch import DaskCluster, LocalPool, Runner

    if cluster and workers:
        raise CourseError("--workers sets local graders; with --cluster the cluster's workers grade: give only one.")
    from autograder.sandbox import SandboxUnavailable, bwrap_path, sandbox_disabled

    if not sandbox_disabled() and not cluster:  # a cluster's workers check their own machine
        try:
            bwrap_path()  # fail once, clearly, rather than flag every submission
        except SandboxUnavailable as exc:
            raise CourseError(str(exc)) from None
    db_url = course_db_url(lab.root)
    submissions = find_submissions(lab, student_glob)
    if not submissions:
        raise CourseError(
            f"No submissions of {lab.name} match {student_glob!r} in {lab.root / SUBMITTED_DIR}: "
            f"expected {SUBMITTED_DIR}/<student>/{lab.name}/{lab.name}.ipynb"
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
                outcome = _finish(lab, db_url, submission, result_of(future))
                journal.record(outcome)
                outcomes[submission.student] = outcome
                if progress:
                    progress(len(outcomes), len(submissions), outcome)
        aborted = False
    finally:
        runner.close(abort=aborted)
    return [outcomes[s.student] for s in submissions]


def _bundle(lab: Lab, db_url: str) -> CourseBundle:
    """What every grader needs besides the submission, as bytes (see :mod:`autograder.payload`)."""
    with tempfile.TemporaryDirectory(prefix=f"course-grade-{lab.name}-") as scratch:
        snapshot = Path(scratch) / "gradebook-snapshot.db"
        snapshot_definition(lab, db_url, snapshot)
        return CourseBundle(
            lab=lab.name,
            config=(lab.root / "nbgrader_config.py").read_bytes(),
            source=pack(lab.root / SOURCE_DIR / lab.name),
            gradebook=snapshot.read_bytes(),
            fingerprint=fingerprint(),
        )


def _finish(lab: Lab, db_url: str, submission: Submission, result: dict[str, Any]) -> Outcome:
    """Record one job's result, quietly: nbgrader's gradebook code trips SQLAlchemy warnings
    about its own session use on every submission, which say nothing about the submission
    and would bury the progress bar (the grading processes silence them too)."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module=r"nbgrader\.")
        return _record(lab, db_url, submission, result)


def _record(lab: Lab, db_url: str, submission: Submission, result: dict[str, Any]) -> Outcome:
    done = {"student": submission.student, "digest": submission.digest, "gradebook": identity(lab.root, db_url)}
    seconds = float(result.get("seconds", 0.0))
    if result["status"] == "graded":
        try:
            _write_success(lab, db_url, submission, result)
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
    _write_failure(lab, db_url, submission)
    return Outcome(**done, status="failed", reason=result["reason"], seconds=seconds)


# ---------------------------------------------------------------- terminal output


def progress_printer(stream: Any = sys.stderr) -> Callable[[int, int, Outcome], None]:
    start = time.monotonic()

    def show(done: int, total: int, outcome: Outcome) -> None:
        width = 30
        filled = int(width * done / total)
        rate = (time.monotonic() - start) / max(done, 1)
        mark = "FAILED" if outcome.status != "graded" else ("FLAGGED" if outcome.flag else "ok")
        line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}  {outcome.student}: {mark}"
        line += f"  (~{rate * (total - done):.0f} s left)"
        if stream.isatty():
            stream.write("\r" + line.ljust(100))
            if done == total:
                stream.write("\n")
        else:
            stream.write(line + "\n")
        stream.flush()

    return show


def summary(outcomes: list[Outcome]) -> str:
    graded = [o for o in outcomes if o.status == "graded"]
    failed = [o for o in outcomes if o.status != "graded"]
    lines = [f"graded: {len(graded)}   failed: {len(failed)}   total: {len(outcomes)}"]
    for outcome in failed:
        lines.append(f"  FLAGGED {outcome.student}: {outcome.reason}")
    for outcome in graded:
        if outcome.flag:
            lines.append(f"  FLAGGED {outcome.student} (graded, look at it): {outcome.flag}")
        for note in outcome.notes:
            lines.append(f"  note {outcome.student}: {note}")
    if graded:
        percents = [100 * o.score / o.max_score if o.max_score else 0.0 for o in graded]
        mean = sum(percents) / len(percents)
        lines.append(f"mean score: {mean:.1f}% of the points (graded submissions only)")
        lines.append("distribution:")
        for low in range(0, 100, 20):
            high = low + 20
            count = sum(1 for p in percents if low <= p < high or (high == 100 and p == 100))
            lines.append(f"  {low:3d}-{high:<3d}% {'#' * count} {count}")
    return "\n".join(lines)
