"""One submission's grading as bytes in, bytes out: what a grader needs, wherever it runs.

A grader, on this machine or on a cluster worker with no shared filesystem, gets a
:class:`CourseBundle` (the course's ``nbgrader_config.py``, the lab's source folder and a
gradebook snapshot holding the lab's definition only) and a :class:`Job` (one student's
submission folder), all as bytes. :func:`grade_payload` unpacks them into a private
course in a temporary folder, runs nbgrader's own ``Autograde`` there with the course's
configuration (loaded from the shipped ``nbgrader_config.py``, so whatever the course
configures, e.g. how kernels are launched, applies on every worker), and returns the
autograded folder as bytes with the per-cell scores. The local pool and the cluster both
call it: there is one grading code path.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUBMITTED_DIR = Path("autograder") / "submitted"
AUTOGRADED_DIR = Path("autograder") / "autograded"
SOURCE_DIR = Path("autograder") / "source"


def pack(folder: Path) -> bytes:
    """A folder as gzipped tar bytes, with stable order and no owner names."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path in sorted(folder.rglob("*")):
            info = archive.gettarinfo(str(path), arcname=str(path.relative_to(folder)))
            info.uname = info.gname = ""
            if path.is_file():
                with path.open("rb") as handle:
                    archive.addfile(info, handle)
            elif path.is_dir():
                archive.addfile(info)
    return buffer.getvalue()


def unpack(data: bytes, dest: Path) -> None:
    """Extract :func:`pack`'s bytes into ``dest``; the "data" filter refuses paths leaving it."""
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        archive.extractall(dest, filter="data")


@functools.cache
def fingerprint() -> str:
    """What decides a grade besides the payload: nbgrader's version and this package's code.

    A worker whose clone of the course is older or newer than the coordinator's could grade
    differently; comparing fingerprints catches it before a single score is recorded.
    """
    from importlib.metadata import version

    sha = hashlib.sha256(version("nbgrader").encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):  # subpackages too: preprocessors may live there
        sha.update(str(path.relative_to(package)).encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


@dataclass(frozen=True)
class CourseBundle:
    """What every job of one run shares, sent once to each worker."""

    lab: str
    config: bytes  # the course's nbgrader_config.py
    source: bytes  # pack() of autograder/source/<lab>
    gradebook: bytes  # SQLite snapshot: the lab's definition, no student records
    fingerprint: str  # the coordinator's fingerprint()


@dataclass(frozen=True)
class Job:
    """One student's submission."""

    student: str
    submission: bytes  # pack() of autograder/submitted/<student>/<lab>


def precheck(folder: Path, lab_name: str) -> str:
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


def _private_config(private_root: Path, db_path: Path) -> Any:
    """The course's own configuration, read from the shipped file, pointed at the private copy."""
    from traitlets.config import Config

    from autograder.build import course_config

    config = course_config(private_root)
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


def grade_payload(bundle: CourseBundle, job: Job) -> dict[str, Any]:
    """Grade one submission in a private course made from the payload; return status, scores, bytes."""
    start = time.monotonic()
    if bundle.fingerprint != fingerprint():
        return {
            "status": "failed",
            "stale": True,
            "reason": "the grading process failed: this worker's course package or nbgrader differs from the "
            "coordinator's (update the worker's clone to the coordinator's commit, run `make .venv/.installed` "
            "there, and restart the worker)",
        }
    with tempfile.TemporaryDirectory(prefix=f"course-grade-{job.student}-") as scratch:
        result = _grade_in(Path(scratch), bundle, job)
    result["seconds"] = round(time.monotonic() - start, 2)
    return result


def _grade_in(private_root: Path, bundle: CourseBundle, job: Job) -> dict[str, Any]:
    from nbgrader.api import Gradebook
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    from autograder.build import error_collecting_logger

    lab, student = bundle.lab, job.student
    submitted = private_root / SUBMITTED_DIR / student / lab
    unpack(job.submission, submitted)
    reason = precheck(submitted, lab)
    if reason:
        return {"status": "failed", "reason": reason}
    (private_root / "nbgrader_config.py").write_bytes(bundle.config)
    unpack(bundle.source, private_root / SOURCE_DIR / lab)
    db_path = private_root / "autograder" / "gradebook.db"
    db_path.write_bytes(bundle.gradebook)

    config = _private_config(private_root, db_path)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = lab
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

    with Gradebook(f"sqlite:///{db_path}") as gradebook:
        notebook = gradebook.find_submission_notebook(lab, lab, student)
        scores = {g.name: [g.score, g.max_score] for g in notebook.grades}
    autograded = private_root / AUTOGRADED_DIR / student / lab
    flag, notes = _grading_record(autograded / f"{lab}.ipynb")
    extra = sorted(p.name for p in submitted.glob("*.ipynb") if p.name != f"{lab}.ipynb")
    if extra:
        notes.append(f"not graded, not part of the lab: {', '.join(extra)}")
    return {"status": "graded", "autograded": pack(autograded), "scores": scores, "flag": flag, "notes": notes}


def _grading_record(path: Path) -> tuple[str, list[str]]:
    """The flag (outside checks disagreed) and incident notes written into an autograded notebook."""
    from autograder.guarded import incidents
    from autograder.notebooks import read_notebook
    from autograder.verify.preprocessor import flag_reason

    nb = read_notebook(path)
    notes = [f"{i.get('grade_id') or 'cell ' + str(i['cell'] + 1)}: {i['reason']}" for i in incidents(nb)]
    return flag_reason(nb), notes


def save_autograded(data: bytes, target: Path) -> None:
    """Replace ``target`` with the autograded folder from a grader, never leaving it half-written."""
    staging = target.with_name(target.name + ".incoming")
    if staging.exists():
        shutil.rmtree(staging)
    unpack(data, staging)
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
