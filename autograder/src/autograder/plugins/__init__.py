"""nbgrader plug-ins, one a module, loaded by ``nbgrader_config.py`` for every nbgrader command.

=============================  =========================================================
:class:`CheckSubmissionStructure`  a broken submission gets a reason, not a ``KeyError``
:class:`GuardedExecute`        learner code in a sandbox; runaway cells cost that cell only
:class:`StderrIsNotFailure`    logging and warnings never cost points
:class:`VerifyOverHttp`        HTTP behaviour checked again from outside the kernel
:class:`RerunIfSuspicious`     code that could rewrite the checks: checked again without IPython
:class:`FlagForReview`         the submission flagged when a score is not an honest grade
:class:`ConcealHiddenTests`    feedback never shows hidden tests
:class:`RubricSummary`         feedback opens with the points by checklist item
:func:`make_validator_configurable`  the Validate button judges as grading does
=============================  =========================================================
"""

from autograder.plugins.conceal_hidden_tests import ConcealHiddenTests
from autograder.plugins.flag_for_review import FlagForReview
from autograder.plugins.guarded_execute import GuardedExecute
from autograder.plugins.rerun_if_suspicious import RerunIfSuspicious
from autograder.plugins.rubric_summary import RubricSummary
from autograder.plugins.stderr import StderrIsNotFailure
from autograder.plugins.structure import BrokenSubmission, CheckSubmissionStructure
from autograder.plugins.validator import make_validator_configurable
from autograder.plugins.verify_over_http import VerifyOverHttp

__all__ = [
    "BrokenSubmission",
    "CheckSubmissionStructure",
    "ConcealHiddenTests",
    "FlagForReview",
    "GuardedExecute",
    "RerunIfSuspicious",
    "RubricSummary",
    "StderrIsNotFailure",
    "VerifyOverHttp",
    "make_validator_configurable",
]
