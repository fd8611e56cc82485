"""Feedback: points by rubric item first, failed checks' messages, never hidden test code."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pytest
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import GetGrades
from traitlets.config import Config

from autograder.config import load_config as course_config
from autograder.plugins.conceal_hidden_tests import LEAK_NOTE, ConcealHiddenTests, hidden_lines
from labkit.notebooks import is_autograded_test, read_notebook
from tests.conftest import MISTAKES as MUTANTS
from tests.conftest import labs_under_test

LABS = labs_under_test()


def visible_text(path: Path) -> str:
    text = path.read_text()
    text = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


FEEDBACK_MISTAKES = [m for m in MUTANTS if m.lab in {lab.name for lab in LABS}][:3]


@pytest.fixture(scope="module")
def feedback(proven) -> dict[str, Path]:
    """nbgrader's GenerateFeedback with the course configuration, for a few students of every lab."""
    from autograder.config import Course
    from autograder.feedback import generate_feedback

    course = Course.at(proven.root)
    for lab in LABS:
        copied = course.lab(lab.name)
        students = ["solution-1", "release", "stderr"] + [m.student for m in FEEDBACK_MISTAKES if m.lab == lab.name]
        for student in students:
            assert generate_feedback(course, copied, student), f"no feedback page for {student}"
    return {lab.name: proven.root / "autograder" / "feedback" for lab in LABS}


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_feedback_never_shows_hidden_tests(feedback, lab):
    secret = hidden_lines(read_notebook(lab.source))
    assert secret, f"{lab.name} has no hidden lines to look for"
    pages = sorted(feedback[lab.name].glob(f"*/{lab.name}/{lab.name}.html"))
    assert len(pages) >= 3
    for page in pages:
        text = visible_text(page)
        leaked = [line for line in secret if line in text]
        assert not leaked, f"{page}: shows hidden test code: {leaked[:2]}"
        assert "Your score by checklist item" in text


@pytest.mark.parametrize("mutant", FEEDBACK_MISTAKES, ids=lambda m: f"{m.lab}:{m.key}:{m.cell}")
def test_feedback_names_the_failed_item_and_its_message(feedback, mutant):
    text = visible_text(feedback[mutant.lab] / mutant.student / mutant.lab / f"{mutant.lab}.html")
    summary = text.split("Checks that did not pass", 1)
    assert len(summary) == 2, "no list of failed checks"
    assert f"[{mutant.key}]" in summary[1] or "Error" in summary[1]


def test_plain_nbgrader_feedback_would_leak(proven, tmp_path):
    """The protection matters: nbgrader's default feedback shows the hidden tests."""
    lab = LABS[-1].name
    config = course_config(proven.root)
    config.merge(
        Config(
            {
                "GenerateFeedback": {"preprocessors": [GetGrades, CSSHTMLHeaderPreprocessor], "force": True},
                "CourseDirectory": {"feedback_directory": str(tmp_path / "plain")},
                "NbGrader": {"logfile": ""},
            }
        )
    )
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id, coursedir.student_id = lab, "solution-1"
    GenerateFeedback(coursedir=coursedir, config=config).start()
    text = visible_text(tmp_path / "plain" / "solution-1" / lab / f"{lab}.html")
    assert any(line in text for line in hidden_lines(read_notebook(LABS[-1].source)))


def test_outputs_that_echo_hidden_tests_are_removed(proven):
    lab = LABS[-1]
    nb = nbformat.read(proven.root / "autograder" / "autograded" / "release" / lab.name / f"{lab.name}.ipynb", 4)
    secret = sorted(hidden_lines(read_notebook(lab.source)))
    answer = next(c for c in nb.cells if c.cell_type == "code" and not is_autograded_test(c))
    answer.outputs = [nbformat.v4.new_output("stream", name="stdout", text="stolen:\n" + secret[0] + "\n")]
    nb, _ = ConcealHiddenTests().preprocess(nb, {})
    assert answer.outputs[0]["text"] == LEAK_NOTE
    for cell in nb.cells:
        if is_autograded_test(cell):
            assert "BEGIN HIDDEN TESTS" not in cell.source
            for output in cell.outputs:
                assert not any(line in "".join(output.get("traceback", [])) for line in secret)
