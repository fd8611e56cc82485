"""What course grade makes of each kind of result, and of a grading environment that cannot run a lab.

- the kind of a result, not its words, decides whether the next run grades it again;
- a batch whose recording fails is recorded one result at a time, and only the bad one is lost;
- an error in the lab's own given code is flagged as the environment's fault, never scored as the
  learner's zero, under course grade and plain nbgrader alike; when the first submissions all
  fail there, course grade stops with one message;
- a submission our own machinery failed on is graded once more in the same run.
"""

from __future__ import annotations

import concurrent.futures
import json
import subprocess
from collections import Counter
from pathlib import Path

import nbformat
import pytest

from autograder.config import Course
from autograder.grading.bundle import CourseBundle, Job
from autograder.grading.journal import Journal, Submission
from autograder.grading.recorder import Finished, Recorder
from autograder.grading.results import Graded, MachineryFailed, Outcome, SubmissionFailed
from autograder.grading.runners import LocalPool
from autograder.layout import Lab
from autograder.sample_class import course_copy, generate_assignments, submit
from tests.conftest import BIN, REPO, flagged_in, nbgrader, scores_in

LAB = "lab00_warmup"


def solution() -> nbformat.NotebookNode:
    return nbformat.read(REPO / "solutions" / LAB / f"{LAB}.ipynb", as_version=4)


@pytest.mark.parametrize(
    ("result", "retried"),
    [
        (Graded({"a": (1.0, 1.0)}, b""), False),
        (Graded({"a": (0.0, 1.0)}, b"", flag="outside checks disagreed"), False),
        (Graded({"a": (0.0, 1.0)}, b"", environment_fault="the given code failed"), True),
        (SubmissionFailed("invalid notebook"), False),
        (MachineryFailed("the grading process died (exit -9)"), True),
    ],
    ids=["graded", "flagged", "environment", "submission", "machinery"],
)
def test_the_kind_of_result_decides_whether_the_next_run_grades_it_again(tmp_path: Path, result, retried: bool):
    lab = Lab(tmp_path, LAB)
    journal = Journal(lab)
    journal.record([Outcome.of("ada", "digest", "sqlite:autograder/gradebook.db", result)])
    again = Journal(lab)  # as the next run reads it
    done = again.is_done(Submission("ada", tmp_path, "digest"), "sqlite:autograder/gradebook.db")
    assert done is not retried


@pytest.fixture
def course(tmp_path: Path) -> Course:
    (lab,) = course_copy([Lab(REPO, LAB)], tmp_path / "course")
    loaded = Course.at(lab.root)
    generate_assignments([lab], loaded.config)
    return loaded


def test_a_batch_that_cannot_be_recorded_costs_only_the_bad_result(course: Course):
    """One result in a batch carries a broken autograded folder; the other two are recorded."""
    lab = course.lab(LAB)
    good = Graded({"status-codes-health": (2.0, 2.0)}, _autograded(course, lab))
    batch = []
    for student, result in (("ada", good), ("bob", Graded({}, b"not a tar archive")), ("cy", good)):
        folder = lab.submitted(student)
        folder.mkdir(parents=True)
        batch.append(Finished(Submission(student, folder, "d"), result))
    recorder = Recorder(course, lab)
    try:
        outcomes = {o.student: o for o in recorder.record(batch)}
    finally:
        recorder.close()
    assert outcomes["ada"].status == outcomes["cy"].status == "graded"
    assert outcomes["bob"].status == "failed" and outcomes["bob"].retry
    assert "could not record grades" in outcomes["bob"].reason
    assert flagged_in(course.root, LAB) == {"ada": False, "bob": True, "cy": False}


def _autograded(course: Course, lab: Lab) -> bytes:
    """A real autograded folder of the worked solution, made by plain nbgrader in a scratch copy."""
    from autograder.grading.bundle import pack

    scratch = course.root.parent / "scratch"
    (copied,) = course_copy([lab], scratch)
    submit(copied, "ada", solution())
    assert nbgrader(scratch, "generate_assignment", LAB).returncode == 0
    assert nbgrader(scratch, "autograde", LAB).returncode == 0
    return pack(copied.autograded("ada"))


BROKEN_SETUP = "import module_the_grading_environment_lacks  # stands for a package missing on the grader\n"


def _break_given_code(lab: Lab, where: str) -> None:
    """Make the lab's given setup code fail in the grading environment (its source, as an instructor's typo would)."""
    source = nbformat.read(lab.source, as_version=4)
    given = [c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == where]
    given[0].source = BROKEN_SETUP + given[0].source
    nbformat.write(source, lab.source)


def test_a_broken_environment_stops_course_grade_with_one_message(tmp_path: Path):
    (lab,) = course_copy([Lab(REPO, LAB)], tmp_path / "course")
    _break_given_code(lab, "setup")
    for student in ("ada", "bob", "cy", "dee", "eve", "fay", "gus", "hal"):
        submit(lab, student, solution())
    assert nbgrader(lab.root, "generate_assignment", LAB).returncode == 0
    result = subprocess.run(
        [str(BIN / "course"), "grade", LAB, "--workers", "1"], cwd=lab.root, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("Grading stopped") == 1 and "module_the_grading_environment_lacks" in result.stderr
    journal = json.loads(lab.journal.read_text())
    assert len(journal) < 8, "it stopped before grading the whole class"
    assert all(entry["retry"] and entry["flag"] for entry in journal.values()), journal


def test_plain_nbgrader_flags_a_given_cell_that_fails(tmp_path: Path):
    """Never the learner's zero in silence: the instructor sees the flag and the reason in the log."""
    (lab,) = course_copy([Lab(REPO, LAB)], tmp_path / "course")
    _break_given_code(lab, "setup")
    submit(lab, "ada", solution())
    assert nbgrader(lab.root, "generate_assignment", LAB).returncode == 0
    graded = nbgrader(lab.root, "autograde", LAB)
    assert flagged_in(lab.root, LAB) == {"ada": True}
    assert "given code failed before any answer ran" in graded.stderr
    assert all(score == 0 for score in scores_in(lab.root, LAB)["ada"].values())


def test_points_awaiting_a_person_are_pending_in_course_grades_summary():
    """A written answer nbgrader leaves for manual grading (score None) is pending, never a 0."""
    from autograder.grading.progress import summary

    scores = {"auth-login": (4.0, 4.0), "manual-design": (None, 3.0)}
    outcome = Outcome.of("ada", "digest", "gradebook", Graded(scores, b""))
    assert (outcome.score, outcome.max_score, outcome.pending) == (4.0, 7.0, 3.0)
    text = summary([outcome])
    assert "awaiting manual grading: 1 submission(s), 3 point(s)" in text, text
    assert "mean score: 100.0% of the points graded so far" in text, text


def test_graders_kept_open_grade_run_after_run_in_the_same_processes(course: Course):
    """Labs graded in a row (course demo, course prove) start their grading processes once."""
    from autograder.grading import process
    from autograder.grading.coordinator import grade_lab

    lab = course.lab(LAB)
    submit(lab, "ada", solution())
    with LocalPool(1) as graders:
        (first,) = grade_lab(lab, course=course, graders=graders)
        started = [grader.process for grader in process._started]
        submit(lab, "bob", solution())
        (second,) = grade_lab(lab, student_glob="bob", course=course, graders=graders)
        assert [grader.process for grader in process._started] == started and len(started) == 1
        assert started[0].poll() is None, "the grading process stopped between runs"
    assert first.status == second.status == "graded" and first.score == second.score == first.max_score > 0
    assert started[0].wait(10) is not None, "closing the graders stops their process"
    runs = [log for log in lab.root.glob(f"{lab.layout.logs}/{LAB}-*.log") if not log.name.endswith(".graders.log")]
    assert runs and all("on 1 local workers" in log.read_text() for log in runs), "each run's log names its graders"


class FailingGraders(LocalPool):
    """One grading process whose machinery fails: the first job of each student in ``once``, every job of ``always``."""

    def __init__(self, once: set[str], always: set[str]) -> None:
        super().__init__(1)
        self.once, self.always, self.tries = once, always, Counter()

    def submit(self, shared: CourseBundle, job: Job, timeout: float) -> concurrent.futures.Future:
        self.tries[job.student] += 1
        if job.student in self.always or (job.student in self.once and self.tries[job.student] == 1):
            failed: concurrent.futures.Future = concurrent.futures.Future()
            failed.set_result(MachineryFailed("the grading process died (exit -9)"))
            return failed
        return super().submit(shared, job, timeout)


def test_a_submission_our_machinery_failed_is_graded_once_more_in_the_same_run(course: Course):
    """A passing fault of ours (a grading process lost) costs the instructor no second run; a lasting one is left
    for the next run, flagged, after two tries."""
    from autograder.grading.coordinator import grade_lab

    lab = course.lab(LAB)
    for student in ("ada", "bob"):
        submit(lab, student, solution())
    with FailingGraders(once={"ada"}, always={"bob"}) as graders:
        outcomes = {o.student: o for o in grade_lab(lab, course=course, graders=graders)}
    assert graders.tries == {"ada": 2, "bob": 2}
    assert outcomes["ada"].status == "graded" and outcomes["ada"].score == outcomes["ada"].max_score > 0
    assert outcomes["bob"].status == "failed" and outcomes["bob"].retry and "died" in outcomes["bob"].reason
    assert flagged_in(course.root, LAB) == {"ada": False, "bob": True}
    (run,) = [log for log in lab.root.glob(f"{lab.layout.logs}/{LAB}-*.log") if not log.name.endswith(".graders.log")]
    assert run.read_text().count("graded once more at the end of this run") == 2
