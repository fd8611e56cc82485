"""lab04's worked solution, fuzzed through its real wiring: its lifespan's engine and its own get_session.

The prelude gives the app a fresh database (the lab's schema) with a customer and two products,
so orders can succeed as well as fail, then drops the session override that the lab's tests install.
"""

PRELUDE = """
fuzz_database = fresh_database()
app.dependency_overrides.clear()
fuzz_database.add_customer("fuzz@example.com", "Fuzz")
fuzz_database.add_product("FUZZ-1", "Fuzzy mug", price_cents=900, stock=1000)
fuzz_database.add_product("FUZZ-2", "Crème brûlée cup", price_cents=450, stock=3, category="cups")
"""

TARGETS = {"app": "app"}
