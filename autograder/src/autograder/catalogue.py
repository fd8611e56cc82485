"""The catalogues of each lab: realistic wrong answers, and correct answers written differently.

Both are variants of a lab's worked solution, kept as course data (one Python file a lab in
``autograder/mistakes/`` and ``autograder/alternatives/``, see :mod:`autograder.layout`),
and both are graded by the test suite with the course's real grading:

* a :class:`Mistake` changes one answer cell the way a learner plausibly gets it wrong,
  breaking one requirement of the task. It must lose points on its rubric key and keep every
  other key's points: proof that the lab's checks can fail, and fail on the concept they
  claim to grade;
* an :class:`Alternative` rewrites answer cells the way another correct learner would (sync
  instead of async, a different query, a dependency class instead of a function). It must
  keep full marks: proof that the checks test behaviour, not one way of writing it.

``course demo`` and the benchmark build their sample class from the mistakes.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import nbformat

from autograder.errors import CourseError


@dataclass(frozen=True)
class Mistake:
    lab: str
    key: str  # the rubric item that must lose points, and the only one
    cell: str  # grade id of the answer cell to change
    old: str  # text that must occur in that cell of the solution
    new: str  # what replaces it
    why: str  # the mistake, in a learner's terms
    requirement: str = ""  # the id of the requirement it breaks, in the lab source's inventory

    @property
    def student(self) -> str:
        """A student id of its own: two mistakes in one cell must not overwrite each other."""
        digest = hashlib.sha256((self.old + "\0" + self.new).encode()).hexdigest()[:6]
        return f"mistake-{self.key}-{self.cell}-{digest}"

    def apply(self, solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
        """A copy of ``solution`` with the mistake made; ValueError if its text is not there."""
        nb = _copy(solution)
        cell = _answer_cell(nb, self.lab, self.cell, self.why)
        if self.old not in cell.source:
            raise ValueError(f"{self.lab}/{self.cell}: the mistake's text is not in the solution: {self.old!r}")
        cell.source = cell.source.replace(self.old, self.new, 1)
        return nb


@dataclass(frozen=True)
class Alternative:
    lab: str
    name: str  # short and unique within the lab: it becomes a student id
    why: str  # how it differs from the worked solution, and why it is still right
    cells: dict[str, str] = field(default_factory=dict)  # answer cell grade id -> its whole new source

    @property
    def student(self) -> str:
        return f"alternative-{self.name}"

    def apply(self, solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
        """A copy of ``solution`` with the given answer cells rewritten."""
        nb = _copy(solution)
        for gid, source in self.cells.items():
            _answer_cell(nb, self.lab, gid, self.why).source = source
        return nb


def _copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return nbformat.reads(nbformat.writes(nb), as_version=4)


def _answer_cell(nb: nbformat.NotebookNode, lab: str, gid: str, why: str) -> nbformat.NotebookNode:
    cells = [c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == gid]
    if not cells:
        raise ValueError(f"{lab}: no answer cell {gid!r} for {why!r}")
    return cells[0]


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"course_catalogue.{path.parent.name}.{path.stem}", path)
    if spec is None or spec.loader is None:
        raise CourseError(f"Cannot load {path}: it is not a Python file.")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mistakes(folder: Path, lab: str | None = None) -> list[Mistake]:
    """The mistakes in ``folder`` (``autograder/mistakes``): each file's ``MISTAKES``, one lab or all."""
    return _entries(folder, "MISTAKES", lab)


def alternatives(folder: Path, lab: str | None = None) -> list[Alternative]:
    """The correct alternatives in ``folder`` (``autograder/alternatives``), one lab or all."""
    return _entries(folder, "ALTERNATIVES", lab)


def _entries(folder: Path, name: str, lab: str | None) -> list:
    if not folder.is_dir():
        return []
    files = sorted(folder.glob(f"{lab}.py" if lab else "lab*.py"))
    return [entry for path in files for entry in getattr(_load(path), name)]
