"""Reading, writing and transforming nbgrader notebooks.

Writes are deterministic (nbformat's sorted keys, one-space indent, no outputs), so a
regenerated file is byte-identical when its source has not changed.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from labkit.errors import CourseError

_SOLUTION_MARKERS = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")
_HIDDEN_BLOCK = re.compile(r"^\s*### BEGIN HIDDEN TESTS\s*$.*?^\s*### END HIDDEN TESTS\s*$\n?", re.M | re.S)
_MARK_SCHEME_BLOCK = re.compile(r"^\s*=== BEGIN MARK SCHEME ===\s*$.*?^\s*=== END MARK SCHEME ===\s*$\n?", re.M | re.S)


def read_notebook(path: Path) -> NotebookNode:
    """Read a notebook, turning every way it can be broken into an actionable message."""
    if not path.is_file():
        raise CourseError(f"{path} does not exist. Check the path, or pass the notebook you are working on.")
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise CourseError(
            f"{path} is not a valid notebook: its JSON is broken at line {exc.lineno}, column {exc.colno} "
            f"({exc.msg}), so it cannot be graded. Open it in a text editor to repair it, or download the lab "
            "again (a fresh copy of the released notebook) and copy your answers over; JupyterLab's "
            "File > Revert Notebook to Checkpoint may still hold them."
        ) from exc
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for bad structure
        raise CourseError(f"{path} is JSON but not a Jupyter notebook ({exc}). Restore it from the release.") from exc
    return nb


def write_notebook(nb: NotebookNode, path: Path) -> None:
    """Write a notebook the same way every time, creating the folder if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def nbgrader_meta(cell: NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_autograded_test(cell: NotebookNode) -> bool:
    """A locked code cell whose success earns points: nbgrader's 'autograder tests'."""
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_given(cell: NotebookNode) -> bool:
    """Code the lab gives, locked and run as it is (the setup cell, given helpers): not an answer, not a test."""
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("locked")) and not meta.get("solution") and not meta.get("grade")


def is_answer(cell: NotebookNode) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def is_locked(cell: NotebookNode) -> bool:
    meta = nbgrader_meta(cell)
    return bool(meta.get("locked")) and not meta.get("solution")


def grade_id(cell: NotebookNode) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


def structure_problem(nb: NotebookNode) -> str:
    """Why nbgrader could not grade this notebook's cells as they are, and what to do; "" if it can.

    Two things break it: cells with no grading metadata at all (copied into a new notebook,
    which drops it) and a graded cell present twice (nbgrader cannot tell which to grade).
    """
    named = [gid for gid in (grade_id(cell) for cell in nb.cells) if gid]
    if not named:
        return (
            "no cell carries nbgrader's grading metadata (it was stripped, e.g. by copying the cells into "
            "a new notebook): paste the answers into a fresh copy of the released lab and submit that"
        )
    copies = sorted({gid for gid in named if named.count(gid) > 1})
    if copies:
        return (
            f"cells appear twice with the same grading id ({', '.join(copies)}), so nbgrader cannot tell "
            "which one to grade: delete the copies (or restore them from the released lab) and submit again"
        )
    return ""


def clear_outputs(nb: NotebookNode) -> None:
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)


def strip_hidden_tests(source: str) -> str:
    return _HIDDEN_BLOCK.sub("", source).rstrip("\n")


def solution_view(source_nb: NotebookNode) -> NotebookNode:
    """The worked solution: answers kept without their markers, hidden tests and mark schemes removed.

    nbgrader metadata stays, so a learner can copy this file into ``submitted/`` and it grades.
    """
    nb = copy.deepcopy(source_nb)
    clear_outputs(nb)
    for cell in nb.cells:
        text = strip_hidden_tests(cell.source)
        text = _MARK_SCHEME_BLOCK.sub("", text)
        lines = [line for line in text.split("\n") if not _SOLUTION_MARKERS.match(line)]
        cell.source = "\n".join(lines).strip("\n")
    return nb


def visible_test_view(source_nb: NotebookNode) -> dict[str, NotebookNode]:
    """Locked and test cells as a learner receives them, keyed by grade id (hidden tests removed)."""
    cells: dict[str, NotebookNode] = {}
    for cell in source_nb.cells:
        gid = grade_id(cell)
        if gid and (is_locked(cell) or is_autograded_test(cell)):
            visible = copy.deepcopy(cell)
            visible.source = strip_hidden_tests(visible.source)
            cells[gid] = visible
    return cells
