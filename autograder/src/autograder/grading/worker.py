"""One submission's grading, in a grader: bytes in, a typed result out.

:func:`grade_payload` unpacks the bundle and the job into a private course in a temporary
folder, runs nbgrader's own ``Autograde`` there with the course's configuration (loaded from
the shipped ``nbgrader_config.py``, so whatever the course configures, e.g. how kernels are
launched, applies on every worker), and returns a :mod:`result <autograder.grading.results>`:
the autograded folder as bytes with the per-cell scores, or why it could not be graded. The
local pool and the cluster both call it: there is one grading code path.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from autograder.grading.bundle import CourseBundle, Job, fingerprint, pack, unpack
from autograder.grading.results import Graded, MachineryFailed, Result, SubmissionFailed
from autograder.layout import Lab, Layout


class StaleGrader(MachineryFailed):
    """This grader runs other code than the coordinator: a fresh process (or an updated worker) is needed."""


def precheck(folder: Path, lab_name: str) -> str:
    """Why nbgrader could not grade this submission as it is, stated so a person can act on it; "" if it can."""
    import nbformat

    from labkit.notebooks import structure_problem

    notebook = folder / f"{lab_name}.ipynb"
    if not notebook.is_file():
        others = sorted(p.name for p in folder.glob("*.ipynb"))
        found = f" (found: {', '.join(others)})" if others else " (the folder has no notebook)"
        return f"missing notebook {notebook.name}{found}"
    text = notebook.read_text(encoding="utf-8", errors="replace")
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return f"invalid notebook: JSON broken at line {exc.lineno}, column {exc.colno} ({exc.msg})"
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for bad structure
        return f"not a Jupyter notebook: {str(exc)[:200]}"
    return structure_problem(nb)


# Steps of the course's autograde pipeline that record rather than grade: the coordinator does
# them, with the same nbgrader rules, into the real gradebook (autograder.grading.recorder).
RECORDING_STEPS = {"SaveAutoGrades", "AssignLatePenalties", "FlagForReview"}


def _private_config(private_root: Path, db_path: Path, layout: Layout, settings: dict[str, Any]) -> Any:
    """The course's own configuration, read from the shipped file, pointed at the private copy.

    Its grading steps run here as configured; its recording steps are left to the coordinator.
    """
    from traitlets.config import Config

    from autograder.config import load_config

    config = load_config(private_root)
    steps = config.Autograde.autograde_preprocessors
    config.Autograde.autograde_preprocessors = [step for step in steps if step.__name__ not in RECORDING_STEPS]
    config.merge(
        Config(
            {
                "CourseDirectory": {
                    "root": str(private_root),
                    "db_url": f"sqlite:///{db_path}",
                    "autograded_directory": str(layout.autograded),
                },
                "NbGrader": {"logfile": ""},
                "Autograde": {"force": True},
                **settings,
            }
        )
    )
    return config


def grade_payload(bundle: CourseBundle, job: Job, warm: bool = False) -> Result:
    """Grade one submission in a private course made from the payload.

    ``warm``: fork its kernel from this process's warm sandbox (:class:`autograder.sandbox.Zygote`),
    which a long-lived grading process keeps from one submission to the next.
    """
    start = time.monotonic()
    if bundle.fingerprint != fingerprint():
        return StaleGrader(
            "this grader's course code or nbgrader differs from the coordinator's (update the worker's clone to "
            "the coordinator's commit, run `make .venv/.installed` there, and restart the worker)"
        )
    with tempfile.TemporaryDirectory(prefix=f"course-grade-{job.student}-") as scratch:
        result = _grade_in(Path(scratch), bundle, job, warm)
    return replace(result, seconds=round(time.monotonic() - start, 2))


def _grade_in(private_root: Path, bundle: CourseBundle, job: Job, warm: bool) -> Result:
    """Grade in a private course; with ``warm``, the submission's working copy lives in the zygote's scratch.

    Only that copy, nbgrader's autograded folder of this one submission, is inside the
    sandbox; the private course with the lab's source and gradebook stays outside it.
    """
    if not warm:
        return _grade(private_root, bundle, job, Layout(), {})
    from autograder.sandbox import warm_zygote

    work = Path(tempfile.mkdtemp(prefix="job-", dir=warm_zygote().scratch))
    try:
        layout = Layout(autograded=work / "autograded")
        settings = {"SandboxedKernelManager": {"warm": True}}
        return _grade(private_root, bundle, job, layout, settings)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _grade(private_root: Path, bundle: CourseBundle, job: Job, layout: Layout, settings: dict[str, Any]) -> Result:
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    from autograder.nbgrader_log import error_collecting_logger

    lab, student = bundle.lab, job.student
    private = Lab(private_root, lab, layout)
    submitted = private.submitted(student)
    unpack(job.submission, submitted)
    reason = precheck(submitted, lab)
    if reason:
        return SubmissionFailed(reason)
    (private_root / "nbgrader_config.py").write_bytes(bundle.config)
    unpack(bundle.source, private.source_folder)
    if bundle.checks:
        private.checks.parent.mkdir(parents=True, exist_ok=True)
        private.checks.write_bytes(bundle.checks)
    db_path = private_root / "autograder" / "gradebook.db"
    db_path.write_bytes(bundle.gradebook)

    config = _private_config(private_root, db_path, layout, settings)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = lab
    coursedir.student_id = student
    log, errors = error_collecting_logger(f"course.grade.{student}")
    converter = Autograde(coursedir=coursedir, config=config, log=log)
    try:
        converter.start()
    except Exception as exc:  # the submission passed precheck: what is left is ours (nbgrader logged why)
        detail = next((e for e in errors if "Traceback" not in e and "Please see" not in e), "") or str(exc)
        return MachineryFailed(f"nbgrader could not grade it: {detail[:300]}")

    autograded = private.autograded(student)
    graded = _grading_record(autograded / f"{lab}.ipynb", pack(autograded))
    extra = sorted(p.name for p in submitted.glob("*.ipynb") if p.name != f"{lab}.ipynb")
    if extra:
        graded = replace(graded, notes=(*graded.notes, f"not graded, not part of the lab: {', '.join(extra)}"))
    return graded


def _grading_record(path: Path, autograded: bytes) -> Graded:
    """The result: each cell's points by nbgrader's rule (what the coordinator will record), and
    what grading wrote into the autograded notebook: incidents, the outside checks' verdict."""
    from nbgrader.utils import determine_grade, is_grade

    from autograder.plugins.flag_for_review import review_reasons
    from labkit.notebooks import grade_id, read_notebook
    from labkit.recovery import ENVIRONMENT, incidents

    nb = read_notebook(path)
    scores = {grade_id(cell) or "": determine_grade(cell) for cell in nb.cells if is_grade(cell)}
    happened = incidents(nb)
    notes = tuple(f"{i.grade_id or 'cell ' + str(i.cell + 1)}: {i.reason}" for i in happened)
    environment = next((i.reason for i in happened if i.kind == ENVIRONMENT), "")
    flag = "; ".join(review_reasons(nb))
    return Graded(scores, autograded, flag=flag, notes=notes, environment_fault=environment)
