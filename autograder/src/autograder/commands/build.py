"""``course build [lab ...]``: regenerate labs/ and solutions/ from the lab sources."""

from __future__ import annotations

import argparse

from autograder.config import Course


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("labs", nargs="*", help="lab names or prefixes (default: all)")


def run(args: argparse.Namespace) -> int:
    from autograder.build import build_labs

    course = Course.find()
    labs = [course.lab(name) for name in args.labs] if args.labs else course.labs()
    for path in build_labs(labs):
        print(f"wrote {path.relative_to(course.root)}")
    return 0
