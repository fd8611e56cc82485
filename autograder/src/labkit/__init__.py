"""The learner's side of the course: what lab cells import, and what ``course check`` runs.

This package holds nothing a learner may not see (no lab sources, hidden tests, solutions
or mistakes), so it ships in the learner edition and grading kernels may import it.

- this module: the helpers lab test cells import (``from labkit import expect, ...``), so
  every failure message has the same useful shape;
- :mod:`labkit.rubric`: the rubric, the one copy of the standard's checklist;
- :mod:`labkit.notebooks`, :mod:`labkit.scoring`: reading notebooks, nbgrader's scoring rule;
- :mod:`labkit.kernel`: starting a kernel fast;
- :mod:`labkit.check`: ``course check``; :mod:`labkit.cli`: the learner edition's ``course`` command.
- :mod:`labkit.diagnosis`: each task's root cause (not started, blocked by an earlier task,
  failed), shared by ``course check`` and the feedback page;
- :mod:`labkit.aids`: test aids for races, order, time, logs and failure paths;
- :mod:`labkit.recovery`: the one recovery layer (interrupt, restart, replay) of check and grading.

A failing check says what was sent, what came back, what was expected, and which rubric
item it serves, e.g. ``POST /api/v1/products returned 200, expected 201 Created [status-codes]``.
"""

from __future__ import annotations

import sys
from http import HTTPStatus
from typing import Any, Protocol

from labkit.rubric import RUBRIC

# What a test cell that passed says under itself in JupyterLab: otherwise it prints nothing,
# and a learner cannot tell a cell that passed from one that was never run.
PASSED_MESSAGE = (
    "Visible checks passed. Grading also runs hidden checks of the same task; "
    "`course check` runs the visible ones on your saved notebook."
)


class HttpResponse(Protocol):
    """What the helpers read from a response. TestClient returns ``httpx2.Response`` objects
    (Starlette 1.x), which are not ``HttpResponse`` instances, so no concrete class is named."""

    status_code: int
    text: str
    request: Any

    def json(self) -> Any: ...


_BODY_PREVIEW = 200
# Python 3.11's HTTPStatus still uses the names RFC 9110 retired; say what the course teaches.
_PHRASES = {413: "Content Too Large", 422: "Unprocessable Content"}


def sent(response: HttpResponse) -> str:
    """``METHOD /path?query`` of the request that produced ``response``."""
    request = response.request
    target = request.url.path + (f"?{request.url.query.decode()}" if request.url.query else "")
    return f"{request.method} {target}"


def body_preview(response: HttpResponse) -> str:
    text = response.text
    return text if len(text) <= _BODY_PREVIEW else text[:_BODY_PREVIEW] + "..."


class _CellWatch:
    """Says, under a cell that ran labkit checks and finished without an error, that they passed.

    It hooks into IPython (the kernel JupyterLab and grading run cells in), and only once a
    check ran, so a process without IPython (the grader's re-run, plain Python) is untouched.
    The message goes to stdout, which never changes a cell's points.
    """

    def __init__(self) -> None:
        self.checks = 0  # labkit checks run by the current cell
        self.shell: Any = None

    def saw_check(self) -> None:
        self.checks += 1
        if self.shell is None:
            self._attach()

    def _attach(self) -> None:
        ipython = sys.modules.get("IPython")  # not loaded: not in a kernel, and importing it would cost 0.3 s
        shell = ipython.get_ipython() if ipython is not None else None
        if shell is None or not hasattr(shell, "events"):
            return
        self.shell = shell
        shell.events.register("pre_run_cell", self._before)
        shell.events.register("post_run_cell", self._after)

    def _before(self, info: Any = None) -> None:
        self.checks = 0

    def _after(self, result: Any = None) -> None:
        ran, self.checks = self.checks, 0
        if ran and getattr(result, "success", False):
            print(PASSED_MESSAGE)


_watch = _CellWatch()


def _tag(item: str) -> str:
    if item not in RUBRIC:
        raise ValueError(f"unknown rubric item {item!r}; known: {', '.join(RUBRIC)}")
    return f"[{item}]"


def expect_status(response: HttpResponse, expected: int, item: str) -> None:
    """Fail unless ``response`` has the ``expected`` status code."""
    _watch.saw_check()
    if response.status_code != expected:
        phrase = _PHRASES.get(expected) or HTTPStatus(expected).phrase
        raise AssertionError(
            f"{sent(response)} returned {response.status_code} (body: {body_preview(response)}), "
            f"expected {expected} {phrase} {_tag(item)}"
        )


def expect(condition: Any, message: str, item: str) -> None:
    """Fail with ``message`` and the rubric tag unless ``condition`` holds."""
    _watch.saw_check()
    if not condition:
        raise AssertionError(f"{message} {_tag(item)}")


def expect_json(response: HttpResponse, item: str) -> Any:
    """Return the JSON body, failing clearly when the response is not JSON."""
    _watch.saw_check()
    try:
        return response.json()
    except ValueError:
        raise AssertionError(
            f"{sent(response)} returned a body that is not JSON: {body_preview(response)!r} {_tag(item)}"
        ) from None
