"""``course feedback``: nbgrader's feedback pages, with the course's own preprocessors.

What changes from nbgrader's pages is configured in ``nbgrader_config.py``
(:mod:`autograder.plugins.conceal_hidden_tests`, :mod:`autograder.plugins.rubric_summary`),
so plain ``nbgrader generate_feedback`` makes the same pages.
"""

from __future__ import annotations

import copy
from pathlib import Path

from autograder.config import Course
from autograder.layout import Lab


def generate_feedback(course: Course, lab: Lab, student_glob: str = "*") -> list[Path]:
    """Run nbgrader's GenerateFeedback with the course's configuration; return the HTML files."""
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    config = copy.deepcopy(course.config)
    config.merge(Config({"NbGrader": {"logfile": ""}, "GenerateFeedback": {"force": True}}))
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = lab.name
    coursedir.student_id = student_glob
    GenerateFeedback(coursedir=coursedir, config=config).start()
    return sorted((course.root / course.layout.feedback).glob(f"{student_glob}/{lab.name}/*.html"))
