"""Where everything of a course lives on disk: the one place that names its folders.

A *course root* holds ``nbgrader_config.py``, the lessons (``course/``), the releases
(``labs/``), the worked solutions (``solutions/``) and the grading folder ``autograder/``,
which holds data only:

=============================  ================================================================
``autograder/src/``            the code: the ``autograder`` and ``labkit`` packages
``autograder/source/<lab>/``   each lab's one hand-edited source (solutions, hidden tests)
``autograder/checks/``         each lab's checks run from outside the learner's kernel
``autograder/mistakes/``       each lab's catalogue of realistic wrong answers
``autograder/alternatives/``   each lab's catalogue of correct answers written differently
``autograder/edition/``        the templates of the learner edition's own files (``course publish``)
``autograder/submitted/`` ...  nbgrader's working folders: submitted, autograded, feedback
``autograder/journal/``        ``course grade``'s record of finished submissions
``autograder/reports/``        ``course report`` and ``export`` output
``autograder/logs/``           one grading log per ``course grade`` run
``autograder/gradebook.db``    the gradebook, unless ``COURSE_DB_URL`` names another database
=============================  ================================================================

nbgrader's folders are its ``CourseDirectory`` settings in ``nbgrader_config.py``;
:meth:`Layout.from_config` reads them from the loaded configuration, so nbgrader and the
``course`` commands cannot disagree (a test checks the defaults here equal the file's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.errors import CourseError

GRADING = Path("autograder")
CONFIG_FILE = "nbgrader_config.py"


@dataclass(frozen=True)
class Layout:
    """Every folder of a course, relative to its root."""

    # nbgrader's own folders (CourseDirectory), as nbgrader_config.py sets them
    source: Path = GRADING / "source"
    release: Path = Path("labs")
    submitted: Path = GRADING / "submitted"
    autograded: Path = GRADING / "autograded"
    feedback: Path = GRADING / "feedback"
    # the course's own
    lessons: Path = Path("course")
    solutions: Path = Path("solutions")
    checks: Path = GRADING / "checks"
    mistakes: Path = GRADING / "mistakes"
    alternatives: Path = GRADING / "alternatives"
    edition: Path = GRADING / "edition"
    journal: Path = GRADING / "journal"
    reports: Path = GRADING / "reports"
    logs: Path = GRADING / "logs"

    @classmethod
    def from_config(cls, config: Any) -> Layout:
        """nbgrader's folders as the course's configuration sets them; the rest as above."""
        settings = config.get("CourseDirectory", {})
        nbgrader_folders = {
            name: Path(settings[f"{name}_directory"])
            for name in ("source", "release", "submitted", "autograded", "feedback")
            if f"{name}_directory" in settings
        }
        return cls(**nbgrader_folders)


@dataclass(frozen=True)
class Lab:
    """One lab of a course: its name, and where each of its files lives."""

    root: Path
    name: str
    layout: Layout = field(default_factory=Layout)

    def _notebook(self, folder: Path) -> Path:
        return self.root / folder / self.name / f"{self.name}.ipynb"

    @property
    def source(self) -> Path:
        return self._notebook(self.layout.source)

    @property
    def release(self) -> Path:
        return self._notebook(self.layout.release)

    @property
    def solution(self) -> Path:
        return self._notebook(self.layout.solutions)

    @property
    def source_folder(self) -> Path:
        return self.root / self.layout.source / self.name

    @property
    def checks(self) -> Path:
        """The outside checks' definitions (may not exist: not every lab has them)."""
        return self.root / self.layout.checks / f"{self.name}.py"

    @property
    def journal(self) -> Path:
        return self.root / self.layout.journal / f"{self.name}.json"

    def submitted(self, student: str) -> Path:
        return self.root / self.layout.submitted / student / self.name

    def autograded(self, student: str) -> Path:
        return self.root / self.layout.autograded / student / self.name

    def feedback(self, student: str) -> Path:
        return self.root / self.layout.feedback / student / self.name

    def report(self, suffix: str) -> Path:
        """``autograder/reports/<lab>.<suffix>``: the HTML report or the CSV export."""
        return self.root / self.layout.reports / f"{self.name}.{suffix}"


def find_root(start: Path | None = None) -> Path:
    """Return the nearest folder at or above ``start`` that holds a course.

    Commands find it from the working directory upwards, so they work from any sub-folder
    of a clone and on temporary copies made by tests.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file() and (folder / Layout.source).is_dir():
            return folder
    raise CourseError(
        f"No course found at or above {here}: expected {CONFIG_FILE} and {Layout.source}/. "
        "Run the command from inside your clone of the course repository."
    )


def list_labs(root: Path, layout: Layout | None = None) -> list[Lab]:
    """All labs of the course, in module order (their names start with labNN)."""
    layout = layout or Layout()
    source = root / layout.source
    names = sorted(p.name for p in source.iterdir() if p.is_dir() and (p / f"{p.name}.ipynb").is_file())
    return [Lab(root, name, layout) for name in names]


def get_lab(root: Path, name: str, layout: Layout | None = None) -> Lab:
    """Find a lab by its full name or a unique prefix (``lab01`` finds ``lab01_api_design``)."""
    labs = list_labs(root, layout)
    exact = [lab for lab in labs if lab.name == name]
    matches = exact or [lab for lab in labs if lab.name.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(lab.name for lab in labs) or "(none)"
    if not matches:
        raise CourseError(f"Unknown lab {name!r}. The labs are: {known}.")
    raise CourseError(f"{name!r} matches several labs: {', '.join(m.name for m in matches)}. Give the full name.")
