"""One submission's grading, in a grader: bytes in, a result out.

:func:`grade_payload` unpacks the bundle and the job into a private course in a temporary
folder, runs nbgrader's own ``Autograde`` there with the course's configuration (loaded from
the shipped ``nbgrader_config.py``, so whatever the course configures, e.g. how kernels are
launched, applies on every worker), and returns the autograded folder as bytes with the
per-cell scores. The local pool and the cluster both call it: there is one grading code path.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from autograder.grading.bundle import CourseBundle, Job, fingerprint, pack, unpack
from autograder.layout import Lab, Layout


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

    from autograder.config import load_config

    config = load_config(private_root)
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

    from autograder.nbgrader_log import error_collecting_logger

    lab, student = bundle.lab, job.student
    private = Lab(private_root, lab, Layout())
    submitted = private.submitted(student)
    unpack(job.submission, submitted)
    reason = precheck(submitted, lab)
    if reason:
        return {"status": "failed", "reason": reason}
    (private_root / "nbgrader_config.py").write_bytes(bundle.config)
    unpack(bundle.source, private.source_folder)
    if bundle.checks:
        private.checks.parent.mkdir(parents=True, exist_ok=True)
        private.checks.write_bytes(bundle.checks)
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
    autograded = private.autograded(student)
    flag, notes = _grading_record(autograded / f"{lab}.ipynb")
    extra = sorted(p.name for p in submitted.glob("*.ipynb") if p.name != f"{lab}.ipynb")
    if extra:
        notes.append(f"not graded, not part of the lab: {', '.join(extra)}")
    return {"status": "graded", "autograded": pack(autograded), "scores": scores, "flag": flag, "notes": notes}


def _grading_record(path: Path) -> tuple[str, list[str]]:
    """The flag (outside checks disagreed) and incident notes written into an autograded notebook."""
    from autograder.plugins.verify_over_http import flag_reason
    from labkit.notebooks import read_notebook
    from labkit.recovery import incidents

    nb = read_notebook(path)
    notes = [f"{i.grade_id or 'cell ' + str(i.cell + 1)}: {i.reason}" for i in incidents(nb)]
    return flag_reason(nb), notes
