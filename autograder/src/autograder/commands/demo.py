"""``course demo``: the instructor's whole job, from nothing, on a bundled sample class.

It makes a fresh course folder with the sample class (:mod:`autograder.sample_class`),
generates every lab with nbgrader, grades the class with ``course grade``, writes feedback,
the reports and the CSV export, and prints where everything is.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from autograder.config import Course
from autograder.layout import find_root


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--labs", help="comma-separated lab names or prefixes (default: all)")
    parser.add_argument("--out", help="folder for the demo course (default: .course/demo, replaced each run)")
    parser.add_argument("--workers", type=int, default=None, help="parallel graders (default: one per core)")


def run(args: argparse.Namespace) -> int:
    from autograder.feedback import generate_feedback
    from autograder.grading.coordinator import grade_lab
    from autograder.grading.progress import progress_printer, summary
    from autograder.report import collect, export_csv, html_report, terminal_report
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
    for lab in copies:
        print(f"\n== {lab.name}: course grade")
        outcomes = grade_lab(lab, workers=args.workers, progress=progress_printer(), course=demo)
        print(summary(outcomes))
        feedback = generate_feedback(demo, lab)
        cohort = collect(demo, lab)
        print(terminal_report(cohort))
        page = html_report(cohort, lab.report("html"))
        table = export_csv(cohort, lab.report("csv"))
        indent = " " * len(lab.name)
        closing.append(f"  {lab.name}: report {page}\n  {indent}  export {table}")
        closing.append(f"  {indent}  feedback {len(feedback)} pages in {out / demo.layout.feedback}")
    print("\nWhere everything is:\n" + "\n".join(closing))
    return 0
