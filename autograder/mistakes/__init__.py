"""The catalogue of typical mistakes: wrong variants of each lab's worked solution.

A mistake takes a lab's solution and changes one answer cell the way a learner plausibly
would get it wrong. Two users rely on the catalogue:

* the test suite grades every mistake with real nbgrader and asserts that the rubric items
  losing points are exactly ``{mistake.key}``: proof that the lab's checks can fail, and
  fail on the concept they claim to grade (the "mutant rule");
* ``course demo`` and the benchmark build their sample class from it.

Each lab's mistakes live in ``autograder/mistakes/<lab>.py`` as a list named ``MUTANTS``.
Every rubric item a lab grades needs at least one (a test enforces it).
"""

from __future__ import annotations

import hashlib
import importlib
import pkgutil
from dataclasses import dataclass

import nbformat


@dataclass(frozen=True)
class Mutant:
    lab: str
    key: str  # the rubric item that must lose points, and the only one
    cell: str  # grade id of the answer cell to change
    old: str  # text that must occur in that cell of the solution
    new: str  # what replaces it
    why: str  # the mistake, in a learner's terms

    @property
    def student(self) -> str:
        """A student id of its own: two mistakes in one cell must not overwrite each other."""
        digest = hashlib.sha256((self.old + "\0" + self.new).encode()).hexdigest()[:6]
        return f"mutant-{self.key}-{self.cell}-{digest}"


def apply_mutant(solution: nbformat.NotebookNode, mutant: Mutant) -> nbformat.NotebookNode:
    """A copy of ``solution`` with the mistake made; ValueError if its text is not there."""
    nb = nbformat.reads(nbformat.writes(solution), as_version=4)
    cells = [c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == mutant.cell]
    if not cells:
        raise ValueError(f"{mutant.lab}: no answer cell {mutant.cell!r} for the mistake {mutant.why!r}")
    if mutant.old not in cells[0].source:
        raise ValueError(f"{mutant.lab}/{mutant.cell}: the mistake's text is not in the solution: {mutant.old!r}")
    cells[0].source = cells[0].source.replace(mutant.old, mutant.new, 1)
    return nb


def _collect() -> list[Mutant]:
    found: list[Mutant] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        found += importlib.import_module(f"{__name__}.{module.name}").MUTANTS
    return found


MUTANTS: list[Mutant] = _collect()
