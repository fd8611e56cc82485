"""lab08_capstone: the assembled orders API, fuzzed with a staff token (staff reach every route).

The solution's cells have already made the login service's key pair (SHOP_JWT_PUBLIC_KEY in the
environment) and filled the database; the prelude resets it once more, so the fuzzer starts from
the catalogue and the three users whatever the tour cell did.
"""

PRELUDE = "await reset_database()"
TARGETS = {"create_app": "create_app()"}
HEADERS = "auth_headers(SAM, expires_in=3600)"
