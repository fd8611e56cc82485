"""Every lab's catalogue, proven by real grading: the solution full, the release zero, each
mistake losing points on exactly its rubric item (in the cell that pins its requirement), each
correct alternative keeping full marks. See ``autograder.prove`` for the rules.
"""

from __future__ import annotations

import pytest

from autograder.prove import entries
from labkit.notebooks import read_notebook
from labkit.rubric import rubric_key
from tests.conftest import MISTAKES, PROOF_REPEAT, labs_under_test

LABS = labs_under_test()
ENTRIES = [entry for lab in LABS for entry in entries(lab, repeat=PROOF_REPEAT)]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e.lab}:{e.student}")
def test_verdict_holds(proven, entry):
    verdict = proven.verdicts[(entry.lab, entry.student)]
    assert verdict.ok, f"{entry.lab} {entry.student} ({entry.what}): {verdict.problem}"


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_every_graded_item_has_a_mistake(lab):
    source = read_notebook(lab.source)
    keys = {
        rubric_key(c.metadata["nbgrader"]["grade_id"])
        for c in source.cells
        if c.get("metadata", {}).get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")
    }
    covered = {m.key for m in MISTAKES if m.lab == lab.name}
    assert keys <= covered, (
        f"{lab.name}: rubric items without a mistake: {sorted(keys - covered)} (add them to autograder/mistakes/)"
    )
