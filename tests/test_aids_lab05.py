"""labkit.aids.ResponseRecorder: body messages recorded as the app sends them, with a probe read at that moment."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, StreamingResponse
from fastapi.testclient import TestClient

from labkit.aids import ResponseRecorder


class Source:
    """Rows produced on demand, counting how many were produced so far."""

    def __init__(self, count: int) -> None:
        self.count, self.produced = count, 0

    def __iter__(self):
        for n in range(self.count):
            self.produced += 1
            yield f"row {n}\n"


def export_app(source: Source, streamed: bool) -> FastAPI:
    app = FastAPI()

    @app.get("/export")
    async def export() -> StreamingResponse:
        if not streamed:  # the broken use: the whole body built before anything is sent
            return StreamingResponse(iter(["".join(source)]))

        async def lines() -> AsyncIterator[str]:
            for line in source:
                yield line

        return StreamingResponse(lines())

    return app


def test_each_chunk_is_recorded_with_the_probe_when_it_was_sent():
    source = Source(5)
    recorder = ResponseRecorder(export_app(source, streamed=True), probe=lambda: source.produced)
    with TestClient(recorder) as client:
        body = client.get("/export").text
    assert body == "".join(f"row {n}\n" for n in range(5))
    assert [sent.body for sent in recorder.bodies] == [f"row {n}\n".encode() for n in range(5)]
    assert [sent.probe for sent in recorder.bodies] == [1, 2, 3, 4, 5]  # not racing the client that read them


def test_a_body_built_before_sending_is_seen_as_one_chunk_after_every_row():
    source = Source(5)
    recorder = ResponseRecorder(export_app(source, streamed=False), probe=lambda: source.produced)
    with TestClient(recorder) as client:
        client.get("/export")
    assert [sent.probe for sent in recorder.bodies] == [5]
    assert not all(sent.probe <= index + 1 for index, sent in enumerate(recorder.bodies)), (
        "a lab's streaming check must fail here"
    )


def test_without_a_probe_and_with_a_lifespan():
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.greeting = "hello"
        yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/hi")
    async def hi(request: Request) -> PlainTextResponse:
        return PlainTextResponse(request.app.state.greeting)

    recorder = ResponseRecorder(app)
    with TestClient(recorder) as client:
        assert client.get("/hi").text == "hello"
    assert [(sent.body, sent.probe) for sent in recorder.bodies] == [(b"hello", None)]
