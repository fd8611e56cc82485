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


def relabel_stderr(cell: NotebookNode) -> None:
    """Turn stderr stream outputs of a code cell into stdout outputs, in place."""
    if cell.cell_type != "code":
        return
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            output["name"] = "stdout"


class StderrIsNotFailure(NbGraderPreprocessor):
    """Keep stderr output from zeroing a test cell (see the module docstring)."""

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        relabel_stderr(cell)
        return cell, resources


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
