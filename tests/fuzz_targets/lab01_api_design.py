"""The worked solution of lab01 fuzzed against its OpenAPI (tests/test_fuzz.py): the assembled app, v1 and v2."""

TARGETS = {"app": "app"}
# tests/fuzz.py compiles the notebook's cells under its own `from __future__ import annotations`
# (compile() inherits the caller's future flags), so the models' annotations become strings that
# Pydantic resolves in sys.modules["__main__"], which is the harness, not the notebook. Lending
# the harness the notebook's names lets them resolve as they do in a kernel. Then five products,
# so that fuzzed requests meet existing products as well as missing ones.
PRELUDE = """
import sys as _sys

for _name, _value in list(globals().items()):
    _sys.modules["__main__"].__dict__.setdefault(_name, _value)
seed(5)
"""
