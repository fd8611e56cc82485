"""The one recovery layer (labkit.recovery), through both of its users: course check and grading.

Every path of the flowchart in labkit/recovery.py is taken here by a notebook written the
way a learner's could be, once through ``course check``'s client and once through grading's
``GuardedExecute`` (sandboxed), and both must end the same way.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest

from labkit.recovery import INTERRUPTED, OUTPUT_CAPPED, REPLAY_SKIPPED, RESTARTED, RETRIED, incidents
from tests.conftest import BIN, REPO

TIMEOUT = 3


def run_check(nb: nbformat.NotebookNode, workdir: Path) -> None:
    from labkit.check import execute

    execute(nb, workdir, TIMEOUT)


def run_grading(nb: nbformat.NotebookNode, workdir: Path) -> None:
    from autograder.plugins.guarded_execute import GuardedExecute

    GuardedExecute(timeout=TIMEOUT).preprocess(nb, {"metadata": {"path": str(workdir)}})


@pytest.fixture(params=[run_check, run_grading], ids=["check", "grading"])
def execute(request: pytest.FixtureRequest, tmp_path: Path):
    def run(*sources: str) -> nbformat.NotebookNode:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
        request.param(nb, tmp_path)
        return nb

    return run


def printed(cell: nbformat.NotebookNode) -> str:
    return "".join(str(o.get("text", "")) + f"{o.get('ename', '')}: {o.get('evalue', '')}" for o in cell.outputs)


def kinds(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    return [(incident.cell, incident.kind) for incident in incidents(nb)]


def test_an_interrupted_cell_keeps_what_it_defined(execute):
    """A correct answer ending in an endless loop (uvicorn.run left in the cell) keeps its definitions."""
    nb = execute("before = 1", "defined_here = 2\nwhile True:\n    pass", "print('got', before + defined_here)")
    assert kinds(nb) == [(1, INTERRUPTED)]
    assert "interrupted" in printed(nb.cells[1]) and "got 3" in printed(nb.cells[2])


def test_a_loop_the_interrupt_cannot_stop_gets_a_fresh_kernel_with_the_earlier_cells(execute):
    handler = (
        "from fastapi import FastAPI\nfrom fastapi.testclient import TestClient\n"
        "app = FastAPI()\n@app.get('/spin')\ndef spin():\n    while True:\n        pass\n"
        "with TestClient(app) as client:\n    client.get('/spin')"
    )
    nb = execute("before = 1", handler, "print('got', before)")
    assert kinds(nb) == [(1, RESTARTED)]
    assert "got 1" in printed(nb.cells[2]), "the earlier cell was replayed into the fresh kernel"


def test_a_thread_left_spinning_after_the_interrupt_gets_a_fresh_kernel(execute):
    # The thread burns CPU but gives up the GIL at every turn, as a loop around hashing or
    # compression would (hashlib releases it for large inputs): the kernel then answers the
    # interrupt promptly even on a loaded machine, and only the CPU probe can tell that
    # something is still running. (A loop of time.sleep(0) is no such thread: each turn sleeps
    # for the operating system's timer slack, so it used 0.2 of a core on a loaded machine, near the
    # probe's threshold, and the test failed now and then.)
    spin = (
        "import hashlib, threading\n"
        "def spin():\n    block = bytes(1 << 20)\n    while True:\n        hashlib.sha256(block).digest()\n"
        "threading.Thread(target=spin, daemon=True).start()\n"
        "while True:\n    pass"
    )
    nb = execute("before = 1", spin, "print('got', before)")
    assert kinds(nb) == [(1, RESTARTED)]
    assert "kept running" in printed(nb.cells[1]) and "got 1" in printed(nb.cells[2])


def test_a_dead_kernel_costs_that_cell_only(execute):
    nb = execute("before = 1", "import os\nos._exit(3)", "print('got', before)")
    assert kinds(nb) == [(1, RETRIED), (1, RESTARTED)]
    assert "kernel died" in printed(nb.cells[1]) and "got 1" in printed(nb.cells[2])


DIES_THE_FIRST_TIME = """
import os
if not os.path.exists("died-once"):
    open("died-once", "w").close()
    os._exit(11)  # as a segfault in a garbage collection that happens to run in this cell
print("ran to the end", before)
"""


def test_a_kernel_death_that_does_not_come_back_costs_nothing(execute):
    """Before: the cell scored zero. A lab04 wrong answer segfaults a later collection (labkit/recovery.py)."""
    nb = execute("before = 1", DIES_THE_FIRST_TIME, "print('got', before)")
    assert kinds(nb) == [(1, RETRIED)]
    assert "ran to the end 1" in printed(nb.cells[1]) and "kernel died" not in printed(nb.cells[1])
    assert "got 1" in printed(nb.cells[2])


def test_a_cell_run_once_more_is_replayed_after_a_later_death(execute):
    """The retried cell ran cleanly the second time: a later restart replays it like any other."""
    nb = execute("before = 1", DIES_THE_FIRST_TIME + "again = 2\n", "import os\nos._exit(3)", "print(before + again)")
    assert kinds(nb) == [(1, RETRIED), (2, RETRIED), (2, RESTARTED)]
    assert "3" in printed(nb.cells[3])


def test_retries_after_a_death_are_capped_per_notebook(execute, monkeypatch: pytest.MonkeyPatch):
    """A notebook whose every cell kills its kernel costs a few more restarts, not twice as many."""
    from labkit.recovery import RecoveringExecution

    monkeypatch.setattr(RecoveringExecution, "max_retries_after_death", 1)  # the cap is 3: 1 is cheaper to show
    nb = execute("import os\nos._exit(1)", "import os\nos._exit(2)")
    assert kinds(nb) == [(0, RETRIED), (0, RESTARTED), (1, RESTARTED)]


HANGS_THE_SECOND_TIME = """
import os
if os.path.exists("ran-once"):
    while True:
        pass
open("ran-once", "w").close()
value = 5
"""


def test_a_replayed_cell_that_hangs_is_skipped_and_the_run_ends(execute):
    nb = execute(HANGS_THE_SECOND_TIME, "import os\nos._exit(1)", "print('after', 'value' in globals())")
    assert kinds(nb) == [(1, RETRIED), (0, REPLAY_SKIPPED), (1, RESTARTED)]
    assert "after False" in printed(nb.cells[2]), "the run went on without the skipped cell"


def test_output_is_capped_and_the_next_cell_runs(execute):
    nb = execute("for _ in range(3000):\n    print('y' * 1000)", "print('next')")
    assert kinds(nb) == [(0, OUTPUT_CAPPED)]
    assert sum(len(o.get("text", "")) for o in nb.cells[0].outputs) < 1_100_000
    assert "next" in printed(nb.cells[1])


def test_course_check_returns_on_a_notebook_whose_replay_hangs(tmp_path: Path):
    """Reproduced on the old check: it restarted and replayed the hanging cell forever (16 kernels in 40 s)."""
    solution = nbformat.read(REPO / "solutions" / "lab00_warmup" / "lab00_warmup.ipynb", as_version=4)
    answers = [c for c in solution.cells if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    answers[0].source = HANGS_THE_SECOND_TIME + answers[0].source
    answers[-1].source += "\nimport os\nos._exit(1)"
    path = tmp_path / "lab00_warmup.ipynb"
    nbformat.write(solution, path)
    result = subprocess.run(
        [str(BIN / "course"), "check", "lab00_warmup", str(path), "--timeout", str(TIMEOUT)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "skipped" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 1


def test_an_endless_loop_after_a_correct_last_answer_keeps_full_marks(tmp_path: Path):
    """Reproduced before: a correct lab01 whose last answer ends in an endless loop scored 5/27 when graded."""
    solution = nbformat.read(REPO / "solutions" / "lab00_warmup" / "lab00_warmup.ipynb", as_version=4)
    answers = [c for c in solution.cells if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    answers[-1].source += "\nwhile True:  # as `uvicorn.run(app)` would\n    pass"
    path = tmp_path / "lab00_warmup.ipynb"
    nbformat.write(solution, path)
    result = subprocess.run(
        [str(BIN / "course"), "check", "lab00_warmup", str(path), "--timeout", str(TIMEOUT)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Total: 6/6" in result.stdout, result.stdout + result.stderr
    assert "interrupted" in result.stdout
