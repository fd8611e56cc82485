"""``course benchmark``: how fast grading is, against baselines measured in the same run."""

from __future__ import annotations

import argparse

from autograder.config import Course
from autograder.errors import CourseError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lab", default="lab01", help="lab to grade (default: lab01)")
    parser.add_argument("--submissions", type=int, default=60, help="cohort size (default: 60)")
    parser.add_argument("--workers", type=int, default=None, help="parallel graders (default: one per core)")
    parser.add_argument("--check-only", action="store_true", help="time only course check and its floors (seconds)")
    parser.add_argument(
        "--cluster",
        metavar="COUNTS",
        help="instead: grading throughput on local Dask clusters of these sizes, e.g. 1,2,4",
    )


def run(args: argparse.Namespace) -> int:
    from autograder.benchmark import check_figures, run_benchmark, run_cluster_benchmark

    course = Course.find()
    lab = course.lab(args.lab)
    if args.check_only:
        print("\n".join(check_figures(course.root, lab)))
        return 0
    if args.cluster:
        counts = [int(n) for n in args.cluster.split(",") if n.strip().isdigit()]
        if len(counts) != len(args.cluster.split(",")) or min(counts) < 1:
            raise CourseError(
                f"--cluster takes worker counts of 1 or more separated by commas, e.g. 1,2,4 (got {args.cluster!r})"
            )
        print(run_cluster_benchmark(course.root, lab, args.submissions, counts))
    else:
        print(run_benchmark(course.root, lab, args.submissions, args.workers))
    return 0
