"""Realistic wrong answers for lab03_security (see autograder.catalogue): one or more per requirement."""

from autograder.catalogue import Mistake

LAB = "lab03_security"


def mistake(key: str, cell: str, old: str, new: str, why: str, requirement: str) -> Mistake:
    return Mistake(LAB, key, cell, old, new, why, requirement=requirement)


SETTINGS = [
    mistake(
        "secrets",
        "answer-settings",
        "refresh_token_days: int = Field(default=7, ge=1, le=90)",
        'refresh_token_days: int = Field(default=7, ge=1, le=90, validation_alias="SHOP_REFRESH_DAYS")',
        "the code reads SHOP_REFRESH_DAYS while deployments set SHOP_REFRESH_TOKEN_DAYS, so the setting is silently ignored",
        "settings-from-env",
    ),
    mistake(
        "secrets",
        "answer-settings",
        'env_file=".env"',
        'env_file="shop.env"',
        "the settings read shop.env, not the .env file the deployment (and .gitignore) use",
        "settings-env-file",
    ),
    mistake(
        "secrets",
        "answer-settings",
        'secret_key: SecretStr = Field(description="Token signing key: 32 bytes or more of randomness.")',
        'secret_key: SecretStr = Field(default=SecretStr(secrets.token_urlsafe(48)), description="Token signing key.")',
        "a missing key falls back to a random one, so a deployment without its key starts and logs everyone out at every restart",
        "settings-key-required",
    ),
    mistake(
        "secrets",
        "answer-settings",
        "if len(value.encode()) < 32:",
        "if len(value) < 32:",
        "the key is measured in characters, not bytes: 16 two-byte characters (32 bytes) are refused",
        "settings-key-bytes",
    ),
    mistake(
        "secrets",
        "answer-settings",
        "if len(value.encode()) < 32:",
        "if len(value.encode()) <= 32:",
        "a key of exactly 32 bytes is refused (<= for <)",
        "settings-key-bytes",
    ),
    mistake(
        "secrets",
        "answer-settings",
        "if any(marker in value.lower() for marker in PLACEHOLDER_MARKERS):",
        "if any(marker in value for marker in PLACEHOLDER_MARKERS):",
        "placeholders are matched case-sensitively, so 'ChangeMe...' or 'my-SECRET-KEY-...' pass",
        "settings-placeholder",
    ),
    mistake(
        "secrets",
        "answer-settings",
        "        value = key.get_secret_value()\n",
        '        value = key.get_secret_value()\n        print(f"Loaded SHOP_SECRET_KEY={value}")\n',
        "a debugging print shows the signing key in the output (and so in the server's logs)",
        "settings-secretstr",
    ),
    mistake(
        "secrets",
        "answer-settings",
        "hide_input_in_errors=True",
        "hide_input_in_errors=False",
        "a refused key is quoted in the ValidationError message, which goes to the logs",
        "settings-hide-input",
    ),
    mistake(
        "secrets",
        "answer-settings",
        'if "*" in origins:',
        'if origins == ["*"]:',
        "only a lone '*' is refused; a list that also holds '*' is accepted",
        "settings-no-wildcard",
    ),
    mistake(
        "secrets",
        "answer-settings",
        "login_max_failures_per_address: int = Field(default=20,",
        "login_max_failures_per_address: int = Field(default=10,",
        "the per-address limit defaults to 10 instead of 20",
        "settings-defaults",
    ),
    mistake(
        "secrets",
        "answer-settings",
        "service_api_keys: dict[str, SecretStr]",
        "service_api_keys: dict[str, str]",
        "service keys are plain strings, so they show in repr() and logs",
        "settings-service-keys",
    ),
    mistake(
        "secrets",
        "answer-settings",
        "access_token_minutes: int = Field(default=15, ge=1, le=60)",
        "access_token_minutes: int = Field(default=15, ge=1, lt=60)",
        "60 minutes is refused (lt for le), although the range includes it",
        "settings-bounds-access",
    ),
    mistake(
        "secrets",
        "answer-settings",
        "refresh_token_days: int = Field(default=7, ge=1, le=90)",
        "refresh_token_days: int = Field(default=7, gt=1, le=90)",
        "one day is refused (gt for ge)",
        "settings-bounds-refresh",
    ),
    mistake(
        "secrets",
        "answer-settings",
        "login_max_failures: int = Field(default=5, ge=1, le=100,",
        "login_max_failures: int = Field(default=5, ge=0, le=100,",
        "0 failures per account is accepted, which locks every account on its first login",
        "settings-bounds-account",
    ),
    mistake(
        "secrets",
        "answer-settings",
        "login_max_failures_per_address: int = Field(default=20, ge=1, le=10_000,",
        "login_max_failures_per_address: int = Field(default=20, ge=1,",
        "the per-address limit has no upper bound",
        "settings-bounds-address",
    ),
    mistake(
        "secrets",
        "answer-settings",
        "login_window_seconds: int = Field(default=300, ge=1, le=86_400)",
        "login_window_seconds: int = Field(default=300, ge=1, le=24 * 60)",
        "a day written in minutes: windows up to 86400 seconds are refused",
        "settings-bounds-window",
    ),
]

PASSWORDS = [
    mistake(
        "auth",
        "answer-passwords",
        "memory_cost=8 * 1024",
        "memory_cost=8",
        "memory_cost counts KiB: 8 is 8 KiB, not the 8 MiB the task asks for",
        "passwords-argon2id",
    ),
    mistake(
        "auth",
        "answer-passwords",
        "return password_hash.hash(password)",
        'return password_hash.hash(password, salt=b"shop-api-salt-16")',
        "one fixed salt for every password: equal passwords get equal hashes",
        "passwords-salted",
    ),
    mistake(
        "auth",
        "answer-passwords",
        "return password_hash.verify(password, hashed)",
        "return password_hash.verify(password.strip(), hashed)",
        "the password is trimmed before verifying, so 'password ' verifies for 'password'",
        "passwords-verify-exact",
    ),
    mistake(
        "auth",
        "answer-passwords",
        "    return user if verify_password(password, user.password_hash) else None",
        "    verify_password(password, user.password_hash)  # raises when wrong (it does not: it returns False)\n    return user",
        "verify's result is ignored, as if it raised on a wrong password like argon2-cffi: any password works",
        "authenticate-result",
    ),
    mistake(
        "auth",
        "answer-passwords",
        "        verify_password(password, DUMMY_HASH)  # as slow as a real check, so timing reveals nothing\n",
        "",
        "a missing user returns at once, so response times reveal which usernames exist",
        "authenticate-same-work",
    ),
    mistake(
        "auth",
        "answer-passwords",
        "    return user if verify_password(password, user.password_hash) else None",
        "    if verify_password(password, user.password_hash):\n        return user\n"
        "    verify_password(password, DUMMY_HASH)\n    return None",
        "a wrong password runs two verifications, so it is slower than an unknown user",
        "authenticate-same-work",
    ),
]

TOKENS = [
    mistake(
        "auth",
        "answer-tokens",
        '"role": user.role,',
        '"roles": [user.role],',
        "the access token carries 'roles' instead of the 'role' claim",
        "tokens-access-claims",
    ),
    mistake(
        "auth",
        "answer-tokens",
        "expires = issued_at + timedelta(minutes=settings.access_token_minutes)",
        "expires = issued_at + timedelta(minutes=15)",
        "the access token lifetime is hard-coded to 15 minutes instead of following the settings",
        "tokens-access-lifetime",
    ),
    mistake(
        "auth",
        "answer-tokens",
        "expires = issued_at + timedelta(days=settings.refresh_token_days)",
        "expires = issued_at + timedelta(days=7)",
        "the refresh token lifetime is hard-coded to 7 days instead of following the settings",
        "tokens-refresh-claims",
    ),
    mistake(
        "auth",
        "answer-tokens",
        "token_id = uuid4().hex",
        'token_id = f"{user.id}-{int(issued_at.timestamp())}"',
        "the jti is made of the user id and the second, so two refresh tokens made in one second share it",
        "tokens-refresh-jti",
    ),
    mistake(
        "auth",
        "answer-tokens",
        '{"sub": str(user.id), "type": "refresh"',
        '{"sub": user.id, "type": "refresh"',
        "the refresh token's sub is an int: jwt.encode signs it, jwt.decode refuses it",
        "tokens-sub-string",
    ),
    mistake(
        "auth",
        "answer-tokens",
        "algorithms=[ALGORITHM],",
        'algorithms=[jwt.get_unverified_header(token)["alg"]],',
        "the algorithm is taken from the token's own header, so a token picks how it is checked",
        "tokens-alg-pinned",
    ),
    mistake(
        "auth",
        "answer-tokens",
        '"verify_exp": False, "verify_iat": False}',
        '"verify_exp": False, "verify_iat": False, "verify_signature": False}',
        "signature checking is switched off, so anyone can forge a token",
        "tokens-signature",
    ),
    mistake(
        "auth",
        "answer-tokens",
        '"require": ["exp", "iat", "sub", "type"]',
        '"require": ["exp", "sub"]',
        "only exp and sub are required: a token without iat or type ends in a KeyError",
        "tokens-required-claims",
    ),
    mistake(
        "auth",
        "answer-tokens",
        "current = now().timestamp()",
        "current = utc_now().timestamp()",
        "the time comes from the machine's clock, not the injected now()",
        "tokens-clock",
    ),
    mistake(
        "auth",
        "answer-tokens",
        ', "verify_exp": False, "verify_iat": False}',
        "}",
        "PyJWT's own exp and iat checks stay on, and they read the machine's clock",
        "tokens-clock",
    ),
    mistake(
        "auth",
        "answer-tokens",
        "if current >= expires_at:",
        "if current > expires_at:",
        "a token is still accepted at exp exactly (> for >=)",
        "tokens-exp-edge",
    ),
    mistake(
        "auth",
        "answer-tokens",
        "if current < issued_at:",
        "if current < issued_at - 60:",
        "a minute of leeway: a token issued up to a minute in the future is accepted",
        "tokens-iat-future",
    ),
    mistake(
        "auth",
        "answer-tokens",
        'if claims["type"] != expected_type:',
        'if claims["type"] not in ("access", "refresh"):',
        "any known type is accepted, so a refresh token works as an access token",
        "tokens-type",
    ),
    mistake(
        "auth",
        "answer-tokens",
        '    try:\n        issued_at, expires_at = int(claims["iat"]), int(claims["exp"])\n'
        "    except (TypeError, ValueError, OverflowError):\n"
        '        raise jwt.InvalidTokenError("iat and exp must be numbers of seconds") from None\n',
        '    issued_at, expires_at = claims["iat"], claims["exp"]\n',
        "exp and iat are compared as they are, so a non-number raises TypeError (a 500), not InvalidTokenError",
        "tokens-errors-one-class",
    ),
]

LOGIN = [
    mistake(
        "auth",
        "answer-login",
        "expires_in=settings.access_token_minutes * 60,",
        "expires_in=settings.access_token_minutes,",
        "expires_in is given in minutes, not seconds",
        "login-pair",
    ),
    mistake(
        "auth",
        "answer-login",
        "refresh_token=create_refresh_token(user, settings, issued_at),",
        "refresh_token=create_access_token(user, settings, issued_at),",
        "the refresh token is a copy-pasted access token, never remembered as usable",
        "login-refresh-remembered",
    ),
    mistake(
        "auth",
        "answer-login",
        "    user = await run_in_threadpool(authenticate, form.username, form.password)\n",
        "    if user_store.by_username(form.username) is None:\n"
        '        raise credentials_error("No account with this username")\n'
        "    user = await run_in_threadpool(authenticate, form.username, form.password)\n",
        "an unknown username gets its own message, which tells attackers which accounts exist",
        "login-same-401",
    ),
    mistake(
        "auth",
        "answer-login",
        '        raise credentials_error("Incorrect username or password")',
        '        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="Incorrect username or password")',
        "the login's 401 has no WWW-Authenticate: Bearer challenge",
        "login-same-401",
    ),
    mistake(
        "auth",
        "answer-login",
        "return issue_tokens(user, settings, clock())",
        "return issue_tokens(user, settings, utc_now())",
        "the tokens are issued at the machine's time, not the injected clock's",
        "login-clock",
    ),
    mistake(
        "auth",
        "answer-login",
        "user = await run_in_threadpool(authenticate, form.username, form.password)",
        "user = authenticate(form.username, form.password)",
        "Argon2 runs on the event loop inside an async handler, blocking every other request",
        "login-off-loop",
    ),
    mistake(
        "auth",
        "answer-login",
        '@auth_router.post("/token", responses=UNAUTHORIZED | INVALID | TOO_MANY_ATTEMPTS,',
        '@auth_router.post("/token", responses=UNAUTHORIZED,',
        "the login documents its 401 but not its 422 envelope nor the throttle's 429",
        "login-openapi",
    ),
]

CURRENT_USER = [
    mistake(
        "auth",
        "answer-current-user",
        "async def read_me(user: CurrentUser) -> Envelope[UserOut]:\n"
        '    """The account the access token belongs to."""\n'
        "    return Envelope[UserOut](data=UserOut(**user.model_dump()),",
        "async def read_me(user: CurrentUser) -> Envelope[User]:\n"
        '    """The account the access token belongs to."""\n'
        "    return Envelope[User](data=user,",
        "GET /me returns the stored account, password hash included",
        "me-profile",
    ),
    mistake(
        "auth",
        "answer-current-user",
        "except (jwt.InvalidTokenError, ValueError):",
        "except jwt.ExpiredSignatureError:",
        "only an expired token is caught: a malformed or forged one ends in a 500",
        "me-401-every-bad",
    ),
    mistake(
        "auth",
        "answer-current-user",
        "except (jwt.InvalidTokenError, ValueError):",
        "except jwt.InvalidTokenError:",
        "a sub that is not a number raises ValueError, a 500 instead of a 401",
        "me-401-every-bad",
    ),
    mistake(
        "auth",
        "answer-current-user",
        '    if user is None:\n        raise credentials_error("Invalid or expired access token")',
        '    if user is None:\n        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="This account no longer exists")',
        "the 401 for a deleted account has no WWW-Authenticate: Bearer challenge",
        "me-401-challenge",
    ),
    mistake(
        "auth",
        "answer-current-user",
        '"access", now=clock)',
        '"access", now=utc_now)',
        "tokens are checked on the machine's clock, not the app's: a token the app issued on its clock is refused",
        "me-clock",
    ),
]

ADMIN = [
    mistake(
        "status-codes",
        "answer-admin",
        "raise HTTPException(status.HTTP_403_FORBIDDEN,",
        "raise HTTPException(status.HTTP_401_UNAUTHORIZED,",
        "a signed-in customer without the role gets 401 (log in again) instead of 403 (not allowed)",
        "admin-401-vs-403",
    ),
    mistake(
        "status-codes",
        "answer-admin",
        "async def list_accounts(admin: AdminUser) -> Envelope[list[UserOut]]:\n"
        '    """Every account, for administrators."""\n'
        "    accounts = [UserOut(**user.model_dump()) for user in user_store.all()]\n"
        "    return Envelope[list[UserOut]](",
        "async def list_accounts(admin: AdminUser) -> Envelope[list[User]]:\n"
        '    """Every account, for administrators."""\n'
        "    accounts = user_store.all()\n"
        "    return Envelope[list[User]](",
        "the admin list returns the stored accounts, password hashes included",
        "admin-list",
    ),
    mistake(
        "status-codes",
        "answer-admin",
        "def require_admin(user: CurrentUser) -> User:\n"
        '    """The current user if they are an admin; 403 for everyone else (they are known, just not allowed)."""\n'
        '    if user.role != "admin":',
        "def require_admin(user: CurrentUser, token: Annotated[str, Depends(oauth2_scheme)], settings: SettingsDep) -> User:\n"
        '    """The current user if their token says admin; 403 for everyone else."""\n'
        '    if jwt.decode(token, settings.secret_key.get_secret_value(), algorithms=["HS256"]).get("role") != "admin":',
        "the role is read from the token's claim, so a demoted admin keeps access until the token expires",
        "admin-role-from-store",
    ),
]

REFRESH = [
    mistake(
        "auth",
        "answer-refresh",
        "    return issue_tokens(user, settings, clock())",
        "    return TokenPair(\n"
        "        access_token=create_access_token(user, settings, clock()),\n"
        "        refresh_token=body.refresh_token,\n"
        "        expires_in=settings.access_token_minutes * 60,\n"
        "    )",
        "only the access token is renewed; the same refresh token is handed back",
        "refresh-rotate",
    ),
    mistake(
        "auth",
        "answer-refresh",
        'if not refresh_token_store.use(str(claims.get("jti", ""))):',
        'if not claims.get("jti"):',
        "the jti is only checked for presence, never spent: a refresh token works again and again",
        "refresh-single-use",
    ),
    mistake(
        "auth",
        "answer-refresh",
        "except (jwt.InvalidTokenError, ValueError):",
        "except jwt.ExpiredSignatureError:",
        "only an expired refresh token is caught: garbage or a forged one ends in a 500",
        "refresh-401-every-bad",
    ),
    mistake(
        "auth",
        "answer-refresh",
        '    if user is None:\n        raise credentials_error("Invalid or expired refresh token")',
        '    if user is None:\n        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="This account no longer exists")',
        "the 401 for a deleted account has no WWW-Authenticate: Bearer challenge",
        "refresh-401-every-bad",
    ),
    mistake(
        "auth",
        "answer-refresh",
        "refresh_token_store.revoke_user(user_id)",
        'refresh_token_store.revoke_user(claims["sub"])',
        "the revocation gets the string sub, not the int id, so it revokes nothing",
        "refresh-reuse-revokes",
    ),
    mistake(
        "auth",
        "answer-refresh",
        '"refresh", now=clock)',
        '"refresh", now=utc_now)',
        "refresh tokens are checked on the machine's clock, not the app's",
        "refresh-clock",
    ),
    mistake(
        "auth",
        "answer-refresh",
        "refresh_token: str = Field(min_length=1)",
        "refresh_token: str | None = None",
        "the refresh token is optional in the body, so a body without it is a 401 instead of a 422",
        "refresh-body",
    ),
]

API_KEY = [
    mistake(
        "auth",
        "answer-api-key",
        "counts[user.role] += 1",
        "counts[user.role] = 1",
        "each role is counted as 1 however many accounts have it",
        "apikey-stats",
    ),
    mistake(
        "auth",
        "answer-api-key",
        'headers={"WWW-Authenticate": "APIKey"}',
        'headers={"WWW-Authenticate": "Bearer"}',
        "a wrong API key is challenged with Bearer instead of APIKey",
        "apikey-401",
    ),
    mistake(
        "auth",
        "answer-api-key",
        "if secrets.compare_digest(sent, expected.get_secret_value().encode()):",
        "if sent == expected.get_secret_value().encode():",
        "API keys compared with ==, which leaks through timing how much of a guess was right",
        "apikey-constant-time",
    ),
    mistake(
        "auth",
        "answer-api-key",
        "    for service, expected in settings.service_api_keys.items():\n"
        "        if secrets.compare_digest(sent, expected.get_secret_value().encode()):\n"
        "            return service\n",
        '    expected = settings.service_api_keys.get("warehouse")\n'
        "    if expected is not None and secrets.compare_digest(sent, expected.get_secret_value().encode()):\n"
        '        return "warehouse"\n',
        "only the warehouse key is checked, so any other configured service is refused",
        "apikey-service-name",
    ),
    mistake(
        "auth",
        "answer-api-key",
        "for service, expected in settings.service_api_keys.items():",
        "for service, expected in Settings().service_api_keys.items():",
        "the keys are read from the environment again, not from the app's settings",
        "apikey-from-settings",
    ),
]

AVATAR = [
    mistake(
        "injection",
        "answer-avatar",
        "if len(content) > MAX_AVATAR_BYTES:",
        "if len(content) >= MAX_AVATAR_BYTES:",
        "an avatar of exactly 64 KiB is refused (>= for >)",
        "avatar-size",
    ),
    mistake(
        "injection",
        "answer-avatar",
        "content = await file.read(MAX_AVATAR_BYTES + 1)",
        "content = await file.read()",
        "the whole upload is read into memory before its size is checked",
        "avatar-read-bounded",
    ),
    mistake(
        "injection",
        "answer-avatar",
        "media_type = sniff_image_type(content)",
        'media_type = file.content_type if (file.filename or "").lower().endswith((".png", ".jpg", ".jpeg", ".webp")) else None',
        "the type is taken from the name and declared Content-Type, so a disguised HTML file is accepted",
        "avatar-sniff",
    ),
    mistake(
        "injection",
        "answer-avatar",
        'if content[:4] == b"RIFF" and content[8:12] == b"WEBP":',
        'if content[:4] == b"RIFF":',
        "any RIFF file (a WAV sound, say) passes as WebP",
        "avatar-sniff",
    ),
    mistake(
        "injection",
        "answer-avatar",
        "    content = await file.read(MAX_AVATAR_BYTES + 1)\n",
        "    content = await file.read(MAX_AVATAR_BYTES + 1)\n"
        '    avatar_store[user.id] = (file.content_type or "application/octet-stream", content)\n',
        "the upload is stored before it is checked, so a refused one replaces the avatar",
        "avatar-stored-last",
    ),
    mistake(
        "injection",
        "answer-avatar",
        "data=AvatarOut(media_type=media_type, size=len(content))",
        "data=AvatarOut(media_type=file.content_type or media_type, size=len(content))",
        "the answer repeats the declared Content-Type instead of the detected type",
        "avatar-out",
    ),
]

HEADERS = [
    mistake(
        "injection",
        "answer-headers",
        '"Strict-Transport-Security": "max-age=63072000; includeSubDomains",',
        '"Strict-Transport-Security": "max-age=86400",',
        "HSTS lasts a day and leaves subdomains out, instead of the two years of the table",
        "headers-values",
    ),
    mistake(
        "injection",
        "answer-headers",
        "        response = await call_next(request)\n",
        "        response = await call_next(request)\n        if response.status_code >= 400:\n            return response\n",
        "error responses (a 401, a 404, a crash's 500) get no security headers",
        "headers-on-errors",
    ),
    mistake(
        "injection",
        "answer-headers",
        "response.headers.setdefault(name, value)",
        "response.headers[name] = value",
        "the middleware overwrites a header a route set on purpose",
        "headers-keep-own",
    ),
    mistake(
        "injection",
        "answer-headers",
        "request.url.path in DOCS_PATHS",
        'request.url.path == "/docs"',
        "only /docs gets the docs policy: its OAuth2 redirect page and ReDoc stay blocked",
        "headers-docs-csp",
    ),
]

THROTTLE = [
    mistake(
        "status-codes",
        "answer-throttle",
        'if request.method != "POST" or request.url.path != self.path:',
        'if not request.url.path.startswith("/api/v1/auth"):',
        "every request under /api/v1/auth is throttled and counted, refreshes and GETs included",
        "throttle-scope",
    ),
    mistake(
        "status-codes",
        "answer-throttle",
        'limits = {f"account:{username}": self.max_failures, f"address:{address}": self.max_failures_per_address}',
        'limits = {f"address:{address}": self.max_failures_per_address}',
        "failures are counted per address only: a botnet tries one account from many addresses unhindered",
        "throttle-account",
    ),
    mistake(
        "status-codes",
        "answer-throttle",
        'limits = {f"account:{username}": self.max_failures, f"address:{address}": self.max_failures_per_address}',
        'limits = {f"account:{username}": self.max_failures}',
        "failures are counted per account only: one address may try a thousand accounts",
        "throttle-address",
    ),
    mistake(
        "status-codes",
        "answer-throttle",
        "if response.status_code == status.HTTP_401_UNAUTHORIZED:",
        "if response.status_code >= 400:",
        "any error counts as a failed login, a 422 for a missing field included",
        "throttle-only-401",
    ),
    mistake(
        "status-codes",
        "answer-throttle",
        "        wait = max([await self.seconds_to_wait(key, limit, now) for key, limit in limits.items()])\n"
        "        if wait:\n"
        "            return error_response(\n"
        "                status.HTTP_429_TOO_MANY_REQUESTS,\n"
        '                "Too many failed logins; try again later",\n'
        '                headers={"Retry-After": str(wait)},\n'
        "            )\n"
        "        response = await call_next(request)\n",
        "        response = await call_next(request)  # run the login, then decide what to answer\n"
        "        wait = max([await self.seconds_to_wait(key, limit, now) for key, limit in limits.items()])\n"
        "        if wait:\n"
        "            return error_response(\n"
        "                status.HTTP_429_TOO_MANY_REQUESTS,\n"
        '                "Too many failed logins; try again later",\n'
        '                headers={"Retry-After": str(wait)},\n'
        "            )\n",
        "the limit is checked after the login ran, so a locked client's passwords are still checked",
        "throttle-not-run",
    ),
    mistake(
        "status-codes",
        "answer-throttle",
        "        if wait:\n            return error_response(",
        "        if wait:\n"
        "            for key in limits:\n"
        "                await self.store.add(key, now, self.window)\n"
        "            return error_response(",
        "every refused attempt counts as a failure, so a client that keeps trying is never let in",
        "throttle-refusal-not-counted",
    ),
    mistake(
        "status-codes",
        "answer-throttle",
        "        recent = [moment for moment in await self.store.times(key) if now - moment < self.window]\n"
        "        if len(recent) < limit:\n"
        "            return 0\n"
        "        return ceil((recent[0] + self.window - now).total_seconds())",
        "        recent = [moment for moment in await self.store.times(key) if now - moment <= self.window]\n"
        "        if len(recent) < limit:\n"
        "            return 0\n"
        "        return max(1, ceil((recent[0] + self.window - now).total_seconds()))",
        "a failure still counts when it is exactly window_seconds old (<= for <), so the edge second is refused",
        "throttle-window-edge",
    ),
    mistake(
        "status-codes",
        "answer-throttle",
        "return ceil((recent[0] + self.window - now).total_seconds())",
        "return ceil((recent[-1] + self.window - now).total_seconds())",
        "Retry-After counts from the newest failure instead of the oldest",
        "throttle-retry-after",
    ),
    mistake(
        "status-codes",
        "answer-throttle",
        "return ceil((recent[0] + self.window - now).total_seconds())",
        "return max(1, int((recent[0] + self.window - now).total_seconds()))",
        "Retry-After is rounded down, so a client that obeys it comes back too early",
        "throttle-retry-after",
    ),
    mistake(
        "status-codes",
        "answer-throttle",
        "            return error_response(\n"
        "                status.HTTP_429_TOO_MANY_REQUESTS,\n"
        '                "Too many failed logins; try again later",\n'
        '                headers={"Retry-After": str(wait)},\n'
        "            )",
        '            return JSONResponse({"detail": "Too many failed logins"}, status_code=429, headers={"Retry-After": str(wait)})',
        "the 429 is FastAPI's default {'detail': ...} body, not the error envelope",
        "throttle-envelope",
    ),
    mistake(
        "status-codes",
        "answer-throttle",
        "now = self.clock()",
        "now = datetime.now(UTC)",
        "the throttle reads the machine's clock instead of the one it was given",
        "throttle-clock",
    ),
    mistake(
        "status-codes",
        "answer-throttle",
        "self.store = store",
        "self.store = MemoryFailureStore()",
        "each middleware keeps its own counts, so each worker process allows the limit again",
        "throttle-store",
    ),
    mistake(
        "status-codes",
        "answer-throttle",
        "        await request.body()  # cached, so the login route still receives the body after form() below\n",
        "",
        "the form is read with form() alone, so the login route behind the middleware gets an empty body (422)",
        "throttle-body-replay",
    ),
    mistake(
        "status-codes",
        "answer-throttle",
        'address = request.client.host if request.client else "unknown"',
        'address = request.headers.get("x-forwarded-for", request.client.host if request.client else "unknown")',
        "the address is read from X-Forwarded-For, which any client can set: an attacker rotates it to escape the limit",
        "throttle-proxy",
    ),
]

CORS = [
    mistake(
        "auth",
        "answer-cors",
        "allow_origins=settings.allowed_origins,",
        "allow_origins=Settings().allowed_origins,",
        "the allow-list is read from the environment again, not from the settings given",
        "cors-allow-list",
    ),
    mistake(
        "auth",
        "answer-cors",
        "allow_origins=settings.allowed_origins,",
        'allow_origins=["*"],',
        "CORS allows every origin, so any website can script the API from a user's browser",
        "cors-refuse-others",
    ),
    mistake(
        "auth",
        "answer-cors",
        'allow_methods=["GET", "POST", "PUT", "DELETE"],',
        'allow_methods=["GET", "POST"],',
        "PUT and DELETE are not allowed, so the front-end cannot upload an avatar or delete",
        "cors-preflight",
    ),
    mistake(
        "auth",
        "answer-cors",
        'allow_methods=["GET", "POST", "PUT", "DELETE"],',
        'allow_methods=["*"],',
        "every method is allowed, PATCH included",
        "cors-methods-only",
    ),
    mistake(
        "auth",
        "answer-cors",
        'allow_headers=["Authorization", "Content-Type"],',
        'allow_headers=["*"],',
        "every request header is allowed, the internal X-API-Key included",
        "cors-headers-only",
    ),
    mistake(
        "auth",
        "answer-cors",
        'expose_headers=["Retry-After"],',
        'expose_headers=["Retry-After"],\n        allow_credentials=True,',
        "credentials (cookies) are allowed although tokens travel in a header",
        "cors-no-credentials",
    ),
    mistake(
        "auth",
        "answer-cors",
        '        allow_headers=["Authorization", "Content-Type"],\n        expose_headers=["Retry-After"],\n',
        '        allow_headers=["Authorization", "Content-Type", "Retry-After"],\n',
        "Retry-After is put among the allowed request headers instead of the exposed response headers",
        "cors-expose-retry-after",
    ),
]

# create_app's middleware, as the worked solution adds them (innermost first)
CATCH = (
    "    app.add_middleware(CatchUnhandledErrors, logger=error_logger)  # innermost: a crash becomes a 500 in here\n"
)
THROTTLE_BLOCK = (
    "    app.add_middleware(\n"
    "        LoginThrottle,\n"
    '        path="/api/v1/auth/token",\n'
    "        store=failure_store if failure_store is not None else MemoryFailureStore(),\n"
    "        max_failures=settings.login_max_failures,\n"
    "        max_failures_per_address=settings.login_max_failures_per_address,\n"
    "        window_seconds=settings.login_window_seconds,\n"
    "        clock=clock,\n"
    "    )\n"
)
HEADERS_LINE = "    add_security_headers(app)  # outside the throttle: a 429 carries the headers too\n"
CORS_LINE = (
    "    add_cors(app, settings)  # outermost: answers preflights, and decorates every answer, errors included\n"
)
MIDDLEWARE = CATCH + THROTTLE_BLOCK + HEADERS_LINE + CORS_LINE

FACTORY = [
    mistake(
        "injection",
        "answer-app",
        "app.state.clock = clock",
        "app.state.clock = utc_now",
        "the app keeps the real clock, whatever clock create_app was given",
        "factory-state",
    ),
    mistake(
        "injection",
        "answer-app",
        "for router in (auth_router, users_router, admin_router, service_router):",
        "for router in (auth_router, users_router, admin_router):",
        "the internal service router is not included",
        "factory-routers",
    ),
    mistake(
        "injection",
        "answer-app",
        CATCH,
        "    async def unhandled(request: Request, exc: Exception) -> JSONResponse:\n"
        '        error_logger.exception("unhandled error on %s %s", request.method, request.url.path)\n'
        '        return JSONResponse({"data": None, "message": "Internal server error", "status": "error"}, status_code=500)\n'
        "\n"
        "    app.add_exception_handler(Exception, unhandled)\n",
        "the 500 comes from app.add_exception_handler(Exception, ...), which Starlette serves outside every "
        "middleware, so it has no security or CORS headers",
        "factory-errors-inside",
    ),
    mistake(
        "injection",
        "answer-app",
        MIDDLEWARE,
        THROTTLE_BLOCK
        + HEADERS_LINE
        + CORS_LINE
        + "    app.add_middleware(CatchUnhandledErrors, logger=error_logger)\n",
        "CatchUnhandledErrors is added last, so it is the outermost layer and its 500 skips every other middleware",
        "factory-errors-inside",
    ),
    mistake(
        "injection",
        "answer-app",
        MIDDLEWARE,
        CATCH + HEADERS_LINE + THROTTLE_BLOCK + CORS_LINE,
        "the throttle is added after (outside) the security headers, so its 429 has none",
        "factory-headers-on-429",
    ),
    mistake(
        "injection",
        "answer-app",
        MIDDLEWARE,
        CATCH + CORS_LINE + THROTTLE_BLOCK + HEADERS_LINE,
        "CORS is added before the throttle, so a 429 (and a crash) reaches the browser without CORS headers",
        "factory-cors-outermost",
    ),
    mistake(
        "injection",
        "answer-app",
        "        max_failures=settings.login_max_failures,\n"
        "        max_failures_per_address=settings.login_max_failures_per_address,\n",
        "        max_failures=5,\n        max_failures_per_address=20,\n",
        "the throttle's limits are the defaults written in code, not the settings",
        "factory-throttle-wired",
    ),
    mistake(
        "injection",
        "answer-app",
        "        window_seconds=settings.login_window_seconds,\n        clock=clock,\n",
        "        window_seconds=settings.login_window_seconds,\n",
        "the throttle is not given the app's clock, so it falls back to the machine's",
        "factory-throttle-wired",
    ),
    mistake(
        "injection",
        "answer-app",
        "store=failure_store if failure_store is not None else MemoryFailureStore(),",
        "store=MemoryFailureStore(),",
        "the given failure_store is ignored, so each worker counts failures on its own",
        "factory-store",
    ),
    mistake(
        "injection",
        "answer-app",
        "add_cors(app, settings)",
        "add_cors(app, Settings())",
        "create_app reads the environment for CORS instead of the settings it was given",
        "factory-no-env",
    ),
]

ENTRY = [
    mistake(
        "secrets",
        "answer-entry-point",
        "return create_app(Settings())",
        'return create_app(Settings(secret_key="k8Jq2vN5xR1tW7zB4mC9pL6sD3fG0hY2"))',
        "the entry point pins a signing key in code, so the environment cannot change or rotate it",
        "entry-key-from-env",
    ),
    mistake(
        "secrets",
        "answer-entry-point",
        "def app_from_environment() -> FastAPI:\n"
        '    """The production entry point (uvicorn shop:app_from_environment --factory): settings from the environment only."""\n'
        "    return create_app(Settings())",
        "LOADED_SETTINGS = Settings()  # read once, when the module loads\n\n\n"
        "def app_from_environment() -> FastAPI:\n"
        '    """The production entry point."""\n'
        "    return create_app(LOADED_SETTINGS)",
        "the settings are read once, when the code loads, so a changed key needs more than a new app",
        "entry-key-from-env",
    ),
    mistake(
        "secrets",
        "answer-entry-point",
        "    return create_app(Settings())",
        "    try:\n"
        "        settings = Settings()\n"
        "    except ValidationError:  # keep the shop up: sign with a random key until someone fixes the configuration\n"
        "        settings = Settings(secret_key=secrets.token_urlsafe(48))\n"
        "    return create_app(settings)",
        "a refused key is replaced by a random one, so a broken deployment starts instead of failing loudly",
        "entry-refuses-bad-key",
    ),
    mistake(
        "secrets",
        "answer-entry-point",
        "return create_app(Settings())",
        'return create_app(Settings(allowed_origins=["https://shop.example.com"]))',
        "the production front-end is pinned in code, so SHOP_ALLOWED_ORIGINS is ignored",
        "entry-settings-from-env",
    ),
]

MISTAKES = SETTINGS + PASSWORDS + TOKENS + LOGIN + CURRENT_USER + ADMIN + REFRESH + API_KEY + AVATAR + HEADERS
MISTAKES += THROTTLE + CORS + FACTORY + ENTRY
