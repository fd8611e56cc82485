"""Test aids for the requirements that are easy to leave untested: races, order, time, logs, failures.

Hidden tests use these so that each check is a few lines, the same in every lab (see the
course's assessment standard). Each aid observes what a client or an operator could
observe, never how the learner's code is built:

- :func:`concurrently`: simultaneous requests to the app, for transactions and races;
- :class:`Clock`: an injected clock that tests move by hand, for windows, TTLs and expiry;
- :class:`Events`: a shared, ordered record of what happened, for "before", "after", "then";
- :func:`captured_logs`: the log records a logger emitted, for "logged" and "never logged";
- :func:`raising`: make one callable fail with a chosen exception, for failure paths.
- :func:`spying`: record every call of a function and still run it, for "not called" and "off the loop";
- :func:`answered`: a request that must be answered, with a hint naming the likely cause if it is not;
- :class:`BodyWatch`: how an app read request bodies, for limits enforced while reading;
- :func:`drive`: one raw ASGI exchange, for disconnects and malformed framing;
- :class:`ResponseRecorder`: each body message an app sent and when, for streaming.

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


def answered(client: Any, method: str, url: str, item: str, *, likely: str = "", **kwargs: Any) -> Any:
    """``client.request(method, url, **kwargs)``, as a failed check when the app raised instead of answering.

    TestClient re-raises into the test an exception the app let escape (a handler that crashed,
    a function that is not defined yet), where it would stop the cell with no rubric tag and no
    word of the request. This turns it into a failed check naming the request, the exception,
    and ``likely``, the probable cause when the test knows it.
    """
    from labkit import expect

    try:
        return client.request(method, url, **kwargs)
    except Exception as exc:  # the app's own failure, whatever its type
        cause = f"; {likely}" if likely else ""
        raised = f"{type(exc).__name__}: {exc}"
        expect(False, f"{method} {url} raised {raised} inside the app instead of answering{cause}", item)
        raise  # not reached: expect() raised


@dataclass
class BodyRead:
    """What :class:`BodyWatch` saw of one HTTP request."""

    path: str
    body_messages: int = 0  # how many ``http.request`` messages the app took from ``receive``
    asked_after_end: bool = False  # the app asked for more once the whole body had been delivered


class BodyWatch:
    """An ASGI wrapper that makes a body read twice fail at once, where a server would hang.

    Wrap the app under test (``TestClient(BodyWatch(app))``). For each HTTP request it records
    in ``requests`` a :class:`BodyRead`: how many body messages the app took, and whether it
    asked for more after the last one. That late call is answered ``http.disconnect`` at once
    (what a client that went away sends), where TestClient and real servers wait for the
    response to finish. So a middleware that read the body and forgot to hand it on makes the
    route fail within the request, with ``asked_after_end`` saying why, instead of hanging
    the cell until its timeout. Not for streamed responses, which listen for a disconnect.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.requests: list[BodyRead] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen = BodyRead(scope["path"])
        self.requests.append(seen)
        ended = False

        async def watched() -> Any:
            nonlocal ended
            if ended:
                seen.asked_after_end = True
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen.body_messages += 1
                ended = not message.get("more_body", False)
            return message

        await self.app(scope, watched, send)


@dataclass
class Exchange:
    """What an ASGI app sent during :func:`drive`, in order, with the HTTP answer read out of it."""

    sent: list[dict[str, Any]]
    unread: int = 0  # scripted messages the app never asked for

    @property
    def types(self) -> list[str]:
        return [message["type"] for message in self.sent]

    @property
    def status(self) -> int | None:
        """The HTTP status the app answered, or None if it never started a response."""
        starts = [m for m in self.sent if m["type"] == "http.response.start"]
        return starts[0]["status"] if starts else None

    @property
    def headers(self) -> dict[str, str]:
        starts = [m for m in self.sent if m["type"] == "http.response.start"]
        return (
            {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in starts[0].get("headers", [])}
            if starts
            else {}
        )

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.sent if m["type"] == "http.response.body")


def drive(
    app: Any,
    messages: Sequence[dict[str, Any]],
    *,
    method: str = "POST",
    path: str = "/",
    headers: dict[str, str] | None = None,
    scope_type: str = "http",
) -> Exchange:
    """Call the ASGI ``app`` once, ``receive`` giving ``messages`` in turn; what it sent.

    For what TestClient cannot send: a body in several chunks (TestClient reads even a
    generator whole and sends one message), a client that goes away halfway, a WebSocket
    conversation checked message by message. Once ``messages`` are used up, ``receive``
    answers a disconnect at once, so nothing waits. ``scope_type`` is ``"http"`` or
    ``"websocket"``. It runs on an event loop of its own, so it works in a notebook cell.
    ``Exchange.unread`` counts the messages the app never asked for (a limit that stopped
    reading early). Exceptions the app raises propagate.
    """
    from anyio.from_thread import start_blocking_portal

    scripted = list(messages)
    sent: list[dict[str, Any]] = []
    raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    scope: dict[str, Any] = {
        "type": scope_type,
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "scheme": "http" if scope_type == "http" else "ws",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": raw_headers,
        "client": ("testclient", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    if scope_type == "http":
        scope["method"] = method
    else:
        scope["subprotocols"] = []
    gone = {"type": "http.disconnect"} if scope_type == "http" else {"type": "websocket.disconnect", "code": 1000}

    async def receive() -> dict[str, Any]:
        return scripted.pop(0) if scripted else dict(gone)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    with start_blocking_portal() as portal:
        portal.call(app, scope, receive, send)
    return Exchange(sent, unread=len(scripted))


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


@dataclass
class Call:
    """One call that :func:`spying` saw: its arguments, where it ran, and what it returned."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    thread: str  # the name of the thread it ran in
    on_event_loop: bool  # True when an asyncio event loop was running in that thread (the code blocked it)
    result: Any = None  # what it returned (awaited, for a coroutine); None until it returns


@contextlib.contextmanager
def spying(owner: Any, attribute: str) -> Iterator[list[Call]]:
    """Record every call of ``owner.attribute`` inside the block, and still run it; yields the calls.

    Each :class:`Call` holds the arguments, the thread, and the result once it has returned
    (e.g. how many bytes each ``UploadFile.read`` gave the handler).

    For "not even called" (count them: a throttled login must not hash the password) and
    "not on the event loop" (``on_event_loop`` is read in the thread the call ran in, where
    the code runs, not in the notebook's). Works for plain and coroutine functions and
    methods alike (a method patched on its class still receives ``self`` first), and
    always restores the original.
    """
    import asyncio
    import functools
    import inspect

    original = getattr(owner, attribute)
    own = attribute in getattr(owner, "__dict__", {})  # else it comes from a class: restore by deleting
    calls: list[Call] = []
    lock = threading.Lock()

    def record(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Call:
        try:
            asyncio.get_running_loop()
            on_loop = True
        except RuntimeError:
            on_loop = False
        call = Call(args, dict(kwargs), threading.current_thread().name, on_loop)
        with lock:
            calls.append(call)  # recorded before it runs: a call that raises still counts
        return call

    if inspect.iscoroutinefunction(original):

        @functools.wraps(original)
        async def spy_async(*args: Any, **kwargs: Any) -> Any:
            call = record(args, kwargs)
            call.result = await original(*args, **kwargs)
            return call.result

        replacement: Callable[..., Any] = spy_async
    else:

        @functools.wraps(original)
        def spy(*args: Any, **kwargs: Any) -> Any:
            call = record(args, kwargs)
            call.result = original(*args, **kwargs)
            return call.result

        replacement = spy
    raw = getattr(owner, "__dict__", {}).get(attribute)
    if isinstance(raw, staticmethod | classmethod):
        replacement = staticmethod(replacement)  # `original` is already bound (classmethod) or plain (staticmethod)
    setattr(owner, attribute, replacement)
    try:
        yield calls
    finally:
        if own:
            setattr(owner, attribute, raw)
        else:
            delattr(owner, attribute)
