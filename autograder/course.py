"""Where the course lives on disk, and which labs it has.

Every command works on a *course root*: the folder holding ``nbgrader_config.py`` and
``autograder/source/``. Commands find it from the working directory upwards, so they
work from any sub-folder of a clone and on temporary copies made by tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SOURCE_DIR = Path("autograder") / "source"
RELEASE_DIR = Path("labs")
SOLUTIONS_DIR = Path("solutions")


class CourseError(Exception):
    """A problem the user can fix; the message says how. The CLI prints it without a traceback."""


def find_root(start: Path | None = None) -> Path:
    """Return the nearest folder at or above ``start`` that holds a course."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file() and (folder / SOURCE_DIR).is_dir():
            return folder
    raise CourseError(
        f"No course found at or above {here}: expected nbgrader_config.py and {SOURCE_DIR}/. "
        "Run the command from inside your clone of the course repository."
    )


@dataclass(frozen=True)
class Lab:
    """One lab: its name and the three places its notebook lives."""

    root: Path
    name: str

    @property
    def source(self) -> Path:
        return self.root / SOURCE_DIR / self.name / f"{self.name}.ipynb"

    @property
    def release(self) -> Path:
        return self.root / RELEASE_DIR / self.name / f"{self.name}.ipynb"

    @property
    def solution(self) -> Path:
        return self.root / SOLUTIONS_DIR / self.name / f"{self.name}.ipynb"


def list_labs(root: Path) -> list[Lab]:
    """All labs of the course, in module order (their names start with labNN)."""
    source = root / SOURCE_DIR
    names = sorted(p.name for p in source.iterdir() if p.is_dir() and (p / f"{p.name}.ipynb").is_file())
    return [Lab(root, name) for name in names]


def get_lab(root: Path, name: str) -> Lab:
    """Find a lab by its full name or a unique prefix (``lab01`` finds ``lab01_api_design``)."""
    labs = list_labs(root)
    exact = [lab for lab in labs if lab.name == name]
    matches = exact or [lab for lab in labs if lab.name.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(lab.name for lab in labs) or "(none)"
    if not matches:
        raise CourseError(f"Unknown lab {name!r}. The labs are: {known}.")
    raise CourseError(f"{name!r} matches several labs: {', '.join(m.name for m in matches)}. Give the full name.")
