"""Outside checks for lab 00: every task is an HTTP behaviour, so every task is verified.

Each check re-checks, over HTTP, what its test cell checks in the kernel, and no more than
the task text asks. The ``seed`` target is the grader's own: it sets ``NOTES`` (the given
in-memory store) so that each check starts from a known state without depending on another
task's route (reading a note must not need a working create).
"""

from __future__ import annotations

from typing import Any

PRELUDE = """
def _seed_app():
    from fastapi import FastAPI

    seeder = FastAPI()

    @seeder.put("/notes")
    def _put_notes(notes: dict[int, str]) -> None:
        NOTES.clear()
        NOTES.update({note_id: {"id": note_id, "text": text} for note_id, text in notes.items()})

    return seeder
"""
TARGETS = {"app": "app", "seed": "_seed_app()"}
MAX_ID = 2_147_483_647


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def _seed(clients: dict[str, Any], notes: dict[int, str]) -> None:
    response = clients["seed"].put("/notes", json={str(k): v for k, v in notes.items()})
    _expect(response.status_code == 200, f"the grader could not set NOTES ({response.status_code})")


def health(clients: dict[str, Any]) -> None:
    client = clients["app"]
    response = client.get("/api/v1/health")
    _expect(response.status_code == 200, f"GET /api/v1/health answered {response.status_code}, expected 200")
    _expect(response.json() == {"status": "ok"}, f"GET /api/v1/health returned {response.text[:100]}")
    _expect(client.post("/api/v1/health").status_code == 405, "POST /api/v1/health should be 405")


def create_note(clients: dict[str, Any]) -> None:
    client = clients["app"]
    _seed(clients, {})
    texts = ("checked from outside", "another", "a third")
    bodies = []
    for text in texts:
        response = client.post("/api/v1/notes", json={"text": text})
        _expect(response.status_code == 201, f"POST /api/v1/notes answered {response.status_code}, expected 201")
        bodies.append(response.json())
    expected = [{"id": n, "text": t} for n, t in enumerate(texts, start=1)]
    _expect(bodies == expected, f"three notes into an empty NOTES returned {bodies}, expected {expected}")
    for bad in ({}, {"text": 5}):
        answered = client.post("/api/v1/notes", json=bad).status_code
        _expect(answered == 422, f"POST /api/v1/notes with {bad} answered {answered}, expected 422")


def get_note(clients: dict[str, Any]) -> None:
    client = clients["app"]
    _seed(clients, {1: "read me", 7: "and me"})
    response = client.get("/api/v1/notes/7")
    _expect(response.status_code == 200, f"GET an existing note answered {response.status_code}, expected 200")
    _expect(response.json() == {"id": 7, "text": "and me"}, f"GET /api/v1/notes/7 returned {response.text[:100]}")
    missing = client.get("/api/v1/notes/987654")
    _expect(missing.status_code == 404, f"GET a missing note answered {missing.status_code}, expected 404")
    _expect(missing.json().get("detail") == "Note 987654 not found", f"the 404 detail is {missing.text[:100]}")
    for bad in ("not-a-number", "0", str(MAX_ID + 1)):
        answered = client.get(f"/api/v1/notes/{bad}").status_code
        _expect(answered == 422, f"GET /api/v1/notes/{bad} answered {answered}, expected 422")
    spec = client.get("/openapi.json").json()
    documented = spec["paths"].get("/api/v1/notes/{note_id}", {}).get("get", {}).get("responses", {})
    _expect("404" in documented, f"GET /api/v1/notes/{{note_id}} documents {sorted(documented)}, not its 404")


CHECKS = {
    "status-codes-health": health,
    "status-codes-create-note": create_note,
    "status-codes-get-note": get_note,
}
