"""Work nbgrader repeats for every submission that a long-lived grading process can do once.

A grading process (:mod:`autograder.grading.process`) grades submission after submission,
so what nbgrader recomputes each time and never changes is computed once here:

- ``jsonschema.validate(metadata, schema)``, which nbgrader calls for every cell's metadata
  (twice a submission), first checks the *schema* itself against its meta-schema, then
  builds a validator: most of the cost, for a schema that is a constant of nbgrader. Here
  nbgrader's metadata rules get a ``validate`` that does the same with one validator per
  schema, built once;
  it raises the same ``ValidationError`` for the same metadata (tests/test_speedups.py).
- nbformat validates every notebook it reads and writes with jsonschema, unless told to use
  ``fastjsonschema`` (which it supports, and installs), which compiles the schema once.

Neither changes a score; :func:`install` is called once, before nbgrader is imported.
"""

from __future__ import annotations

import json
from typing import Any


def install() -> None:
    from labkit.kernel import fast_notebook_validation

    fast_notebook_validation()
    import nbgrader.nbgraderformat.common as metadata_rules

    metadata_rules.jsonschema = _CachedJsonschema(metadata_rules.jsonschema)


class _CachedJsonschema:
    """The ``jsonschema`` module as nbgrader's metadata rules use it, with one validator per schema."""

    def __init__(self, module: Any) -> None:
        self._module = module
        self._validators: dict[str, Any] = {}

    def validate(self, instance: Any, schema: dict[str, Any]) -> None:
        # nbgrader reads its schema from disk for every validator it makes: key by content.
        key = json.dumps(schema, sort_keys=True)
        validator = self._validators.get(key)
        if validator is None:
            cls = self._module.validators.validator_for(schema)
            cls.check_schema(schema)  # what jsonschema.validate checks first, once
            validator = self._validators[key] = cls(schema)
        error = self._module.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)
