"""Shared fixtures: one graded copy of the course per test session.

Grading through real ``nbgrader autograde`` is the slow part of the suite, so it happens
once: every lab gets its own temporary course (so labs grade in parallel without sharing a
SQLite gradebook), with one "student" per kind of submission the tests reason about.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pytest

from autograder.catalogue import Mistake, mistakes
from autograder.inventory import requirements
from autograder.layout import Lab, list_labs
from autograder.sample_class import course_copy, course_with_sample_class, with_stderr_noise
from autograder.sample_class import submit as submit_to
from labkit.notebooks import read_notebook
from labkit.rubric import rubric_key

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MISTAKES = mistakes(REPO / "autograder" / "mistakes")
SAMPLE_LAB = "lab00_warmup"  # the cheapest lab to grade: the cluster and PostgreSQL tests use its sample class
# The lab whose mistakes plain nbgrader grades too, so that course grade can be compared with it
# cell by cell on answers that fail (tests/test_course_grade.py): one mistake for each of its
# test cells (every test cell pins a requirement, every requirement has a mistake), so every
# cell is compared failing; every lab's whole catalogue is graded by course grade alone
# (tests/test_catalogue.py).
EQUIVALENCE_LAB = "lab01_api_design"
# Plain nbgrader grades every lab's worked solution; the unanswered release and the solution
# writing to stderr in these labs only: the warm-up (the fast tier's lab), the lab compared cell
# by cell with course grade, and the capstone, with written answers (nbgrader scores a blank one
# 0 at once, a written one waits for a person). Course grade grades every lab's release and
# stderr variant in the proof, through the same nbgrader steps.
RELEASE_AND_STDERR_LABS = {SAMPLE_LAB, EQUIVALENCE_LAB, "lab08_capstone"}

# An instructor's shared gradebook (README: PostgreSQL) must never receive test data: every
# course the tests make keeps its own SQLite gradebook unless a test sets this itself.
os.environ.pop("COURSE_DB_URL", None)


# `make test` runs the suite in parallel processes (pytest-xdist, `-n auto`). Each test file runs
# whole in one process (its module fixtures are made once), and the files that share one of the
# session fixtures below run in the same process, so that it is made once too (the proof costs
# minutes). The scheduler below does this grouping itself: xdist's own `--dist loadgroup` marks
# are silently ignored under pytest 9.2 (pytest-dev/pytest-xdist#1386).
SHARED_SESSION_FIXTURES = {"proven": "proof", "graded": "graded", "sample_grades": "graded"}
FILES_SHARING_A_FIXTURE = {
    "tests/test_catalogue.py": "proof",
    "tests/test_feedback.py": "proof",
    "tests/test_build.py": "graded",
    "tests/test_course_grade.py": "graded",
    "tests/test_grading.py": "graded",
    "tests/test_grade_cluster.py": "graded",
    "tests/test_gradebook.py": "graded",
}


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureScheduling(LoadScopeScheduling):
        """One work unit per test file, and one for the files that share a session fixture."""

        def _split_scope(self, nodeid: str) -> str:
            file = nodeid.split("::")[0]
            return FILES_SHARING_A_FIXTURE.get(file, file)

    return SharedFixtureScheduling(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A new file that uses a shared session fixture must join its group, or xdist makes the fixture twice."""
    for item in items:
        file = item.nodeid.split("::")[0]
        for fixture, group in SHARED_SESSION_FIXTURES.items():
            if fixture in getattr(item, "fixturenames", ()) and FILES_SHARING_A_FIXTURE.get(file) != group:
                raise pytest.UsageError(
                    f"{file} uses the session fixture {fixture!r}: add it to FILES_SHARING_A_FIXTURE in "
                    f"tests/conftest.py as {group!r}, so that `make test` makes the fixture once"
                )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--cpu-report",
        action="store_true",
        help="after the run, print the processor time each test file cost (tests/cpu_report.py)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--cpu-report"):
        from tests.cpu_report import CpuReport

        config.pluginmanager.register(CpuReport(config), "cpu-report")


_STATUS_BEFORE = pytest.StashKey[set[str] | None]()  # the repository's git status as the run started


def _repository_status() -> set[str] | None:
    """``git status`` of the repository, one entry a changed or new file (ignored ones left out); None without git."""
    try:
        result = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"], cwd=REPO, capture_output=True, text=True
        )
    except OSError:
        return None
    return set(result.stdout.splitlines()) if result.returncode == 0 else None


def pytest_sessionstart(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # the controller (or the only process), not an xdist worker
        session.config.stash[_STATUS_BEFORE] = _repository_status()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a test wrote into the repository (an empty shop.db was once committed at the top level).

    Tests work in temporary folders: a file a test leaves in the checkout ends up committed.
    Only what appeared during this run counts, so a maintainer's own unsaved work does not.
    """
    before = session.config.stash.get(_STATUS_BEFORE, None)
    after = _repository_status() if before is not None else None
    if before is None or after is None or not (written := sorted(after - before)):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    message = "the tests wrote into the repository (make them use tmp_path):\n  " + "\n  ".join(written)
    if reporter is not None:
        reporter.write_sep("=", "files written into the repository", red=True)
        reporter.write_line(message)
    else:
        print(message, file=sys.stderr)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def labs_under_test() -> list[Lab]:
    """All labs, or those named (by prefix) in COURSE_LABS, e.g. COURSE_LABS=lab02,lab03.

    Lets a maintainer working on one lab run its tests without grading the whole course.
    """
    wanted = [name for name in os.environ.get("COURSE_LABS", "").split(",") if name]
    return [lab for lab in list_labs(REPO) if not wanted or any(lab.name.startswith(w) for w in wanted)]


def release_and_stderr_labs() -> list[str]:
    """The labs under test whose release and stderr variant plain nbgrader grades (all, if none is named above)."""
    names = [lab.name for lab in labs_under_test()]
    return [name for name in names if name in RELEASE_AND_STDERR_LABS] or names


PROOF_REPEAT = 2  # the worked solution is graded this often in the proof: a check that passes by chance fails
# Graders for the suite's big grading runs: one more than cores. A lab's kernel spends part of
# every request waiting on TestClient's event-loop thread, so with one grader per core a core
# idles about a quarter of the time. Measured on 2 cores, lab03's 51 auth mistakes, runs in
# turn: 3 graders take 0.877 of the time 2 take (median of pairs; 67.4 s with 2); CPU busy
# about 92% against 76%; 4 graders no better than 3.
GRADERS = (os.cpu_count() or 2) + 1


@dataclass
class Proof:
    """The course the ``proven`` fixture graded, and each student's verdict."""

    root: Path
    verdicts: dict[tuple[str, str], Any]  # (lab, student) -> autograder.prove.Verdict


@dataclass
class GradedLab:
    """Per-student, per-cell scores of one lab after ``nbgrader autograde``."""

    lab: str
    root: Path
    scores: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)  # autograded cells
    manual: dict[str, dict[str, bool]] = field(default_factory=dict)  # manual cell -> needs manual grade
    log: str = ""

    def total(self, student: str) -> tuple[float, float]:
        cells = self.scores[student].values()
        return sum(s for s, _ in cells), sum(m for _, m in cells)

    def lost_keys(self, student: str) -> set[str]:
        return {rubric_key(gid) or gid for gid, (s, m) in self.scores[student].items() if s < m}


def nbgrader(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "nbgrader"), *args], cwd=root, capture_output=True, text=True, timeout=900)


def make_course_copy(dest: Path, labs: list[str]) -> Path:
    """A fresh course folder holding the config and the given labs' sources, nothing graded."""
    course_copy([Lab(REPO, lab) for lab in labs], dest)
    return dest


def _url(gradebook_at: Path | str) -> str:
    return (
        f"sqlite:///{gradebook_at / 'autograder' / 'gradebook.db'}" if isinstance(gradebook_at, Path) else gradebook_at
    )


def scores_in(gradebook_at: Path | str, lab: str) -> dict[str, dict[str, float]]:
    """Student -> grade id -> score, as the gradebook holds them (a course root, or a database URL)."""
    from nbgrader.api import Gradebook

    with Gradebook(_url(gradebook_at)) as gradebook:
        return {
            submission.student.id: {
                g.name: g.score for g in gradebook.find_submission_notebook(lab, lab, submission.student.id).grades
            }
            for submission in gradebook.find_assignment(lab).submissions
        }


def flagged_in(gradebook_at: Path | str, lab: str) -> dict[str, bool]:
    from nbgrader.api import Gradebook

    with Gradebook(_url(gradebook_at)) as gradebook:
        return {
            s.student.id: gradebook.find_submission_notebook(lab, lab, s.student.id).flagged
            for s in gradebook.find_assignment(lab).submissions
        }


def submit(root: Path, lab: str, student: str, nb: nbformat.NotebookNode) -> None:
    submit_to(Lab(root, lab), student, nb)


def one_mistake_per_test_cell(lab: Lab) -> list[Mistake]:
    """The first catalogued mistake that fails each test cell of ``lab`` (by its requirement)."""
    cell_of = {requirement.id: requirement.test for requirement in requirements(read_notebook(lab.source))}
    chosen: dict[str, Mistake] = {}
    for mistake in (m for m in MISTAKES if m.lab == lab.name):
        chosen.setdefault(cell_of[mistake.requirement], mistake)
    tested = {cell_of[r] for r in cell_of}
    assert set(chosen) == tested, f"{lab.name}: no mistake fails {sorted(tested - set(chosen))}"
    return list(chosen.values())


def grade_lab(lab: Lab, workdir: Path) -> GradedLab:
    root = make_course_copy(workdir / lab.name, [lab.name])
    solution = read_notebook(lab.solution)
    submit(root, lab.name, "solution", solution)
    if lab.name in release_and_stderr_labs():
        submit(root, lab.name, "release", read_notebook(lab.release))
        submit(root, lab.name, "stderr", with_stderr_noise(solution))
    for mistake in one_mistake_per_test_cell(lab) if lab.name == EQUIVALENCE_LAB else []:
        submit(root, lab.name, mistake.student, mistake.apply(solution))

    graded = GradedLab(lab.name, root)
    for step in (("generate_assignment", lab.name), ("autograde", lab.name)):
        result = nbgrader(root, *step)
        graded.log += result.stdout + result.stderr
        if result.returncode != 0:
            raise RuntimeError(f"nbgrader {' '.join(step)} failed in {root}:\n{graded.log[-4000:]}")

    from nbgrader.api import Gradebook

    with Gradebook(_url(root)) as gradebook:
        for submission in gradebook.find_assignment(lab.name).submissions:
            notebook = gradebook.find_submission_notebook(lab.name, lab.name, submission.student.id)
            student = submission.student.id
            graded.scores[student] = {g.name: (g.score, g.max_score) for g in notebook.grades if rubric_key(g.name)}
            graded.manual[student] = {g.name: g.needs_manual_grade for g in notebook.grades if not rubric_key(g.name)}
    return graded


@pytest.fixture(scope="session")
def proven(tmp_path_factory: pytest.TempPathFactory) -> Proof:
    """Every lab's solution, release, catalogues graded once by ``course grade`` in one course."""
    from autograder.prove import prove

    root = tmp_path_factory.mktemp("proven") / "course"
    verdicts = prove(labs_under_test(), root, workers=GRADERS, repeat=PROOF_REPEAT)
    return Proof(root, {(v.entry.lab, v.entry.student): v for v in verdicts})


@pytest.fixture(scope="session")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GradedLab]:
    """Every lab's solution, release and noisy solution graded by plain ``nbgrader autograde``.

    Labs in parallel (one per core). The catalogues are graded by course grade instead
    (the ``proven`` fixture), many students in one course, in parallel.
    """
    labs = labs_under_test()
    workdir = tmp_path_factory.mktemp("graded")
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda lab: grade_lab(lab, workdir), labs))
    return {result.lab: result for result in results}


def sample_course(dest: Path, env: dict[str, str] | None = None) -> Path:
    """A course holding the sample class of SAMPLE_LAB (autograder.sample_class), generated, not graded."""
    course_with_sample_class([Lab(REPO, SAMPLE_LAB)], dest)
    result = subprocess.run(
        [str(BIN / "nbgrader"), "generate_assignment", SAMPLE_LAB],
        cwd=dest,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return dest


@dataclass
class SampleGrades:
    """The sample class graded by local ``course grade``: what every other way of grading must match."""

    root: Path
    scores: dict[str, dict[str, float]]
    flagged: dict[str, bool]
    stderr: str  # what the instructor saw on the terminal besides the summary


@pytest.fixture(scope="session")
def sample_grades(tmp_path_factory: pytest.TempPathFactory) -> SampleGrades:
    root = sample_course(tmp_path_factory.mktemp("sample") / "course")
    result = subprocess.run(
        [str(BIN / "course"), "grade", SAMPLE_LAB, "--workers", "2"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 1, result.stdout + result.stderr  # the broken and the misnamed are flagged
    grades = SampleGrades(root, scores_in(root, SAMPLE_LAB), flagged_in(root, SAMPLE_LAB), result.stderr)
    assert grades.flagged == {s: s in {"eli-broken", "fay-misnamed"} for s in grades.scores}, grades.flagged
    return grades
