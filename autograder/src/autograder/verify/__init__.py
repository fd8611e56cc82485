"""Checks run from outside the learner's kernel, against the learner's app served over HTTP.

A test cell runs inside the learner's kernel, where the learner's own code can replace
``TestClient``, rewrite later cells before they run, or patch the helpers the checks call.
For the behaviour a lab asks for that is observable over HTTP, the grader therefore also
serves the submission's app in a fresh sandboxed process (:mod:`.serve`) and runs the lab's
own checks against it from the grading process (:mod:`.runner`). The learner's code never
runs in the process that decides these checks.

A lab opts in with a file of course data, ``autograder/checks/<lab>.py`` (instructor-only,
like the hidden tests), that defines ``TARGETS`` (which apps to serve), optionally
``PRELUDE``, and ``CHECKS`` (test cell grade id -> check function). The nbgrader step
:class:`autograder.plugins.verify_over_http.VerifyOverHttp` applies them during
``nbgrader autograde`` (and so during ``course grade``).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
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


def lab_checks(path: Path) -> LabChecks | None:
    """The outside checks defined in ``path`` (``autograder/checks/<lab>.py``), or None without one."""
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location(f"course_checks.{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return LabChecks(
        lab=path.stem,
        targets=dict(module.TARGETS),
        checks=dict(module.CHECKS),
        prelude=getattr(module, "PRELUDE", ""),
        unverified=tuple(getattr(module, "UNVERIFIED", ())),
    )
