"""Check a submission again outside IPython when its code could have changed how the checks ran.

Placed after the outside checks and before ``SaveAutoGrades`` in ``nbgrader_config.py``,
for every lab. The submission's own cells are screened (:mod:`autograder.verify.screen`);
when the screen finds something, the whole notebook runs again, test cells included, in a
clean sandboxed process without IPython that refuses to run a check on a patched process
(:mod:`autograder.verify.rerun`). A test cell that passed in the kernel but fails there gets
an error naming what failed, so nbgrader scores it zero (the clean result stands), and the
disagreement is recorded (``autograder.rerun``) for :mod:`.flag_for_review`. A check can
only lose points here; an honest answer that trips the screen runs again and keeps them.
"""

from __future__ import annotations

from pathlib import Path

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import determine_grade
from traitlets import Bool, Float

from autograder.verify.runner import RerunCell, run_again
from autograder.verify.screen import screen_notebook
from labkit.notebooks import grade_id, is_autograded_test, is_given
from labkit.recovery import error_output

ENAME = "CheckedAgainWithoutIPython"
RECORD = "rerun"


def rerun_disagreements(nb: NotebookNode) -> dict[str, str]:
    """Test cells that passed in the kernel but failed when run again, with why."""
    return dict(nb.metadata.get("autograder", {}).get(RECORD, {}).get("disagreements", {}))


def _passed(cell: NotebookNode) -> bool:
    score, max_score = determine_grade(cell)
    return bool(max_score) and (score or 0) >= max_score


class RerunIfSuspicious(NbGraderPreprocessor):
    """Run a suspicious submission again without IPython and let the clean result stand."""

    enabled = Bool(True, help="Screen every submission, and run the suspicious ones again.").tag(config=True)
    always = Bool(False, help="Run every submission again, screened or not (to test the re-run itself).").tag(
        config=True
    )
    cell_timeout = Float(30.0, help="Seconds a cell may run in the re-run.").tag(config=True)
    total_timeout = Float(120.0, help="Seconds the whole re-run may take.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        if not self.enabled:
            return nb, resources
        code = [cell for cell in nb.cells if cell.cell_type == "code"]
        findings = screen_notebook(nb)
        passed = {grade_id(c): c for c in code if is_autograded_test(c) and _passed(c)}
        if not (findings or self.always) or not passed:
            return nb, resources
        cells = [
            RerunCell("test" if is_autograded_test(c) else "given" if is_given(c) else "learner", c.source, grade_id(c))
            for c in code
        ]
        workdir = Path(resources.get("metadata", {}).get("path") or ".")
        verdicts = run_again(cells, workdir, self.cell_timeout, self.total_timeout)
        disagreements = {gid: verdicts[gid] for gid in passed if verdicts.get(gid)}
        for gid, message in disagreements.items():
            evalue = f"passed inside your kernel, but failed when the notebook ran again without IPython: {message}"
            passed[gid].outputs = [error_output(ENAME, evalue)]
            self.log.warning("%s: %s", gid, evalue)
        nb.metadata.setdefault("autograder", {})[RECORD] = {"disagreements": disagreements}
        return nb, resources
