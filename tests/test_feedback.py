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


def raw(path: Path) -> str:
    return path.read_text()


def test_feedback_page_names_tasks_colours_states_and_drops_the_closing_line(feedback):
    """A page with failed and passed checks: tasks by name and grade id, not "Test cell" again and again."""
    mutant = FEEDBACK_MISTAKES[0]
    page = feedback[mutant.lab] / mutant.student / mutant.lab / f"{mutant.lab}.html"
    text, markup = visible_text(page), raw(page)
    assert "Test cell" not in text and "Task 1 — " in text and f"· {mutant.key}-" in text
    assert "panel-danger" in markup and "panel-success" in markup, "failed and passed cells look alike"
    assert f"Run `course check {mutant.lab}`" not in text and f"course check {mutant.lab} in a terminal" not in text
    assert "AssertionError" not in text
    assert "details > summary { display: list-item" in markup and "white-space: pre-wrap" in markup
    assert "Task" in text.split("Checks that did not pass", 1)[1], "the failed check is named by its task"


def test_an_ungraded_submission_gets_a_page_with_the_reason_and_the_fix(tmp_path):
    """Invalid JSON and a renamed notebook: a page each, where release_feedback looks; the absent are listed."""
    import subprocess

    from autograder.config import Course
    from autograder.feedback import feedback_for_all
    from autograder.layout import Lab
    from autograder.sample_class import course_copy, submit
    from tests.conftest import BIN, REPO

    lab_name = LABS[0].name
    (lab,) = course_copy([Lab(REPO, lab_name)], tmp_path / "course")
    release = nbformat.writes(read_notebook(LABS[0].release))
    broken = lab.submitted("eli-broken") / f"{lab_name}.ipynb"
    broken.parent.mkdir(parents=True)
    broken.write_text(release[: len(release) // 2])
    (broken.parent / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC")
    submit(lab, "fay-misnamed", read_notebook(LABS[0].release), f"{lab_name} (1).ipynb")
    course = Course.at(lab.root)
    from autograder.gradebook import open_gradebook

    with open_gradebook(course.db_url) as gradebook:
        gradebook.add_assignment(lab_name)
        gradebook.add_student("absent")

    done = feedback_for_all(course, lab)
    assert sorted(done.ungraded) == ["eli-broken", "fay-misnamed"]
    eli = visible_text(lab.feedback("eli-broken") / f"{lab_name}.html")
    assert "JSON is broken at line" in eli and "text editor" in eli and "could not be graded" in eli
    assert (lab.feedback("eli-broken") / "timestamp.txt").read_text().startswith("2026-12-01")
    fay = visible_text(lab.feedback("fay-misnamed") / f"{lab_name} (1).html")  # the name fetch_feedback asks for
    assert f"Rename your notebook to {lab_name}.ipynb" in fay
    assert [(m.student, m.reason) for m in done.missing] == [("absent", "no submission: nothing to give feedback on")]

    listed = subprocess.run([str(BIN / "course"), "feedback", lab_name], cwd=lab.root, capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    assert "1 student(s) without a feedback page:\n  absent: no submission" in listed.stdout


def test_feedback_for_a_lab_the_gradebook_lacks_says_what_to_do(tmp_path):
    import subprocess

    from autograder.layout import Lab
    from autograder.sample_class import course_copy
    from tests.conftest import BIN, REPO

    (lab,) = course_copy([Lab(REPO, LABS[0].name)], tmp_path / "course")
    result = subprocess.run([str(BIN / "course"), "feedback", lab.name], cwd=lab.root, capture_output=True, text=True)
    assert result.returncode != 0 and f"nbgrader generate_assignment {lab.name} --force" in result.stderr


def test_formgrader_keeps_its_pages_beside_the_courses_feedback_template():
    """The course's template folder is set for every HTMLExporter, Formgrader's included.

    Naming only the course's folder left Formgrader without its ``formgrade`` pages (its
    extension failed to load); both must resolve, ``feedback`` to the course's own.
    """
    from nbconvert.exporters import HTMLExporter

    from autograder.config import Course
    from autograder.plugins.rubric_summary import FEEDBACK_TEMPLATES
    from tests.conftest import REPO

    config = Course.at(REPO).config
    assert HTMLExporter(config=config, template_name="formgrade").template  # raises when no folder holds it
    feedback = HTMLExporter(config=config, template_name="feedback")
    assert feedback.template
    assert str(FEEDBACK_TEMPLATES) in feedback.template_paths[0], feedback.template_paths[:3]
