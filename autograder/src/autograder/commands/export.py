"""``course export <lab>``: CSV with nbgrader's columns, points per rubric item, and flags."""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder.config import Course


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lab", help="lab name or prefix")
    parser.add_argument("--output", help="CSV path (default: autograder/reports/<lab>.csv)")


def run(args: argparse.Namespace) -> int:
    from autograder.report import collect, export_csv

    course = Course.find()
    lab = course.lab(args.lab)
    cohort = collect(course, lab)
    path = export_csv(cohort, Path(args.output) if args.output else lab.report("csv"))
    flagged = sum(1 for row in cohort.rows if row.flag)
    print(f"wrote {path} ({len(cohort.rows)} students, {flagged} flagged)")
    return 0
