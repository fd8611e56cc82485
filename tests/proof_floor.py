"""The least processor time the catalogue proof can cost, whatever the grader does.

Every entry of the proof (a solution, a release, a mistake, an alternative) is graded for
real, so each runs all of its lab's cells once: the app the lab builds, and the hidden tests
that drive it through ``TestClient``. This script runs each lab's source notebook (solution
and hidden tests) once in one IPython shell, with nothing of the grader around it (no
kernel, no nbgrader, no sandbox, imports done beforehand as the warm kernels have them), and
multiplies that processor time by the lab's number of entries. No grader can go below the
sum; the suite's budget has to hold it.

The timings run as many at a time as the machine has cores, because the suite keeps every
core busy and a process's CPU seconds grow on a busy machine (cores that share caches, or are
two threads of one physical core). Timed alone, on a quiet machine, the cells cost less.

Run it from the repository: ``.venv/bin/python -m tests.proof_floor [lab prefix ...]``. It
prints a row per lab and the total, beside what that total means on two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.cpu_report import waited_for_seconds

RUNS = 3  # each lab's cells are timed this often in fresh processes; the median is kept
BUDGET_SECONDS = 15 * 60  # what DESIGN.md gives the whole suite on CI's two cores
CORES = 2


def cells_cpu(notebook: Path) -> float:
    """CPU seconds of every code cell of ``notebook``, run in order in one shell in this process.

    All threads count (TestClient's event loop and aiosqlite run in threads of their own), and
    children this process waited for; waiting does not. Every cell must succeed, as the worked
    solution's do: one that fails would cut the run short and the floor with it.
    """
    import contextlib
    import importlib

    from autograder.sandbox import PRELOAD

    for module in PRELOAD:
        with contextlib.suppress(Exception):
            importlib.import_module(module)
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    cells = [cell for cell in json.loads(notebook.read_text())["cells"] if cell["cell_type"] == "code"]
    started = waited_for_seconds()
    for number, cell in enumerate(cells, 1):
        result = shell.run_cell("".join(cell["source"]), silent=True)
        if not result.success:  # a cell that stops early costs less: the floor would be too low
            error = result.error_in_exec or result.error_before_exec
            raise RuntimeError(f"code cell {number} of {notebook} failed: {error!r}")
    return waited_for_seconds() - started


def cells_cpu_in_fresh_process(notebook: Path) -> float:
    """:func:`cells_cpu` in a new interpreter inside an empty folder, so no run warms the next."""
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(
            [sys.executable, "-m", "tests.proof_floor", "--cells-of", str(notebook.resolve())],
            cwd=scratch,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
            capture_output=True,
            text=True,
            timeout=600,
        )
    if result.returncode != 0:
        raise RuntimeError(f"running the cells of {notebook} failed:\n{result.stderr[-2000:]}")
    return float(result.stdout.strip().splitlines()[-1])


def floor_rows(prefixes: list[str], runs: int = RUNS) -> list[tuple[str, int, float]]:
    """(lab, entries in the proof, median CPU seconds of its cells) for each lab named."""
    from autograder.layout import list_labs
    from autograder.prove import entries
    from tests.conftest import PROOF_REPEAT, REPO

    labs = [lab for lab in list_labs(REPO) if not prefixes or any(lab.name.startswith(p) for p in prefixes)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or CORES) as pool:  # as busy as the suite keeps it
        timings = [pool.map(cells_cpu_in_fresh_process, [lab.source] * runs) for lab in labs]
        return [
            (lab.name, len(entries(lab, repeat=PROOF_REPEAT)), statistics.median(seconds))
            for lab, seconds in zip(labs, timings, strict=True)
        ]


def report(rows: list[tuple[str, int, float]]) -> str:
    lines = [f"{'lab':<26}{'entries':>8}{'cells CPU s':>13}{'floor CPU s':>13}"]
    for lab, count, seconds in rows:
        lines.append(f"{lab:<26}{count:>8}{seconds:>13.2f}{count * seconds:>13.1f}")
    total = sum(count * seconds for _, count, seconds in rows)
    entries = sum(count for _, count, _ in rows)
    lines.append(f"{'all labs':<26}{entries:>8}{'':>13}{total:>13.1f}")
    lines.append(
        f"on {CORES} cores, fully busy, the proof's cells alone take at least {total / CORES:.0f} s of wall time: "
        f"{total / CORES / BUDGET_SECONDS:.0%} of the {BUDGET_SECONDS // 60}-minute budget for the whole suite"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labs", nargs="*", help="lab name prefixes (default: every lab)")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"timings per lab, the median kept (default {RUNS})")
    parser.add_argument("--cells-of", type=Path, help=argparse.SUPPRESS)  # the child's side
    args = parser.parse_args(argv)
    if args.cells_of:
        print(f"{cells_cpu(args.cells_of):.4f}")
        return 0
    print(report(floor_rows(args.labs, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
