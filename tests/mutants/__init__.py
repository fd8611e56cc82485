"""Deliberately wrong submissions: each must lose points on exactly one rubric item.

A mutant takes a lab's worked solution and changes one answer cell the way a learner
plausibly would get it wrong. The grading tests autograde every mutant with real nbgrader
and assert that the rubric items losing points are exactly ``{mutant.key}``: proof that the
lab's checks can fail, and fail on the concept they claim to grade.

Each lab's mutants live in ``tests/mutants/<lab>.py`` as a list named ``MUTANTS``, so labs
can be written side by side. Every rubric item that a lab grades needs at least one mutant
(a test enforces it).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass


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
        return f"mutant-{self.key}-{self.cell}"


def _collect() -> list[Mutant]:
    found: list[Mutant] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        found += importlib.import_module(f"{__name__}.{module.name}").MUTANTS
    return found


MUTANTS: list[Mutant] = _collect()
