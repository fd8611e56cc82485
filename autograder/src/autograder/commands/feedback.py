"""``course feedback <lab>``: a feedback page for every student who submitted, graded or not."""

from __future__ import annotations

import argparse

from autograder.config import Course


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lab", help="lab name or prefix")
    parser.add_argument("--student", default="*", help="only students whose id matches this glob")


def run(args: argparse.Namespace) -> int:
    from autograder.feedback import feedback_for_all

    course = Course.find()
    lab = course.lab(args.lab)
    done = feedback_for_all(course, lab, args.student)
    for path in done.pages:
        print(f"wrote {path.relative_to(course.root)}")
    print(f"{len(done.pages)} feedback page(s) for {lab.name}", end="")
    print(f", {len(done.ungraded)} of them saying why a submission could not be graded" if done.ungraded else "")
    if done.missing:
        print(f"{len(done.missing)} student(s) without a feedback page:")
        for missing in done.missing:
            print(f"  {missing.student}: {missing.reason}")
    print(f"Release them to learners with: nbgrader release_feedback {lab.name}")
    return 0
