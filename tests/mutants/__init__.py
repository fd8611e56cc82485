"""Transitional: mistakes of labs still being written, until they join autograder/mistakes.

The catalogue lives in :mod:`autograder.mistakes`; a lab in progress may keep its list here
as ``tests/mutants/<lab>.py`` (``MUTANTS = [...]``). Both are collected.
"""

from __future__ import annotations

import importlib
import pkgutil

from autograder.mistakes import MUTANTS as PACKAGED
from autograder.mistakes import Mutant, apply_mutant

__all__ = ["MUTANTS", "Mutant", "apply_mutant"]


def _collect() -> list[Mutant]:
    found: list[Mutant] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        found += importlib.import_module(f"{__name__}.{module.name}").MUTANTS
    return found


MUTANTS: list[Mutant] = PACKAGED + _collect()
