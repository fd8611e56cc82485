"""nbgrader settings for this course, read by every nbgrader command run from this folder.

Layout (see README and autograder/src/autograder/layout.py): sources in autograder/source/,
releases in labs/, grading folders and the gradebook under autograder/. Paths are anchored
to this file, so the commands work with no flags from the repository root.
"""

import os
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    Execute,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from autograder.plugins import (
    CheckSubmissionStructure,
    ConcealHiddenTests,
    FlagForReview,
    GuardedExecute,
    RerunIfSuspicious,
    RubricSummary,
    StderrIsNotFailure,
    VerifyOverHttp,
    make_validator_configurable,
)
from autograder.plugins.gradebook_version import use_in_process_schema_version
from autograder.plugins.rubric_summary import template_basedirs

c = get_config()  # noqa: F821 - injected by traitlets when it loads this file

here = Path(__file__).resolve().parent

# The course id names the course in nbgrader's exchange (<exchange root>/fastapi-production/):
# learners set the same id in their own nbgrader_config.py (README, "Releasing and collecting").
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

# nbgrader's exchange (release_assignment, collect, release_feedback; learners fetch and submit):
# a folder shared by every user of the machine. COURSE_EXCHANGE names it; unset, nbgrader's own
# default (/usr/local/share/nbgrader/exchange). The course's exchange classes (autograder.exchange)
# keep it world-writable with the sticky bit, and collected work writable by the instructor only.
if os.environ.get("COURSE_EXCHANGE"):
    c.Exchange.root = os.environ["COURSE_EXCHANGE"]
c.ExchangeFactory.release_assignment = "autograder.exchange.ReleaseAssignment"
c.ExchangeFactory.collect = "autograder.exchange.Collect"

# LMS bulk downloads (`course collect LAB ARCHIVE --roster ROSTER.csv`, or plain `nbgrader
# zip_collect LAB` keyed by LMS id): nbgrader's zip collection with the course's collector, one
# named-group regex per LMS, matched against the end of each file's path in the archive.
# Groups: name and lms_id (looked up in the roster), file_id (the notebook), late (optional).
c.ZipCollectApp.downloaded_directory = "autograder/downloaded"
c.ZipCollectApp.collector_plugin = "autograder.collect.LmsCollector"
c.LmsCollector.named_regexps = {
    # lastnamefirstname[_late]_<user id>_<attachment id>_<file as uploaded, "-1" added on re-upload>
    "canvas": r"(?:^|/)(?P<name>[^/_]+)(?P<late>_late)?_(?P<lms_id>\d+)_\d+_(?P<file_id>[^/]+?)(?:-\d+)?\.ipynb$",
    # "Firstname Lastname_<participant id>_assignsubmission_file_" then "/" (in folders) or the file
    "moodle": r"(?:^|/)(?P<name>[^/_]+)_(?P<lms_id>\d+)_assignsubmission_file_?[/_](?P<file_id>[^/]+)\.ipynb$",
}

# Hundreds of submissions: one runaway cell must not hold up the class.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True

# Learners delete test cells; put them back instead of losing their points silently.
c.OverwriteCells.add_missing_cells = True

# A copied cell or stripped metadata gets a reason a person can act on, not a KeyError.
c.Autograde.sanitize_preprocessors = [
    CheckSubmissionStructure,
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    OverwriteCells,
    CheckCellMetadata,
]

# Learner code runs in a sandbox (no course files, no network, limits), and a cell that
# hangs or kills the kernel costs that cell only: see autograder.sandbox and
# autograder.plugins.guarded_execute. Only a failed check or an error loses points; stderr
# (logging, warnings) does not. HTTP behaviour is checked again from outside the kernel, and
# code that could rewrite the checks gets the whole notebook run again without IPython.
c.Autograde.autograde_preprocessors = [
    GuardedExecute,
    IgnorePattern,
    StderrIsNotFailure,
    ClearMetadataPreprocessor,
    LimitOutput,
    VerifyOverHttp,
    RerunIfSuspicious,
    SaveAutoGrades,
    FlagForReview,
    AssignLatePenalties,
    CheckCellMetadata,
]
c.VerifyOverHttp.checks_directory = str(here / "autograder" / "checks")
# The grading record (incidents, outside checks) survives nbgrader's metadata cleaning.
c.ClearMetadataPreprocessor.preserve_nb_metadata_mask = {("language_info", "name"), "autograder"}

# The Validate button (and `nbgrader validate`) judges stderr as grading does: not a failure.
make_validator_configurable()
c.Validator.preprocessors = [CheckCellMetadata, ClearOutput, Execute, StderrIsNotFailure]

# Feedback opens with points by checklist item and never shows hidden test code; the course's
# page template (named "feedback" like nbgrader's, so Formgrader's button uses it too) names each
# task, colours passed and failed cells apart and shows manual points as pending.
c.GenerateFeedback.preprocessors = [GetGrades, ConcealHiddenTests, RubricSummary, CSSHTMLHeaderPreprocessor]
c.HTMLExporter.extra_template_basedirs = template_basedirs()  # the course's feedback, nbgrader's formgrade

# nbgrader stamps a new gradebook with its schema version by running a bare `alembic`, which
# fails unless the environment is activated; the plug-in reads the same version in-process.
use_in_process_schema_version()
