"""`course check` on the notebooks a learner really produces: passing, failing, looping, broken."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from labkit import PASSED_MESSAGE
from labkit.check import cell_problems, execute
from labkit.notebooks import grade_id, is_answer, read_notebook
from tests.conftest import REPO

COURSE = [str(Path(sys.executable).parent / "course")]


def course(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*COURSE, *args], cwd=REPO, capture_output=True, text=True, timeout=300)


def variant(tmp_path: Path, lab: str, change=None, name: str | None = None) -> Path:
    """The lab's worked solution with one change applied, written to a temporary file named as the lab's."""
    nb = nbformat.read(REPO / "solutions" / lab / f"{lab}.ipynb", as_version=4)
    if change:
        change(nb)
    path = tmp_path / (name or f"{lab}.ipynb")
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
    assert "download the lab again" in result.stderr and "copy your answers over" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_lab_lists_the_labs():
    result = course("check", "lab99")
    assert result.returncode == 2
    assert "Unknown lab 'lab99'" in result.stderr and "lab00_warmup" in result.stderr


def test_missing_notebook_says_so(tmp_path):
    result = course("check", "lab00_warmup", str(tmp_path / "nope.ipynb"))
    assert result.returncode == 2 and "does not exist" in result.stderr


# --- what would make grading fail, caught before submission --------------------------------


def test_renamed_notebook_is_checked_and_told_to_be_renamed_back(tmp_path):
    result = course("check", "lab00_warmup", str(variant(tmp_path, "lab00_warmup", name="lab00_warmup (1).ipynb")))
    assert result.returncode == 1, result.stdout + result.stderr
    assert all(line.startswith("  PASS") for line in task_lines(result.stdout))
    assert "PROBLEM" in result.stdout and "rename it back to lab00_warmup.ipynb" in result.stdout


def test_missing_notebook_beside_a_renamed_one_says_rename_it_back(tmp_path):
    """In the learner edition, `course check lab00` finds labs/lab00_warmup/lab00_warmup.ipynb renamed."""
    folder = tmp_path / "labs" / "lab00_warmup"
    folder.mkdir(parents=True)
    (folder / "Untitled copy.ipynb").write_text((REPO / "labs" / "lab00_warmup" / "lab00_warmup.ipynb").read_text())
    result = subprocess.run(
        [sys.executable, "-m", "labkit.cli", "check", "lab00"], cwd=folder, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Untitled copy.ipynb" in result.stderr and "rename your notebook back to lab00_warmup.ipynb" in result.stderr


def release_and(change) -> list[str]:
    """The problems `course check` finds in lab00's worked solution after ``change``."""
    learner = read_notebook(REPO / "solutions" / "lab00_warmup" / "lab00_warmup.ipynb")
    change(learner)
    return cell_problems(learner, read_notebook(REPO / "labs" / "lab00_warmup" / "lab00_warmup.ipynb"))


def cell(nb, gid: str):
    return next(c for c in nb.cells if grade_id(c) == gid)


def test_intact_notebook_has_no_problems():
    assert release_and(lambda nb: None) == []


def test_stripped_metadata_is_a_problem():
    def strip(nb):
        for c in nb.cells:
            c.metadata.pop("nbgrader", None)

    (problem,) = release_and(strip)
    assert "stripped" in problem and "copy your answers over" in problem


def test_copied_cell_is_a_problem():
    def copy_answer(nb):
        nb.cells.append(nbformat.from_dict(dict(cell(nb, "answer-health"))))

    (problem,) = release_and(copy_answer)
    assert "appear twice" in problem and "answer-health" in problem


def test_changed_grading_metadata_is_a_problem():
    def change(nb):
        cell(nb, "status-codes-health").metadata["nbgrader"]["grade"] = False
        cell(nb, "answer-get-note").metadata["nbgrader"]["grade_id"] = "my-answer"

    problems = release_and(change)
    assert len(problems) == 2, problems
    assert "'status-codes-health'" in problems[0] and "changed (grade)" in problems[0]
    assert "'my-answer', which this lab does not have" in problems[1]


def test_metadata_grading_puts_back_is_no_problem():
    """nbgrader restores a cell's points, lock and type from the gradebook, as the check does."""

    def change(nb):
        cell(nb, "status-codes-health").metadata["nbgrader"]["points"] = 20
        cell(nb, "status-codes-get-note").metadata["nbgrader"]["locked"] = False

    assert release_and(change) == []


def test_deleted_written_answer_is_a_problem():
    """A manually graded answer that is gone would be put back empty at grading: its points lost."""
    lab = "lab03_security"
    release = read_notebook(REPO / "labs" / lab / f"{lab}.ipynb")
    manual = [c for c in release.cells if is_answer(c) and (grade_id(c) or "").startswith("manual-")]
    assert manual
    learner = read_notebook(REPO / "solutions" / lab / f"{lab}.ipynb")
    learner.cells = [c for c in learner.cells if grade_id(c) != grade_id(manual[0])]
    (problem,) = cell_problems(learner, release)
    assert "written answer cell" in problem and grade_id(manual[0]) in problem


def test_damaged_notebook_fails_the_check_even_when_every_task_passes(tmp_path):
    def copy_answer(nb):
        nb.cells.append(nbformat.from_dict(dict(cell(nb, "answer-health"))))

    result = course("check", "lab00_warmup", str(variant(tmp_path, "lab00_warmup", copy_answer)))
    assert result.returncode == 1, result.stdout + result.stderr
    assert all(line.startswith("  PASS") for line in task_lines(result.stdout))
    assert "PROBLEM" in result.stdout and "appear twice" in result.stdout


# --- checking from the notebook ---------------------------------------------------------------


def test_a_check_started_inside_a_check_skips():
    """What a `!course check` cell gets while its notebook is being checked: an immediate skip."""
    result = subprocess.run(
        [*COURSE, "check", "lab00_warmup"],
        cwd=REPO,
        env={**os.environ, "COURSE_CHECK_RUNNING": "lab00_warmup"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "skipped" in result.stdout, result.stdout + result.stderr
    assert "Total" not in result.stdout


def test_a_check_cell_in_the_notebook_does_not_check_again_from_inside_the_check(tmp_path):
    """`!course check <lab>` in a cell of the notebook: the check it runs skips that cell's own check."""

    def add_check_cell(nb):
        nb.cells.append(nbformat.v4.new_code_cell(f"!{COURSE[0]} check lab00_warmup"))

    result = course("check", "lab00_warmup", str(variant(tmp_path, "lab00_warmup", add_check_cell)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Total: 6/6" in result.stdout


def test_a_passing_test_cell_says_so_and_a_failing_one_does_not(tmp_path):
    def break_create(nb):
        set_answer(nb, "answer-create-note", "status_code=status.HTTP_201_CREATED", "status_code=status.HTTP_200_OK")

    path = variant(tmp_path, "lab00_warmup", break_create)
    nb = read_notebook(path)
    execute(nb, tmp_path, timeout=30)

    def printed(gid: str) -> str:
        return "".join(o.get("text", "") for o in cell(nb, gid).outputs if o.output_type == "stream")

    assert PASSED_MESSAGE in printed("status-codes-health")
    assert PASSED_MESSAGE not in printed("status-codes-create-note")
    assert PASSED_MESSAGE not in printed("answer-health")  # an answer cell runs no checks


def test_another_notebook_beside_the_lab_is_pointed_out(tmp_path):
    """A learner working in a copy (`lab00_warmup-Copy1.ipynb`) learns that grading takes the original."""
    checked = variant(tmp_path, "lab00_warmup")
    shutil.copy2(checked, tmp_path / "lab00_warmup-Copy1.ipynb")
    result = course("check", "lab00_warmup", str(checked))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "lab00_warmup-Copy1.ipynb" in result.stdout and "grading takes lab00_warmup.ipynb only" in result.stdout
