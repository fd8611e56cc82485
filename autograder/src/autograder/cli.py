"""The ``course`` command: what nbgrader lacks for this course.

Only the chosen command's module is imported (see :mod:`autograder.commands`), so help and
a learner's ``course check`` start fast. A :class:`CourseError` is printed without a
traceback; exit codes are :class:`autograder.errors.ExitCode`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from importlib.metadata import PackageNotFoundError, version

from autograder.commands import COMMANDS
from autograder.errors import CourseError, ExitCode

DISTRIBUTION = "fastapi-production-course"


def _version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def usage() -> str:
    options = {"-h, --help": "show this help (`course <command> --help`: that command's options)"}
    options["--version"] = "show the course's version"
    width = max(len(name) for name in [*COMMANDS, *options])
    lines = [
        "usage: course <command> [options]",
        "",
        "The course's own tools, beside nbgrader's: check a lab as the grader would, build and",
        "lint the labs, grade a class in parallel, and write feedback, reports and exports.",
        "",
        "commands:",
        *(f"  {name:<{width}}  {summary}" for name, summary in COMMANDS.items()),
        "",
        "options:",
        *(f"  {name:<{width}}  {summary}" for name, summary in options.items()),
    ]
    return "\n".join(lines)


def make_parser(command: str) -> argparse.ArgumentParser:
    """The argument parser of one command (its module is imported here, and only it)."""
    module = importlib.import_module(f"autograder.commands.{command}")
    parser = argparse.ArgumentParser(prog=f"course {command}", description=COMMANDS[command])
    module.add_arguments(parser)
    parser.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    from labkit.kernel import fast_notebook_validation

    fast_notebook_validation()
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage())
        return ExitCode.OK
    if args[0] == "--version":
        print(f"course {_version()}")
        return ExitCode.OK
    if args[0] not in COMMANDS:
        print(f"course: unknown command {args[0]!r}\n\n{usage()}", file=sys.stderr)
        return ExitCode.USAGE
    parsed = make_parser(args[0]).parse_args(args[1:])
    try:
        return int(parsed.run(parsed))
    except CourseError as exc:
        print(f"course: {exc}", file=sys.stderr)
        return ExitCode.USAGE


if __name__ == "__main__":
    sys.exit(main())
