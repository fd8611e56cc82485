"""Flag a submission in the gradebook when its score is not an honest grade, under plain nbgrader.

``course grade`` flags these itself (:mod:`autograder.grading.recorder`); this step, placed
after ``SaveAutoGrades`` in ``nbgrader_config.py``, does the same for ``nbgrader autograde``:

- the outside checks disagreed with the kernel (:mod:`autograder.plugins.verify_over_http`);
- a check passed in the kernel but failed when run again without IPython
  (:mod:`autograder.plugins.rerun_if_suspicious`);
- the lab's given code failed (:mod:`labkit.recovery`): before any answer ran, the grading
  environment is at fault, never the learner; after answers ran, a person should look.
"""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.gradebook import flag_from_resources
from autograder.plugins.rerun_if_suspicious import rerun_disagreements
from autograder.plugins.verify_over_http import flag_reason
from labkit.recovery import ENVIRONMENT, GIVEN_FAILED, incidents


def review_reasons(nb: NotebookNode) -> list[str]:
    """Why an instructor should look at this autograded notebook; empty when its score stands as it is."""
    given = [i.reason for i in incidents(nb) if i.kind in (ENVIRONMENT, GIVEN_FAILED)]
    rerun = rerun_disagreements(nb)
    again = (
        f"passed in the learner's kernel but failed when run again without IPython (clean result kept): "
        f"{', '.join(sorted(rerun))}"
        if rerun
        else ""
    )
    return [reason for reason in (flag_reason(nb), again, *given) if reason]


class FlagForReview(NbGraderPreprocessor):
    """Flag the submission in the gradebook when :func:`review_reasons` finds any."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        reasons = review_reasons(nb)
        if reasons:
            flag_from_resources(resources)
            self.log.warning("Flagged for review: %s", "; ".join(reasons))
        return nb, resources
