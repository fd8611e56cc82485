"""Correct answers to lab00_warmup written differently from the worked solution (see autograder.catalogue)."""

from autograder.catalogue import Alternative

LAB = "lab00_warmup"

ALTERNATIVES = [
    Alternative(
        LAB,
        "sync-handlers",
        "plain def handlers instead of async def: FastAPI runs them in a worker thread, same answers",
        cells={
            "answer-health": '''app = FastAPI(title="Warm-up")


@app.get("/api/v1/health")
def health() -> dict[str, str]:
    """Report that the service is up."""
    return {"status": "ok"}
''',
            "answer-create-note": '''class NoteIn(BaseModel):
    text: str


@app.post("/api/v1/notes", status_code=201)
def create_note(note: NoteIn) -> dict:
    """Store a note; the bare 201 is the same code as status.HTTP_201_CREATED."""
    note_id = len(NOTES) + 1
    NOTES[note_id] = {"id": note_id, "text": note.text}
    return NOTES[note_id]
''',
            "answer-get-note": '''@app.get("/api/v1/notes/{note_id}", responses={404: {"description": "There is no note with this id."}})
def get_note(note_id: Annotated[int, Path(gt=0, lt=MAX_ID + 1)]) -> dict:
    """The same bounds written as gt/lt."""
    note = NOTES.get(note_id)
    if note is None:
        raise HTTPException(404, f"Note {note_id} not found")
    return note
''',
        },
    ),
    Alternative(
        LAB,
        "response-models",
        "response models for the note instead of plain dicts, and Field() on the input",
        cells={
            "answer-create-note": '''from pydantic import Field


class NoteIn(BaseModel):
    """What a client sends."""

    text: str = Field(description="The note's text.")


class NoteOut(BaseModel):
    """A stored note."""

    id: int
    text: str


@app.post("/api/v1/notes", status_code=status.HTTP_201_CREATED, response_model=NoteOut)
async def create_note(note: NoteIn) -> NoteOut:
    """Store a note and return it with its new id."""
    stored = NoteOut(id=max(NOTES, default=0) + 1, text=note.text)
    NOTES[stored.id] = stored.model_dump()
    return stored
''',
            "answer-get-note": '''NoteId = Annotated[int, Path(ge=1, le=MAX_ID, description="The note's id.")]


class NotFound(BaseModel):
    """The body of a 404."""

    detail: str


@app.get("/api/v1/notes/{note_id}", response_model=NoteOut, responses={404: {"model": NotFound}})
async def get_note(note_id: NoteId) -> NoteOut:
    """Return one note, or 404 naming the missing id."""
    try:
        return NoteOut(**NOTES[note_id])
    except KeyError:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=f"Note {note_id} not found") from None
''',
        },
    ),
    Alternative(
        LAB,
        "json-response-404",
        "the 404 returned as a JSONResponse instead of raised, with Path() as the default value",
        cells={
            "answer-get-note": '''from fastapi.responses import JSONResponse


@app.get("/api/v1/notes/{note_id}", response_model=None, responses={status.HTTP_404_NOT_FOUND: {"description": "No such note"}})
async def get_note(note_id: int = Path(ge=1, le=MAX_ID)) -> dict | JSONResponse:
    """Return one note, or a 404 response naming the missing id."""
    if note_id in NOTES:
        return NOTES[note_id]
    return JSONResponse({"detail": f"Note {note_id} not found"}, status_code=status.HTTP_404_NOT_FOUND)
''',
        },
    ),
    Alternative(
        LAB,
        "add-api-route",
        "routes registered with app.add_api_route instead of decorators",
        cells={
            "answer-health": '''app = FastAPI(title="Warm-up")


async def health() -> dict[str, str]:
    """Report that the service is up."""
    return {"status": "ok"}


app.add_api_route("/api/v1/health", health, methods=["GET"])
''',
            "answer-create-note": '''class NoteIn(BaseModel):
    text: str


async def create_note(note: NoteIn) -> dict:
    """Store a note and return it with its new id."""
    note_id = 1 if not NOTES else max(NOTES) + 1
    note_dict = {"id": note_id, "text": note.text}
    NOTES[note_id] = note_dict
    return note_dict


app.add_api_route("/api/v1/notes", create_note, methods=["POST"], status_code=status.HTTP_201_CREATED)
''',
            "answer-get-note": '''async def get_note(note_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> dict:
    """Return one note, or 404 naming the missing id."""
    if note_id not in NOTES:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Note {note_id} not found")
    return NOTES[note_id]


app.add_api_route("/api/v1/notes/{note_id}", get_note, methods=["GET"], responses={404: {"description": "Not found"}})
''',
        },
    ),
]
