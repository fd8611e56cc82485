"""lab03_security's worked solution as deployed: create_app with the two seeded accounts, tight login limits.

Requests carry an admin's access token (valid for the whole run) and the warehouse service's
API key, so the fuzzer reaches past the 401s into every route's validation and answers.
"""

TARGETS = {"shop": "fuzz_app"}

PRELUDE = """
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
