"""Realistic wrong answers for lab07_observability (see autograder.catalogue)."""

from autograder.catalogue import Mistake

LAB = "lab07_observability"

MISTAKES = [
    Mistake(
        LAB,
        "logging",
        "answer-request-context",
        "request_id = incoming if VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex",
        "request_id = uuid.uuid4().hex",
        "the middleware always generates an id, ignoring the caller's X-Request-ID",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-json-formatter",
        'entry["exception"] = self.formatException(record.exc_info)',
        'entry["error"] = str(record.exc_info[1])',
        "the formatter logs the exception's message but not its traceback",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-metrics-middleware",
        'template = getattr(route, "path_format", None) or UNMATCHED_ROUTE',
        "template = request.url.path",
        "metrics are labelled with the raw path (one series per order id) instead of the route template",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-metrics",
        "cumulative += count",
        "cumulative = count",
        "histogram buckets are written per bucket instead of cumulatively",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-unhandled",
        "        except Exception:\n"
        '            logger.exception("unhandled error", extra={"method": request.method, "path": request.url.path})\n'
        '            body = ErrorEnvelope(message="Internal server error")',
        "        except Exception as exc:\n"
        '            logger.exception("unhandled error", extra={"method": request.method, "path": request.url.path})\n'
        '            body = ErrorEnvelope(message=f"Internal server error: {exc}")',
        "the 500 response shows the exception's text to the client",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-unhandled",
        "logger.exception(",
        "logger.error(",
        "the crash is logged without its traceback",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-health",
        "        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE\n",
        "",
        "readiness says 'unavailable' in the body but answers 200, so the orchestrator keeps sending traffic",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-health",
        '    return {"status": "alive"}',
        '    await database.ping()\n    return {"status": "alive"}',
        "liveness checks the database, so a database outage gets every replica restarted",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-settings",
        "payment_api_key: SecretStr = Field(min_length=1)",
        "payment_api_key: str = Field(min_length=1)",
        "the payment API key is a plain str, so it shows in repr, logs and tracebacks",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-settings",
        "jwt_secret: SecretStr = Field(min_length=32,",
        'jwt_secret: SecretStr = Field(default="Zx81kQ0v7tLm4RcYp2WnHs9aE6uJdBf3", min_length=32,',
        "the JWT signing key has a default written in the code",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-redaction",
        "return any(word in normalized for word in SENSITIVE_KEYS)",
        "return normalized in SENSITIVE_KEYS",
        "redaction matches only exact key names, so access_token and X-API-Key leak",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-create-app",
        "settings = settings if settings is not None else Settings()",
        "try:\n"
        "        settings = settings if settings is not None else Settings()\n"
        "    except ValidationError:\n"
        '        logger.warning("invalid settings; starting anyway")\n'
        "        settings = Settings.model_construct()",
        "the app starts even when the environment is missing or malformed",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-v2",
        '@router_v2.get("/{order_id}", responses=NOT_FOUND | INVALID,',
        '@router_v2.get("/{order_id}", responses=NOT_FOUND,',
        "GET documents FastAPI's default 422 body, not the error envelope this app really sends",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-v2",
        '        "model": ErrorEnvelope,\n        "description": "No order has this id.",',
        '        "description": "No order has this id.",',
        "the documented 404 has an example but no schema",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-v1",
        "    deprecated=True,\n",
        "",
        "v1 sends deprecation headers but OpenAPI does not mark its operations deprecated",
    ),
]
