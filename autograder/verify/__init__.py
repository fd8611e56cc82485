"""Checks run from outside the learner's kernel, against the learner's app served over HTTP.

A test cell runs inside the learner's kernel, where the learner's own code can replace
``TestClient``, rewrite later cells before they run, or patch the helpers the checks call.
For the behaviour a lab asks for that is observable over HTTP, the grader therefore also
serves the submission's app in a fresh sandboxed process (:mod:`.serve`) and runs its own
checks against it from the grading process (:mod:`.runner`). The learner's code never runs
in the process that decides these checks.

A lab opts in with a module here named after it that defines ``TARGETS`` (which apps to
serve), optionally ``PRELUDE``, and ``CHECKS`` (test cell grade id -> check function); see
:mod:`.lab00_warmup` and :mod:`.lab01_api_design`. :class:`.preprocessor.VerifyOverHttp`
applies them during ``nbgrader autograde`` (and so during ``course grade``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

Check = Callable[[dict[str, Any]], None]
"""A check gets ``{target name: httpx.Client}`` and raises AssertionError with a message."""


@dataclass(frozen=True)
class LabChecks:
    lab: str
    targets: dict[str, str]
    checks: dict[str, Check]
    prelude: str = ""
    unverified: tuple[str, ...] = field(default_factory=tuple)


def lab_checks(lab: str) -> LabChecks | None:
    """The outside checks for ``lab``, or None when the lab has none."""
    try:
        module: ModuleType = importlib.import_module(f"{__name__}.{lab}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{__name__}.{lab}":
            return None
        raise
    return LabChecks(
        lab=lab,
        targets=dict(module.TARGETS),
        checks=dict(module.CHECKS),
        prelude=getattr(module, "PRELUDE", ""),
        unverified=tuple(getattr(module, "UNVERIFIED", ())),
    )
