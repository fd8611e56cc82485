"""The nbgrader steps that apply a lab's outside checks (:mod:`autograder.verify`).

:class:`VerifyOverHttp` is placed just before ``SaveAutoGrades`` in ``nbgrader_config.py``. For each verified test
cell that passed in the learner's kernel but whose outside check failed, the cell's outputs
are replaced by an error naming the failed outside check, so nbgrader scores it zero (the
trusted result stands), and the disagreement is recorded in the notebook's metadata
(``autograder.verification``), which ``course grade`` turns into a flag and
:class:`~autograder.plugins.flag_for_review.FlagForReview` writes to the gradebook for plain
``nbgrader autograde``.
An outside check can only take points away: the in-kernel cell checks more than HTTP shows.
Like the re-run without IPython, it is paid for only by submissions whose own code could have
changed how the checks ran (:func:`autograder.verify.screen.screen_notebook`), unless
``always`` is set.
"""

from __future__ import annotations

from pathlib import Path

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import determine_grade
from traitlets import Bool, Unicode

from autograder.verify import lab_checks
from autograder.verify.runner import run_outside_checks
from autograder.verify.screen import screen_notebook
from labkit.notebooks import grade_id, is_autograded_test

ENAME = "CheckedFromOutside"


def verification(nb: NotebookNode) -> dict[str, dict]:
    """``{grade id: {"kernel": bool, "outside": bool | None, "message": str}}`` for verified cells.

    ``outside`` is None for a cell that failed in the kernel: it was not checked again.
    """
    return dict(nb.metadata.get("autograder", {}).get("verification", {}))


def disagreements(nb: NotebookNode) -> list[str]:
    """Grade ids whose cell passed in the kernel but failed the outside check."""
    return sorted(gid for gid, entry in verification(nb).items() if entry["kernel"] and entry["outside"] is False)


def flag_reason(nb: NotebookNode) -> str:
    tampered = disagreements(nb)
    if not tampered:
        return ""
    return (
        "passed in the learner's kernel but failed the same behaviour checked from outside "
        f"(outside result kept): {', '.join(tampered)}"
    )


def _passed(cell: NotebookNode) -> bool:
    score, max_score = determine_grade(cell)
    return bool(max_score) and (score or 0) >= max_score


class VerifyOverHttp(NbGraderPreprocessor):
    """Check HTTP behaviour from outside the kernel and let that result stand."""

    enabled = Bool(True, help="Run the labs' outside checks during autograde.").tag(config=True)
    always = Bool(False, help="Check every submission from outside, not only those the screen finds.").tag(config=True)
    checks_directory = Unicode(
        "", help="The folder of the labs' check definitions, <lab>.py each (the course's autograder/checks)."
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        lab = resources.get("nbgrader", {}).get("assignment")
        enabled = self.enabled and lab and self.checks_directory and (self.always or screen_notebook(nb))
        checks = lab_checks(Path(self.checks_directory) / f"{lab}.py") if enabled else None
        if checks is None:
            return nb, resources
        cells = [c.source for c in nb.cells if c.cell_type == "code" and not is_autograded_test(c)]
        tests = {grade_id(c): c for c in nb.cells if is_autograded_test(c) and grade_id(c) in checks.checks}
        # An outside check can only take points away, so a cell that failed in the kernel needs none:
        # an empty or struggling submission costs no server at all.
        passed = {gid for gid, cell in tests.items() if _passed(cell)}
        workdir = Path(resources.get("metadata", {}).get("path") or ".")
        results = run_outside_checks(checks, cells, workdir, only=passed)
        record: dict[str, dict] = {}
        for gid, cell in tests.items():
            if gid not in passed:
                record[gid] = {"kernel": False, "outside": None, "message": "not checked: failed in the kernel"}
                continue
            message = results[gid]
            record[gid] = {"kernel": True, "outside": not message, "message": message}
            if message:
                evalue = f"passed inside your kernel, but the same behaviour checked from outside it failed: {message}"
                cell.outputs = [
                    NotebookNode(output_type="error", ename=ENAME, evalue=evalue, traceback=[f"{ENAME}: {evalue}"])
                ]
                self.log.warning("%s: %s", gid, evalue)
        nb.metadata.setdefault("autograder", {})["verification"] = record
        return nb, resources
