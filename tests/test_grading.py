"""Plain ``nbgrader autograde``: every lab's solution full; the release zero and stderr free where graded.

The release and the stderr variant are graded by plain nbgrader in RELEASE_AND_STDERR_LABS
(tests/conftest.py); the catalogues, and every lab's release and stderr variant, are proven by
``course grade`` in tests/test_catalogue.py.
"""

from __future__ import annotations

import pytest

from tests.conftest import labs_under_test, release_and_stderr_labs

LABS = labs_under_test()
LAB_NAMES = [lab.name for lab in LABS]
FULLY_GRADED = release_and_stderr_labs()


@pytest.mark.parametrize("lab", LAB_NAMES)
def test_solution_gets_full_marks(graded, lab):
    score, max_score = graded[lab].total("solution")
    failing = {gid: s for gid, s in graded[lab].scores["solution"].items() if s[0] < s[1]}
    assert max_score > 0
    assert score == max_score, f"{lab}: the worked solution lost points on {failing}"


@pytest.mark.parametrize("lab", FULLY_GRADED)
def test_manual_cells_are_left_for_the_formgrader(graded, lab):
    """Autograde never scores a written answer; it waits for a person.

    An answer left exactly as released is the exception: nbgrader scores it 0 ("No response.").
    """
    assert all(graded[lab].manual["solution"].values()), f"{lab}: {graded[lab].manual['solution']}"
    assert not any(graded[lab].manual["release"].values()), f"{lab}: {graded[lab].manual['release']}"


@pytest.mark.parametrize("lab", FULLY_GRADED)
def test_release_gets_zero(graded, lab):
    score, _ = graded[lab].total("release")
    assert score == 0, f"{lab}: the unanswered release earned {score} points: {graded[lab].scores['release']}"


@pytest.mark.parametrize("lab", FULLY_GRADED)
def test_stderr_never_costs_points(graded, lab):
    """A correct answer that logs and warns on stderr in every cell keeps full marks."""
    score, max_score = graded[lab].total("stderr")
    assert score == max_score, f"{lab}: stderr output cost points: {graded[lab].scores['stderr']}"
