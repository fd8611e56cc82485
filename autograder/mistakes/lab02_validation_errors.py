"""Realistic wrong answers for lab02_validation_errors (see autograder.catalogue)."""

from autograder.catalogue import Mistake

LAB = "lab02_validation_errors"

# The register handler of the solution, from its signature to its return (see the models mutant).
REGISTER_FROM_SIGNATURE = """) -> Envelope[UserOut]:
    \"\"\"Create an account. 409 if the email or username is in use, 400 for a reserved username.\"\"\"
    password_hash = await hash_password(registration.password)
    # No await between the check and the insert: no other request can slip in between.
    ensure_can_register(registration.email, registration.username)
    row = store.add(
        email=registration.email,
        username=registration.username,
        password_hash=password_hash,
        display_name=registration.display_name,
    )
    response.headers["Location"] = f"{router.prefix}/{row['id']}"
    return Envelope(data=UserOut.model_validate(row), message="User registered")"""

MISTAKES = [
    Mistake(
        LAB,
        "models",
        "answer-registration",
        "return value.strip().lower() if isinstance(value, str) else value",
        "return value.strip() if isinstance(value, str) else value",
        "the email is trimmed but not lower-cased, so Ann@ and ann@ become two accounts",
    ),
    Mistake(
        LAB,
        "models",
        "answer-registration",
        'model_config = ConfigDict(extra="forbid")',
        'model_config = ConfigDict(extra="ignore")',
        "unknown registration fields are silently dropped instead of refused",
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
    ),
    Mistake(
        LAB,
        "errors",
        "answer-validation-handler",
        'return ".".join(str(part) for part in loc[1:]) or str(loc[0])',
        'return ".".join(str(part) for part in loc)',
        "the field keeps its source prefix ('body.email' instead of 'email')",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-500-handler",
        'return error_response(status.HTTP_500_INTERNAL_SERVER_ERROR, "Internal server error")',
        'return error_response(status.HTTP_500_INTERNAL_SERVER_ERROR, f"Internal server error: {exc!r}")',
        "the 500 message includes the exception, leaking internals to the client",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-rules",
        'raise HTTPException(status.HTTP_409_CONFLICT, detail="A user with this email already exists")',
        'raise HTTPException(status.HTTP_400_BAD_REQUEST, detail="A user with this email already exists")',
        "a duplicate email is answered 400 instead of 409 Conflict",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-create-app",
        "application.add_exception_handler(StarletteHTTPException, http_error_handler)",
        "application.add_exception_handler(HTTPException, http_error_handler)",
        "the handler is registered for FastAPI's HTTPException, so router 404/405 keep FastAPI's shape",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-log-error",
        "request.method, request.url.path, exc_info=exc)",
        "request.method, request.url.path)",
        "the unexpected error is logged without its traceback",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-log-error",
        'logger.error("Unhandled %s on %s %s"',
        'logging.getLogger(__name__).error("Unhandled %s on %s %s"',
        "the error is logged on the module's logger instead of the API's 'shop.api' logger",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-registration",
        'username: str = Field(min_length=3, max_length=30, pattern=r"^[a-z0-9_]+$", examples=["ann_lee"])',
        'username: str = Field(min_length=3, max_length=30, examples=["ann_lee"])',
        "usernames have no character allow-list, so quotes, markup and look-alike letters get in",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-profile-route",
        "row = store.update(user_id, changes.model_dump(exclude_unset=True))",
        "import html  # 'sanitise' on the way in\n\n"
        "    sent = changes.model_dump(exclude_unset=True)\n"
        "    row = store.update(user_id, {k: html.escape(v) if isinstance(v, str) else v for k, v in sent.items()})",
        "profile text is HTML-escaped on the way in, corrupting the stored data",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-body-limit",
        "            if len(body) > self.max_bytes:\n                await too_large(scope, receive, send)",
        "            if False:  # trusts Content-Length\n                await too_large(scope, receive, send)",
        "the limit trusts Content-Length and never counts the bytes that really arrive",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-create-app",
        "    application.add_middleware(BodySizeLimitMiddleware, max_bytes=MAX_BODY_BYTES)\n",
        "",
        "the assembled app forgets the body-size limit",
    ),
]
