"""Correct answers to lab03_security written differently from the worked solution (see autograder.catalogue).

Each must keep full marks: the lab's checks test behaviour, not one way of writing it.
"""

from autograder.catalogue import Alternative

LAB = "lab03_security"

VALIDATOR_SETTINGS = """import re

from pydantic import ValidationInfo

PLACEHOLDER = re.compile(r"change-?me|secret-key|your-secret|placeholder", re.IGNORECASE)
BOUNDS = {
    "access_token_minutes": (1, 60),
    "refresh_token_days": (1, 90),
    "login_max_failures": (1, 100),
    "login_max_failures_per_address": (1, 10_000),
    "login_window_seconds": (1, 86_400),
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_", env_file=".env", extra="ignore", hide_input_in_errors=True)

    secret_key: SecretStr
    allowed_origins: list[str] = []
    service_api_keys: dict[str, SecretStr] = {}
    access_token_minutes: int = 15
    refresh_token_days: int = 7
    login_max_failures: int = 5
    login_max_failures_per_address: int = 20
    login_window_seconds: int = 300

    @field_validator("secret_key")
    @classmethod
    def strong_key(cls, key: SecretStr) -> SecretStr:
        text = key.get_secret_value()
        if len(text.encode("utf-8")) < 32 or PLACEHOLDER.search(text):
            raise ValueError("needs 32 random bytes or more, not a placeholder")
        return key

    @field_validator("allowed_origins")
    @classmethod
    def no_wildcard(cls, origins: list[str]) -> list[str]:
        if any(origin == "*" for origin in origins):
            raise ValueError("name each origin")
        return origins

    @field_validator(*BOUNDS)
    @classmethod
    def in_range(cls, value: int, info: ValidationInfo) -> int:
        low, high = BOUNDS[info.field_name]
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high}")
        return value
"""

DATETIME_TOKENS = """ALGORITHM = "HS256"


def create_access_token(user: User, settings: Settings, issued_at: datetime) -> str:
    lifetime = timedelta(minutes=settings.access_token_minutes)
    claims = {"sub": f"{user.id}", "role": user.role, "type": "access",
              "iat": int(issued_at.timestamp()), "exp": int((issued_at + lifetime).timestamp())}
    return jwt.encode(claims, settings.secret_key.get_secret_value(), algorithm=ALGORITHM)


def create_refresh_token(user: User, settings: Settings, issued_at: datetime) -> str:
    jti = secrets.token_hex(16)
    lifetime = timedelta(days=settings.refresh_token_days)
    token = jwt.encode(
        {"sub": f"{user.id}", "type": "refresh", "jti": jti,
         "iat": int(issued_at.timestamp()), "exp": int((issued_at + lifetime).timestamp())},
        settings.secret_key.get_secret_value(),
        algorithm=ALGORITHM,
    )
    refresh_token_store.remember(jti, user.id)
    return token


def verify_token(token: str, key: str, expected_type: str, now: Callable[[], datetime]) -> dict[str, Any]:
    claims = jwt.decode(token, key, algorithms=[ALGORITHM],
                        options={"require": ["exp", "iat", "sub", "type"], "verify_exp": False, "verify_iat": False})
    try:
        issued = datetime.fromtimestamp(int(claims["iat"]), UTC)
        expires = datetime.fromtimestamp(int(claims["exp"]), UTC)
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        raise jwt.InvalidTokenError(f"bad time claim: {exc}") from None
    moment = now()
    if moment >= expires:
        raise jwt.ExpiredSignatureError("expired")
    if moment < issued:
        raise jwt.ImmatureSignatureError("issued in the future")
    if claims["type"] != expected_type:
        raise jwt.InvalidTokenError("wrong token type")
    return claims
"""

SYNC_LOGIN = '''class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int


def issue_tokens(user: User, settings: Settings, issued_at: datetime) -> TokenPair:
    return TokenPair(access_token=create_access_token(user, settings, issued_at),
                     refresh_token=create_refresh_token(user, settings, issued_at),
                     expires_in=60 * settings.access_token_minutes)


def credentials_error(message: str) -> HTTPException:
    return HTTPException(401, detail=message, headers={"WWW-Authenticate": "Bearer"})


auth_router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@auth_router.post("/token", responses={**UNAUTHORIZED, **INVALID, **TOO_MANY_ATTEMPTS})
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], settings: SettingsDep, clock: ClockDep) -> TokenPair:
    """A plain def handler: FastAPI runs it in a worker thread, so Argon2 does not block the loop."""
    user = authenticate(form.username, form.password)
    if not user:
        raise credentials_error("Wrong username or password")
    return issue_tokens(user, settings, clock())
'''

SYNC_REFRESH = """class RefreshRequest(BaseModel):
    refresh_token: str


@auth_router.post("/refresh", responses={**UNAUTHORIZED, **INVALID})
def refresh(body: RefreshRequest, settings: SettingsDep, clock: ClockDep) -> TokenPair:
    refused = credentials_error("Refresh token refused")
    try:
        claims = verify_token(body.refresh_token, settings.secret_key.get_secret_value(), "refresh", clock)
    except jwt.InvalidTokenError:
        raise refused from None
    if not claims["sub"].isdigit():
        raise refused
    owner = int(claims["sub"])
    if not refresh_token_store.use(claims.get("jti") or ""):
        refresh_token_store.revoke_user(owner)
        raise refused
    user = user_store.by_id(owner)
    if not user:
        raise refused
    return issue_tokens(user, settings, clock())
"""

HMAC_API_KEY = """from collections import Counter

api_key_header = APIKeyHeader(name="X-API-Key")


def require_service(key: Annotated[str, Security(api_key_header)], settings: SettingsDep) -> str:
    sent = key.encode("utf-8")
    matching = [name for name, expected in settings.service_api_keys.items()
                if hmac.compare_digest(expected.get_secret_value().encode("utf-8"), sent)]
    if not matching:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="Unknown service key", headers={"WWW-Authenticate": "APIKey"})
    return matching[0]


service_router = APIRouter(prefix="/api/v1/internal", tags=["internal"])


@service_router.get("/users/stats", responses=UNAUTHORIZED)
def stats(service: Annotated[str, Depends(require_service)]) -> Envelope[dict[str, int]]:
    roles = Counter(user.role for user in user_store.all())
    return Envelope[dict[str, int]](data={"customer": roles["customer"], "admin": roles["admin"]}, message="ok")
"""

CHUNKED_AVATAR = """MAX_AVATAR_BYTES = 64 * 1024
CHUNK = 16 * 1024


def detect_image(head: bytes) -> str | None:
    if head[:8] == b"\\x89PNG\\r\\n\\x1a\\n":
        return "image/png"
    if head[:3] == b"\\xff\\xd8\\xff":
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


class AvatarOut(BaseModel):
    media_type: str
    size: int


@users_router.put("/me/avatar", responses={**UNAUTHORIZED, **INVALID, 413: {"model": ErrorEnvelope}, 415: {"model": ErrorEnvelope}})
async def put_avatar(file: UploadFile, user: CurrentUser) -> Envelope[AvatarOut]:
    content = b""
    while len(content) <= MAX_AVATAR_BYTES:  # in chunks, never more than the limit plus one byte in all
        chunk = await file.read(min(CHUNK, MAX_AVATAR_BYTES + 1 - len(content)))
        if not chunk:
            break
        content += chunk
    if len(content) > MAX_AVATAR_BYTES:
        raise HTTPException(413, detail="Too large")
    kind = detect_image(content)
    if not kind:
        raise HTTPException(415, detail="Not an image we accept")
    avatar_store[user.id] = (kind, content)
    return Envelope[AvatarOut](data=AvatarOut(media_type=kind, size=len(content)), message="saved")
"""

ASGI_HEADERS = '''from starlette.datastructures import MutableHeaders

STRICT = "default-src 'none'; frame-ancestors 'none'"
BROWSER_DEFENCES = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


class SecurityHeaders:
    """A pure ASGI middleware: adds the headers to the start message of every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = {**BROWSER_DEFENCES, "Content-Security-Policy": DOCS_CSP if scope["path"] in DOCS_PATHS else STRICT}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    if name not in headers:
                        headers.append(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def add_security_headers(app: FastAPI) -> None:
    app.add_middleware(SecurityHeaders)
'''

WINDOW_THROTTLE = """class LoginThrottle(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp, *, path: str, store: FailureStore, max_failures: int,
                 max_failures_per_address: int, window_seconds: int,
                 clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(app)
        self.path, self.store, self.clock = path, store, clock
        self.limits = (("user", max_failures), ("ip", max_failures_per_address))
        self.window_seconds = window_seconds

    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if (request.method, request.url.path) != ("POST", self.path):
            return await call_next(request)
        await request.body()
        form = await request.form()
        who = {"user": str(form.get("username") or ""), "ip": request.client.host if request.client else ""}
        now = self.clock()
        window = timedelta(seconds=self.window_seconds)
        start = now - window
        waits = [0]
        for kind, limit in self.limits:
            counted = [moment for moment in await self.store.times(f"{kind}|{who[kind]}") if moment > start]
            if len(counted) >= limit:
                waits.append(ceil((counted[0] - start).total_seconds()))
        if max(waits) > 0:
            return error_response(429, "Slow down: too many failed logins", headers={"Retry-After": f"{max(waits)}"})
        answer = await call_next(request)
        if answer.status_code == 401:
            for kind, _ in self.limits:
                await self.store.add(f"{kind}|{who[kind]}", now, window)
        return answer
"""

MIDDLEWARE_LIST_FACTORY = """from starlette.middleware import Middleware


def create_app(settings: Settings, clock: Callable[[], datetime] = utc_now, failure_store: FailureStore | None = None) -> FastAPI:
    store = failure_store or MemoryFailureStore()
    app = FastAPI(
        title="Shop API",
        middleware=[  # this list is outermost first: the throttle, then the crash catcher closest to the routes
            Middleware(LoginThrottle, path="/api/v1/auth/token", store=store,
                       max_failures=settings.login_max_failures,
                       max_failures_per_address=settings.login_max_failures_per_address,
                       window_seconds=settings.login_window_seconds, clock=clock),
            Middleware(CatchUnhandledErrors, logger=error_logger),
        ],
    )
    app.state.settings, app.state.clock = settings, clock
    install_error_handlers(app)
    for router in (auth_router, users_router, admin_router, service_router):
        app.include_router(router)
    add_security_headers(app)  # add_middleware puts these outside the list above
    add_cors(app, settings)
    return app
"""

ALTERNATIVES = [
    Alternative(
        LAB,
        "validator-bounds",
        "bounds and checks in field validators instead of Field(ge=, le=)",
        {"answer-settings": VALIDATOR_SETTINGS},
    ),
    Alternative(
        LAB,
        "datetime-verifier",
        "int timestamps signed, token_hex ids, the time compared as datetimes",
        {"answer-tokens": DATETIME_TOKENS},
    ),
    Alternative(
        LAB,
        "sync-handlers",
        "plain def login and refresh handlers (FastAPI runs them in a worker thread)",
        {"answer-login": SYNC_LOGIN, "answer-refresh": SYNC_REFRESH},
    ),
    Alternative(
        LAB,
        "hmac-api-key",
        "hmac.compare_digest over every key, a Counter for the statistics",
        {"answer-api-key": HMAC_API_KEY},
    ),
    Alternative(
        LAB,
        "chunked-avatar",
        "the upload read in chunks, never more than the limit plus one byte",
        {"answer-avatar": CHUNKED_AVATAR},
    ),
    Alternative(
        LAB,
        "asgi-headers",
        "a pure ASGI middleware class instead of @app.middleware('http')",
        {"answer-headers": ASGI_HEADERS},
    ),
    Alternative(
        LAB,
        "window-start-throttle",
        "other keys, the window as a start time, the refusal written inline",
        {"answer-throttle": WINDOW_THROTTLE},
    ),
    Alternative(
        LAB,
        "middleware-list-factory",
        "FastAPI(middleware=[...]) for the inner layers, outermost first",
        {"answer-app": MIDDLEWARE_LIST_FACTORY},
    ),
]
