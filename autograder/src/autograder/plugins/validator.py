"""Let the Validate button judge a notebook as grading does."""

from __future__ import annotations


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
