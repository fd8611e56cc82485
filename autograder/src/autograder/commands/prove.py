"""``course prove <lab> ...``: grade a lab's solution and catalogues for real, and judge each result."""

from __future__ import annotations

import argparse

from autograder.config import Course
from autograder.errors import ExitCode


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("labs", nargs="+", help="lab names or prefixes")
    parser.add_argument("--only", default="", help="only students whose id contains this, e.g. mistake-auth")
    parser.add_argument("--repeat", type=int, default=1, help="grade the worked solution this many times")
    parser.add_argument("--workers", type=int, default=None, help="parallel graders (default: one per core)")


def run(args: argparse.Namespace) -> int:
    from autograder.prove import prove_in_scratch, report

    course = Course.find()
    labs = [course.lab(name) for name in args.labs]
    verdicts = prove_in_scratch(labs, workers=args.workers, repeat=args.repeat, only=args.only)
    print(report(verdicts))
    return ExitCode.OK if all(v.ok for v in verdicts) else ExitCode.FAILED
