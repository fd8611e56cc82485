"""Say plainly why nbgrader is about to fail on a submission's structure.

Without this step a copied cell or a notebook whose metadata was stripped ends in a bare
``KeyError`` from deep inside nbgrader; with it, ``nbgrader autograde`` and ``course grade``
report a reason a person can act on, and the submission is flagged in the gradebook. The
rule itself is :func:`labkit.notebooks.structure_problem`, which ``course check`` applies
before a learner submits.
"""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.gradebook import flag_from_resources
from labkit.notebooks import structure_problem


class BrokenSubmission(ValueError):
    """A submission nbgrader cannot grade as it is, with what the learner should do about it."""


class CheckSubmissionStructure(NbGraderPreprocessor):
    """Run first among nbgrader's sanitizing steps: refuse, with a reason, what nbgrader would choke on."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        problem = structure_problem(nb)
        if problem:
            flag_from_resources(resources)
            raise BrokenSubmission(problem)
        return nb, resources
