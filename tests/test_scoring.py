"""The check's copy of nbgrader's scoring rule gives nbgrader's answer for every kind of test cell."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_output
from nbgrader.utils import determine_grade as nbgrader_determine_grade

from labkit.scoring import determine_grade, relabel_stderr

ERROR = new_output("error", ename="AssertionError", evalue="GET /api/v1/x returned 500", traceback=[])
STDOUT = new_output("stream", name="stdout", text="hello\n")
STDERR = new_output("stream", name="stderr", text="WARNING: deprecated\n")
PLOT = new_output("display_data", data={"text/plain": "<Figure>"})


def result(text: str | list[str]) -> nbformat.NotebookNode:
    return new_output("execute_result", data={"text/plain": text}, execution_count=1)


# Every branch of nbgrader's rule for a code test cell worth 2 points.
OUTPUTS = {
    "no output": [],
    "stdout only": [STDOUT],
    "display only": [PLOT],
    "stderr": [STDOUT, STDERR],
    "error": [STDOUT, ERROR],
    "error after a result": [result("1"), ERROR],
    "partial credit": [result("1.5")],
    "zero credit": [result("0")],
    "partial credit after output": [STDOUT, PLOT, result("0.5")],
    "credit above the points": [result("3")],
    "negative value": [result("-1")],
    "not a number": [result("'done'")],
    "nan": [result("nan")],
    "one-item list": [result(["0.5"])],
    "several-item list": [result(["0.5", "1"])],
    "empty value": [result("")],
}


def graded_cell(outputs: list) -> nbformat.NotebookNode:
    cell = new_code_cell("assert True", outputs=outputs)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": "models-x", "points": 2}
    return cell


def outcome(rule, cell):
    try:
        return rule(cell)
    except Exception as exc:  # nbgrader's exceptions are part of its answer
        return type(exc), str(exc)


@pytest.mark.parametrize("outputs", OUTPUTS.values(), ids=OUTPUTS.keys())
def test_same_points_as_nbgrader(outputs):
    cell = graded_cell(outputs)
    assert outcome(determine_grade, cell) == outcome(nbgrader_determine_grade, cell)


def test_relabelled_stderr_no_longer_costs_points():
    cell = graded_cell([STDOUT, STDERR])
    relabel_stderr(cell)
    assert determine_grade(cell) == (2.0, 2.0)
    assert [o["name"] for o in cell.outputs] == ["stdout", "stdout"]


def test_a_cell_that_is_not_a_test_is_refused():
    cell = graded_cell([])
    cell.metadata["nbgrader"]["solution"] = True
    with pytest.raises(ValueError, match="not an autograded test"):
        determine_grade(cell)
