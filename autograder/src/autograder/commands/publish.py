"""``course publish DIR``: write the learner edition (lessons, released labs, the learner's tools) into DIR."""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder.config import Course


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dir", help="folder for the edition: new, empty, or an earlier edition to update (its .git and .venv are kept)"
    )


def run(args: argparse.Namespace) -> int:
    from autograder.publish import publish

    course = Course.find()
    edition = publish(course, Path(args.dir))
    print(f"learner edition written to {edition.root}: {len(edition.lessons)} lessons, {len(edition.labs)} labs")
    print(f"  learners start with its README's two commands: make lab, then course check {edition.labs[0]}")
    return 0
