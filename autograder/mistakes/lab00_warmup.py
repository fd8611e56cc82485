"""Realistic wrong answers for lab00_warmup (see autograder.catalogue): one or more per requirement."""

from autograder.catalogue import Mistake

LAB = "lab00_warmup"

# The first mistake is the sample class's typical one (autograder.sample_class) and the one the browser
# test types: creating a note answers 200 instead of 201 Created.
MISTAKES = [
    Mistake(
        LAB,
        "status-codes",
        "answer-create-note",
        '@app.post("/api/v1/notes", status_code=status.HTTP_201_CREATED)',
        '@app.post("/api/v1/notes")',
        "creating a note answers 200 instead of 201 Created",
        requirement="create-note-201",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-health",
        'return {"status": "ok"}',
        'return {"status": "healthy"}',
        'the health route answers {"status": "healthy"}, not the exact body the task fixes',
        requirement="health-ok",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-health",
        '@app.get("/api/v1/health")',
        '@app.api_route("/api/v1/health", methods=["GET", "POST"])',
        "the health route also accepts POST instead of answering it 405",
        requirement="health-get-only",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-create-note",
        "return NOTES[note_id]",
        'return {"id": note_id}',
        "creating a note answers only the new id, not the note",
        requirement="create-note-body",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-create-note",
        "note_id = max(NOTES, default=0) + 1",
        "note_id = len(NOTES)",
        "the first note gets id 0: the next id is counted from zero",
        requirement="create-note-ids",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-create-note",
        'NOTES[note_id] = {"id": note_id, "text": note.text}\n    return NOTES[note_id]',
        'NOTES[note_id] = note\n    return {"id": note_id, "text": note.text}',
        "NOTES receives the request model instead of the note dict",
        requirement="create-note-stored",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-create-note",
        "    text: str",
        '    text: str = ""',
        "text has a default, so a body without it creates an empty note instead of 422",
        requirement="create-note-422",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-get-note",
        "    return NOTES[note_id]",
        '    return {"note": NOTES[note_id]}',
        "reading a note wraps it in another object instead of answering the note",
        requirement="get-note-200",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-get-note",
        'if note_id not in NOTES:\n        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=f"Note {note_id} not found")\n'
        "    return NOTES[note_id]",
        "return NOTES.get(note_id)",
        "a missing note is not answered 404: the handler returns NOTES.get(note_id), None, and FastAPI fails on it",
        requirement="get-note-404",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-get-note",
        'detail=f"Note {note_id} not found"',
        'detail="Note not found"',
        "the 404 does not name the missing note",
        requirement="get-note-404-detail",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-get-note",
        "note_id: Annotated[int, Path(ge=1, le=MAX_ID)]",
        "note_id: int",
        "the id has no bounds: 0 and ids past MAX_ID reach the handler instead of 422",
        requirement="get-note-id-valid",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-get-note",
        '@app.get("/api/v1/notes/{note_id}", responses={404: {"description": "No note has this id"}})',
        '@app.get("/api/v1/notes/{note_id}")',
        "the 404 is raised but not declared, so the OpenAPI document does not list it",
        requirement="get-note-404-documented",
    ),
]
