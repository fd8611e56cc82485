"""The test aids lab02 added to ``labkit.aids``: ``answered``, ``BodyWatch`` and ``drive``.

Each is shown doing its job, and failing (fast, with its message) on the broken code it is
meant to catch.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI, WebSocket
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from labkit.aids import BodyWatch, answered, drive

JSON = {"content-type": "application/json"}


def _app() -> FastAPI:
    app = FastAPI()

    @app.post("/echo")
    async def echo(payload: dict[str, Any]) -> dict[str, Any]:
        return payload

    @app.get("/broken")
    async def broken() -> dict[str, str]:
        raise TypeError("Object of type ValueError is not JSON serializable")

    return app


def test_answered_returns_the_response_when_the_app_answers():
    with TestClient(_app()) as client:
        response = answered(client, "POST", "/echo", "errors", json={"k": "v"})
    assert response.status_code == 200
    assert response.json() == {"k": "v"}


def test_answered_turns_an_escaped_exception_into_a_tagged_failure():
    with TestClient(_app()) as client, pytest.raises(AssertionError) as failure:
        answered(client, "GET", "/broken", "errors", likely="build each item yourself")
    message = str(failure.value)
    assert message.startswith("GET /broken raised TypeError: Object of type ValueError is not JSON serializable")
    assert message.endswith("; build each item yourself [errors]")
    assert isinstance(failure.value.__context__, TypeError)  # the original stays chained, for its traceback


def test_answered_refuses_an_unknown_rubric_item():
    with TestClient(_app()) as client, pytest.raises(ValueError, match="unknown rubric item"):
        answered(client, "GET", "/broken", "no-such-item")


class _Replaying:
    """Reads the whole body, then hands it on (correct)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        given = False

        async def replay() -> Any:
            nonlocal given
            if given:
                return await receive()
            given = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


class _Forgetful(_Replaying):
    """Reads the whole body and forgets to hand it on: under TestClient alone, the route waits forever."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        more = True
        while more:
            more = (await receive()).get("more_body", False)
        await self.app(scope, receive, send)


def _chunks(data: bytes, size: int = 4) -> Any:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def test_body_watch_counts_the_body_messages_of_a_correct_middleware():
    watch = BodyWatch(_Replaying(_app()))
    with TestClient(watch) as client:
        whole = client.post("/echo", json={"k": "v"})
        chunked = client.post(
            "/echo", content=_chunks(b'{"k": "chunked"}'), headers={"content-type": "application/json"}
        )
    assert (whole.status_code, whole.json()) == (200, {"k": "v"})
    assert (chunked.status_code, chunked.json()) == (200, {"k": "chunked"})
    assert [(r.path, r.asked_after_end) for r in watch.requests] == [("/echo", False), ("/echo", False)]
    # TestClient reads even a generator body whole and sends it in one message (without Content-Length)
    assert [r.body_messages for r in watch.requests] == [1, 1]


def test_body_watch_makes_a_forgotten_replay_fail_at_once_and_says_so():
    watch = BodyWatch(_Forgetful(_app()))
    with TestClient(watch) as client:
        response = client.post("/echo", json={"k": "v"})  # without BodyWatch, this call never returns
    assert response.status_code == 400  # FastAPI could not read the body: the client "went away"
    assert watch.requests[-1].asked_after_end


def test_body_watch_lets_other_scopes_through():
    started = []
    app = FastAPI()

    @app.get("/ping")
    async def ping() -> JSONResponse:
        return JSONResponse({"ok": True})

    app.router.on_startup.append(lambda: started.append(True))
    with TestClient(BodyWatch(app)) as client:
        assert client.get("/ping").json() == {"ok": True}
    assert started == [True]


def _body(*parts: bytes) -> list[dict[str, Any]]:
    return [{"type": "http.request", "body": part, "more_body": n < len(parts) - 1} for n, part in enumerate(parts)]


def test_drive_sends_a_body_in_chunks_and_reads_the_answer():
    exchange = drive(_Replaying(_app()), _body(b'{"k": ', b'"in ', b'pieces"}'), path="/echo", headers=JSON)
    assert exchange.status == 200
    assert exchange.headers["content-type"] == "application/json"
    assert exchange.body == b'{"k":"in pieces"}'
    assert exchange.types == ["http.response.start", "http.response.body"]
    assert exchange.unread == 0


def test_drive_counts_what_the_app_never_read():
    class Refusing:
        """Answers after the first chunk, as a body limit does."""

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            await receive()
            await JSONResponse({"too": "large"}, status_code=413)(scope, receive, send)

    exchange = drive(Refusing(), _body(b"a", b"b", b"c"))
    assert (exchange.status, exchange.unread) == (413, 2)


def test_drive_answers_a_disconnect_once_the_script_is_used_up():
    # The forgetful middleware read the whole body; the route's read gets the disconnect at once.
    exchange = drive(
        _Forgetful(_app()), _body(b'{"k": "v"}'), path="/echo", headers={"content-type": "application/json"}
    )
    assert exchange.status == 400


def test_drive_speaks_websocket_and_shows_what_was_never_sent():
    app = FastAPI()

    @app.websocket("/ws")
    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text(await websocket.receive_text())
        await websocket.close()

    script = [{"type": "websocket.connect"}, {"type": "websocket.receive", "text": "hi"}]
    exchange = drive(_Replaying(app), script, path="/ws", scope_type="websocket")
    assert exchange.types == ["websocket.accept", "websocket.send", "websocket.close"]
    assert exchange.sent[1]["text"] == "hi"
    assert exchange.status is None and exchange.headers == {} and exchange.body == b""
