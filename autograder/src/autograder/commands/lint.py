"""``course lint``: check every lab source against the course's rules."""

from __future__ import annotations

import argparse

from autograder.errors import ExitCode
from autograder.layout import find_root, list_labs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from autograder.lint import lint_lab

    labs = list_labs(find_root())
    problems = [problem for lab in labs for problem in lint_lab(lab)]
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s) in {len(labs)} lab(s)")
    return ExitCode.FAILED if problems else ExitCode.OK
