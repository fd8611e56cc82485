"""``course demo``: the instructor's whole job, from nothing, on a bundled sample class.

It makes a fresh course folder with the sample class (:mod:`autograder.sample_class`),
generates every lab with nbgrader, grades the class with ``course grade``, writes feedback,
the reports and the CSV export, and prints where everything is.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.config import Course
from autograder.layout import Lab, find_root

if TYPE_CHECKING:
    from autograder.grading.runners import LocalPool


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--labs", help="comma-separated lab names or prefixes (default: all)")
    parser.add_argument("--out", help="folder for the demo course (default: .course/demo, replaced each run)")
    parser.add_argument("--workers", type=int, default=None, help="parallel graders (default: one per core)")


def run(args: argparse.Namespace) -> int:
    from autograder.grading.runners import LocalPool
    from autograder.sample_class import course_with_sample_class, generate_assignments, sample_class

    # A throwaway course keeps its own SQLite gradebook: the sample class must never reach the
    # instructor's real one, which COURSE_DB_URL may name.
    os.environ.pop("COURSE_DB_URL", None)
    root = find_root()
    out = Path(args.out).resolve() if args.out else root / ".course" / "demo"
    names = [name for name in (args.labs or "").split(",") if name]
    labs = [lab for lab in Course.at(root).labs() if not names or any(lab.name.startswith(n) for n in names)]
    copies = course_with_sample_class(labs, out, replace=True)
    demo = Course.at(out)
    print(f"demo course: {out}  ({len(copies)} labs, a sample class of {len(sample_class(labs[0]))} students each)")
    generate_assignments(copies, demo.config)
    closing = []
    with LocalPool(args.workers or os.cpu_count() or 1) as graders:  # started once, for every lab
        for lab in copies:
            closing += _grade_and_report(demo, lab, graders)
    print("\nWhere everything is:\n" + "\n".join(closing))
    return 0


def _grade_and_report(demo: Course, lab: Lab, graders: LocalPool) -> list[str]:
    """Grade one lab of the demo course, write its feedback and reports; where they are, as lines."""
    from autograder.feedback import generate_feedback
    from autograder.grading.coordinator import grade_lab
    from autograder.grading.progress import progress_printer, summary
    from autograder.report import collect, export_csv, html_report, terminal_report

    print(f"\n== {lab.name}: course grade")
    outcomes = grade_lab(lab, progress=progress_printer(), course=demo, graders=graders)
    print(summary(outcomes))
    feedback = generate_feedback(demo, lab)
    cohort = collect(demo, lab)
    print(terminal_report(cohort))
    page = html_report(cohort, lab.report("html"))
    table = export_csv(cohort, lab.report("csv"))
    indent = " " * len(lab.name)
    return [
        f"  {lab.name}: report {page}\n  {indent}  export {table}",
        f"  {indent}  feedback {len(feedback)} pages in {demo.root / demo.layout.feedback}",
    ]
