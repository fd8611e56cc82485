"""The sandboxed, guarded kernel on its own: what learner code can reach, and the limits.

Each protection is checked twice: on the guarded kernel, where it must hold, and on a kernel
without it, where the same code must do what the protection prevents (so the check can fail).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from traitlets.config import Config

from autograder.plugins.guarded_execute import GuardedExecute
from labkit.recovery import incidents


def run(
    cells: list[str], workdir: Path, sandbox: bool = True, timeout: int = 10, **manager: int
) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    config = Config({"SandboxedKernelManager": manager})
    GuardedExecute(timeout=timeout, sandbox=sandbox, config=config).preprocess(nb, {"metadata": {"path": str(workdir)}})
    return nb


def text(cell: nbformat.NotebookNode) -> str:
    return "".join(str(o.get("text", "")) + f"{o.get('ename', '')}: {o.get('evalue', '')}" for o in cell.outputs)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file next to the submission's folder, standing in for the gradebook."""
    path = tmp_path / "gradebook.db"
    path.write_text("hidden tests live here")
    (tmp_path / "submission").mkdir()
    return path


READ_AND_DELETE = """
import os
try:
    print(open("../gradebook.db").read())
    os.remove("../gradebook.db")
except OSError as error:
    print("blocked:", type(error).__name__)
"""


def test_files_outside_the_submission_are_out_of_reach(secret: Path) -> None:
    nb = run([READ_AND_DELETE, "open('mine.txt', 'w').write('ok')"], secret.parent / "submission")
    assert "blocked" in text(nb.cells[0]) and "hidden tests" not in text(nb.cells[0])
    assert secret.exists()
    assert (secret.parent / "submission" / "mine.txt").read_text() == "ok", "the submission's own folder is writable"


def test_without_the_sandbox_they_are_not(secret: Path) -> None:
    nb = run([READ_AND_DELETE], secret.parent / "submission", sandbox=False)
    assert "hidden tests" in text(nb.cells[0])
    assert not secret.exists()


def test_cpu_time_limit_kills_the_kernel_and_grading_goes_on(tmp_path: Path) -> None:
    nb = run(["x = 1", "while True:\n    pass", "print('after', x)"], tmp_path, timeout=60, cpu_seconds=2)
    assert {i.cell for i in incidents(nb)} == {1}, "the cell is run once more after the death, then given up"
    assert "kernel died" in incidents(nb)[-1].reason
    assert "after 1" in text(nb.cells[2]), "earlier cells are replayed into the fresh kernel"


def test_memory_limit_is_a_memory_error_in_the_cell(tmp_path: Path) -> None:
    nb = run(["block = bytearray(6 * 1024**3)", "print('still here')"], tmp_path)
    assert "MemoryError" in text(nb.cells[0])
    assert "still here" in text(nb.cells[1])


def test_file_size_limit(tmp_path: Path) -> None:
    nb = run(["open('big', 'wb').write(b'x' * 100 * 1024**2)"], tmp_path)
    assert "File too large" in text(nb.cells[0])


def test_output_is_capped(tmp_path: Path) -> None:
    nb = run(["for _ in range(3000):\n    print('y' * 1000)", "print('next')"], tmp_path)
    assert sum(len(o.get("text", "")) for o in nb.cells[0].outputs) < 1_100_000
    assert "output of this cell was cut" in text(nb.cells[0])
    assert "next" in text(nb.cells[1])


def test_a_hanging_cell_times_out_and_the_rest_runs(tmp_path: Path) -> None:
    nb = run(["x = 2", "import time\nwhile True:\n    time.sleep(0.1)", "print('after', x)"], tmp_path, timeout=3)
    assert "no answer within" in incidents(nb)[0].reason
    assert "after 2" in text(nb.cells[2])


def test_an_environment_under_tmp_is_not_hidden_by_the_private_tmp(tmp_path: Path) -> None:
    """A clone or virtual environment under /tmp (as in CI) is bound on top of the private /tmp."""
    import sys

    from autograder.sandbox import Limits, sandbox_command

    command = sandbox_command(["true"], tmp_path, tmp_path, Limits())
    tmpfs = command.index("--tmpfs")
    python_bind = max(i for i, arg in enumerate(command) if arg == str(Path(sys.prefix).resolve()))
    assert tmpfs < python_bind, "the private /tmp is mounted after the Python environment and hides it"


def test_cgroups_left_by_killed_sandboxes_are_removed_and_no_other(tmp_path: Path) -> None:
    """A sandbox whose process was killed before close() leaves its cgroup; the next one removes it.

    Only an old, empty one of the course's: a young one may be about to be entered, a busy one
    cannot be removed (a file stands for its processes here), another program's is not ours.
    """
    import os
    import time

    from autograder.sandbox import ProcessGroupLimit

    old = time.time() - 2 * ProcessGroupLimit.STALE_AFTER
    for name in ("course-sandbox-left", "course-sandbox-young", "course-sandbox-busy", "someone-elses"):
        (tmp_path / name).mkdir()
    (tmp_path / "course-sandbox-busy" / "cgroup.procs").write_text("4242\n")
    for name in ("course-sandbox-left", "course-sandbox-busy", "someone-elses"):
        os.utime(tmp_path / name, (old, old))
    ProcessGroupLimit.remove_stale(tmp_path, ProcessGroupLimit.STALE_AFTER)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["course-sandbox-busy", "course-sandbox-young", "someone-elses"]
