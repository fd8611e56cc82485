"""lab07_observability's assembled shop API, fuzzed against its own OpenAPI (see tests/test_fuzz.py).

The app reads its settings from SHOP_* variables (Task 12), so the prelude sets the valid
environment the lab's tests use, seeds the order store, and builds it once.
"""

# tests/fuzz.py compiles the cells under its own `from __future__ import annotations` (compile()
# inherits it unless told `dont_inherit=True`), so every pydantic model of the notebook has string
# annotations, which pydantic resolves in sys.modules["__main__"] (the harness, not the notebook's
# namespace): "`ErrorEnvelope` is not fully defined; you should define `Literal`". A notebook
# kernel has no such import. Until the harness passes dont_inherit=True, lend the harness module
# the notebook's names (only those it lacks), so the models build on first use.
PRELUDE = """
import sys as _sys
for _name, _value in list(globals().items()):
    _sys.modules["__main__"].__dict__.setdefault(_name, _value)
os.environ.update(VALID_ENV)
seed_orders()
database.is_up = True
shop_app = create_app()
"""

TARGETS = {"shop": "shop_app"}
