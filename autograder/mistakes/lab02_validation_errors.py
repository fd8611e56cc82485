"""Realistic wrong answers for lab02_validation_errors (see autograder.catalogue).

One or more per requirement of the lab's inventory (the ``# REQ`` lines of its source), each
the kind of answer a learner or a code assistant writes, breaking that requirement only.
"""

from autograder.catalogue import Mistake

LAB = "lab02_validation_errors"

# The register handler of the solution, from its signature to its return (see the models mutant).
REGISTER_FROM_SIGNATURE = """) -> Envelope[UserOut]:
    \"\"\"Create an account. 409 if the email or username is in use, 400 for a reserved username.\"\"\"
    ensure_can_register(registration.email, registration.username)  # refuse early, before paying for a hash
    password_hash = await hash_password(registration.password)
    # Other requests ran during that await: check again, and add with no await in between.
    ensure_can_register(registration.email, registration.username)
    row = store.add(
        email=registration.email,
        username=registration.username,
        password_hash=password_hash,
        display_name=registration.display_name,
    )
    response.headers["Location"] = f"{router.prefix}/{row['id']}"
    return Envelope(data=UserOut.model_validate(row), message="User registered")"""

BOTH_CHECKS = """    ensure_can_register(registration.email, registration.username)  # refuse early, before paying for a hash
    password_hash = await hash_password(registration.password)
    # Other requests ran during that await: check again, and add with no await in between.
    ensure_can_register(registration.email, registration.username)
"""

STORE_ADD = """    row = store.add(
        email=registration.email,
        username=registration.username,
        password_hash=password_hash,
        display_name=registration.display_name,
    )
"""

VALIDATION_BODY = """    errors = [
        ErrorItem(field=field_of(tuple(error["loc"])), message=error["msg"], type=error["type"])
        for error in exc.errors()
    ]
    return error_response(status.HTTP_422_UNPROCESSABLE_CONTENT, "Validation failed", errors)"""

RESERVED_RULE = """    if username in RESERVED_USERNAMES:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=f"The username '{username}' is reserved")
"""

EMAIL_RULE = """    if store.by_email(email) is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, detail="A user with this email already exists")
"""

COUNTING = """            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                await too_large(scope, receive, send)
                return
            more_body = message.get("more_body", False)
"""

MIDDLEWARE_ORDER = """    application.add_middleware(CatchUnhandledErrors)  # innermost: its 500 passes through the others
    application.add_middleware(BodySizeLimitMiddleware, max_bytes=MAX_BODY_BYTES)
    application.add_middleware(NoSniffMiddleware)  # outermost: on every answer, the 413 and the 500 too
"""

MISTAKES = [
    # Task 1: the registration model (models)
    Mistake(
        LAB,
        "models",
        "answer-registration",
        "return value.strip().lower() if isinstance(value, str) else value",
        "return value.strip() if isinstance(value, str) else value",
        "the email is trimmed but not lower-cased, so Ann@ and ann@ become two accounts",
        requirement="reg-email-normalised",
    ),
    Mistake(
        LAB,
        "models",
        "answer-registration",
        'email: EmailStr = Field(examples=["ann@example.com"])',
        'email: str = Field(examples=["ann@example.com"])',
        "the email is a plain str: normalised, but never checked to be an address",
        requirement="reg-email-valid",
    ),
    Mistake(
        LAB,
        "models",
        "answer-registration",
        "username: str = Field(min_length=3, max_length=30,",
        "username: str = Field(min_length=2, max_length=30,",
        "usernames may be 2 characters long (off by one)",
        requirement="reg-username-length",
    ),
    Mistake(
        LAB,
        "models",
        "answer-registration",
        "password: str = Field(min_length=8, max_length=128)",
        "password: str = Field(min_length=6, max_length=128)",
        "passwords of 6 and 7 characters are accepted",
        requirement="reg-password-min",
    ),
    Mistake(
        LAB,
        "models",
        "answer-registration",
        "password_confirm: str = Field(min_length=8, max_length=128)",
        "password_confirm: str",
        "password_confirm has no limits of its own, so an oversized one is only reported as a mismatch",
        requirement="reg-confirm-limits",
    ),
    Mistake(
        LAB,
        "models",
        "answer-registration",
        "display_name: str = Field(min_length=1, max_length=50,",
        "display_name: str = Field(min_length=0, max_length=50,",
        "an empty display name is accepted",
        requirement="reg-display-name-min",
    ),
    Mistake(
        LAB,
        "models",
        "answer-registration",
        'raise ValueError("passwords do not match")',
        'raise ValueError("Passwords don\'t match")',
        "the mismatch message is not the one the task fixes",
        requirement="reg-mismatch",
    ),
    Mistake(
        LAB,
        "models",
        "answer-registration",
        """    @model_validator(mode="after")
    def passwords_match(self) -> Self:
        \"\"\"Both password fields must be equal.\"\"\"
        if self.password != self.password_confirm:
            raise ValueError("passwords do not match")
        return self""",
        """    @field_validator("password_confirm")
    @classmethod
    def passwords_match(cls, value: str, info: Any) -> str:
        \"\"\"Both password fields must be equal.\"\"\"
        if value != info.data.get("password"):
            raise ValueError("passwords do not match")
        return value""",
        "the two-field rule is a field validator on password_confirm, not a model validator",
        requirement="reg-mismatch",
    ),
    Mistake(
        LAB,
        "models",
        "answer-registration",
        'model_config = ConfigDict(extra="forbid")',
        'model_config = ConfigDict(extra="ignore")',
        "unknown registration fields are silently dropped instead of refused",
        requirement="reg-extra-forbid",
    ),
    Mistake(
        LAB,
        "models",
        "answer-registration",
        'display_name: str = Field(min_length=1, max_length=50, examples=["Ann Lee"])',
        'display_name: str = Field("Anonymous", min_length=1, max_length=50, examples=["Ann Lee"])',
        "the display name has a default, so a body without it is accepted",
        requirement="reg-required",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-registration",
        'username: str = Field(min_length=3, max_length=30, pattern=r"^[a-z0-9_]+$", examples=["ann_lee"])',
        'username: str = Field(min_length=3, max_length=30, examples=["ann_lee"])',
        "usernames have no character allow-list, so quotes, markup and look-alike letters get in",
        requirement="username-allowlist",
    ),
    # Task 2: output and update models (models)
    Mistake(
        LAB,
        "models",
        "answer-profile",
        "    bio: str | None = None\n",
        "    bio: str | None = None\n    password_hash: str = Field(exclude=True)  # kept, but never serialised\n",
        "UserOut keeps the hash as an excluded field: one forgotten exclude away from a leak",
        requirement="out-fields",
    ),
    Mistake(
        LAB,
        "models",
        "answer-profile",
        'bio: str | None | MISSING = Field(MISSING, max_length=500, description="Send null to clear it.")',
        'bio: str | None = Field(max_length=500, description="Send null to clear it.")',
        "bio has no default, so a profile update must always send it",
        requirement="patch-optional",
    ),
    Mistake(
        LAB,
        "models",
        "answer-profile",
        "display_name: str | MISSING = Field(MISSING, min_length=1, max_length=50)",
        "display_name: str | None | MISSING = Field(MISSING, min_length=1, max_length=50)",
        "display_name accepts null, which would blank a required field",
        requirement="patch-display-not-null",
    ),
    Mistake(
        LAB,
        "models",
        "answer-profile",
        "display_name: str | MISSING = Field(MISSING, min_length=1, max_length=50)",
        "display_name: str | MISSING = Field(MISSING, min_length=0, max_length=50)",
        "a profile update may set an empty display name",
        requirement="patch-display-min",
    ),
    Mistake(
        LAB,
        "models",
        "answer-profile",
        "bio: str | None | MISSING = Field(MISSING,",
        "bio: str | MISSING = Field(MISSING,",
        "bio refuses null, so a client cannot clear it",
        requirement="patch-bio-null",
    ),
    Mistake(
        LAB,
        "models",
        "answer-profile",
        'model_config = ConfigDict(extra="forbid")',
        'model_config = ConfigDict(extra="ignore")',
        "a profile update silently drops unknown fields such as is_admin",
        requirement="patch-forbid",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-profile",
        "Field(MISSING, max_length=500,",
        "Field(MISSING, max_length=5000,",
        "the bio's limit is ten times what the task allows",
        requirement="oversize",
    ),
    # Task 3: the validation handler (errors)
    Mistake(
        LAB,
        "errors",
        "answer-validation-handler",
        "error_response(status.HTTP_422_UNPROCESSABLE_CONTENT,",
        "error_response(status.HTTP_400_BAD_REQUEST,",
        "invalid requests are answered 400 instead of 422",
        requirement="val-status",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-validation-handler",
        VALIDATION_BODY,
        '    body = {"data": None, "message": "Validation failed", "status": "error", "errors": exc.errors()}\n'
        "    return JSONResponse(body, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)",
        "Pydantic's errors go out as they are: loc, input and ctx (a ValueError, so a model rule is a 500)",
        requirement="val-envelope",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-validation-handler",
        "for error in exc.errors()\n    ]",
        "for error in exc.errors()[:1]\n    ]",
        "only the first problem is reported",
        requirement="val-all-errors",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-validation-handler",
        'return ".".join(str(part) for part in loc[1:]) or str(loc[0])',
        'return ".".join(str(part) for part in loc)',
        "the field keeps its source prefix ('body.email' instead of 'email')",
        requirement="val-field",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-validation-handler",
        'message=error["msg"]',
        "message=f\"{error['loc'][-1]}: {error['msg']}\"",
        "each message is prefixed with its field, so it is no longer Pydantic's msg",
        requirement="val-msg-type",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-validation-handler",
        '"Validation failed", errors)',
        'f"Validation failed for {exc.body}", errors)',
        "the message echoes the request body, pins and passwords included",
        requirement="val-no-input",
    ),
    # Task 4: the HTTPException handler (errors)
    Mistake(
        LAB,
        "errors",
        "answer-http-handler",
        "return error_response(exc.status_code, str(exc.detail), headers=exc.headers)",
        "from http import HTTPStatus\n\n"
        "    return error_response(exc.status_code, HTTPStatus(exc.status_code).phrase, headers=exc.headers)",
        "the message is the status's standard phrase, not the exception's detail",
        requirement="http-envelope",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-http-handler",
        "return error_response(exc.status_code, str(exc.detail), headers=exc.headers)",
        "return error_response(exc.status_code, str(exc.detail))",
        "the exception's headers are dropped: a 405 without Allow, a 401 without WWW-Authenticate",
        requirement="http-headers",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-http-handler",
        "str(exc.detail)",
        "exc.detail",
        "the detail is used as it is, so a detail that is not a string crashes the handler",
        requirement="http-detail-text",
    ),
    # Task 5: logging the unexpected (logging)
    Mistake(
        LAB,
        "logging",
        "answer-log-error",
        'logger.error("Unhandled %s on %s %s"',
        'logging.getLogger(__name__).error("Unhandled %s on %s %s"',
        "the error is logged on the module's logger instead of the API's 'shop.api' logger",
        requirement="log-one-error",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-log-error",
        'logger.error("Unhandled %s on %s %s"',
        'logger.warning("Unhandled %s on %s %s"',
        "an unhandled exception is logged as a warning",
        requirement="log-one-error",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-log-error",
        "request.method, request.url.path, exc_info=exc)",
        "request.method, request.url.path)",
        "the unexpected error is logged without its traceback",
        requirement="log-traceback",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-log-error",
        'logger.error("Unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path, exc_info=exc)',
        'logger.exception("Unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path)',
        "logger.exception finds a traceback only inside an except block, not the exception it was given",
        requirement="log-traceback",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-log-error",
        '"Unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path',
        '"Unhandled error on %s %s", request.method, request.url.path',
        "the log message does not name the exception class",
        requirement="log-names",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-log-error",
        "request.method, request.url.path, exc_info=exc)",
        "request.method, request.url, exc_info=exc)",
        "the full URL is logged, query string (tokens, emails) included",
        requirement="log-no-query",
    ),
    # Task 6: the catch-all middleware (errors)
    Mistake(
        LAB,
        "errors",
        "answer-500-handler",
        'await error_response(status.HTTP_500_INTERNAL_SERVER_ERROR, "Internal server error")(scope, receive, send)',
        'await JSONResponse({"detail": "Internal Server Error"}, status_code=500)(scope, receive, send)',
        "the 500 has FastAPI's detail shape instead of the error envelope",
        requirement="500-envelope",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-500-handler",
        '"Internal server error")(scope, receive, send)',
        'f"Internal server error: {exc!r}")(scope, receive, send)',
        "the 500 message includes the exception, leaking internals to the client",
        requirement="500-no-leak",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-500-handler",
        "log_unexpected_error(Request(scope), exc)",
        'logger.exception("unhandled error on %s %s", scope["method"], scope["path"])',
        "the middleware logs its own line instead of reporting through log_unexpected_error",
        requirement="500-reported",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-500-handler",
        '"Internal server error")(scope, receive, send)',
        '"Internal server error")(scope, receive, send)\n            raise  # let the server log it too',
        "the exception is raised again after the 500 went out, like ServerErrorMiddleware does",
        requirement="500-handled",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-500-handler",
        "raise  # part of the answer is out: the server must close the connection",
        "return  # the client already has its answer",
        "a failure in the middle of a streamed answer is swallowed: the server believes it succeeded",
        requirement="500-started",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-500-handler",
        "            if started:\n                raise  # part of the answer is out: the server must close the connection\n",
        "",
        "the middleware does not look whether the response started, and sends a second one",
        requirement="500-started",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-500-handler",
        'if scope["type"] != "http":',
        'if scope["type"] == "lifespan":',
        "only lifespan passes through: a WebSocket's exception is answered with an HTTP 500",
        requirement="500-other-scopes",
    ),
    # Task 7: the service rules (errors)
    Mistake(
        LAB,
        "errors",
        "answer-rules",
        "    return row\n",
        "    return UserOut.model_validate(row)\n",
        "find_user_or_404 returns the public view instead of the stored row",
        requirement="svc-found",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-rules",
        'detail=f"User {user_id} not found"',
        'detail="Not found"',
        "the 404 names neither the resource type nor the id",
        requirement="svc-404",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-rules",
        "raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=f\"The username '{username}' is reserved\")",
        "raise HTTPException(status.HTTP_409_CONFLICT, detail=f\"The username '{username}' is reserved\")",
        "a reserved username is answered 409, as if it were taken",
        requirement="svc-reserved",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-rules",
        'raise HTTPException(status.HTTP_409_CONFLICT, detail="A user with this email already exists")',
        'raise HTTPException(status.HTTP_400_BAD_REQUEST, detail="A user with this email already exists")',
        "a duplicate email is answered 400 instead of 409 Conflict",
        requirement="svc-email-409",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-rules",
        "if store.by_username(username) is not None:",
        "if store.by_username(email) is not None:",
        "the username check looks up the email (copy and paste), so a taken username passes",
        requirement="svc-username-409",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-rules",
        RESERVED_RULE + EMAIL_RULE,
        EMAIL_RULE + RESERVED_RULE,
        "the duplicate-email check runs before the reserved-name check, so 409 wins over 400",
        requirement="svc-order",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-rules",
        "if username in RESERVED_USERNAMES:",
        "if any(word in username for word in RESERVED_USERNAMES):",
        "any username containing a reserved word (rootbeer, capital_one) is refused",
        requirement="svc-free",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-rules",
        'if store.by_email(email) is not None:\n        raise HTTPException(status.HTTP_409_CONFLICT, detail="A user with this email already exists")',
        "if (existing := store.by_email(email)) is not None:\n"
        "        raise HTTPException(status.HTTP_409_CONFLICT, detail=f\"This email already belongs to {existing['username']}\")",
        "the 409 tells a stranger which username owns the email",
        requirement="svc-private",
    ),
    # Task 8: the registration and read routes (models)
    Mistake(
        LAB,
        "models",
        "answer-routes",
        '@router.post("", status_code=status.HTTP_201_CREATED,',
        '@router.post("", status_code=status.HTTP_200_OK,',
        "registration answers 200 instead of 201 Created",
        requirement="route-created",
    ),
    Mistake(
        LAB,
        "models",
        "answer-routes",
        'response.headers["Location"] = f"{router.prefix}/{row[\'id\']}"',
        'response.headers["Location"] = f"/users/{row[\'id\']}"',
        "Location leaves out the /api/v1 prefix, so following it finds nothing",
        requirement="route-location",
    ),
    Mistake(
        LAB,
        "models",
        "answer-routes",
        # Both the annotation and the return: with `-> Envelope[UserOut]` FastAPI would still filter the row.
        REGISTER_FROM_SIGNATURE,
        REGISTER_FROM_SIGNATURE.replace(") -> Envelope[UserOut]:", ") -> dict[str, Any]:").replace(
            "return Envelope(data=UserOut.model_validate(row),", 'return dict(status="success", data=row,'
        ),
        "register declares and returns a plain dict with the stored row, so the password hash leaks",
        requirement="route-no-secret",
    ),
    Mistake(
        LAB,
        "models",
        "answer-routes",
        "password_hash=password_hash,",
        "password_hash=registration.password,",
        "the password itself is stored in place of its hash",
        requirement="route-stores-hash",
    ),
    Mistake(
        LAB,
        "models",
        "answer-routes",
        BOTH_CHECKS,
        BOTH_CHECKS.replace("registration.username)", "registration.display_name)"),
        "the rules are checked with the display name where the username belongs",
        requirement="route-rules",
    ),
    Mistake(
        LAB,
        "models",
        "answer-routes",
        BOTH_CHECKS,
        "    ensure_can_register(registration.email, registration.username)\n"
        "    password_hash = await hash_password(registration.password)\n",
        "the rules are checked before hashing only: a second registration slips in during the await",
        requirement="route-race",
    ),
    Mistake(
        LAB,
        "models",
        "answer-routes",
        '@router.get("/{user_id}", responses=NOT_FOUND,',
        '@router.get("/{user_id}", status_code=status.HTTP_201_CREATED, responses=NOT_FOUND,',
        "the read route answers 201 (its decorator copied from the POST)",
        requirement="route-get",
    ),
    Mistake(
        LAB,
        "models",
        "answer-routes",
        "async def get_user(user_id: UserId)",
        "async def get_user(user_id: int)",
        "GET takes any integer as an id: 0, negatives, and values a database column cannot hold",
        requirement="route-id-bounds",
    ),
    Mistake(
        LAB,
        "models",
        "answer-routes",
        '@router.post("", status_code=status.HTTP_201_CREATED, responses=REGISTRATION_ERRORS,',
        '@router.post("", status_code=status.HTTP_201_CREATED,',
        "registration raises 400 and 409 but documents neither",
        requirement="route-documented",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-routes",
        STORE_ADD,
        "    import html  # 'sanitise' the display name on the way in\n\n"
        + STORE_ADD.replace(
            "display_name=registration.display_name,", "display_name=html.escape(registration.display_name),"
        ),
        "the display name is HTML-escaped at registration, so hostile text no longer comes back as sent",
        requirement="asm-hostile",
    ),
    # Task 9: the profile update (injection)
    Mistake(
        LAB,
        "injection",
        "answer-profile-route",
        "row = store.update(user_id, changes.model_dump(exclude_unset=True))",
        "import html  # 'sanitise' on the way in\n\n"
        "    sent = changes.model_dump(exclude_unset=True)\n"
        "    row = store.update(user_id, {k: html.escape(v) if isinstance(v, str) else v for k, v in sent.items()})",
        "profile text is HTML-escaped on the way in, corrupting the stored data",
        requirement="hostile-exact",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-profile-route",
        "row = store.update(user_id, changes.model_dump(exclude_unset=True))",
        "row = {**find_user_or_404(user_id), **changes.model_dump(exclude_unset=True)}  # the updated profile",
        "the route answers with the updated profile but never stores it",
        requirement="patch-stored",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-profile-route",
        "changes.model_dump(exclude_unset=True)",
        "changes.model_dump(exclude_none=True)",
        "exclude_none for exclude_unset: an explicit null no longer clears the bio",
        requirement="patch-null",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-profile-route",
        "    find_user_or_404(user_id)\n    row = store.update",
        "    row = store.update",
        "an unknown user is not looked up first, so the store's KeyError becomes a 500",
        requirement="patch-404",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-profile-route",
        "async def update_profile(user_id: UserId,",
        "async def update_profile(user_id: int,",
        "PATCH takes any integer as an id: 0, negatives, and values a database column cannot hold",
        requirement="patch-id-bounds",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-profile-route",
        '@router.patch("/{user_id}", responses=NOT_FOUND,',
        '@router.patch("/{user_id}",',
        "the profile update raises 404 but does not document it",
        requirement="patch-documented",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-registration",
        "password: str = Field(min_length=8, max_length=128)",
        "password: str = Field(min_length=8)",
        "the password has no maximum length: a megabyte of it would be hashed",
        requirement="oversize",
    ),
    # Task 10: the body-size limit (injection)
    Mistake(
        LAB,
        "injection",
        "answer-body-limit",
        "if int(declared) > self.max_bytes:",
        "if int(declared) > self.max_bytes * 1024:",
        "the announced size is compared in kilobytes, so an oversized body is read before it is refused",
        requirement="limit-announced",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-body-limit",
        COUNTING,
        """            body += message.get("body", b"")
            more_body = message.get("more_body", False)
        if len(body) > self.max_bytes:  # checked once the whole body is in
            await too_large(scope, receive, send)
            return
""",
        "the body is read to its end before its size is checked, however large it is",
        requirement="limit-counted",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-body-limit",
        "            if int(declared) > self.max_bytes:\n                await too_large(scope, receive, send)\n                return\n",
        "            if int(declared) > self.max_bytes:\n                await too_large(scope, receive, send)\n                return\n"
        "            await self.app(scope, receive, send)  # small enough, as announced\n            return\n",
        "the limit trusts a small Content-Length and never counts the bytes that really arrive",
        requirement="limit-lying",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-body-limit",
        "if len(body) > self.max_bytes:",
        "if len(body) >= self.max_bytes:",
        "a body of exactly max_bytes is refused (>= for >)",
        requirement="limit-boundary",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-body-limit",
        'return {"type": "http.request", "body": bytes(body), "more_body": False}',
        "return message  # the body message we read",
        "the app is handed the last body message read, so a chunked body arrives cut",
        requirement="limit-replay",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-body-limit",
        'f"Request body larger than {self.max_bytes} bytes"',
        '"Payload too large"',
        "the 413's message is not the one the task fixes",
        requirement="limit-envelope",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-body-limit",
        "if not (declared.isascii() and declared.isdigit()):",
        "if not declared.isdigit():",
        "str.isdigit() alone lets '²' through to int(), which raises: a 500",
        requirement="limit-malformed",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-body-limit",
        'if message["type"] != "http.request":  # the client disconnected\n                return',
        'if message["type"] == "http.disconnect":  # the client disconnected\n                break',
        "a client that went away halfway still has its partial body handed to the route",
        requirement="limit-disconnect",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-body-limit",
        'if scope["type"] != "http":',
        'if scope["type"] == "lifespan":',
        "only lifespan passes through: a WebSocket is treated as an HTTP body and never connects",
        requirement="limit-other-scopes",
    ),
    # Task 11: the assembled app (errors)
    Mistake(
        LAB,
        "errors",
        "answer-create-app",
        'version="2.0.0"',
        'version="2.0"',
        "the app's version is not the one the task fixes",
        requirement="app-info",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-create-app",
        "application.add_exception_handler(RequestValidationError, validation_error_handler)",
        "application.add_exception_handler(ValidationError, validation_error_handler)",
        "the validation handler is registered for Pydantic's ValidationError, which FastAPI never raises for a request",
        requirement="app-validation",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-create-app",
        "application.add_exception_handler(StarletteHTTPException, http_error_handler)",
        "application.add_exception_handler(HTTPException, http_error_handler)",
        "the handler is registered for FastAPI's HTTPException, so router 404/405 keep FastAPI's shape",
        requirement="app-http",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-create-app",
        "    application.add_middleware(CatchUnhandledErrors)  # innermost: its 500 passes through the others\n",
        "    application.add_exception_handler(Exception, lambda request, exc: error_response(500, 'Internal server error'))\n",
        "the catch-all is an exception handler for Exception: answered from outside the middleware, then raised again",
        requirement="app-crash",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-create-app",
        MIDDLEWARE_ORDER,
        "\n".join([MIDDLEWARE_ORDER.splitlines()[i] for i in (1, 2, 0)]) + "\n",
        "the catch-all is added last, outermost, so its 500 skips the header of the middleware inside it",
        requirement="app-nosniff",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-create-app",
        MIDDLEWARE_ORDER,
        "\n".join([MIDDLEWARE_ORDER.splitlines()[i] for i in (0, 2, 1)]) + "\n",
        "the body-size limit is outermost, so its 413 goes out without the nosniff header",
        requirement="app-nosniff",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-create-app",
        "def create_app() -> FastAPI:",
        "import functools\n\n\n@functools.cache\ndef create_app() -> FastAPI:",
        "create_app caches its app, so every caller shares one",
        requirement="app-fresh",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-create-app",
        "app = create_app()",
        "app = create_app",
        "the module's app is the factory itself, not an app",
        requirement="app-module",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-create-app",
        "    application.add_middleware(BodySizeLimitMiddleware, max_bytes=MAX_BODY_BYTES)\n",
        "",
        "the assembled app forgets the body-size limit",
        requirement="asm-413",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-create-app",
        'FastAPI(title="Shop API", version="2.0.0")',
        'FastAPI(title="Shop API", version="2.0.0", strict_content_type=False)',
        "strict content-type checking is switched off, so a JSON body with no Content-Type is accepted",
        requirement="asm-content-type",
    ),
]
