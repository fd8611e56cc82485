"""``course check <lab> [notebook]``: run a notebook as the grader would, with the visible tests."""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder.errors import ExitCode
from autograder.layout import find_root, get_lab


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lab", help="lab name or prefix, e.g. lab01 or lab01_api_design")
    parser.add_argument("notebook", nargs="?", help="notebook to check (default: labs/<lab>/<lab>.ipynb)")
    parser.add_argument("--timeout", type=int, default=30, help="seconds a cell may run (default 30, as grading)")


def run(args: argparse.Namespace) -> int:
    # No course configuration here: loading it imports nbgrader, a second of the check's budget.
    lab = get_lab(find_root(), args.lab)
    notebook = Path(args.notebook) if args.notebook else lab.release
    from labkit.kernel import early_kernel

    # Boot the kernel while the notebook libraries load and the notebooks are read (see labkit.kernel).
    with early_kernel(notebook) as kernel:
        from labkit.check import check_notebook, print_report

        report = check_notebook(lab.name, lab.release, notebook, timeout=args.timeout, kernel=kernel)
    print_report(report)
    return ExitCode.OK if report.all_passed else ExitCode.FAILED
