"""The learner's side of the course: what lab cells import, and what ``course check`` runs.

This package holds nothing a learner may not see (no lab sources, hidden tests, solutions
or mistakes), so it ships in the learner edition and grading kernels may import it.

- this module: the helpers lab test cells import (``from labkit import expect, ...``), so
  every failure message has the same useful shape;
- :mod:`labkit.rubric`: the rubric, the one copy of the standard's checklist;
- :mod:`labkit.notebooks`, :mod:`labkit.scoring`: reading notebooks, nbgrader's scoring rule;
- :mod:`labkit.kernel`: starting a kernel fast;
- :mod:`labkit.check`: ``course check``.

A failing check says what was sent, what came back, what was expected, and which rubric
item it serves, e.g. ``POST /api/v1/products returned 200, expected 201 Created [status-codes]``.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, Protocol

from labkit.rubric import RUBRIC


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


def _tag(item: str) -> str:
    if item not in RUBRIC:
        raise ValueError(f"unknown rubric item {item!r}; known: {', '.join(RUBRIC)}")
    return f"[{item}]"


def expect_status(response: HttpResponse, expected: int, item: str) -> None:
    """Fail unless ``response`` has the ``expected`` status code."""
    if response.status_code != expected:
        phrase = _PHRASES.get(expected) or HTTPStatus(expected).phrase
        raise AssertionError(
            f"{sent(response)} returned {response.status_code} (body: {body_preview(response)}), "
            f"expected {expected} {phrase} {_tag(item)}"
        )


def expect(condition: Any, message: str, item: str) -> None:
    """Fail with ``message`` and the rubric tag unless ``condition`` holds."""
    if not condition:
        raise AssertionError(f"{message} {_tag(item)}")


def expect_json(response: HttpResponse, item: str) -> Any:
    """Return the JSON body, failing clearly when the response is not JSON."""
    try:
        return response.json()
    except ValueError:
        raise AssertionError(
            f"{sent(response)} returned a body that is not JSON: {body_preview(response)!r} {_tag(item)}"
        ) from None
