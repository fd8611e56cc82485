"""nbgrader plug-ins, loaded by ``nbgrader_config.py`` for every nbgrader command.

nbgrader scores a test cell zero when it wrote anything to stderr. Correct answers do
that all the time: the rubric asks for logging, and libraries emit deprecation
warnings. In this course only a failed check or an error costs points, so stderr text
is relabelled as ordinary output after execution and before scoring; it stays visible.
"""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

# Lives with the scoring rule, which `course check` imports without nbgrader; kept importable here.
from autograder.scoring import relabel_stderr


class StderrIsNotFailure(NbGraderPreprocessor):
    """Keep stderr output from zeroing a test cell (see the module docstring)."""

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        relabel_stderr(cell)
        return cell, resources


class BrokenSubmission(ValueError):
    """A submission nbgrader cannot grade as it is, with what the learner should do about it."""


class CheckSubmissionStructure(NbGraderPreprocessor):
    """Say plainly why nbgrader is about to fail on a submission's structure.

    Run first among nbgrader's sanitizing steps. Without it a copied cell or a notebook
    whose metadata was stripped ends in a bare ``KeyError`` from deep inside nbgrader;
    with it, ``nbgrader autograde`` and ``course grade`` report a reason a person can act on.
    """

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        try:
            self._check(nb)
        except BrokenSubmission:
            _flag(resources)
            raise
        return nb, resources

    @staticmethod
    def _check(nb: NotebookNode) -> None:
        ids = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in nb.cells]
        named = [gid for gid in ids if gid]
        if not named:
            raise BrokenSubmission(
                "no cell carries nbgrader's grading metadata (it was stripped, e.g. by copying the cells into "
                "a new notebook): paste the answers into a fresh copy of the released lab and submit that"
            )
        copies = sorted({gid for gid in named if named.count(gid) > 1})
        if copies:
            raise BrokenSubmission(
                f"cells appear twice with the same grading id ({', '.join(copies)}), so nbgrader cannot tell "
                "which one to grade: delete the copies (or restore them from the released lab) and submit again"
            )


def _flag(resources: ResourcesDict) -> None:
    """Flag the submission in the gradebook, so its zero is never taken for an honest one."""
    from nbgrader.api import Gradebook, MissingEntry

    info = resources.get("nbgrader", {})
    if not {"db_url", "assignment", "notebook", "student"} <= set(info):
        return
    with Gradebook(info["db_url"]) as gradebook:
        try:
            notebook = gradebook.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
        except MissingEntry:
            return
        notebook.flagged = True
        gradebook.db.commit()


def make_validator_configurable() -> None:
    """Let ``c.Validator.preprocessors`` be set in ``nbgrader_config.py``.

    nbgrader's Validator (behind the Validate button in JupyterLab and ``nbgrader
    validate``) scores stderr as a failure, so a correct answer that logs was told it
    fails while ``course check`` and grading gave full marks. Its preprocessor list is the
    place to add :class:`StderrIsNotFailure`, but nbgrader 0.9.6 does not mark it
    configurable; this marks it, before the configuration that sets it is applied.
    """
    from nbgrader.validator import Validator

    Validator.class_traits()["preprocessors"].metadata["config"] = True
