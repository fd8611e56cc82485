"""nbgrader's stderr rule, changed: writing to stderr never costs a test cell its points.

nbgrader scores a test cell zero when it wrote anything to stderr. Correct answers do
that all the time: the rubric asks for logging, and libraries emit deprecation
warnings. In this course only a failed check or an error costs points, so stderr text
is relabelled as ordinary output after execution and before scoring; it stays visible.
"""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from labkit.scoring import relabel_stderr


class StderrIsNotFailure(NbGraderPreprocessor):
    """Keep stderr output from zeroing a test cell (see the module docstring)."""

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        relabel_stderr(cell)
        return cell, resources
