"""Every worked solution's app, fuzzed against its own OpenAPI document (see tests/fuzz.py).

A lab is fuzzed when ``tests/fuzz_targets/<lab>.py`` names its apps: ``TARGETS`` (name ->
expression), and optionally ``PRELUDE`` (code run after the solution's cells: create the
tables, make a user) and ``HEADERS`` (an expression: headers sent with every request).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from tests.conftest import REPO, labs_under_test

TARGETS = Path(__file__).parent / "fuzz_targets"
FUZZED = [lab for lab in labs_under_test() if (TARGETS / f"{lab.name}.py").is_file()]


def fuzz(notebook: Path, targets: Path, workdir: Path) -> dict[str, dict[str, str]]:
    """Fuzz in ``workdir``, never in the repository: a solution may write where it runs (lab04: ./shop.db)."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.fuzz", str(notebook), str(targets)],
        cwd=workdir,
        env={**os.environ, "PYTHONPATH": str(REPO)},  # for `-m tests.fuzz`, run from elsewhere
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("lab", FUZZED, ids=lambda lab: lab.name)
def test_the_worked_solution_holds_its_openapi_promises(lab, tmp_path):
    report = fuzz(lab.solution, TARGETS / f"{lab.name}.py", tmp_path)
    failures = {f"{target} {operation}": why for target, found in report.items() for operation, why in found.items()}
    assert not failures, "\n\n".join(f"{where}:\n{why}" for where, why in failures.items())


def test_the_fuzzer_finds_a_500_and_an_undocumented_status(tmp_path):
    """The harness itself can fail: an app with an unbounded id that crashes, and a 418 it never documents."""
    code = textwrap.dedent(
        """
        from fastapi import FastAPI, HTTPException
        app = FastAPI()

        @app.get("/items/{item_id}")
        def item(item_id: int) -> dict[str, int]:
            if item_id > 2**62:
                raise OverflowError("Python int too large to convert to SQLite INTEGER")
            return {"id": item_id}

        @app.get("/teapot")
        def teapot() -> dict[str, str]:
            raise HTTPException(418, "I'm a teapot")
        """
    )
    notebook = tmp_path / "app.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)]), notebook)
    targets = tmp_path / "targets.py"
    targets.write_text('TARGETS = {"app": "app"}\n')
    report = fuzz(notebook, targets, tmp_path)["app"]
    assert "OverflowError" in report.get("GET /items/{item_id}", ""), report
    assert "418" in report.get("GET /teapot", ""), report
