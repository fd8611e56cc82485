"""Real ``nbgrader autograde`` on every lab: full marks, zero, stderr, and the mutants."""

from __future__ import annotations

import pytest

from labkit.notebooks import read_notebook
from labkit.rubric import rubric_key
from tests.conftest import MISTAKES as MUTANTS
from tests.conftest import labs_under_test

LABS = labs_under_test()
LAB_NAMES = [lab.name for lab in LABS]
LAB_MUTANTS = [m for m in MUTANTS if m.lab in LAB_NAMES]


@pytest.mark.parametrize("lab", LAB_NAMES)
def test_solution_gets_full_marks(graded, lab):
    score, max_score = graded[lab].total("solution")
    failing = {gid: s for gid, s in graded[lab].scores["solution"].items() if s[0] < s[1]}
    assert max_score > 0
    assert score == max_score, f"{lab}: the worked solution lost points on {failing}"


@pytest.mark.parametrize("lab", LAB_NAMES)
def test_manual_cells_are_left_for_the_formgrader(graded, lab):
    """Autograde never scores a written answer; it waits for a person.

    An answer left exactly as released is the exception: nbgrader scores it 0 ("No response.").
    """
    assert all(graded[lab].manual["solution"].values()), f"{lab}: {graded[lab].manual['solution']}"
    assert not any(graded[lab].manual["release"].values()), f"{lab}: {graded[lab].manual['release']}"


@pytest.mark.parametrize("lab", LAB_NAMES)
def test_release_gets_zero(graded, lab):
    score, _ = graded[lab].total("release")
    assert score == 0, f"{lab}: the unanswered release earned {score} points: {graded[lab].scores['release']}"


@pytest.mark.parametrize("lab", LAB_NAMES)
def test_stderr_never_costs_points(graded, lab):
    """A correct answer that logs and warns on stderr in every cell keeps full marks."""
    score, max_score = graded[lab].total("stderr")
    assert score == max_score, f"{lab}: stderr output cost points: {graded[lab].scores['stderr']}"


@pytest.mark.parametrize("mutant", LAB_MUTANTS, ids=lambda m: f"{m.lab}:{m.key}:{m.cell}")
def test_mutant_loses_points_on_exactly_its_item(graded, mutant):
    lost = graded[mutant.lab].lost_keys(mutant.student)
    assert lost == {mutant.key}, (
        f"{mutant.lab}: mutant '{mutant.why}' should lose points on exactly [{mutant.key}], "
        f"but lost on {sorted(lost) or 'nothing'}: {graded[mutant.lab].scores[mutant.student]}"
    )


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_every_graded_item_has_a_mutant(lab):
    source = read_notebook(lab.source)
    keys = {
        rubric_key(c.metadata["nbgrader"]["grade_id"])
        for c in source.cells
        if c.get("metadata", {}).get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")
    }
    covered = {m.key for m in MUTANTS if m.lab == lab.name}
    assert keys <= covered, (
        f"{lab.name}: rubric items without a mutant: {sorted(keys - covered)} (add them to autograder/mistakes/)"
    )
