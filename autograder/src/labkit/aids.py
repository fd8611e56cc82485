"""Test aids for the requirements that are easy to leave untested: races, order, time, logs, failures.

Hidden tests use these so that each check is a few lines, the same in every lab (see the
course's assessment standard). Each aid observes what a client or an operator could
observe, never how the learner's code is built:

- :func:`concurrently`: simultaneous requests to the app, for transactions and races;
- :class:`Clock`: an injected clock that tests move by hand, for windows, TTLs and expiry;
- :class:`Events`: a shared, ordered record of what happened, for "before", "after", "then";
- :func:`captured_logs`: the log records a logger emitted, for "logged" and "never logged";
- :func:`raising`: make one callable fail with a chosen exception, for failure paths.

They run inside the learner's kernel (and the grader's), so they import nothing beyond the
standard library and what every lab already uses.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Request:
    """One request for :func:`concurrently`: what ``client.request`` takes."""

    method: str
    url: str
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)


def concurrently(client: Any, requests: Sequence[Request]) -> list[Any]:
    """Send ``requests`` to the app of an open ``TestClient`` all at once; responses in order.

    The requests run as concurrent tasks on the client's own event loop (the loop the app's
    lifespan ran on, so engines and pools made there work), through an ASGI transport, and
    all start before any finishes waiting on I/O: what a burst of real clients does. Use it
    inside ``with TestClient(app) as client:``.
    """
    import asyncio

    import httpx2

    portal = getattr(client, "portal", None)
    if portal is None:
        raise RuntimeError("concurrently() needs an open client: use it inside `with TestClient(app) as client:`")

    async def send_all() -> list[Any]:
        transport = httpx2.ASGITransport(app=client.app)
        async with httpx2.AsyncClient(transport=transport, base_url=str(client.base_url)) as http:
            calls = [
                http.request(
                    request.method,
                    request.url,
                    json=request.json,
                    headers={**dict(client.headers), **request.headers},
                    params=request.params,
                )
                for request in requests
            ]
            return list(await asyncio.gather(*calls))

    return portal.call(send_all)


class Clock:
    """A clock a test moves by hand: ``clock()`` is the time now, ``clock.advance(s)`` moves it on.

    Inject it wherever the task lets time be passed in (a ``now`` callable, a dependency),
    so windows and expiry are tested exactly at their edges, without sleeping.
    """

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Events:
    """An ordered record of named events, safe to append to from any thread or task.

    Wrap the steps whose order a task fixes so each one records itself, then compare
    positions: ``events.before("commit", "invalidate")``.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.names: list[str] = []

    def record(self, name: str) -> None:
        with self._lock:
            self.names.append(name)

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """``function`` that records ``name`` when it is called (awaited, for a coroutine function)."""
        import functools
        import inspect

        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def recorded_async(*args: Any, **kwargs: Any) -> Any:
                self.record(name)
                return await function(*args, **kwargs)

            return recorded_async

        @functools.wraps(function)
        def recorded(*args: Any, **kwargs: Any) -> Any:
            self.record(name)
            return function(*args, **kwargs)

        return recorded

    def before(self, first: str, then: str) -> bool:
        """True when ``first`` happened, ``then`` happened, and the first ``first`` came earlier."""
        return first in self.names and then in self.names and self.names.index(first) < self.names.index(then)


@contextlib.contextmanager
def captured_logs(name: str = "", level: int = logging.DEBUG) -> Iterator[list[logging.LogRecord]]:
    """The records logger ``name`` (and its children) emitted inside the block, in order.

    Records are kept as they are (level, message, ``exc_info``, extra fields), whatever
    handlers and formatters the learner's code installed.
    """
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger(name)
    handler, old_level = Keep(level), logger.level
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > level:
        logger.setLevel(level)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


@contextlib.contextmanager
def raising(owner: Any, attribute: str, error: BaseException) -> Iterator[list[Any]]:
    """Make ``owner.attribute`` raise ``error`` inside the block; yields the calls it received.

    Works for plain and coroutine functions and methods alike (a coroutine function is
    replaced by one that raises when awaited), and always restores the original.
    """
    import inspect

    original = getattr(owner, attribute)
    own = attribute in getattr(owner, "__dict__", {})  # else it comes from a class: restore by deleting
    calls: list[Any] = []

    if inspect.iscoroutinefunction(original):

        async def failing_async(*args: Any, **kwargs: Any) -> Any:
            calls.append((args, kwargs))
            raise error

        replacement: Callable[..., Any] = failing_async
    else:

        def failing(*args: Any, **kwargs: Any) -> Any:
            calls.append((args, kwargs))
            raise error

        replacement = failing
    setattr(owner, attribute, replacement)
    try:
        yield calls
    finally:
        if own:
            setattr(owner, attribute, original)
        else:
            delattr(owner, attribute)


@dataclass(frozen=True)
class SentBody:
    """One non-empty ``http.response.body`` message an app sent, and what the probe said then."""

    body: bytes
    probe: Any = None


class ResponseRecorder:
    """An ASGI app that serves ``app`` unchanged and records each response body message it sends.

    Streaming is observed where it happens: each body message is recorded the moment the app
    sends it, together with ``probe()`` at that moment (e.g. how many rows a source had
    produced), so a test can tell a stream from a body built first, without racing the client
    that reads it. ``TestClient(ResponseRecorder(app))`` runs the lifespan of ``app`` as usual.
    """

    def __init__(self, app: Any, probe: Callable[[], Any] | None = None) -> None:
        self.app = app
        self.probe = probe
        self.bodies: list[SentBody] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def recording(message: Any) -> None:
            if message["type"] == "http.response.body" and message.get("body"):
                self.bodies.append(SentBody(bytes(message["body"]), self.probe() if self.probe else None))
            await send(message)

        await self.app(scope, receive, recording)
