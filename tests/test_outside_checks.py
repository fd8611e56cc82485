"""The outside checks' runner: right answers, and no server started that cannot matter.

Each grading of a verified lab serves the submission a second time, so what the runner
skips is time saved on every submission of a cohort. These tests pin the savings down and
that they change no result: a server is started only for checks that can still take
points away, a server that cannot start is tried once, and IPython syntax in a learner's
cell (turned into plain Python by the grader, not by the sandboxed server) still serves.
"""

from __future__ import annotations

import threading
from pathlib import Path

import nbformat
import pytest

from autograder.verify import lab_checks, runner
from autograder.verify.runner import run_outside_checks
from labkit.notebooks import is_autograded_test
from tests.conftest import REPO

ROOT = Path(__file__).resolve().parents[1]
LAB = "lab00_warmup"
HANG_GUARD_S = 300  # far above a start (about a second), far below the start timeout the test gives


@pytest.fixture
def solution_cells() -> list[str]:
    nb = nbformat.read(ROOT / "solutions" / LAB / f"{LAB}.ipynb", as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code" and not is_autograded_test(c)]


@pytest.fixture
def starts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every server start of the runner, with its outcome ("" when the server came up)."""
    seen: list[str] = []
    real_start = runner._Server.start

    def counted(self: runner._Server, timeout: float) -> str:
        seen.append(real_start(self, timeout))
        return seen[-1]

    monkeypatch.setattr(runner._Server, "start", counted)
    return seen


def test_solution_passes_every_check_with_one_server(solution_cells: list[str], tmp_path: Path, starts: list[str]):
    checks = lab_checks(REPO / "autograder" / "checks" / f"{LAB}.py")
    assert checks is not None
    assert run_outside_checks(checks, solution_cells, tmp_path) == {gid: "" for gid in checks.checks}
    assert starts == [""]


def test_no_server_when_no_check_is_asked_for(solution_cells: list[str], tmp_path: Path, starts: list[str]):
    # What the preprocessor asks for when no verified cell passed in the kernel (an empty submission).
    checks = lab_checks(REPO / "autograder" / "checks" / f"{LAB}.py")
    assert checks is not None
    assert run_outside_checks(checks, solution_cells, tmp_path, only=set()) == {}
    assert starts == []


def test_only_the_asked_checks_run(solution_cells: list[str], tmp_path: Path, starts: list[str]):
    checks = lab_checks(REPO / "autograder" / "checks" / f"{LAB}.py")
    assert checks is not None
    assert run_outside_checks(checks, solution_cells, tmp_path, only={"status-codes-health"}) == {
        "status-codes-health": ""
    }


def test_a_server_that_cannot_start_is_tried_once(tmp_path: Path, starts: list[str]):
    """The lab's seed app is served, the learner's app never will be: the start gives up as soon
    as the server says so, not at the start timeout (an hour here; it was a minute of every
    such submission's grading). A start that waits for the timeout fails the guard below."""
    checks = lab_checks(REPO / "autograder" / "checks" / f"{LAB}.py")
    assert checks is not None
    outcome: list[dict[str, str]] = []
    start = threading.Thread(
        target=lambda: outcome.append(
            run_outside_checks(checks, ["x = 1  # defines no app"], tmp_path, start_timeout=3600)
        ),
        daemon=True,
    )
    start.start()
    start.join(HANG_GUARD_S)
    assert outcome, f"still waiting after {HANG_GUARD_S} s for an app the server said it cannot build"
    results = outcome[0]
    assert len(starts) == 1 and starts[0], starts
    assert "`app`" in starts[0] and "seed" not in starts[0], starts[0]  # the missing one, by name
    assert set(results) == set(checks.checks)
    assert all("could not be served" in message for message in results.values()), results


def test_ipython_syntax_in_the_cell_that_builds_the_app(solution_cells: list[str], tmp_path: Path):
    # The magic and the app in one cell: left untransformed, the cell would not compile and
    # the app would be missing, failing every check of a correct submission.
    checks = lab_checks(REPO / "autograder" / "checks" / f"{LAB}.py")
    assert checks is not None
    cells = ["%config InlineBackend.figure_format = 'png'\n" + "\n".join(solution_cells)]
    assert run_outside_checks(checks, cells, tmp_path) == {gid: "" for gid in checks.checks}
