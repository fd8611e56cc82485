"""nbgrader settings for this course, read by every nbgrader command run from this folder.

Layout (see README): sources in autograder/source/, releases in labs/, grading folders and
the gradebook under autograder/. Paths are anchored to this file, so the commands work
with no flags from the repository root.
"""

import os
import sys
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    Execute,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)

from autograder.feedback import ConcealHiddenTests, RubricSummary
from autograder.plugins import StderrIsNotFailure

c = get_config()  # noqa: F821 - injected by traitlets when it loads this file

here = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "fastapi-production"
c.CourseDirectory.root = str(here)
c.CourseDirectory.source_directory = "autograder/source"
c.CourseDirectory.release_directory = "labs"
c.CourseDirectory.submitted_directory = "autograder/submitted"
c.CourseDirectory.autograded_directory = "autograder/autograded"
c.CourseDirectory.feedback_directory = "autograder/feedback"
c.CourseDirectory.solution_directory = "autograder/nbgrader_solution"
# The gradebook: a SQLite file beside the course, unless COURSE_DB_URL names another database,
# e.g. postgresql://grader:PASSWORD@db.example.org:5432/fastapi_course, shared by several
# instructors and the formgrader at once (README: "A shared PostgreSQL gradebook").
c.CourseDirectory.db_url = os.environ.get("COURSE_DB_URL") or f"sqlite:///{here / 'autograder' / 'gradebook.db'}"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "*.db", "*.sqlite"]

# Hundreds of submissions: one runaway cell must not hold up the class.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True

# Learners delete test cells; put them back instead of losing their points silently.
c.OverwriteCells.add_missing_cells = True

# Only a failed check or an error loses points; stderr (logging, warnings) does not.
c.Autograde.autograde_preprocessors = [
    Execute,
    IgnorePattern,
    StderrIsNotFailure,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]

# Feedback opens with points by checklist item and never shows hidden test code.
c.GenerateFeedback.preprocessors = [GetGrades, ConcealHiddenTests, RubricSummary, CSSHTMLHeaderPreprocessor]

# nbgrader runs a bare `alembic` when it creates or upgrades the gradebook.
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
