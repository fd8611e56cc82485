"""``course collect <lab> <archive> --roster <csv>``: an LMS bulk download into autograder/submitted/."""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder.config import Course
from autograder.errors import ExitCode


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lab", help="lab name or prefix")
    parser.add_argument("archive", type=Path, help="the zip of every submission, as downloaded from Canvas or Moodle")
    parser.add_argument(
        "--roster",
        type=Path,
        help="CSV with student_id and lms_id and/or name columns (without it the LMS id is the student id)",
    )


def run(args: argparse.Namespace) -> int:
    from autograder.collect import collect_archive

    course = Course.find()
    lab = course.lab(args.lab)
    collected = collect_archive(course, lab, args.archive.resolve(), args.roster.resolve() if args.roster else None)
    for student, files in collected.students.items():
        late = " (late, says the LMS)" if student in collected.late else ""
        print(f"collected {student}{late}: {', '.join(files)}")
    print(f"{len(collected.students)} submission(s) of {lab.name} in {course.layout.submitted}/")
    if collected.missing:
        print(f"no submission in the archive from {len(collected.missing)} student(s): {', '.join(collected.missing)}")
    if collected.not_notebooks:
        print(f"not notebooks, left out: {', '.join(collected.not_notebooks)}")
    for unknown in collected.unknown:
        print(f"NOT COLLECTED, not in the roster: {unknown}")
    for path in collected.unrecognised:
        print(f"NOT COLLECTED, not a Canvas or Moodle file name: {path}")
    if not collected.complete:
        print("Add the students above to the roster (or fix their rows), then run course collect again.")
        return ExitCode.FAILED
    return ExitCode.OK
