"""`course grade`: same scores as plain nbgrader, failures flagged, resumable after a kill."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from autograder.report import NBGRADER_COLUMNS
from labkit.notebooks import is_autograded_test, nbgrader_meta, read_notebook
from tests.conftest import BIN, flagged_in, labs_under_test, make_course_copy, nbgrader, scores_in

LABS = labs_under_test()
LAB = next((lab for lab in LABS if lab.name.startswith("lab01")), LABS[0]).name


def course_grade(root: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "course"), "grade", LAB, *args], cwd=root, capture_output=True, text=True, timeout=900, **kwargs
    )


@pytest.fixture
def cohort(graded, tmp_path) -> Path:
    """A new course holding the same submissions plain nbgrader graded, plus two broken ones."""
    root = make_course_copy(tmp_path / "course", [LAB])
    shutil.copytree(graded[LAB].root / "autograder" / "submitted", root / "autograder" / "submitted")
    broken = root / "autograder" / "submitted" / "broken-json" / LAB
    broken.mkdir(parents=True)
    (broken / f"{LAB}.ipynb").write_text('{"cells": [')
    renamed = root / "autograder" / "submitted" / "wrong-name" / LAB
    shutil.copytree(root / "autograder" / "submitted" / "solution" / LAB, renamed)
    (renamed / f"{LAB}.ipynb").rename(renamed / "my lab.ipynb")
    assert nbgrader(root, "generate_assignment", LAB).returncode == 0
    return root


def test_scores_equal_plain_nbgrader_and_failures_are_flagged(graded, cohort):
    result = course_grade(cohort, "--workers", "2")
    assert result.returncode == 1, result.stdout + result.stderr  # two submissions are flagged
    expected = scores_in(graded[LAB].root, LAB)
    got = scores_in(cohort, LAB)
    for student, cells in expected.items():
        assert got[student] == cells, f"{student}: course grade {got[student]} != nbgrader {cells}"
    assert "FLAGGED broken-json: invalid notebook" in result.stdout
    assert "FLAGGED wrong-name: missing notebook" in result.stdout and "my lab.ipynb" in result.stdout
    flags = flagged_in(cohort, LAB)
    assert flags["broken-json"] and flags["wrong-name"] and not flags["solution"]
    assert all(score == 0 for score in got["broken-json"].values())
    journal = json.loads((cohort / "autograder" / "journal" / f"{LAB}.json").read_text())
    assert journal["broken-json"]["status"] == "failed" and journal["solution"]["status"] == "graded"

    # The report and the export flag what could not be graded, and a student who never submitted.
    assert nbgrader(cohort, "db", "student", "add", "nobody", "--last-name=Absent").returncode == 0
    report = subprocess.run([str(BIN / "course"), "report", LAB], cwd=cohort, capture_output=True, text=True)
    assert report.returncode == 0, report.stderr
    assert "broken-json: not graded: invalid notebook" in report.stdout and "nobody: no submission" in report.stdout
    assert (cohort / "autograder" / "reports" / f"{LAB}.html").read_text().count("data:image/png;base64") == 3
    export = subprocess.run([str(BIN / "course"), "export", LAB], cwd=cohort, capture_output=True, text=True)
    assert export.returncode == 0, export.stderr
    with (cohort / "autograder" / "reports" / f"{LAB}.csv").open() as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert list(rows["solution"])[:11] == NBGRADER_COLUMNS
    assert rows["broken-json"]["flagged"] == "yes" and "invalid notebook" in rows["broken-json"]["flag_reason"]
    assert rows["nobody"]["flagged"] == "yes" and rows["solution"]["flagged"] == "no"
    # the solution earns every autograded point; written answers wait for a person (0 until then)
    source = read_notebook(next(lab for lab in LABS if lab.name == LAB).source)
    autograded = sum(float(nbgrader_meta(cell)["points"]) for cell in source.cells if is_autograded_test(cell))
    assert float(rows["solution"]["score"]) == autograded > 0

    # Regrading unchanged submissions is idempotent: without --force nothing is graded again (the
    # flagged stay flagged); with it, those named are graded again to the same scores.
    assert course_grade(cohort).returncode == 1
    assert scores_in(cohort, LAB) == got
    again = course_grade(cohort, "--force", "--student", "s*")  # solution, stderr
    assert again.returncode == 0 and "graded: 2" in again.stdout, again.stdout + again.stderr
    assert scores_in(cohort, LAB) == got

    # A resubmission that cannot be graded never keeps the old (full) score silently.
    notebook = cohort / "autograder" / "submitted" / "solution" / LAB / f"{LAB}.ipynb"
    notebook.write_text(notebook.read_text()[:100])
    result = course_grade(cohort)
    assert "FLAGGED solution: invalid notebook" in result.stdout
    assert all(score == 0 for score in scores_in(cohort, LAB)["solution"].values())
    assert flagged_in(cohort, LAB)["solution"]
    assert not (cohort / "autograder" / "autograded" / "solution" / LAB).exists(), "stale autograded notebook kept"


KEPT_FOR_THE_KILL = 10  # submissions the killed run grades: enough to kill it midway, few enough to be quick


def test_a_killed_run_started_again_finishes_the_job(graded, cohort):
    submitted = cohort / "autograder" / "submitted"
    for folder in sorted(submitted.iterdir())[KEPT_FOR_THE_KILL:]:
        shutil.rmtree(folder)
    journal = cohort / "autograder" / "journal" / f"{LAB}.json"
    process = subprocess.Popen(
        [str(BIN / "course"), "grade", LAB, "--workers", "1"],
        cwd=cohort,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if journal.is_file() and len(json.loads(journal.read_text())) >= 2:
            break
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)  # the coordinator, its workers, and their kernels
    process.wait()
    done_before = len(json.loads(journal.read_text()))
    submissions = len(list((cohort / "autograder" / "submitted").iterdir()))
    assert 2 <= done_before < submissions, "the run was not interrupted midway; the test proves nothing"

    result = course_grade(cohort, "--workers", "2")
    assert len(json.loads(journal.read_text())) == submissions, result.stdout + result.stderr
    got = scores_in(cohort, LAB)
    expected = {student: cells for student, cells in scores_in(graded[LAB].root, LAB).items() if student in got}
    assert len(expected) >= KEPT_FOR_THE_KILL - 2, sorted(got)  # all but the two broken ones
    assert {student: got[student] for student in expected} == expected
    assert all((cohort / "autograder" / "autograded" / s / LAB / f"{LAB}.ipynb").is_file() for s in expected)


def test_unknown_lab_and_empty_cohort_say_what_to_do(tmp_path):
    root = make_course_copy(tmp_path / "course", [LAB])
    result = subprocess.run([str(BIN / "course"), "grade", LAB], cwd=root, capture_output=True, text=True)
    assert result.returncode == 2 and "No submissions" in result.stderr
    result = subprocess.run([str(BIN / "course"), "grade", "lab99"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 2 and "Unknown lab" in result.stderr


def test_demo_runs_the_instructor_job_from_nothing(tmp_path):
    out = tmp_path / "demo"
    result = subprocess.run(
        [str(BIN / "course"), "demo", "--labs", "lab00", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "FLAGGED eli-broken: invalid notebook" in result.stdout
    assert "FLAGGED fay-misnamed: missing notebook" in result.stdout
    assert "Where everything is:" in result.stdout
    assert (out / "autograder" / "reports" / "lab00_warmup.html").is_file()
    assert (out / "autograder" / "reports" / "lab00_warmup.csv").is_file()
    assert (out / "autograder" / "feedback" / "amara-solid" / "lab00_warmup" / "lab00_warmup.html").is_file()


def test_the_terminal_shows_progress_not_library_warnings(sample_grades):
    """nbgrader's gradebook code trips SQLAlchemy warnings on every recorded result; an
    instructor grading hundreds would see pages of them between the progress lines."""
    noise = [line for line in sample_grades.stderr.splitlines() if "Warning" in line]
    assert not noise, "\n".join(noise[:5])
