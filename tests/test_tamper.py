"""Every lab is tamper-evident: code that rewrites how the checks run buys at most a tenth of the points.

The corpus (tests/tamper.py) is graded with course grade in one course holding every lab,
beside an honest solution that trips the screen (it runs again and keeps full marks). Then
a few entries are graded with nbgrader's own execution and no re-run, to show the protection
is what stops them.
"""

from __future__ import annotations

import pytest

from autograder.config import Course
from autograder.grading.coordinator import grade_lab
from autograder.grading.runners import LocalPool
from autograder.layout import Lab
from autograder.sample_class import course_copy, generate_assignments, submit
from labkit.notebooks import is_answer, read_notebook
from tests.conftest import GRADERS, labs_under_test, scores_in
from tests.tamper import TAMPERS, Tamper

LABS = labs_under_test()
LIMIT = 0.10  # the share of a lab's points a submission without a solution may keep, at most

# An honest answer that trips the screen: a logging filter setting a field with setattr on a
# global record factory, and get_ipython() for a magic. It must run again and keep full marks.
HONEST_BUT_SUSPICIOUS = "\n_ = get_ipython()  # an honest learner checking a magic\n"


def _submit_corpus(lab: Lab, copied: Lab) -> None:
    release = read_notebook(lab.release)
    for tamper in TAMPERS:
        folder = copied.submitted(tamper.name)
        submit(copied, tamper.name, tamper.notebook(release))
        for name, text in tamper.files:
            (folder / name).write_text(text)
    solution = read_notebook(lab.solution)
    first = next(cell for cell in solution.cells if is_answer(cell) and cell.cell_type == "code")
    first.source += HONEST_BUT_SUSPICIOUS
    submit(copied, "honest-but-suspicious", solution)


@pytest.fixture(scope="module")
def tampered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict[str, float]]]:
    root = tmp_path_factory.mktemp("tamper") / "course"
    copies = course_copy(LABS, root)
    for lab, copied in zip(LABS, copies, strict=True):
        _submit_corpus(lab, copied)
    course = Course.at(root)
    generate_assignments(copies, course.config)
    with LocalPool(GRADERS) as graders:
        for copied in copies:
            grade_lab(copied, course=course, graders=graders)
    return {lab.name: scores_in(root, lab.name) for lab in LABS}


def _share(scores: dict[str, float], lab: Lab) -> float:
    from labkit.notebooks import is_autograded_test

    cells = read_notebook(lab.source).cells
    points = sum(float(c.metadata["nbgrader"]["points"]) for c in cells if is_autograded_test(c))
    return sum(score or 0 for gid, score in scores.items() if not gid.startswith("manual-")) / points


@pytest.mark.parametrize("tamper", TAMPERS, ids=lambda t: t.name)
@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_tampering_buys_at_most_a_tenth(tampered, lab: Lab, tamper: Tamper):
    share = _share(tampered[lab.name][tamper.name], lab)
    assert share <= LIMIT, f"{lab.name}: {tamper.what} kept {share:.0%} of the points"


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_an_honest_answer_that_trips_the_screen_keeps_full_marks(tampered, lab: Lab):
    assert _share(tampered[lab.name]["honest-but-suspicious"], lab) == 1.0, tampered[lab.name]["honest-but-suspicious"]


SHOWN = ["blank-later-cells", "no-run-cell"]  # attacks that work on any lab without the re-run


def test_without_the_rerun_tampering_buys_points(tmp_path):
    """The protection matters: with the re-run switched off, the kernel's verdicts stand and tampering pays."""
    lab = next((lab for lab in LABS if lab.name.startswith("lab03")), LABS[-1])
    (copied,) = course_copy([lab], tmp_path / "course")
    with (copied.root / "nbgrader_config.py").open("a") as config:
        config.write("\nc.RerunIfSuspicious.enabled = False\nc.VerifyOverHttp.enabled = False\n")
    release = read_notebook(lab.release)
    for tamper in (t for t in TAMPERS if t.name in SHOWN):
        submit(copied, tamper.name, tamper.notebook(release))
    course = Course.at(copied.root)
    generate_assignments([copied], course.config)
    grade_lab(copied, workers=GRADERS, course=course)
    scores = scores_in(copied.root, lab.name)
    for name in SHOWN:
        assert _share(scores[name], lab) == 1.0, f"{name} without the re-run kept only {scores[name]}"
