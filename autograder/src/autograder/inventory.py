"""A lab's requirement inventory: every requirement its tasks state, and the test that pins it.

The inventory lives where the tests are written, in the lab source: inside a test cell's
hidden block, one line per requirement that cell pins,

    ### BEGIN HIDDEN TESTS
    # REQ list-id-order: the products come in id order
    # REQ list-total: total counts the whole collection, not the page
    ...

The id is unique within the lab, and the mistakes catalogue names it: each requirement
needs at least one realistic mistake that breaks it (``Mistake(..., requirement="list-total")``),
which the test suite proves loses points in that very cell and on its rubric key only.
Hidden blocks never reach learners, so neither does the inventory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nbformat import NotebookNode

from labkit.notebooks import grade_id, is_autograded_test

REQUIREMENT_LINE = re.compile(r"^\s*#\s*REQ\s+(?P<id>[a-z0-9][a-z0-9-]*)\s*:\s*(?P<text>\S.*?)\s*$", re.M)
_HIDDEN_BLOCK = re.compile(r"^\s*### BEGIN HIDDEN TESTS\s*$(.*?)^\s*### END HIDDEN TESTS\s*$", re.M | re.S)
_LOOSE = re.compile(r"^\s*#\s*REQ\b", re.M)


@dataclass(frozen=True)
class Requirement:
    id: str
    text: str
    test: str  # grade id of the test cell that pins it


def requirements(source: NotebookNode) -> list[Requirement]:
    """The inventory of a lab source, in notebook order (duplicates included, for lint to report)."""
    found = []
    for cell in source.cells:
        if not is_autograded_test(cell):
            continue
        for block in _HIDDEN_BLOCK.findall(cell.source):
            for match in REQUIREMENT_LINE.finditer(block):
                found.append(Requirement(match["id"], match["text"], grade_id(cell) or ""))
    return found


def malformed_lines(source: NotebookNode) -> list[str]:
    """``# REQ`` lines that do not parse, or that stand outside a test cell's hidden block."""
    bad = []
    for cell in source.cells:
        hidden = "\n".join(_HIDDEN_BLOCK.findall(cell.source)) if is_autograded_test(cell) else ""
        for line in cell.source.splitlines():
            if not _LOOSE.match(line):
                continue
            if not REQUIREMENT_LINE.match(line):
                bad.append(f"{grade_id(cell) or 'a cell'}: {line.strip()!r} is not '# REQ <id>: <requirement>'")
            elif line not in hidden.splitlines():
                bad.append(f"{grade_id(cell) or 'a cell'}: {line.strip()!r} stands outside a test cell's hidden block")
    return bad
