"""How a test cell's outputs become points: nbgrader's rule, without importing nbgrader.

The rule is nbgrader's own (``nbgrader.utils.determine_grade``), restated here for
autograded test cells so that ``course check`` need not ``import nbgrader``: that
import loads nbgrader's server extensions, exchange, gradebook and SQLAlchemy, about
1.5 s, half the check's time budget, to call twenty lines. ``tests/test_scoring.py``
compares this copy with nbgrader's on every branch, so an nbgrader upgrade that
changes the rule fails the tests instead of drifting silently.

The course's one deliberate difference, that stderr output costs nothing, is made
before scoring, by :func:`relabel_stderr` (see :mod:`autograder.plugins.stderr` for why).
"""

from __future__ import annotations

from nbformat import NotebookNode

from labkit.notebooks import is_autograded_test


def relabel_stderr(cell: NotebookNode) -> None:
    """Turn stderr stream outputs of a code cell into stdout outputs, in place."""
    if cell.cell_type != "code":
        return
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            output["name"] = "stdout"


def _partial_credit(output: NotebookNode, max_points: float) -> float:
    """A test cell's final value read as points, exactly as nbgrader's ``get_partial_grade``."""
    if not output["data"]["text/plain"]:
        raise KeyError("output ['data']['text/plain'] does not exist")
    value = output["data"]["text/plain"]
    if isinstance(value, list):
        if len(value) > 1:
            return max_points
        value = value[0]
    try:
        points = float(value)
    except ValueError:
        return max_points  # not a number: nbgrader gives full credit
    if points >= 0.0:
        if points > max_points:
            raise ValueError("partial credit cannot be greater than maximum points for cell")
        return points
    return max_points  # negative (or NaN): nbgrader gives full credit


def determine_grade(cell: NotebookNode) -> tuple[float, float]:
    """``(points, max_points)`` of an executed autograded test cell, as nbgrader scores it.

    An error or stderr output scores 0, a final value is read as partial credit, anything
    else earns full marks. Raises ValueError for a cell that is not an autograded test,
    and, like nbgrader, for a final value above the cell's points.
    """
    if not is_autograded_test(cell):
        raise ValueError("cell is not an autograded test cell")
    max_points = float(cell.metadata["nbgrader"]["points"])
    for output in cell.outputs:
        if output.output_type == "error" or (output.output_type == "stream" and output.name == "stderr"):
            return 0, max_points
        if output.output_type == "execute_result":
            return _partial_credit(output, max_points), max_points
    return max_points, max_points
