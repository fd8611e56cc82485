"""Fuzz targets of lab06_async_realtime's worked solution (see tests/test_fuzz.py).

The shop app, with orders of two users in the database and a staff member's access token on
every request (staff may call every route; the routes' own 401 and 403 are documented and
tested by the lab), and the inventory app of Task 13, which needs no token.
"""

TARGETS = {"shop": "app", "inventory": "inventory_app"}

PRELUDE = """
await reset_db()
for user_id in (1, 2):
    await create_order_row(user_id=user_id, email=f"user{user_id}@example.com")
await engine.dispose()  # the fuzzer serves the app on an event loop of its own: start with a fresh pool
"""

HEADERS = 'auth_header(1, "staff")'
