"""``course labs``: list the labs."""

from __future__ import annotations

import argparse

from autograder.layout import find_root, list_labs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    for lab in list_labs(find_root()):
        print(lab.name)
    return 0
