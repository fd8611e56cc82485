"""Realistic wrong answers for lab07_observability (see autograder.catalogue).

One or more per requirement of the lab's inventory (the ``# REQ`` lines of its test cells),
each breaking that requirement only, in the answer cell a learner would get it wrong in.
"""

from autograder.catalogue import Mistake

LAB = "lab07_observability"

_MIDDLEWARE_ORDER = (
    "    app.add_middleware(CatchUnhandledErrors, logger=logger)\n"
    "    app.add_middleware(DeprecationHeadersMiddleware)\n"
    "    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)\n"
    "    app.add_middleware(RequestContextMiddleware)\n"
)

MISTAKES = [
    # Task 1: the request id's home and the filter
    Mistake(
        LAB,
        "logging",
        "answer-request-id-filter",
        'contextvars.ContextVar("request_id", default="-")',
        'contextvars.ContextVar("request_id", default="")',
        "outside a request the id is empty instead of '-', so start-up lines cannot be told from a missing filter",
        requirement="rid-default",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-request-id-filter",
        "    def filter(self, record: logging.LogRecord) -> bool:\n        record.request_id = request_id_var.get()",
        "    def __init__(self) -> None:\n"
        "        super().__init__()\n"
        "        self.request_id = request_id_var.get()\n\n"
        "    def filter(self, record: logging.LogRecord) -> bool:\n"
        "        record.request_id = self.request_id",
        "the filter reads the id once, when it is created, so every record gets the id of that moment",
        requirement="rid-per-context",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-request-id-filter",
        "        return True",
        '        return request_id_var.get() != "-"',
        "the filter drops every record logged outside a request (start-up, background work)",
        requirement="rid-keeps-records",
    ),
    # Task 2: the JSON formatter
    Mistake(
        LAB,
        "logging",
        "answer-json-formatter",
        '"request_id": getattr(record, "request_id", "-"),',
        '"request_id": getattr(record, "request_id", None),',
        "a record no filter touched is written with request_id null instead of '-'",
        requirement="json-fields",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-json-formatter",
        '.isoformat(timespec="milliseconds"),',
        ".isoformat(),",
        "the timestamp has microseconds, not the milliseconds the format fixes",
        requirement="json-timestamp",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-json-formatter",
        "entry.update({key: value for key, value in extras.items() if key not in entry})",
        'entry["extra"] = {key: value for key, value in extras.items() if key not in entry}',
        "the extra fields are nested under 'extra' instead of written under their own names",
        requirement="json-extras",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-json-formatter",
        'entry["exception"] = self.formatException(record.exc_info)',
        'entry["error"] = str(record.exc_info[1])',
        "the formatter logs the exception's message but not its traceback",
        requirement="json-exception",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-json-formatter",
        "if isinstance(value, float) and not math.isfinite(value):",
        "if isinstance(value, float) and value != value:",
        "only NaN is caught (it is the float unequal to itself), so an infinity is written as Infinity, which is not JSON",
        requirement="json-unrepresentable",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-json-formatter",
        "return {str(key): json_safe(item) for key, item in value.items()}",
        "return {key: json_safe(item) for key, item in value.items()}",
        "dict keys are kept as they are, so a tuple key makes json.dumps raise inside the logging call",
        requirement="json-keys",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-json-formatter",
        "return json.dumps(json_safe(entry), ensure_ascii=True)",
        "return json.dumps(json_safe(entry), ensure_ascii=False)",
        "ensure_ascii=False writes U+2028 and U+0085 raw, and line readers split the record there",
        requirement="json-one-line",
    ),
    # Task 3: redaction
    Mistake(
        LAB,
        "secrets",
        "answer-redaction",
        "setattr(record, key, REDACTED if is_sensitive(key) else redact(value))",
        "setattr(record, key, redact(value))",
        "extra fields are searched for sensitive keys inside them, but a top-level extra named password is kept",
        requirement="redact-extra",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-redaction",
        "return any(word in normalized for word in SENSITIVE_KEYS)",
        "return normalized in SENSITIVE_KEYS",
        "redaction matches only exact key names, so access_token and X-API-Key leak",
        requirement="redact-contains",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-redaction",
        "        return [redact(item) for item in value]",
        "        return list(value)",
        "lists are copied but their items are not redacted, so a token inside a list of dicts leaks",
        requirement="redact-nested",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-redaction",
        "    if isinstance(value, Mapping):",
        "    if isinstance(value, dict):",
        "only real dicts are redacted, so Starlette's Headers (a Mapping) reach the log with Authorization",
        requirement="redact-mapping",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-redaction",
        "        if record.args:\n            record.args = redact(record.args)",
        "        if isinstance(record.args, Mapping):\n            record.args = redact(record.args)",
        "%(name)s arguments are redacted but a dict passed to a plain %s is not",
        requirement="redact-args",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-redaction",
        "        return {\n"
        "            key: REDACTED if isinstance(key, str) and is_sensitive(key) else redact(item) for key, item in value.items()\n"
        "        }",
        "        copy = value if isinstance(value, dict) else dict(value)\n"
        "        for key, item in copy.items():\n"
        "            copy[key] = REDACTED if isinstance(key, str) and is_sensitive(key) else redact(item)\n"
        "        return copy",
        "dicts are redacted in place, so the caller's own headers and body lose their secrets too",
        requirement="redact-copy",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-redaction",
        "return any(word in normalized for word in SENSITIVE_KEYS)",
        'return any(word in normalized for word in (*SENSITIVE_KEYS, "key"))',
        "every name containing 'key' is redacted, so search_keywords and monkey lose their values too",
        requirement="redact-keeps",
    ),
    # Task 4: the request-context middleware
    Mistake(
        LAB,
        "logging",
        "answer-request-context",
        "request_id = incoming if VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex",
        "request_id = uuid.uuid4().hex",
        "the middleware always generates an id, ignoring the caller's X-Request-ID",
        requirement="ctx-reuse-valid",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-request-context",
        "VALID_REQUEST_ID.fullmatch(incoming)",
        "VALID_REQUEST_ID.match(incoming)",
        "re.match checks only the start of the header, so 200 characters or '<script>' after a valid prefix pass",
        requirement="ctx-reject-invalid",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-request-context",
        "else uuid.uuid4().hex",
        "else str(uuid.uuid4())",
        "generated ids are the hyphenated uuid form, not the 32 hex digits of uuid4().hex",
        requirement="ctx-generated",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-request-context",
        "        token = request_id_var.set(request_id)\n"
        "        started = self.clock()\n"
        "        status_code = status.HTTP_500_INTERNAL_SERVER_ERROR  # what the client gets if call_next raises\n"
        "        try:\n"
        "            response = await call_next(request)\n",
        "        started = self.clock()\n"
        "        status_code = status.HTTP_500_INTERNAL_SERVER_ERROR  # what the client gets if call_next raises\n"
        "        token = None\n"
        "        try:\n"
        "            response = await call_next(request)\n"
        "            token = request_id_var.set(request_id)\n",
        "the id is set only after call_next returns, so the route's own log lines have no id",
        requirement="ctx-var-set",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-request-context",
        "            request_id_var.reset(token)",
        '            request_id_var.set("-")',
        "the id is set back to '-' instead of reset with its token, losing the value the context had before",
        requirement="ctx-var-reset",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-request-context",
        "response.headers[REQUEST_ID_HEADER] = request_id",
        "response.headers[REQUEST_ID_HEADER] = incoming",
        "the response echoes the caller's header instead of the id the request really got",
        requirement="ctx-response-header",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-request-context",
        '"path": request.url.path,',
        '"path": str(request.url),',
        "the access line's path is the whole URL (scheme, host, query) instead of the path",
        requirement="ctx-access-line",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-request-context",
        '"duration_ms": round((self.clock() - started) * 1000, 3),',
        '"duration_ms": round((self.clock() - started) * 1000),',
        "duration_ms is rounded to whole milliseconds instead of 3 decimals",
        requirement="ctx-duration",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-request-context",
        "        try:\n"
        "            response = await call_next(request)\n"
        "            status_code = response.status_code\n"
        "            response.headers[REQUEST_ID_HEADER] = request_id\n"
        "            return response\n"
        "        finally:\n"
        "            access = {\n"
        '                "method": request.method,\n'
        '                "path": request.url.path,\n'
        '                "status": status_code,\n'
        '                "duration_ms": round((self.clock() - started) * 1000, 3),\n'
        "            }\n"
        '            logger.info("request completed", extra=access)\n'
        "            request_id_var.reset(token)",
        "        try:\n"
        "            response = await call_next(request)\n"
        "            response.headers[REQUEST_ID_HEADER] = request_id\n"
        "            access = {\n"
        '                "method": request.method,\n'
        '                "path": request.url.path,\n'
        '                "status": response.status_code,\n'
        '                "duration_ms": round((self.clock() - started) * 1000, 3),\n'
        "            }\n"
        '            logger.info("request completed", extra=access)\n'
        "            return response\n"
        "        finally:\n"
        "            request_id_var.reset(token)",
        "the access line is logged only when call_next returns, so a request that raised leaves no access line",
        requirement="ctx-on-raise",
    ),
    # Task 5: the generic 500
    Mistake(
        LAB,
        "errors",
        "answer-unhandled",
        'ErrorEnvelope(message="Internal server error")',
        'ErrorEnvelope(message="Internal Server Error")',
        "the 500's message is Starlette's capitalised phrase, not the one the task fixes",
        requirement="crash-envelope",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-unhandled",
        "        except Exception:\n",
        "        except (RuntimeError, ValueError):\n",
        "only the exception types the author thought of are caught, so a KeyError still escapes as a bare 500",
        requirement="crash-envelope",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-unhandled",
        "        except Exception:\n"
        '            self.logger.exception("unhandled error on %s %s", scope["method"], scope["path"])\n'
        "            if started:\n"
        "                raise  # too late for another response: the server aborts it, and the client sees that\n"
        '            body = ErrorEnvelope(message="Internal server error").model_dump(mode="json")',
        "        except Exception as exc:\n"
        '            self.logger.exception("unhandled error on %s %s", scope["method"], scope["path"])\n'
        "            if started:\n"
        "                raise  # too late for another response: the server aborts it, and the client sees that\n"
        '            body = ErrorEnvelope(message=f"Internal server error: {exc}").model_dump(mode="json")',
        "the 500 response shows the exception's text to the client",
        requirement="crash-envelope",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-unhandled",
        'self.logger.exception("unhandled error on %s %s", scope["method"], scope["path"])',
        'self.logger.error("unhandled error on %s %s", scope["method"], scope["path"])',
        "the crash is logged without its traceback",
        requirement="crash-logged",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-unhandled",
        'self.logger.exception("unhandled error on %s %s", scope["method"], scope["path"])',
        'logger.exception("unhandled error on %s %s", scope["method"], scope["path"])',
        "the crash is logged on the module's 'shop' logger, not on the logger the middleware was given",
        requirement="crash-logged",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-unhandled",
        'self.logger.exception("unhandled error on %s %s", scope["method"], scope["path"])',
        'self.logger.exception("unhandled error")',
        "the crash's log line does not say which request failed",
        requirement="crash-logged",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-unhandled",
        "                raise  # too late for another response",
        "                return  # too late for another response",
        "a failure after the response started is swallowed, so the client gets a cut body that looks complete",
        requirement="crash-after-start",
    ),
    # Task 6: the exposition
    Mistake(
        LAB,
        "logging",
        "answer-metrics",
        "            lines += [\n"
        '                "# HELP http_request_duration_seconds Request latency in seconds, by method and route template.",\n'
        '                "# TYPE http_request_duration_seconds histogram",\n'
        "            ]\n"
        "            for (method, route), histogram in sorted(self.latency.items()):\n",
        "            for (method, route), histogram in sorted(self.latency.items()):\n"
        "                lines += [\n"
        '                    "# HELP http_request_duration_seconds Request latency in seconds, by method and route template.",\n'
        '                    "# TYPE http_request_duration_seconds histogram",\n'
        "                ]\n",
        "the histogram's HELP and TYPE lines are written before each series instead of once per family",
        requirement="metrics-help-type",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-metrics",
        "self.requests[key] = self.requests.get(key, 0) + 1",
        "self.requests[key] =+ 1",
        "the counter is set to 1 (=+ instead of +=) instead of counting",
        requirement="metrics-counter",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-metrics",
        "cumulative += count",
        "cumulative = count",
        "histogram buckets are written per bucket instead of cumulatively",
        requirement="metrics-cumulative",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-metrics",
        "if seconds <= bound:",
        "if seconds < bound:",
        "an observation equal to a bound is counted in the next bucket (< for <=)",
        requirement="metrics-le-inclusive",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-metrics",
        'le="+Inf"}} {histogram.count}',
        'le="+Inf"}} {cumulative}',
        "+Inf repeats the last bucket, so observations above every bound are lost",
        requirement="metrics-inf-sum-count",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-metrics",
        "self.buckets = tuple(sorted(buckets))",
        "self.buckets = LATENCY_BUCKETS",
        "the buckets given to Metrics are ignored",
        requirement="metrics-bounds",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-metrics",
        'return value.replace("\\\\", "\\\\\\\\").replace(\'"\', \'\\\\"\').replace("\\n", "\\\\n")',
        "return value.replace('\"', '\\\\\"')",
        "only double quotes are escaped in label values, not backslashes and newlines",
        requirement="metrics-escaping",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-metrics",
        'return "\\n".join(lines) + "\\n"',
        'return "\\n".join(lines)',
        "the exposition does not end with a newline",
        requirement="metrics-final-newline",
    ),
    # Task 7: the metrics middleware and endpoint
    Mistake(
        LAB,
        "logging",
        "answer-metrics-middleware",
        'template = getattr(route, "path_format", None) or UNMATCHED_ROUTE',
        "template = request.url.path",
        "metrics are labelled with the raw path (one series per order id) instead of the route template",
        requirement="mwm-template",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-metrics-middleware",
        'template = getattr(route, "path_format", None) or UNMATCHED_ROUTE',
        'template = getattr(route, "path_format", request.url.path)',
        "requests that match no route are labelled with their raw path, so a scanner creates a series per URL",
        requirement="mwm-unmatched",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-metrics-middleware",
        "        try:\n"
        "            response = await call_next(request)\n"
        "            status_code = response.status_code\n"
        "            return response\n"
        "        finally:\n"
        '            route = request.scope.get("route")\n'
        '            template = getattr(route, "path_format", None) or UNMATCHED_ROUTE\n'
        "            self.metrics.observe(request.method, template, status_code, self.clock() - started)",
        "        response = await call_next(request)\n"
        '        route = request.scope.get("route")\n'
        '        template = getattr(route, "path_format", None) or UNMATCHED_ROUTE\n'
        "        self.metrics.observe(request.method, template, response.status_code, self.clock() - started)\n"
        "        return response",
        "requests whose handler raised are never counted, so the error rate misses every crash",
        requirement="mwm-crash",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-metrics-middleware",
        "            response = await call_next(request)\n            status_code = response.status_code\n            return response\n",
        "            response = await call_next(request)\n"
        "            status_code = response.status_code\n"
        "            return response\n"
        "        except Exception:\n"
        '            return PlainTextResponse("Internal Server Error", status_code=status_code)\n',
        "the metrics middleware swallows a crash and answers a bare 500 itself, so nothing outside it sees the error",
        requirement="mwm-crash",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-metrics-middleware",
        "        started = self.clock()\n",
        "        started = time.perf_counter()\n",
        "the start time comes from time.perf_counter, not the injected clock, so durations are nonsense under a fake clock",
        requirement="mwm-clock",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-metrics-middleware",
        "return PlainTextResponse(request.app.state.metrics.render(), media_type=PROMETHEUS_CONTENT_TYPE)",
        "return PlainTextResponse(request.app.state.metrics.render())",
        "/metrics answers text/plain without Prometheus' version parameter",
        requirement="mwm-endpoint",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-metrics-middleware",
        "    return PlainTextResponse(request.app.state.metrics.render(), media_type=PROMETHEUS_CONTENT_TYPE)",
        "    return PlainTextResponse(METRICS.render(), media_type=PROMETHEUS_CONTENT_TYPE)\n\n\nMETRICS = Metrics()",
        "/metrics renders a module-level registry of its own, not the one the app's middleware feeds",
        requirement="mwm-endpoint",
    ),
    # Task 8: settings
    Mistake(
        LAB,
        "secrets",
        "answer-settings",
        "jwt_secret: SecretStr = Field(min_length=32,",
        'jwt_secret: SecretStr = Field(default="x" * 32, min_length=32,',
        "the JWT signing key has a default written in the code (one no secret scanner recognises)",
        requirement="settings-required",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-settings",
        "database_password: SecretStr = Field(min_length=1)",
        'database_password: SecretStr = Field(default_factory=lambda: SecretStr("dev-password"), min_length=1)',
        "the database password falls back to a development password when the variable is missing",
        requirement="settings-required",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-settings",
        "payment_api_key: SecretStr = Field(min_length=1)",
        "payment_api_key: str = Field(min_length=1)",
        "the payment API key is a plain str, so it shows in repr, logs and tracebacks",
        requirement="settings-secretstr",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-settings",
        "payment_api_key: SecretStr = Field(min_length=1)",
        'payment_api_key: SecretStr = Field(description="The payment provider\'s key.")',
        "an empty SHOP_PAYMENT_API_KEY is accepted, so the deploy starts without a key",
        requirement="settings-nonempty",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-settings",
        "jwt_secret: SecretStr = Field(min_length=32,",
        "jwt_secret: SecretStr = Field(min_length=31,",
        "a JWT secret of 31 characters is accepted (off by one)",
        requirement="settings-jwt-length",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-settings",
        "class Settings(BaseSettings):\n"
        '    """Configuration from SHOP_* environment variables, validated when the app starts."""\n'
        "\n"
        "    # hide_input_in_errors: a rejected value (a secret, or a URL with a password in it) is left out of\n"
        "    # the ValidationError's text, which ends up in the start-up logs of the failed deploy.\n"
        '    model_config = SettingsConfigDict(env_prefix="SHOP_", hide_input_in_errors=True)\n'
        "\n"
        "    database_url: PostgresDsn = Field(",
        "from pydantic_core import MultiHostUrl\n"
        "\n"
        "\n"
        "class Settings(BaseSettings):\n"
        '    """Configuration from SHOP_* environment variables, validated when the app starts."""\n'
        "\n"
        "    # hide_input_in_errors: a rejected value (a secret, or a URL with a password in it) is left out of\n"
        "    # the ValidationError's text, which ends up in the start-up logs of the failed deploy.\n"
        '    model_config = SettingsConfigDict(env_prefix="SHOP_", hide_input_in_errors=True)\n'
        "\n"
        "    database_url: MultiHostUrl = Field(",
        "the database URL is any multi-host URL (PostgresDsn's base class), so http:// and mysql:// URLs are accepted",
        requirement="settings-dsn",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-settings",
        'if any(host["password"] for host in url.hosts()):',
        'if any(host["username"] or host["password"] for host in url.hosts()):',
        "any user info is refused, so a URL with only a user name (no password) cannot be used",
        requirement="settings-dsn-no-password",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-settings",
        'raise ValueError("must not contain a password: put it in SHOP_DATABASE_PASSWORD")',
        'raise ValueError("must not contain a password")',
        "the refusal says what is wrong but not where the password goes, so the operator has to guess",
        requirement="settings-dsn-no-password",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-settings",
        'model_config = SettingsConfigDict(env_prefix="SHOP_", hide_input_in_errors=True)',
        'model_config = SettingsConfigDict(env_prefix="SHOP_")',
        "without hide_input_in_errors, a rejected secret (and every other input) is printed in the start-up error",
        requirement="settings-hide-input",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-settings",
        'raise ValueError("must not contain a password: put it in SHOP_DATABASE_PASSWORD")',
        'raise ValueError(f"{url} must not contain a password: put it in SHOP_DATABASE_PASSWORD")',
        "the error refusing a URL with a password quotes the URL, password and all",
        requirement="settings-hide-input",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-settings",
        "readiness_timeout_seconds: float = Field(default=1.0, gt=0, le=10)",
        "readiness_timeout_seconds: float = Field(default=1.0, ge=0, le=10)",
        "a readiness timeout of 0 is accepted, which fails every check",
        requirement="settings-timeout",
    ),
    # Task 9: health probes
    Mistake(
        LAB,
        "status-codes",
        "answer-health",
        '    return {"status": "alive"}',
        '    await database.ping()\n    return {"status": "alive"}',
        "liveness checks the database, so a database outage gets every replica restarted",
        requirement="live-always",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-health",
        '    return {"status": "ready", "checks": {"database": "up"}}',
        '    return {"status": "ready", "checks": {"database": "ok"}}',
        "the ready body says 'ok' instead of the 'up' the probe contract fixes",
        requirement="ready-up",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-health",
        "        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE\n",
        "",
        "readiness says 'unavailable' in the body but answers 200, so the orchestrator keeps sending traffic",
        requirement="ready-down",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-health",
        '    responses={503: {"description": "A dependency is down or too slow; send no traffic to this instance."}},\n',
        "",
        "the readiness probe's 503 is not documented, so the OpenAPI promises only a 200",
        requirement="ready-down",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-health",
        "    except Exception:  # a driver raises",
        "    except (ConnectionError, TimeoutError):  # a driver raises",
        "only connection errors count as 'not ready', so a driver's RuntimeError makes the probe answer 500",
        requirement="ready-down",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-health",
        "await asyncio.wait_for(db.ping(), timeout=settings.readiness_timeout_seconds)",
        "await asyncio.wait_for(db.ping(), timeout=1.0)",
        "the readiness timeout is written in the code instead of read from the settings",
        requirement="ready-timeout",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-health",
        "await asyncio.wait_for(db.ping(), timeout=settings.readiness_timeout_seconds)",
        "await db.ping()",
        "the ping has no timeout, so a database that hangs makes the probe hang",
        requirement="ready-timeout",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-health",
        'logger.warning("readiness check failed: the database did not answer", exc_info=True)',
        'logger.warning("readiness check failed: the database did not answer")',
        "a failed check is logged without its exception, so nobody can tell why the instance left the pool",
        requirement="ready-logged",
    ),
    # Task 10: documented v2 errors
    Mistake(
        LAB,
        "openapi",
        "answer-v2",
        '@router_v2.get("/{order_id}", responses=NOT_FOUND | INVALID_ID,',
        '@router_v2.get("/{order_id}", responses=NOT_FOUND,',
        "GET documents FastAPI's default 422 body, not the error envelope this app really sends",
        requirement="v2-errors-documented",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-v2",
        '        "model": ErrorEnvelope,\n        "description": "No order has this id.",',
        '        "description": "No order has this id.",',
        "the documented 404 has an example but no schema",
        requirement="v2-errors-documented",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-v2",
        '"description": "No order has this id.",',
        '"description": "Not Found",',
        "the 404 is described with its reason phrase, not with when it happens",
        requirement="v2-errors-described",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-v2",
        '@router_v2.get("/{order_id}", responses=NOT_FOUND | INVALID_ID,',
        '@router_v2.get("/{order_id}", responses=NOT_FOUND | INVALID_ORDER,',
        "one 422 example for every route: the GET's shows an error about the body field total, which a GET never sends",
        requirement="v2-422-examples-fit",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-v2",
        "OrderId = Annotated[int, Path(ge=1, le=MAX_ID,",
        "OrderId = Annotated[int, Path(ge=1,",
        "order ids have no upper bound, so 2147483648 reaches the database instead of answering 422",
        requirement="v2-id-bounds",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-v2",
        '@router_v2.post("", status_code=status.HTTP_201_CREATED,',
        '@router_v2.post("",',
        "POST answers 200 instead of 201 Created",
        requirement="v2-routes",
    ),
    # Task 11: deprecation
    Mistake(
        LAB,
        "openapi",
        "answer-v1",
        "        if path.startswith(V1_PREFIX):",
        "        if path.startswith(V1_PREFIX) and response.status_code < 400:",
        "only successful v1 answers carry the deprecation headers, not its 404s and 422s",
        requirement="dep-every-v1",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-v1",
        'V1_PREFIX, V2_PREFIX = "/api/v1/", "/api/v2/"',
        'V1_PREFIX, V2_PREFIX = "/api/v1", "/api/v2"',
        "the prefix has no trailing slash, so /api/v10/... is announced as deprecated v1 too",
        requirement="dep-only-v1",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-v1",
        "successor = quote(V2_PREFIX + path.removeprefix(V1_PREFIX))",
        "successor = V2_PREFIX + path.removeprefix(V1_PREFIX)",
        "the Link header copies the decoded path, so /api/v1/orders/%E2%82%AC (not Latin-1) crashes the answer",
        requirement="dep-link",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-v1",
        'response.headers["Sunset"] = format_datetime(V1_SUNSET_AT, usegmt=True)',
        'response.headers["Sunset"] = V1_SUNSET_AT.isoformat()',
        "Sunset is written in ISO 8601 instead of as an HTTP date",
        requirement="dep-values",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-v1",
        'tags=["orders v1"], deprecated=True)',
        'tags=["orders v1"])',
        "v1 sends deprecation headers but OpenAPI does not mark its operations deprecated",
        requirement="dep-openapi",
    ),
    Mistake(
        LAB,
        "openapi",
        "answer-v1",
        '@router_v1.get("/{order_id}", responses=NOT_FOUND | INVALID_ID,',
        '@router_v1.get("/{order_id}", responses=NOT_FOUND,',
        "v1 documents FastAPI's default 422 body instead of the error envelope",
        requirement="dep-v1-route",
    ),
    # Task 12: the assembled app
    Mistake(
        LAB,
        "logging",
        "answer-create-app",
        _MIDDLEWARE_ORDER,
        "    app.add_middleware(DeprecationHeadersMiddleware)\n"
        "    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)\n"
        "    app.add_middleware(RequestContextMiddleware)\n"
        "    app.add_middleware(CatchUnhandledErrors, logger=logger)\n",
        "the catch-all is added last (outermost, 'to catch everything'), so its 500 has no request id and no headers",
        requirement="app-crash-answer",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-create-app",
        _MIDDLEWARE_ORDER,
        "    app.add_middleware(DeprecationHeadersMiddleware)\n"
        "    app.add_middleware(CatchUnhandledErrors, logger=logger)\n"
        "    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)\n"
        "    app.add_middleware(RequestContextMiddleware)\n",
        "the deprecation middleware is added first, inside the catch-all, so a v1 crash loses its deprecation headers",
        requirement="app-deprecation",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-create-app",
        "    app.add_middleware(CatchUnhandledErrors, logger=logger)\n",
        '    app.add_middleware(CatchUnhandledErrors, logger=logging.getLogger("uvicorn.error"))\n',
        "crashes are logged on the server's logger, away from the app's JSON handler and its request ids",
        requirement="app-crash-logged",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-create-app",
        "app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)",
        "app.add_middleware(MetricsMiddleware, metrics=Metrics())",
        "the metrics middleware feeds a registry of its own, so /metrics (app.state.metrics) stays empty",
        requirement="app-crash-metrics",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-create-app",
        "    settings = settings if settings is not None else Settings()\n",
        "    settings = Settings()\n",
        "create_app ignores the settings it is given and always reads the environment",
        requirement="app-settings",
    ),
    Mistake(
        LAB,
        "logging",
        "answer-create-app",
        "    for router in (router_v1, router_v2, health_router, metrics_router):",
        "    for router in (router_v1, router_v2, health_router):",
        "the metrics router is never included, so /metrics is a 404",
        requirement="app-routers",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-create-app",
        "    settings = settings if settings is not None else Settings()\n",
        "    try:\n"
        "        settings = settings if settings is not None else Settings()\n"
        "    except ValidationError:\n"
        '        logger.warning("invalid settings; starting anyway")\n'
        "        settings = Settings.model_construct()\n",
        "the app starts even when the environment is missing or malformed",
        requirement="startup-refuses",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-create-app",
        "    settings = settings if settings is not None else Settings()\n",
        '    settings = settings if settings is not None else Settings(jwt_secret="dev-signing-key-0123456789abcdefXYZ")\n',
        "create_app pins a development signing key, so the environment cannot set or rotate it",
        requirement="startup-from-env",
    ),
    Mistake(
        LAB,
        "secrets",
        "answer-create-app",
        "    settings = settings if settings is not None else Settings()\n",
        "    settings = settings if settings is not None else Settings()\n"
        "    import os\n\n"
        '    logger.info("starting with %s", {k: v for k, v in os.environ.items() if k.startswith("SHOP_")})\n',
        "the environment is logged at start-up 'to debug the deploy', secrets and all",
        requirement="startup-no-leak",
    ),
]
