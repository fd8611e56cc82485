"""Correct answers to lab02_validation_errors written differently from the worked solution.

Each must keep full marks (see autograder.catalogue): the lab's tests check what a client or an
operator observes, not how the code is built.
"""

from autograder.catalogue import Alternative

LAB = "lab02_validation_errors"

REGISTRATION_ANNOTATED = '''from pydantic import StringConstraints

Username = Annotated[str, StringConstraints(min_length=3, max_length=30, pattern=r"^[a-z0-9_]+$")]
Password = Annotated[str, StringConstraints(min_length=8, max_length=128)]
DisplayName = Annotated[str, StringConstraints(min_length=1, max_length=50)]


class RegistrationIn(BaseModel):
    """Registration, with its constraints as reusable annotated types."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    username: Username
    password: Password
    password_confirm: Password
    display_name: DisplayName

    @field_validator("email", mode="after")
    @classmethod
    def lower_case(cls, value: str) -> str:
        """EmailStr has trimmed the address and lower-cased its domain; lower-case the rest."""
        return value.lower()

    @model_validator(mode="after")
    def confirm(self) -> "RegistrationIn":
        if self.password_confirm != self.password:
            raise ValueError("passwords do not match")
        return self
'''

PROFILE_ANNOTATED = '''from typing import Optional


class UserOut(BaseModel):
    """Extra keys of a stored row (its hash) are ignored, said explicitly."""

    model_config = ConfigDict(extra="ignore")

    id: int
    email: EmailStr
    username: str
    display_name: str
    bio: Optional[str]


class ProfileUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: Annotated[str, Field(min_length=1, max_length=50)] | MISSING = MISSING
    bio: Annotated[str, Field(max_length=500)] | None | MISSING = MISSING
'''

VALIDATION_LOOP = '''async def validation_error_handler(request: Request, exc: RequestValidationError) -> JSONResponse:
    """A plain loop, and the envelope built by hand."""
    items = []
    for error in exc.errors():
        source, *path = error["loc"]
        if error["type"] == "json_invalid":  # loc holds a character position, not a field
            path = []
        field = ".".join(str(part) for part in path) if path else str(source)
        items.append(ErrorItem(field=field, message=error["msg"], type=error["type"]))
    envelope = ErrorEnvelope(message="The request is invalid", errors=items)
    return JSONResponse(envelope.model_dump(mode="json"), status_code=422)
'''

HTTP_DIRECT = '''def http_error_handler(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """A sync handler (Starlette runs it in a thread), building the response itself."""
    envelope = ErrorEnvelope(message=f"{exc.detail}")
    return JSONResponse(envelope.model_dump(mode="json"), status_code=exc.status_code, headers=dict(exc.headers or {}))
'''

LOG_EXPLICIT = '''def log_unexpected_error(request: Request, exc: Exception) -> None:
    """The exception spelt out as the (type, value, traceback) triple logging also accepts."""
    logger.log(
        logging.ERROR,
        "%s while serving %s %s",
        exc.__class__.__name__,
        request.method,
        request.url.path,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
'''

CATCH_ALL_STATE = '''class CatchUnhandledErrors:
    """The catch-all with its state in a small object instead of a nonlocal flag."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        class Progress:
            started = False

        async def send_and_note(message: Message) -> None:
            if message["type"] == "http.response.start":
                Progress.started = True
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        except Exception as exc:
            log_unexpected_error(Request(scope, receive), exc)
            if Progress.started:
                raise
            body = ErrorEnvelope(message="Something went wrong on our side").model_dump(mode="json")
            await JSONResponse(body, status_code=500)(scope, receive, send)
'''

RULES_WALRUS = """def find_user_or_404(user_id: int) -> dict[str, Any]:
    if (row := store.get(user_id)) is not None:
        return row
    raise HTTPException(404, f"No User with id {user_id} exists")


def ensure_can_register(email: str, username: str) -> None:
    problems = [
        (username in RESERVED_USERNAMES, 400, "This username is reserved"),
        (store.by_email(email) is not None, 409, "This email is already registered"),
        (store.by_username(username) is not None, 409, "This username is already taken"),
    ]
    for applies, code, detail in problems:  # in order: the first that applies wins
        if applies:
            raise HTTPException(code, detail)
"""

ROUTES_HASH_FIRST = '''@router.post("", status_code=201, responses=REGISTRATION_ERRORS)
async def register_user(registration: RegistrationIn, request: Request, response: Response) -> Envelope[UserOut]:
    """Hash first, then check and add with nothing awaited in between; Location as an absolute URL."""
    password_hash = await hash_password(registration.password)
    ensure_can_register(registration.email, registration.username)
    row = store.add(
        email=registration.email,
        username=registration.username,
        password_hash=password_hash,
        display_name=registration.display_name,
    )
    response.headers["Location"] = str(request.url_for("get_user", user_id=row["id"]))
    return Envelope(data=UserOut.model_validate(row), message=f"Welcome, {row['display_name']}")


@router.get("/{user_id}", responses=NOT_FOUND)
async def get_user(user_id: int = Path(ge=1, le=MAX_ID)) -> Envelope[UserOut]:
    row = find_user_or_404(user_id)
    return Envelope(data=UserOut.model_validate(row), message="OK")
'''

PATCH_PLAIN_DUMP = '''@router.patch("/{user_id}", responses=NOT_FOUND)
async def update_profile(changes: ProfileUpdate, user_id: int = Path(ge=1, le=MAX_ID)) -> Envelope[UserOut]:
    """model_dump() leaves MISSING fields out by itself: the fields sent, null included."""
    find_user_or_404(user_id)
    return Envelope(data=UserOut.model_validate(store.update(user_id, changes.model_dump())), message="Saved")
'''

ROUTES_415 = '''from fastapi import Depends

UserId = Annotated[int, Path(ge=1, le=MAX_ID)]


async def require_json(request: Request) -> None:
    """415 unless the body is declared as JSON (the task accepts it beside FastAPI's 422)."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, detail="Send the body as application/json")


@router.post("", status_code=201, responses=REGISTRATION_ERRORS, dependencies=[Depends(require_json)])
async def register_user(registration: RegistrationIn, response: Response) -> Envelope[UserOut]:
    ensure_can_register(registration.email, registration.username)
    password_hash = await hash_password(registration.password)
    ensure_can_register(registration.email, registration.username)
    row = store.add(
        email=registration.email,
        username=registration.username,
        password_hash=password_hash,
        display_name=registration.display_name,
    )
    response.headers["Location"] = f"/api/v1/users/{row['id']}"
    return Envelope(data=UserOut.model_validate(row), message="User registered")


@router.get("/{user_id}", responses=NOT_FOUND)
async def get_user(user_id: UserId) -> Envelope[UserOut]:
    return Envelope(data=UserOut.model_validate(find_user_or_404(user_id)), message="User found")
'''

BODY_LIMIT_CHUNKS = '''import re


class BodySizeLimitMiddleware:
    """Chunks kept in a list, a running total, a regular expression for the header."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        if "content-length" in headers:
            if not re.fullmatch(r"[0-9]+", headers["content-length"]):
                return await error_response(400, "Invalid Content-Length header")(scope, receive, send)
            if int(headers["content-length"]) > self.max_bytes:
                return await self.refuse(scope, receive, send)
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.max_bytes:
                return await self.refuse(scope, receive, send)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        pending = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

        async def replay() -> Message:
            return pending.pop() if pending else await receive()

        return await self.app(scope, replay, send)

    async def refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        await error_response(413, f"Request body larger than {self.max_bytes} bytes")(scope, receive, send)
'''

CREATE_APP_CONSTRUCTOR = '''from starlette.middleware import Middleware


def create_app() -> FastAPI:
    """Everything given to the constructor; its middleware list runs outermost first."""
    application = FastAPI(
        title="Shop API",
        version="2.0.0",
        exception_handlers={
            RequestValidationError: validation_error_handler,
            StarletteHTTPException: http_error_handler,
        },
        middleware=[
            Middleware(NoSniffMiddleware),
            Middleware(BodySizeLimitMiddleware, max_bytes=MAX_BODY_BYTES),
            Middleware(CatchUnhandledErrors),
        ],
    )
    application.include_router(router)
    return application


app = create_app()
'''

ALTERNATIVES = [
    Alternative(
        LAB,
        "annotated-after-mode",
        "constraints as Annotated StringConstraints types, the email lower-cased in an after validator",
        cells={"answer-registration": REGISTRATION_ANNOTATED},
    ),
    Alternative(
        LAB,
        "annotated-update-model",
        "UserOut says extra='ignore' and Optional without a default; ProfileUpdate's limits inside Annotated",
        cells={"answer-profile": PROFILE_ANNOTATED},
    ),
    Alternative(
        LAB,
        "validation-loop",
        "the 422 built in a loop with its own message and JSONResponse, malformed JSON reported on body",
        cells={"answer-validation-handler": VALIDATION_LOOP},
    ),
    Alternative(
        LAB,
        "sync-http-handler",
        "a sync HTTPException handler building its response, the detail formatted with an f-string",
        cells={"answer-http-handler": HTTP_DIRECT},
    ),
    Alternative(
        LAB,
        "log-explicit-triple",
        "logger.log(ERROR) with another message and the exc_info triple spelt out",
        cells={"answer-log-error": LOG_EXPLICIT},
    ),
    Alternative(
        LAB,
        "catch-all-state-object",
        "the catch-all with its state in a small class, another generic message, JSONResponse by hand",
        cells={"answer-500-handler": CATCH_ALL_STATE},
    ),
    Alternative(
        LAB,
        "rules-table",
        "the rules as an ordered table, another 404 wording that still names the type and the id",
        cells={"answer-rules": RULES_WALRUS},
    ),
    Alternative(
        LAB,
        "hash-first-url-for",
        "hash first then one check (no await in between), an absolute Location from url_for, Path() defaults, "
        "and a PATCH whose plain model_dump() relies on MISSING fields being left out",
        cells={"answer-routes": ROUTES_HASH_FIRST, "answer-profile-route": PATCH_PLAIN_DUMP},
    ),
    Alternative(
        LAB,
        "json-only-415",
        "registration refuses a body not declared as JSON with its own 415 (Task 12 accepts it)",
        cells={"answer-routes": ROUTES_415},
    ),
    Alternative(
        LAB,
        "body-limit-chunk-list",
        "the body limit with a regex for the header, a list of chunks and a running total",
        cells={"answer-body-limit": BODY_LIMIT_CHUNKS},
    ),
    Alternative(
        LAB,
        "app-constructor",
        "handlers and middleware given to FastAPI's constructor (its list is outermost first)",
        cells={"answer-create-app": CREATE_APP_CONSTRUCTOR},
    ),
]
