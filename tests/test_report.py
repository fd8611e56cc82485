"""`course report`/`export` and the feedback summary on a gradebook built with nbgrader's own API.

No grading runs: a lab00 course copy gets a gradebook holding two autograded cells and one
written answer, and four students: one whose written answer waits for a person, one a person
graded, one whose submission could not be graded (flagged, journaled), one who never
submitted. What nbgrader records for them is what these tests read.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.config import Course
from autograder.layout import Lab
from autograder.plugins.rubric_summary import RubricSummary
from autograder.report import _histogram, collect, export_csv, html_report, terminal_report
from autograder.sample_class import course_copy
from tests.conftest import REPO

LAB = "lab00_warmup"
AUTO = {"status-codes-a": 2.0, "status-codes-b": 2.0}
MANUAL = ("manual-question", 3.0)
# student -> autograded scores; manual score (None: not graded yet)
GRADES = {
    "full": ({"status-codes-a": 2.0, "status-codes-b": 2.0}, None),
    "half": ({"status-codes-a": 2.0}, 2.0),
    "review": ({}, None),  # graded, then flagged for an instructor to look at: its written answer still waits
}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    from nbgrader.api import Gradebook

    (lab,) = course_copy([Lab(REPO, LAB)], tmp_path_factory.mktemp("report") / "course")
    course = Course.at(lab.root)  # loads the configuration, and with it the in-process schema stamp
    with Gradebook(course.db_url) as gradebook:
        gradebook.add_assignment(LAB)
        gradebook.add_notebook(LAB, LAB)
        for name, points in AUTO.items():
            gradebook.add_grade_cell(name, LAB, LAB, max_score=points, cell_type="code")
        gradebook.add_grade_cell(MANUAL[0], LAB, LAB, max_score=MANUAL[1], cell_type="markdown")
        gradebook.add_solution_cell(MANUAL[0], LAB, LAB)
        for student in ("full", "half", "review", "broken", "absent"):
            gradebook.add_student(student)
        for student in ("full", "half", "review", "broken"):
            gradebook.add_submission(LAB, student)
        for student, (auto, manual) in GRADES.items():
            for name in AUTO:
                grade = gradebook.find_grade(name, LAB, LAB, student)
                grade.auto_score, grade.needs_manual_grade = auto.get(name, 0.0), False
            grade = gradebook.find_grade(MANUAL[0], LAB, LAB, student)
            if manual is not None:  # what Formgrader does when a person saves a grade
                grade.manual_score, grade.needs_manual_grade = manual, False
            (lab.autograded(student) / f"{LAB}.ipynb").parent.mkdir(parents=True, exist_ok=True)
            (lab.autograded(student) / f"{LAB}.ipynb").write_text("{}")
        for grade in gradebook.find_submission_notebook(LAB, LAB, "broken").grades:
            grade.auto_score = 0.0  # what course grade records for a submission it could not grade
        gradebook.find_submission_notebook(LAB, LAB, "broken").flagged = True
        gradebook.find_submission_notebook(LAB, LAB, "review").flagged = True
        gradebook.db.commit()
    lab.journal.parent.mkdir(parents=True, exist_ok=True)
    lab.journal.write_text(json.dumps({"broken": {"status": "failed", "reason": "invalid notebook: JSON broken"}}))
    return course


def test_pending_manual_points_are_pending_not_zero(course):
    cohort = collect(course, course.lab(LAB))
    rows = {row.student: row for row in cohort.rows}
    assert rows["full"].pending == {MANUAL[0]} and rows["full"].pending_points == 3
    assert rows["full"].percent == 100, "4 of the 4 points graded so far, not 4 of 7"
    assert rows["half"].pending == set() and round(rows["half"].percent, 1) == 57.1  # 4 of 7
    assert rows["broken"].pending == set(), "a submission that could not be graded has nothing pending"
    text = terminal_report(cohort)
    assert rows["review"].pending == {MANUAL[0]} and rows["review"].flag
    assert "awaiting manual grading: 2 student(s), 6 points" in text
    assert "flagged; pending manual grading" in text
    assert "4/4 + 3 pending" in text and "pending manual grading" in text
    assert "broken: not graded: invalid notebook" in text and "absent: no submission" in text


def test_report_mean_median_and_formgrader_average(course):
    from nbgrader.api import Gradebook

    cohort = collect(course, course.lab(LAB))
    mean, median = cohort.mean_median()
    assert round(mean, 2) == round(median, 2) == round((100 + 400 / 7) / 2, 2)
    with Gradebook(course.db_url) as gradebook:
        formgrader = gradebook.average_assignment_score(LAB)
    assert formgrader == cohort.formgrader_average == (4 + 4 + 0 + 0) / 4
    note = cohort.formgrader_note()
    assert f"Formgrader's average: {formgrader:.1f} of 7 points, over all 4 submissions" in note
    assert "2 flagged" in note and "6 points awaiting manual grading" in note


def test_tasks_hardest_first_and_whole_students(course):
    cohort = collect(course, course.lab(LAB))
    assert list(cohort.task_rates()) == ["status-codes-b", "status-codes-a"]  # 50% before 100%
    ticks = _histogram(cohort).axes[0].get_yticks()
    assert all(tick == int(tick) for tick in ticks), ticks
    assert sum(count for _, _, count in cohort.buckets()) == len(cohort.graded) == 2


def test_export_and_html_say_pending(course, tmp_path: Path):
    cohort = collect(course, course.lab(LAB))
    with export_csv(cohort, tmp_path / "grades.csv").open() as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert (rows["full"]["manual"], rows["full"]["pending_points"]) == ("pending", "3.0")
    assert (rows["half"]["manual"], rows["half"]["pending_points"]) == ("2.0", "0.0")
    page = html_report(cohort, tmp_path / "report.html").read_text()
    assert "awaiting manual grading" in page and "<th>student</th>" in page


def summary_notebook() -> object:
    def cell(source: str, meta: dict, kind=new_code_cell) -> object:
        made = kind(source)
        made.metadata["nbgrader"] = meta
        return made

    return new_notebook(
        cells=[
            new_markdown_cell("## Task 1 — A"),
            cell("...", {"grade_id": "status-codes-a", "grade": True, "points": 2.0, "score": 2.0}),
            new_markdown_cell("## Task 2 — B"),
            cell("...", {"grade_id": "status-codes-b", "grade": True, "points": 2.0, "score": 0.0}),
            new_markdown_cell("## Question — Why?"),
            cell(
                "my answer",
                {"grade_id": MANUAL[0], "grade": True, "solution": True, "points": 3.0, "score": 0.0},
                new_markdown_cell,
            ),
            new_markdown_cell("## Done\n\nRun `course check lab00_warmup` in a terminal."),
        ]
    )


@pytest.mark.parametrize("student", ["full", "half"])
def test_feedback_summary_shows_pending_manual_points(course, student):
    resources = {"nbgrader": {"db_url": course.db_url, "assignment": LAB, "notebook": LAB, "student": student}}
    nb, resources = RubricSummary().preprocess(summary_notebook(), resources)
    summary = nb.cells[0].source
    question = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == MANUAL[0])
    assert "course check" not in "".join(c.source for c in nb.cells), "the lab's closing line is dropped"
    assert "Task 2" in summary and "Checks that did not pass" in summary
    if student == "full":
        assert question.metadata.feedback["status"] == "pending"
        assert "3 points await grading by a person" in summary and "<em>pending</em>" in summary
        assert "3 more points await grading by a person" in resources["feedback"]["headline"]
    else:
        assert question.metadata.feedback["status"] == "graded" and "pending" not in summary


def test_feedback_summary_groups_tasks_not_started():
    from autograder.plugins.rubric_summary import _summary
    from labkit.diagnosis import NOT_STARTED, Finding

    findings = [
        Finding(f"status-codes-{n}", f"Task {n}", "", "status-codes", 0, 2, NOT_STARTED, "not started: ...")
        for n in (1, 2, 3)
    ]
    summary, headline = _summary(findings, [], flagged=False)
    assert summary.count("Not started") == 1 and "Task 1</a> (2 points), <a" in summary
    assert summary.count("NotImplementedError") == 1 and headline == "0 of 6 autograded points"
