"""``course report <lab>``: the class by rubric item and task, in the terminal and as HTML."""

from __future__ import annotations

import argparse

from autograder.config import Course


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lab", help="lab name or prefix")


def run(args: argparse.Namespace) -> int:
    from autograder.report import collect, html_report, terminal_report

    course = Course.find()
    lab = course.lab(args.lab)
    cohort = collect(course, lab)
    print(terminal_report(cohort))
    page = html_report(cohort, lab.report("html"))
    print(f"\nHTML report with charts: {page.relative_to(course.root)}")
    return 0
