"""``course check <lab> [notebook]``: run a notebook as the grader would, with the visible tests.

The same check as the learner edition's ``course check`` (:func:`labkit.cli.run_check`),
here finding the lab in the instructor's course.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder.layout import find_root, get_lab
from labkit.cli import add_check_arguments, run_check


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_check_arguments(parser, "labs/<lab>/<lab>.ipynb")


def run(args: argparse.Namespace) -> int:
    # No course configuration here: loading it imports nbgrader, a second of the check's budget.
    lab = get_lab(find_root(), args.lab)
    notebook = Path(args.notebook) if args.notebook else lab.release
    return run_check(lab.name, lab.release, notebook, args.timeout)
