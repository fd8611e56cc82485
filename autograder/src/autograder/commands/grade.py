"""``course grade <lab>``: grade every submission of a lab in parallel, resumably."""

from __future__ import annotations

import argparse

from autograder.config import Course
from autograder.errors import ExitCode


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lab", help="lab name or prefix")
    parser.add_argument("--workers", type=int, default=None, help="parallel graders (default: one per core)")
    parser.add_argument("--student", default="*", help="only students whose id matches this glob")
    parser.add_argument("--force", action="store_true", help="regrade submissions already graded and unchanged")
    parser.add_argument("--timeout", type=float, default=600, help="seconds one submission may take (default 600)")
    parser.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="grade on a Dask cluster: its scheduler's address, e.g. tcp://10.0.0.5:8786 (see README)",
    )


def run(args: argparse.Namespace) -> int:
    from autograder.grading.coordinator import grade_lab
    from autograder.grading.progress import progress_printer, summary

    course = Course.find()
    outcomes = grade_lab(
        course.lab(args.lab),
        workers=args.workers,
        student_glob=args.student,
        force=args.force,
        timeout=args.timeout,
        progress=progress_printer(),
        cluster=args.cluster,
        course=course,
    )
    print(summary(outcomes))
    return ExitCode.FAILED if any(o.status != "graded" for o in outcomes) else ExitCode.OK
