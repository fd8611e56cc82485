"""Fuzz an app against its own OpenAPI document with schemathesis: ``python -m tests.fuzz NOTEBOOK TARGETS``.

Runs in a process of its own (a notebook's code configures logging, event loops and globals
that must not leak into the test session). It executes the notebook's code cells (test
cells excluded, IPython syntax turned into Python), then the targets file's ``PRELUDE``;
then, for each app named in ``TARGETS``, it generates requests for every operation of the
app's ``/openapi.json`` (``MAX_EXAMPLES`` each, the same ones every run) and checks every
response: no server error, a status code the document declares, the declared content type,
a body that matches the declared schema. ``HEADERS`` (an expression) is sent with every
request, e.g. a valid token so protected routes are fuzzed beyond their 401.

It prints one JSON object: ``{target: {"METHOD /path": "what failed"}}``, empty when all held.
"""

from __future__ import annotations

import ast
import asyncio
import importlib.util
import json
import sys
import warnings
from pathlib import Path
from typing import Any

MAX_EXAMPLES = 30


def run_cells(notebook: Path) -> dict[str, Any]:
    import nbformat
    from IPython.core.inputtransformer2 import TransformerManager

    from labkit.notebooks import is_autograded_test

    namespace: dict[str, Any] = {"__name__": "__main__"}
    transform = TransformerManager().transform_cell
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type != "code" or is_autograded_test(cell):
            continue
        # dont_inherit: this file's `from __future__ import annotations` must not reach the notebook's code
        code = compile(
            transform(cell.source), "<cell>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True
        )
        result = eval(code, namespace)  # noqa: S307 - the course's own worked solution
        if asyncio.iscoroutine(result):
            asyncio.run(result)
    return namespace


def fuzz(app: Any, headers: dict[str, str]) -> dict[str, str]:
    import hypothesis
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    # What the course promises of every app: no server error, only documented statuses, the
    # declared content type and body schema. (Not schemathesis' other checks, e.g. that any
    # schema-valid body is accepted: a business rule may refuse it with a documented 409.)
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: dict[str, str] = {}
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=MAX_EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            case.validate_response(case.call(headers=headers), checks=checks)

        try:
            check()
        except hypothesis.errors.Unsatisfiable:
            continue  # nothing could be generated for it: not a failure of the app
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis' failures (a group), or the app's own 500
            failures[f"{operation.method.upper()} {operation.path}"] = _describe(exc)[:3000]
    return failures


def _describe(exc: BaseException) -> str:
    parts = [f"{type(exc).__name__}: {exc}"]
    for inner in getattr(exc, "exceptions", ()):
        parts.append(_describe(inner))
    return "\n".join(parts)


def main(notebook: str, targets_file: str) -> None:
    warnings.simplefilter("ignore")
    spec = importlib.util.spec_from_file_location("fuzz_targets", targets_file)
    assert spec is not None and spec.loader is not None
    targets = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(targets)
    namespace = run_cells(Path(notebook))
    prelude = compile(
        getattr(targets, "PRELUDE", ""), "<prelude>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True
    )
    result = eval(prelude, namespace)  # noqa: S307
    if asyncio.iscoroutine(result):
        asyncio.run(result)
    headers = eval(getattr(targets, "HEADERS", "{}"), namespace)  # noqa: S307
    report = {name: fuzz(eval(expression, namespace), headers) for name, expression in targets.TARGETS.items()}  # noqa: S307
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
