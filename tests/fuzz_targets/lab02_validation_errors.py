"""lab02's assembled app, fuzzed against its own OpenAPI document (see tests/fuzz.py).

The store starts with one user, so reads and profile updates reach a row as well as a 404.
"""

TARGETS = {"app": "app"}
PRELUDE = "store.reset()\nseed_user()"
