"""``course feedback <lab>``: per-student HTML feedback by rubric item, hidden tests concealed."""

from __future__ import annotations

import argparse

from autograder.config import Course


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lab", help="lab name or prefix")
    parser.add_argument("--student", default="*", help="only students whose id matches this glob")


def run(args: argparse.Namespace) -> int:
    from autograder.feedback import generate_feedback

    course = Course.find()
    lab = course.lab(args.lab)
    paths = generate_feedback(course, lab, args.student)
    for path in paths:
        print(f"wrote {path.relative_to(course.root)}")
    print(f"{len(paths)} feedback file(s) for {lab.name}")
    return 0
