"""``course grade``: grade every submission of a lab in parallel, robustly, resumably.

How it stays identical to plain ``nbgrader autograde`` while being faster and safer:

* Each submission is graded by nbgrader's own ``Autograde`` converter, with the course's
  configuration, in a private copy of the course (its own folder and its own copy of the
  gradebook). One submission cannot disturb another, and a crash stays in its copy.
* Workers are long-lived processes (nbgrader is imported once per worker, not once per
  submission). A submission that runs past its time limit has its worker and kernel killed.
* Only this coordinating process writes the real gradebook and ``autograded/``, using
  nbgrader's ``SaveAutoGrades`` on the autograded notebook, so scores are computed by the
  same code as in plain nbgrader.
* A journal (``autograder/journal/<lab>.json``) records each finished submission with a hash
  of its files. A killed run, started again, skips what is recorded and grades the rest; a
  submission is recorded only after its grades are written, so none is skipped half-graded.
* A submission that cannot be graded is flagged in the gradebook, gets zero, and its reason
  is journaled: it is never silently an honest 0, and never keeps stale scores.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from autograder.course import CourseError, Lab

JOURNAL_DIR = Path("autograder") / "journal"
SUBMITTED_DIR = Path("autograder") / "submitted"
AUTOGRADED_DIR = Path("autograder") / "autograded"


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
    TRANSIENT = ("the grading process died", "could not record grades")

    def is_done(self, submission: Submission) -> bool:
        entry = self.entries.get(submission.student)
        if not entry or entry.get("digest") != submission.digest:
            return False
        return not str(entry.get("reason", "")).startswith(self.TRANSIENT)

    def record(self, outcome: Outcome) -> None:
        self.entries[outcome.student] = asdict(outcome)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.entries, indent=1, sort_keys=True))
        os.replace(tmp, self.path)


# ---------------------------------------------------------------- worker side


def _private_config(root: Path, private_root: Path, db_path: Path) -> Any:
    from traitlets.config import Config

    from autograder.build import course_config

    config = course_config(root)
    config.merge(
        Config(
            {
                "CourseDirectory": {"root": str(private_root), "db_url": f"sqlite:///{db_path}"},
                "NbGrader": {"logfile": ""},
                "Autograde": {"force": True},
            }
        )
    )
    return config


def _precheck(folder: Path, lab_name: str) -> str:
    """Reasons nbgrader would fail on, stated so an instructor can act on them."""
    notebook = folder / f"{lab_name}.ipynb"
    if not notebook.is_file():
        others = sorted(p.name for p in folder.glob("*.ipynb"))
        found = f" (found: {', '.join(others)})" if others else " (the folder has no notebook)"
        return f"missing notebook {notebook.name}{found}"
    try:
        json.loads(notebook.read_text(encoding="utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        return f"invalid notebook: JSON broken at line {exc.lineno}, column {exc.colno} ({exc.msg})"
    return ""


def grade_privately(job: dict[str, Any]) -> dict[str, Any]:
    """Grade one submission with nbgrader's Autograde in a private course copy (runs in a worker)."""
    from nbgrader.api import Gradebook
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    from autograder.build import error_collecting_logger

    root, lab_name, student = Path(job["root"]), job["lab"], job["student"]
    reason = _precheck(Path(job["folder"]), lab_name)
    if reason:
        return {"status": "failed", "reason": reason}

    private_root = Path(job["workdir"]) / student
    if private_root.exists():
        shutil.rmtree(private_root)
    (private_root / "autograder").mkdir(parents=True)
    shutil.copytree(root / "autograder" / "source" / lab_name, private_root / "autograder" / "source" / lab_name)
    shutil.copytree(Path(job["folder"]), private_root / SUBMITTED_DIR / student / lab_name)
    db_path = private_root / "autograder" / "gradebook.db"
    shutil.copy2(job["snapshot"], db_path)

    config = _private_config(root, private_root, db_path)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = lab_name
    coursedir.student_id = student
    log, errors = error_collecting_logger(f"course.grade.{student}")
    converter = Autograde(coursedir=coursedir, config=config, log=log)
    try:
        converter.start()
    except Exception as exc:  # nbgrader reports details through its log, collected above
        explained = re.search(r"BrokenSubmission: (.+)", "\n".join(errors))
        detail = (
            explained.group(1)
            if explained
            else next((e for e in errors if "Traceback" not in e and "Please see" not in e), "")
        )
        kernel = any("DeadKernel" in e or "Kernel died" in e for e in errors)
        reason = "kernel died" if kernel else (detail or str(exc))
        return {"status": "failed", "reason": f"nbgrader could not grade it: {reason[:300]}"}

    autograded = private_root / AUTOGRADED_DIR / student / lab_name
    with Gradebook(f"sqlite:///{db_path}") as gradebook:
        notebook = gradebook.find_submission_notebook(lab_name, lab_name, student)
        scores = {g.name: [g.score, g.max_score] for g in notebook.grades}
    flag, notes = _grading_record(autograded / f"{lab_name}.ipynb")
    extra = sorted(p.name for p in Path(job["folder"]).glob("*.ipynb") if p.name != f"{lab_name}.ipynb")
    if extra:
        notes.append(f"not graded, not part of the lab: {', '.join(extra)}")
    return {"status": "graded", "autograded": str(autograded), "scores": scores, "flag": flag, "notes": notes}


def _grading_record(path: Path) -> tuple[str, list[str]]:
    """The flag (outside checks disagreed) and incident notes written into an autograded notebook."""
    from autograder.guarded import incidents
    from autograder.notebooks import read_notebook
    from autograder.verify.preprocessor import flag_reason

    nb = read_notebook(path)
    notes = [f"{i.get('grade_id') or 'cell ' + str(i['cell'] + 1)}: {i['reason']}" for i in incidents(nb)]
    return flag_reason(nb), notes


def _worker_main(conn: Connection) -> None:
    # nbgrader's gradebook code trips SQLAlchemy warnings, and kernels print start-up chatter:
    # neither is about the submission, and both would bury the progress bar.
    import warnings

    warnings.filterwarnings("ignore")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    while True:
        job = conn.recv()
        if job is None:
            return
        try:
            result = grade_privately(job)
        except Exception as exc:  # never let one submission take the worker down silently
            result = {"status": "failed", "reason": f"grading error: {type(exc).__name__}: {exc}"}
        conn.send(result)


# ---------------------------------------------------------------- coordinator side


def _kill_tree(pid: int) -> None:
    """Kill a worker and everything it started (kernels run in their own sessions)."""
    import psutil

    try:
        parent = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    for proc in [*parent.children(recursive=True), parent]:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()


class _Worker:
    def __init__(self, context: Any) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self.job: dict[str, Any] | None = None
        self.started = 0.0

    def give(self, job: dict[str, Any]) -> None:
        self.job, self.started = job, time.monotonic()
        self.conn.send(job)

    def stop(self) -> None:
        if self.process.is_alive():
            try:
                self.conn.send(None)
                self.process.join(timeout=5)
            except (BrokenPipeError, OSError):
                pass
        if self.process.is_alive():
            _kill_tree(self.process.pid)
        self.process.join(timeout=5)


def _snapshot_gradebook(lab: Lab, db_url: str, dest: Path) -> None:
    """Copy the gradebook for workers (they read the lab's test cells from it)."""
    import sqlite3

    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gradebook:
        try:
            gradebook.find_assignment(lab.name)
        except MissingEntry:
            raise CourseError(
                f"{lab.name} is not in the gradebook. Run `nbgrader generate_assignment {lab.name}` first."
            ) from None
    source = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    target = sqlite3.connect(dest)
    with target:
        source.backup(target)
    source.close()
    target.close()
    # Workers need the lab's definition only: other students' records stay out of their reach.
    with Gradebook(f"sqlite:///{dest}") as snapshot:
        for student in list(snapshot.students):
            snapshot.remove_student(student.id)


def _write_success(lab: Lab, db_url: str, submission: Submission, result: dict[str, Any]) -> None:
    """Copy the autograded notebook in and let nbgrader's own preprocessors record the grades."""
    import nbformat
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades

    from autograder.build import course_config

    target = lab.root / AUTOGRADED_DIR / submission.student / lab.name
    staging = target.with_name(target.name + ".incoming")
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(result["autograded"], staging)
    if target.exists():
        shutil.rmtree(target)
    os.replace(staging, target)

    coursedir = CourseDirectory(config=course_config(lab.root))
    timestamp = coursedir.get_existing_timestamp(str(submission.folder))
    with Gradebook(db_url) as gradebook:
        gradebook.update_or_create_student(submission.student)
        gradebook.update_or_create_submission(lab.name, submission.student, timestamp=timestamp)
    notebook = nbformat.read(target / f"{lab.name}.ipynb", as_version=4)
    resources = {
        "nbgrader": {"db_url": db_url, "assignment": lab.name, "notebook": lab.name, "student": submission.student}
    }
    for preprocessor in (SaveAutoGrades(), AssignLatePenalties(config=course_config(lab.root))):
        notebook, resources = preprocessor.preprocess(notebook, resources)
    with Gradebook(db_url) as gradebook:
        notebook = gradebook.find_submission_notebook(lab.name, lab.name, submission.student)
        notebook.flagged = bool(result.get("flag"))
        gradebook.db.commit()


def _write_failure(lab: Lab, db_url: str, submission: Submission) -> None:
    """Zero and flag a submission that could not be graded, so no stale score survives.

    An autograded notebook or feedback page left from an earlier, successful grading is
    removed too: it describes a submission that no longer exists.
    """
    from nbgrader.api import Gradebook

    for stale in (AUTOGRADED_DIR, Path("autograder") / "feedback"):
        shutil.rmtree(lab.root / stale / submission.student / lab.name, ignore_errors=True)

    with Gradebook(db_url) as gradebook:
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
) -> list[Outcome]:
    """Grade the lab's submissions; return an outcome for each (already-journaled ones included)."""
    from autograder.build import course_config
    from autograder.sandbox import SandboxUnavailable, bwrap_path, sandbox_disabled

    if not sandbox_disabled():
        try:
            bwrap_path()  # fail once, clearly, rather than flag every submission
        except SandboxUnavailable as exc:
            raise CourseError(str(exc)) from None
    db_url = course_config(lab.root).CourseDirectory.db_url
    submissions = find_submissions(lab, student_glob)
    if not submissions:
        raise CourseError(
            f"No submissions of {lab.name} match {student_glob!r} in {lab.root / SUBMITTED_DIR}: "
            f"expected {SUBMITTED_DIR}/<student>/{lab.name}/{lab.name}.ipynb"
        )
    journal = Journal(lab)
    todo = [s for s in submissions if force or not journal.is_done(s)]
    outcomes = {s.student: Outcome(**journal.entries[s.student]) for s in submissions if s not in todo}
    if not todo:
        return [outcomes[s.student] for s in submissions]

    with tempfile.TemporaryDirectory(prefix=f"course-grade-{lab.name}-") as scratch:
        snapshot = Path(scratch) / "gradebook-snapshot.db"
        _snapshot_gradebook(lab, db_url, snapshot)
        context = multiprocessing.get_context("spawn")
        pool = [_Worker(context) for _ in range(max(1, min(workers or os.cpu_count() or 1, len(todo))))]
        pending = list(reversed(todo))
        by_student = {s.student: s for s in todo}
        try:
            while pending or any(w.job for w in pool):
                for worker in pool:
                    if worker.job is None and pending:
                        sub = pending.pop()
                        worker.give(
                            {
                                "root": str(lab.root),
                                "lab": lab.name,
                                "student": sub.student,
                                "folder": str(sub.folder),
                                "snapshot": str(snapshot),
                                "workdir": scratch,
                            }
                        )
                busy = [w for w in pool if w.job]
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=0.5)
                for index, worker in enumerate(pool):
                    if worker.job is None:
                        continue
                    student = worker.job["student"]
                    elapsed = time.monotonic() - worker.started
                    if worker.conn in ready:
                        try:
                            result = worker.conn.recv()
                        except (EOFError, OSError):
                            result = {"status": "failed", "reason": "the grading process died"}
                    elif not worker.process.is_alive():
                        result = {
                            "status": "failed",
                            "reason": f"the grading process died (exit {worker.process.exitcode})",
                        }
                    elif elapsed > timeout:
                        result = {"status": "failed", "reason": f"timed out after {timeout:g} s"}
                    else:
                        continue
                    worker.job = None
                    if result["status"] == "failed" and ("died" in result["reason"] or "timed out" in result["reason"]):
                        _kill_tree(worker.process.pid)
                        pool[index] = _Worker(context)
                    outcome = _finish(lab, db_url, by_student[student], result, elapsed)
                    journal.record(outcome)
                    outcomes[student] = outcome
                    if progress:
                        progress(len(outcomes), len(submissions), outcome)
        finally:
            for worker in pool:
                worker.stop()
    return [outcomes[s.student] for s in submissions]


def _finish(lab: Lab, db_url: str, submission: Submission, result: dict[str, Any], seconds: float) -> Outcome:
    if result["status"] == "graded":
        try:
            _write_success(lab, db_url, submission, result)
        except Exception as exc:  # a gradebook problem must surface as a flag, not a crash mid-cohort
            result = {"status": "failed", "reason": f"could not record grades: {type(exc).__name__}: {exc}"}
        else:
            score, max_score = _totals(result["scores"])
            return Outcome(
                submission.student,
                submission.digest,
                "graded",
                score,
                max_score,
                "",
                round(seconds, 2),
                result["scores"],
                result.get("flag", ""),
                result.get("notes", []),
            )
    _write_failure(lab, db_url, submission)
    return Outcome(submission.student, submission.digest, "failed", 0.0, 0.0, result["reason"], round(seconds, 2))


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
