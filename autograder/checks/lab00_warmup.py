"""Outside checks for lab 00: every task is an HTTP behaviour, so every task is verified."""

from __future__ import annotations

from typing import Any

TARGETS = {"app": "app"}


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def health(clients: dict[str, Any]) -> None:
    client = clients["app"]
    response = client.get("/api/v1/health")
    _expect(response.status_code == 200, f"GET /api/v1/health answered {response.status_code}, expected 200")
    _expect(response.json() == {"status": "ok"}, f"GET /api/v1/health returned {response.text[:100]}")
    _expect(client.post("/api/v1/health").status_code == 405, "POST /api/v1/health should be 405")


def create_note(clients: dict[str, Any]) -> None:
    client = clients["app"]
    first = client.post("/api/v1/notes", json={"text": "checked from outside"})
    _expect(first.status_code == 201, f"POST /api/v1/notes answered {first.status_code}, expected 201")
    _expect(first.json().get("text") == "checked from outside", "POST /api/v1/notes did not return the note")
    second = client.post("/api/v1/notes", json={"text": "another"})
    _expect(second.status_code == 201 and second.json().get("id") != first.json().get("id"), "two notes, one id")
    _expect(client.post("/api/v1/notes", json={}).status_code == 422, "POST /api/v1/notes with {} should be 422")


def get_note(clients: dict[str, Any]) -> None:
    client = clients["app"]
    created = client.post("/api/v1/notes", json={"text": "read me"}).json()
    response = client.get(f"/api/v1/notes/{created['id']}")
    _expect(response.status_code == 200, f"GET an existing note answered {response.status_code}, expected 200")
    missing = client.get("/api/v1/notes/987654")
    _expect(missing.status_code == 404, f"GET a missing note answered {missing.status_code}, expected 404")
    _expect("987654" in str(missing.json().get("detail")), "the 404 detail does not name the missing note")
    _expect(client.get("/api/v1/notes/not-a-number").status_code == 422, "a non-integer id should be 422")


CHECKS = {
    "status-codes-health": health,
    "status-codes-create-note": create_note,
    "status-codes-get-note": get_note,
}
