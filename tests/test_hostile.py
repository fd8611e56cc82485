"""Hostile and broken submissions (tests/hostile.py) against both grading paths.

Each corpus entry is graded by ``course grade`` and by plain ``nbgrader autograde`` with the
course's configuration, and its expected outcome is asserted for both. The entries built from a
lab's own cells are tried on lab00 and lab01; those that do the same to any lab (a file cut in
half, a fork bomb, reading the course around it), on the first of them only. The damaging entries
are then graded under nbgrader's own, unprotected configuration, to show that each
protection is what stops the damage.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.grading.coordinator import grade_lab
from autograder.grading.results import Outcome
from autograder.grading.runners import LocalPool
from autograder.layout import get_lab
from autograder.plugins.conceal_hidden_tests import hidden_lines
from labkit.notebooks import read_notebook
from tests.conftest import BIN, REPO, labs_under_test, make_course_copy, nbgrader
from tests.hostile import Entry, build, corpus

LABS = [lab.name for lab in labs_under_test() if lab.name in ("lab00_warmup", "lab01_api_design")]
pytestmark = pytest.mark.skipif(not LABS, reason="COURSE_LABS selects neither lab00 nor lab01")

TIMEOUT = 10  # the course's 30 s per cell, shortened so runaway entries cost less test time
UNPROTECTED = f"""
# nbgrader's own execution and feedback: no sandbox, no outside checks, no concealment.
from nbgrader.preprocessors import Execute as _Execute
c.Autograde.autograde_preprocessors = [
    _Execute, IgnorePattern, StderrIsNotFailure, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
    AssignLatePenalties, CheckCellMetadata,
]
c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor]
c.Execute.timeout = {TIMEOUT}
"""
DAMAGING = ["fake-client", "blank-later-cells", "steal-hidden-tests", "echo-hidden-tests", "network", "fork-bomb"]


class Listener:
    """A TCP server on loopback that records what connects to it (the network entry's target)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    self.received.append(conn.recv(100))
                except OSError:
                    self.received.append(b"")


@dataclass
class Course:
    root: Path
    listener: Listener
    entries: dict[str, dict[str, Entry]] = field(default_factory=dict)  # lab -> name -> entry
    log: str = ""

    @property
    def gradebook(self) -> Path:
        return self.root / "autograder" / "gradebook.db"

    def scores(self, lab: str, student: str) -> dict[str, tuple[float, float]] | None:
        with Gradebook(f"sqlite:///{self.gradebook}") as gradebook:
            try:
                notebook = gradebook.find_submission_notebook(lab, lab, student)
            except Exception:  # MissingEntry: nbgrader recorded nothing for this student
                return None
            return {g.name: (g.score or 0.0, g.max_score) for g in notebook.grades}

    def flagged(self, lab: str, student: str) -> bool:
        with Gradebook(f"sqlite:///{self.gradebook}") as gradebook:
            return gradebook.find_submission_notebook(lab, lab, student).flagged

    def autograded(self, lab: str, student: str) -> Path:
        return self.root / "autograder" / "autograded" / student / lab / f"{lab}.ipynb"


def printed(path: Path) -> str:
    """Everything a graded notebook's cells printed, as plain text."""
    cells = read_notebook(path).cells
    return "".join(str(o.get("text", "")) + json.dumps(o.get("data", {})) for c in cells for o in c.get("outputs", []))


def tried_on(lab: str, entry: Entry, labs: list[str]) -> bool:
    """Whether ``entry`` is submitted for ``lab``: a lab-specific entry in every lab, any other in the first."""
    return entry.lab_specific or lab == labs[0]


def make_course(root: Path, labs: list[str], extra_config: str, only: list[str] | None = None) -> Course:
    """A course copy with the corpus (and one honest bystander) submitted for each lab."""
    make_course_copy(root, labs)
    with (root / "nbgrader_config.py").open("a") as config:
        config.write(extra_config)
    course = Course(root, Listener())
    for lab_name in labs:
        lab = get_lab(REPO, lab_name)
        solution, release = read_notebook(lab.solution), read_notebook(lab.release)
        result = nbgrader(root, "generate_assignment", lab_name)
        assert result.returncode == 0, result.stdout + result.stderr
        submitted = root / "autograder" / "submitted"
        course.entries[lab_name] = {}
        for entry in corpus(lab_name, solution, course.listener.port):
            if (only is None or entry.name in only) and tried_on(lab_name, entry, labs):
                build(entry, lab_name, solution, release, submitted / entry.name / lab_name)
                course.entries[lab_name][entry.name] = entry
        (submitted / "bystander" / lab_name).mkdir(parents=True)
        (submitted / "bystander" / lab_name / f"{lab_name}.ipynb").write_bytes(lab.solution.read_bytes())
    return course


@pytest.fixture(scope="module")
def graded_both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """The corpus graded by course grade (one course) and plain nbgrader (another), side by side."""
    base = tmp_path_factory.mktemp("hostile")
    config = f"\nc.Execute.timeout = {TIMEOUT}\n"
    by_course = make_course(base / "course-grade", LABS, config)
    by_nbgrader = make_course(base / "nbgrader", LABS, config)

    def run_course_grade() -> dict[str, list[Outcome]]:
        with LocalPool(1) as graders:
            return {lab: grade_lab(get_lab(by_course.root, lab), graders=graders) for lab in LABS}

    def run_nbgrader() -> str:
        return "".join(nbgrader(by_nbgrader.root, "autograde", lab).stderr for lab in LABS)

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes_future, log_future = pool.submit(run_course_grade), pool.submit(run_nbgrader)
        outcomes, by_nbgrader.log = outcomes_future.result(), log_future.result()
    yield {"course": by_course, "nbgrader": by_nbgrader, "outcomes": outcomes}


def _check_scores(course: Course, lab: str, entry: Entry) -> None:
    scores = course.scores(lab, entry.name)
    assert scores is not None, f"{entry.name}: no grades recorded"
    lost = {gid for gid, (score, out_of) in scores.items() if score < out_of}
    assert entry.must_lose <= lost, f"{entry.name} ({entry.what}) kept points on {sorted(entry.must_lose - lost)}"
    if entry.full_marks_except is not None:
        assert lost == entry.full_marks_except, f"{entry.name} ({entry.what}) lost points on {sorted(lost)}"
    assert course.flagged(lab, entry.name) == entry.flagged, f"{entry.name}: flagged should be {entry.flagged}"


def _lab_entries() -> list[tuple[str, str]]:
    entries = corpus("lab00_warmup", read_notebook(get_lab(REPO, "lab00_warmup").solution), 0)
    return [(lab, entry.name) for lab in LABS for entry in entries if tried_on(lab, entry, LABS)]


@pytest.mark.parametrize(("lab", "name"), _lab_entries())
def test_course_grade_outcome(graded_both, lab: str, name: str) -> None:
    course: Course = graded_both["course"]
    entry = course.entries[lab][name]
    outcome = next(o for o in graded_both["outcomes"][lab] if o.student == name)
    assert outcome.status == entry.verdict, f"{name}: {outcome.status} ({outcome.reason})"
    said = " ".join([outcome.reason, outcome.flag, *outcome.notes])
    assert entry.reason in said, f"{name}: expected {entry.reason!r} in {said!r}"
    if entry.verdict == "graded":
        _check_scores(course, lab, entry)
    else:
        scores = course.scores(lab, name) or {}
        assert all(score == 0 for score, _ in scores.values()) and course.flagged(lab, name)


@pytest.mark.parametrize(("lab", "name"), _lab_entries())
def test_plain_nbgrader_outcome(graded_both, lab: str, name: str) -> None:
    course: Course = graded_both["nbgrader"]
    entry = course.entries[lab][name]
    if entry.verdict == "graded":
        _check_scores(course, lab, entry)
        record = json.dumps(read_notebook(course.autograded(lab, name)).metadata.get("autograder", {}))
        if entry.reason and entry.reason != "not part of the lab":  # nbgrader itself skips extra notebooks
            assert entry.reason in record or entry.reason in course.log
    else:
        # nbgrader records a zero for a submission it could not grade; the course's report
        # (and export) must never pass that off as an honest zero.
        assert f"for student '{name}'" in course.log
        from autograder.config import Course
        from autograder.report import collect

        row = next(r for r in collect(Course.at(course.root), get_lab(course.root, lab)).rows if r.student == name)
        assert row.flag, f"{name}: plain nbgrader's zero is reported as an honest grade"
        if entry.reason in ("appear twice", "grading metadata"):
            assert entry.reason in course.log, "nbgrader's log should carry the course's explanation"


@pytest.mark.parametrize("path", ["course", "nbgrader"])
def test_nothing_outside_the_submission_was_touched(graded_both, path: str) -> None:
    course: Course = graded_both[path]
    assert course.gradebook.is_file(), "the gradebook was deleted"
    for lab in LABS:
        assert (course.root / "autograder" / "submitted" / "bystander" / lab).is_dir()
        scores = course.scores(lab, "bystander")
        assert scores and all(score == out_of for score, out_of in scores.values())
    lab = LABS[0]  # where the entries below were submitted
    text = printed(course.autograded(lab, "steal-hidden-tests"))
    assert "STOLEN 0 files" in text
    assert not any(line in text for line in hidden_lines(read_notebook(get_lab(REPO, lab).source)))
    assert "fork refused after" in printed(course.autograded(lab, "fork-bomb"))
    assert course.autograded(lab, "output-flood").stat().st_size < 3_000_000
    assert course.listener.received == [], "a submission reached the network"


@pytest.mark.parametrize("path", ["course", "nbgrader"])
def test_feedback_never_carries_hidden_tests(graded_both, path: str) -> None:
    course: Course = graded_both[path]
    lab = LABS[0]  # where echo-hidden-tests was submitted; tests/test_feedback.py reads every lab's feedback
    result = nbgrader(course.root, "generate_feedback", lab, "--student", "echo-hidden-tests", "--force")
    assert result.returncode == 0, result.stderr[-2000:]
    html = next((course.root / "autograder" / "feedback" / "echo-hidden-tests" / lab).glob("*.html")).read_text()
    assert "LEAK:" not in html
    assert not any(line in html for line in hidden_lines(read_notebook(get_lab(REPO, lab).source)))


@pytest.fixture(scope="module")
def unprotected(tmp_path_factory: pytest.TempPathFactory) -> Course:
    """The damaging lab00 entries graded by nbgrader's own configuration, no sandbox."""
    base = tmp_path_factory.mktemp("unprotected")
    env = {**os.environ, "COURSE_SANDBOX": "off"}
    course = make_course(base / "course", ["lab00_warmup"], UNPROTECTED, only=DAMAGING)
    course.log = subprocess.run(
        [str(BIN / "nbgrader"), "autograde", "lab00_warmup"], cwd=course.root, env=env, capture_output=True, text=True
    ).stderr
    return course


def test_without_protection_tampering_buys_points(unprotected: Course) -> None:
    for name in ("fake-client", "blank-later-cells"):
        scores = unprotected.scores("lab00_warmup", name)
        assert scores and all(score == out_of for score, out_of in scores.values()), f"{name}: {scores}"


def test_without_protection_course_files_and_network_are_in_reach(unprotected: Course) -> None:
    text = printed(unprotected.autograded("lab00_warmup", "steal-hidden-tests"))
    assert any(line in text for line in hidden_lines(read_notebook(get_lab(REPO, "lab00_warmup").source)))
    assert b"exfiltrated" in unprotected.listener.received
    fork = unprotected.autograded("lab00_warmup", "fork-bomb")  # may be missing: the bomb can break grading
    assert not fork.exists() or "fork refused after" not in printed(fork)


def test_without_concealment_feedback_leaks_hidden_tests(unprotected: Course) -> None:
    result = nbgrader(unprotected.root, "generate_feedback", "lab00_warmup", "--student", "echo-hidden-tests")
    assert result.returncode == 0, result.stderr[-2000:]
    html = next((unprotected.root / "autograder" / "feedback" / "echo-hidden-tests" / "lab00_warmup").glob("*.html"))
    leaked = [part.split("<", 1)[0].split("\\", 1)[0] for part in html.read_text().split("LEAK:")[1:]]
    decoded = "\n".join(base64.b64decode(chunk + "=" * (-len(chunk) % 4)).decode(errors="replace") for chunk in leaked)
    assert any(line in decoded for line in hidden_lines(read_notebook(get_lab(REPO, "lab00_warmup").source)))


def test_without_sandbox_a_submission_destroys_the_course(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course", ["lab00_warmup"], UNPROTECTED, only=["destroy-course"])
    env = {**os.environ, "COURSE_SANDBOX": "off"}
    subprocess.run([str(BIN / "nbgrader"), "autograde", "lab00_warmup"], cwd=course.root, env=env, capture_output=True)
    # nbgrader recreates an empty gradebook after the deletion: the grades in it are gone.
    assert course.scores("lab00_warmup", "bystander") is None
    assert not (course.root / "autograder" / "submitted" / "bystander").exists()


def test_without_guard_a_dead_kernel_costs_the_whole_notebook(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course", ["lab00_warmup"], UNPROTECTED, only=["kernel-exit"])
    env = {**os.environ, "COURSE_SANDBOX": "off"}
    subprocess.run([str(BIN / "nbgrader"), "autograde", "lab00_warmup"], cwd=course.root, env=env, capture_output=True)
    scores = course.scores("lab00_warmup", "kernel-exit")
    assert scores is not None and all(score == 0 for score, _ in scores.values()), scores
