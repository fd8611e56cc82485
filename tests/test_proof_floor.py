"""tests/proof_floor.py: the proof's floor counts the cells' CPU in every thread, not waiting or imports."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tests.proof_floor import cells_cpu_in_fresh_process, report

CELLS = [
    "import threading\nimport time",
    "def burn(seconds):\n    end = time.thread_time() + seconds\n    while time.thread_time() < end:\n        pass",
    "worker = threading.Thread(target=burn, args=(0.4,))\nworker.start()\nworker.join()",
    "time.sleep(0.6)",
]


def test_counts_cpu_in_every_thread_and_neither_waiting_nor_imports(tmp_path: Path) -> None:
    notebook = tmp_path / "cells.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS]), notebook)
    seconds = cells_cpu_in_fresh_process(notebook)
    # 0.4 s burnt in a thread; 0.6 s asleep; the warm kernel's imports (over a second) done before
    assert 0.4 <= seconds < 0.9, seconds


def test_a_failing_cell_is_an_error_not_a_lower_floor(tmp_path: Path) -> None:
    notebook = tmp_path / "cells.ipynb"
    cells = ["x = 1", "raise ValueError('a broken hidden test')", "y = 2"]
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), notebook)
    with pytest.raises(RuntimeError, match="code cell 2 of .* failed: ValueError"):
        cells_cpu_in_fresh_process(notebook)


def test_the_floor_is_each_labs_entries_times_its_cells() -> None:
    printed = report([("lab01_a", 10, 0.5), ("lab02_b", 4, 2.0)])
    rows = {line.split()[0]: line.split()[1:] for line in printed.splitlines()[1:3]}
    assert rows == {"lab01_a": ["10", "0.50", "5.0"], "lab02_b": ["4", "2.00", "8.0"]}
    assert printed.splitlines()[3].split() == ["all", "labs", "14", "13.0"]
    assert "at least 6 s of wall time" in printed  # 13 CPU s on 2 cores
