"""``course lint``: the rules every lab source must keep, checked before anything is released.

Each problem is one line, ``<file>: <what is wrong> -- <what to do>``, so a maintainer can
fix it without reading this module.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

from nbformat import NotebookNode

from autograder.catalogue import mistakes
from autograder.errors import CourseError
from autograder.inventory import malformed_lines, requirements
from autograder.layout import Lab
from labkit.notebooks import grade_id, is_autograded_test, nbgrader_meta, read_notebook, strip_hidden_tests
from labkit.rubric import MANUAL_PREFIX, RUBRIC, rubric_key

# A header row: | item text | `key` | points |
_HEADER_ROW = re.compile(
    r"^\|\s*(?P<item>[^|]+?)\s*\|\s*`(?P<key>[a-z-]+)`\s*\|\s*(?P<points>\d+(?:\.\d+)?)\s*\|\s*$", re.M
)
_HEADER_TOTAL = re.compile(r"^\|\s*\*\*total\*\*\s*\|[^|]*\|\s*\*\*(?P<points>\d+(?:\.\d+)?)\*\*\s*\|\s*$", re.M)


def _ends_with_bare_number(source: str) -> bool:
    """nbgrader reads a test cell's final numeric value as partial credit; forbid it."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return False
    value = tree.body[-1].value
    return (
        isinstance(value, ast.Constant) and isinstance(value.value, int | float) and not isinstance(value.value, bool)
    )


def lint_cells(nb: NotebookNode, where: str) -> list[str]:
    problems: list[str] = []
    ids = Counter(cell.get("id") for cell in nb.cells)
    problems += [
        f"{where}: cell id {cid!r} is used {n} times -- give every cell its own id" for cid, n in ids.items() if n > 1
    ]
    if None in ids:
        problems.append(f"{where}: some cells have no id -- save the notebook with nbformat 4.5 or later")
    gids = Counter(grade_id(cell) for cell in nb.cells if grade_id(cell))
    problems += [
        f"{where}: grade id {gid!r} is used {n} times -- grade ids must be unique" for gid, n in gids.items() if n > 1
    ]

    for index, cell in enumerate(nb.cells, start=1):
        label = f"{where} cell {index} ({grade_id(cell) or cell.get('id')})"
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            problems.append(f"{label}: has outputs -- clear all outputs before committing")
        meta = nbgrader_meta(cell)
        if not meta:
            continue
        if meta.get("schema_version") != 3:
            problems.append(f"{label}: nbgrader schema_version is {meta.get('schema_version')!r} -- expected 3")
        if not meta.get("grade_id"):
            problems.append(f"{label}: nbgrader cell without a grade_id")
            continue
        gid = meta["grade_id"]
        if meta.get("solution") and "### BEGIN SOLUTION" not in cell.source and cell.cell_type == "code":
            problems.append(
                f"{label}: answer cell without '### BEGIN SOLUTION' -- the release would give the answer away"
            )
        if is_autograded_test(cell):
            if rubric_key(gid) is None:
                problems.append(f"{label}: grade id must start with a rubric key ({', '.join(RUBRIC)}) and '-'")
            if "### BEGIN HIDDEN TESTS" not in cell.source or "### END HIDDEN TESTS" not in cell.source:
                problems.append(f"{label}: no hidden tests -- each task has visible and hidden checks")
            if not strip_hidden_tests(cell.source).strip():
                problems.append(f"{label}: no visible checks -- learners need a few to work against")
            if _ends_with_bare_number(cell.source):
                problems.append(f"{label}: ends with a bare number, which nbgrader reads as partial credit")
            if not meta.get("points"):
                problems.append(f"{label}: test cell worth no points")
        elif meta.get("grade") and not gid.startswith(MANUAL_PREFIX):
            problems.append(f"{label}: manually graded cell ids start with {MANUAL_PREFIX!r}")
    return problems


def points_by_key(nb: NotebookNode) -> Counter[str]:
    totals: Counter[str] = Counter()
    for cell in nb.cells:
        if is_autograded_test(cell):
            totals[rubric_key(grade_id(cell) or "") or "?"] += float(nbgrader_meta(cell).get("points", 0))
    return totals


def lint_header(nb: NotebookNode, where: str) -> list[str]:
    """The header table must state exactly the items and points the test cells grade."""
    if not nb.cells or nb.cells[0].cell_type != "markdown":
        return [f"{where}: the first cell must be the markdown header with the rubric table"]
    header = nb.cells[0].source
    stated = {m["key"]: (m["item"], float(m["points"])) for m in _HEADER_ROW.finditer(header)}
    graded = points_by_key(nb)
    manual = sum(
        float(nbgrader_meta(c).get("points", 0))
        for c in nb.cells
        if nbgrader_meta(c).get("grade") and not is_autograded_test(c)
    )
    problems = []
    for key, (item, points) in stated.items():
        if key not in RUBRIC:
            problems.append(f"{where}: header names unknown rubric key {key!r}")
        elif item != RUBRIC[key]:
            problems.append(f"{where}: header calls `{key}` {item!r} -- the rubric calls it {RUBRIC[key]!r}")
        if graded.get(key, 0) != points:
            problems.append(
                f"{where}: header gives `{key}` {points:g} points but its test cells add up to {graded.get(key, 0):g}"
            )
    for key in graded:
        if key not in stated:
            problems.append(f"{where}: test cells grade `{key}` but the header does not list it")
    total = _HEADER_TOTAL.search(header)
    expected_total = sum(graded.values()) + manual
    if not total:
        problems.append(f"{where}: header has no '| **total** | | **N** |' row")
    elif float(total["points"]) != expected_total:
        problems.append(f"{where}: header total is {total['points']} but the lab is worth {expected_total:g}")
    return problems


def lint_inventory(nb: NotebookNode, lab: Lab, where: str) -> list[str]:
    """Every test cell pins listed requirements; every requirement has a mistake that breaks it.

    See :mod:`autograder.inventory` for the ``# REQ`` lines and :mod:`autograder.catalogue`
    for the mistakes. A requirement with no mistake has a test nobody has seen fail.
    """
    problems = [
        f"{where}: {line} -- write it as '# REQ <id>: <what the task requires>'" for line in malformed_lines(nb)
    ]
    inventory = requirements(nb)
    ids = Counter(r.id for r in inventory)
    problems += [
        f"{where}: requirement {rid!r} is listed {n} times -- ids are unique" for rid, n in ids.items() if n > 1
    ]

    pinned = {r.test for r in inventory}
    for cell in nb.cells:
        if is_autograded_test(cell) and grade_id(cell) not in pinned:
            problems.append(
                f"{where}: test cell {grade_id(cell)} lists no requirement -- add a '# REQ <id>: ...' line to its "
                "hidden block for each requirement of the task it checks"
            )
    catalogue = mistakes(lab.root / lab.layout.mistakes, lab.name)
    by_requirement = {r.id: r for r in inventory}
    for requirement in inventory:
        if not any(m.requirement == requirement.id for m in catalogue):
            problems.append(
                f"{where}: requirement {requirement.id!r} ({requirement.text}) has no mistake -- add one to "
                f"{lab.layout.mistakes}/{lab.name}.py with requirement={requirement.id!r}"
            )
    for mistake in catalogue:
        requirement = by_requirement.get(mistake.requirement)
        if requirement is None:
            problems.append(
                f"{lab.layout.mistakes}/{lab.name}.py: mistake {mistake.why!r} names no requirement of the inventory "
                f"({mistake.requirement!r}) -- set requirement= to the id of the '# REQ' line it breaks"
            )
        elif rubric_key(requirement.test) != mistake.key:
            problems.append(
                f"{lab.layout.mistakes}/{lab.name}.py: mistake {mistake.why!r} is filed under {mistake.key!r} but its "
                f"requirement is pinned by {requirement.test} ({rubric_key(requirement.test)!r})"
            )
    return problems


def lint_lab(lab: Lab) -> list[str]:
    where = str(lab.source.relative_to(lab.root)) if lab.source.is_relative_to(lab.root) else str(lab.source)
    try:
        nb = read_notebook(lab.source)
    except CourseError as exc:
        return [str(exc)]
    problems = lint_cells(nb, where) + lint_header(nb, where)
    problems += lint_inventory(nb, lab, where)  # every lab lists its requirements (ASSESSMENT.md)
    return problems


def lint_generated(path: Path, root: Path) -> list[str]:
    """Generated notebooks (labs/, solutions/) must not leak instructor material."""
    nb = read_notebook(path)
    text = "\n".join(cell.source for cell in nb.cells)
    where = str(path.relative_to(root))
    return [
        f"{where}: contains {marker!r} -- regenerate with `course build`"
        for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "MARK SCHEME")
        if marker in text
    ]
