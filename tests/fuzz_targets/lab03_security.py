"""lab03_security's worked solution as deployed: create_app with the two seeded accounts, tight login limits.

Requests carry an admin's access token (valid for the whole run) and the warehouse service's
API key, so the fuzzer reaches past the 401s into every route's validation and answers.
"""

TARGETS = {"shop": "fuzz_app"}

PRELUDE = """
# tests/fuzz.py compiles the cells without dont_inherit=True, so its own `from __future__ import
# annotations` turns every annotation into a string that pydantic then looks up in the harness's
# module, where `Literal` and the notebook's models are missing. Run the cells again, compiled clean.
import sys as _sys

import nbformat as _nbformat

from labkit.notebooks import is_autograded_test as _is_test

for _cell in _nbformat.read(_sys.argv[1], as_version=4).cells:
    if _cell.cell_type == "code" and not _is_test(_cell):
        exec(compile(_cell.source, "<cell>", "exec", dont_inherit=True), globals())
seed_users()
fuzz_settings = Settings()
# tight throttle limits, so that the fuzzer meets the 429 and checks that it is documented too
fuzz_app = create_app(fuzz_settings.model_copy(update={"login_max_failures": 2, "login_max_failures_per_address": 3}))
fuzz_token = create_access_token(
    user_store.by_username("root"), fuzz_settings.model_copy(update={"access_token_minutes": 60}), utc_now()
)
"""

HEADERS = (
    '{"Authorization": f"Bearer {fuzz_token}",'
    ' "X-API-Key": fuzz_settings.service_api_keys["warehouse"].get_secret_value()}'
)
