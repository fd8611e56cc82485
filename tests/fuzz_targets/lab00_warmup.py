"""The worked solution of lab00 fuzzed against its OpenAPI (tests/test_fuzz.py): the warm-up app."""

TARGETS = {"app": "app"}
# Two notes, so that fuzzed reads meet existing ones as well as missing ones.
PRELUDE = 'NOTES.update({1: {"id": 1, "text": "first"}, 2: {"id": 2, "text": "second"}})'
