"""lab07_observability's assembled shop API, fuzzed against its own OpenAPI (see tests/test_fuzz.py).

The app reads its settings from SHOP_* variables (Task 12), so the prelude sets the valid
environment the lab's tests use, seeds the order store, and builds it once.
"""

PRELUDE = """
os.environ.update(VALID_ENV)
seed_orders()
database.is_up = True
shop_app = create_app()
"""

TARGETS = {"shop": "shop_app"}
