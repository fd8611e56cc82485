"""`course check` on the notebooks a learner really produces: passing, failing, looping, broken."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from labkit.notebooks import grade_id
from tests.conftest import REPO

COURSE = [str(Path(sys.executable).parent / "course")]


def course(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*COURSE, *args], cwd=REPO, capture_output=True, text=True, timeout=300)


def variant(tmp_path: Path, lab: str, change=None, name: str = "variant.ipynb") -> Path:
    """The lab's worked solution with one change applied, written to a temporary file."""
    nb = nbformat.read(REPO / "solutions" / lab / f"{lab}.ipynb", as_version=4)
    if change:
        change(nb)
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def set_answer(nb, cell_id: str, old: str, new: str) -> None:
    cell = next(c for c in nb.cells if grade_id(c) == cell_id)
    assert old in cell.source
    cell.source = cell.source.replace(old, new)


def task_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("  PASS", "  FAIL"))]


def test_passing_notebook_exits_zero(tmp_path):
    result = course("check", "lab00_warmup", str(variant(tmp_path, "lab00_warmup")))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = task_lines(result.stdout)
    assert len(lines) == 3 and all(line.startswith("  PASS") for line in lines)
    assert "Total: 6/6" in result.stdout


def test_released_lab_fails_one_line_per_task():
    result = course("check", "lab01_api_design")
    assert result.returncode == 1
    lines = task_lines(result.stdout)
    assert len(lines) == 11 and all(line.startswith("  FAIL") for line in lines), result.stdout
    assert "status-codes" in result.stdout and "Total: 0/27" in result.stdout


def test_failure_message_names_request_response_expectation_and_item(tmp_path):
    path = variant(
        tmp_path,
        "lab00_warmup",
        lambda nb: set_answer(
            nb, "answer-create-note", "status_code=status.HTTP_201_CREATED", "status_code=status.HTTP_200_OK"
        ),
    )
    result = course("check", "lab00", str(path))
    assert result.returncode == 1
    assert "POST /api/v1/notes returned 200" in result.stdout
    assert "expected 201 Created [status-codes]" in result.stdout


@pytest.mark.parametrize("handler", ["async def", "def"], ids=["async-handler", "sync-handler"])
def test_a_handler_that_never_returns_is_timed_out_and_the_rest_still_run(tmp_path, handler):
    def loop(nb):
        set_answer(nb, "answer-health", '    return {"status": "ok"}', "    while True:\n        pass")
        set_answer(nb, "answer-health", "async def health", f"{handler} health")

    result = course("check", "lab00_warmup", str(variant(tmp_path, "lab00_warmup", loop)), "--timeout", "4")
    assert result.returncode == 1
    lines = task_lines(result.stdout)
    assert lines[0].startswith("  FAIL") and "status-codes-health" in lines[0]
    assert "no answer within 4 s" in result.stdout
    assert all(line.startswith("  PASS") for line in lines[1:]), result.stdout


def test_deleted_test_cell_is_put_back_and_reported(tmp_path):
    def delete(nb):
        nb.cells = [c for c in nb.cells if grade_id(c) != "status-codes-get-note"]

    result = course("check", "lab00_warmup", str(variant(tmp_path, "lab00_warmup", delete)))
    assert "'status-codes-get-note' was missing" in result.stdout
    assert len(task_lines(result.stdout)) == 3 and result.returncode == 0


def test_edited_test_cell_is_restored_from_the_source(tmp_path):
    """Weakening a visible test cannot make a wrong answer pass the check."""

    def weaken(nb):
        set_answer(nb, "answer-create-note", "status_code=status.HTTP_201_CREATED", "status_code=status.HTTP_200_OK")
        next(c for c in nb.cells if grade_id(c) == "status-codes-create-note").source = "pass"

    result = course("check", "lab00_warmup", str(variant(tmp_path, "lab00_warmup", weaken)))
    assert result.returncode == 1 and "expected 201 Created" in result.stdout


def test_corrupt_notebook_gets_an_actionable_error(tmp_path):
    broken = tmp_path / "broken.ipynb"
    text = (REPO / "labs" / "lab00_warmup" / "lab00_warmup.ipynb").read_text()
    broken.write_text(text[: len(text) // 2])
    result = course("check", "lab00_warmup", str(broken))
    assert result.returncode == 2
    assert "not a valid notebook" in result.stderr and "line" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_lab_lists_the_labs():
    result = course("check", "lab99")
    assert result.returncode == 2
    assert "Unknown lab 'lab99'" in result.stderr and "lab00_warmup" in result.stderr


def test_missing_notebook_says_so(tmp_path):
    result = course("check", "lab00_warmup", str(tmp_path / "nope.ipynb"))
    assert result.returncode == 2 and "does not exist" in result.stderr
