"""The ``course`` command: what nbgrader lacks for this course.

course build [lab ...]      regenerate labs/ and solutions/ from autograder/source/
course check <lab> [nb]     run a notebook like the grader, visible tests only
course lint                 check every lab source against the course's rules
course labs                 list the labs
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.course import CourseError, find_root, get_lab, list_labs


def _build(args: argparse.Namespace) -> int:
    from autograder.build import build_labs

    root = find_root()
    labs = [get_lab(root, name) for name in args.labs] if args.labs else list_labs(root)
    for path in build_labs(labs):
        print(f"wrote {path.relative_to(root)}")
    return 0


def _check(args: argparse.Namespace) -> int:
    root = find_root()
    lab = get_lab(root, args.lab)
    notebook = Path(args.notebook) if args.notebook else lab.release
    from autograder.startup import early_kernel

    # Boot the kernel while the notebook libraries load and the notebooks are read (see startup).
    with early_kernel(notebook) as kernel:
        from autograder.check import check_notebook, print_report

        report = check_notebook(lab, notebook, timeout=args.timeout, kernel=kernel)
    print_report(report)
    return 0 if report.all_passed else 1


def _grade(args: argparse.Namespace) -> int:
    from autograder.grading import grade_lab, progress_printer, summary

    lab = get_lab(find_root(), args.lab)
    outcomes = grade_lab(
        lab,
        workers=args.workers,
        student_glob=args.student,
        force=args.force,
        timeout=args.timeout,
        progress=progress_printer(),
        cluster=args.cluster,
    )
    print(summary(outcomes))
    return 1 if any(o.status != "graded" for o in outcomes) else 0


def _feedback(args: argparse.Namespace) -> int:
    from autograder.feedback import generate_feedback

    root = find_root()
    lab = get_lab(root, args.lab)
    paths = generate_feedback(root, lab.name, args.student)
    for path in paths:
        print(f"wrote {path.relative_to(root)}")
    print(f"{len(paths)} feedback file(s) for {lab.name}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from autograder.report import REPORTS_DIR, collect, html_report, terminal_report

    root = find_root()
    cohort = collect(get_lab(root, args.lab))
    print(terminal_report(cohort))
    page = html_report(cohort, root / REPORTS_DIR / f"{cohort.lab}.html")
    print(f"\nHTML report with charts: {page.relative_to(root)}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from autograder.report import REPORTS_DIR, collect, export_csv

    root = find_root()
    cohort = collect(get_lab(root, args.lab))
    path = export_csv(cohort, Path(args.output) if args.output else root / REPORTS_DIR / f"{cohort.lab}.csv")
    flagged = sum(1 for row in cohort.rows if row.flag)
    print(f"wrote {path} ({len(cohort.rows)} students, {flagged} flagged)")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from autograder.demo import run_demo

    root = find_root()
    out = Path(args.out).resolve() if args.out else root / ".course" / "demo"
    names = [name for name in (args.labs or "").split(",") if name]
    print(run_demo(root, out, names, args.workers))
    return 0


def _benchmark(args: argparse.Namespace) -> int:
    from autograder.benchmark import check_figures, run_benchmark, run_cluster_benchmark

    root = find_root()
    lab = get_lab(root, args.lab)
    if args.check_only:
        print("\n".join(check_figures(root, lab)))
        return 0
    if args.cluster:
        counts = [int(n) for n in args.cluster.split(",") if n.strip().isdigit()]
        if len(counts) != len(args.cluster.split(",")) or min(counts) < 1:
            raise CourseError(
                f"--cluster takes worker counts of 1 or more separated by commas, e.g. 1,2,4 (got {args.cluster!r})"
            )
        print(run_cluster_benchmark(root, lab, args.submissions, counts))
    else:
        print(run_benchmark(root, lab, args.submissions, args.workers))
    return 0


def _lint(args: argparse.Namespace) -> int:
    from autograder.lint import lint_lab

    root = find_root()
    problems = [p for lab in list_labs(root) for p in lint_lab(lab)]
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s) in {len(list_labs(root))} lab(s)")
    return 1 if problems else 0


def _labs(args: argparse.Namespace) -> int:
    for lab in list_labs(find_root()):
        print(lab.name)
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="course", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="regenerate labs/ and solutions/ from autograder/source/")
    build.add_argument("labs", nargs="*", help="lab names or prefixes (default: all)")
    build.set_defaults(run=_build)

    check = commands.add_parser("check", help="run a notebook as the grader would, with the visible tests")
    check.add_argument("lab", help="lab name or prefix, e.g. lab01 or lab01_api_design")
    check.add_argument("notebook", nargs="?", help="notebook to check (default: labs/<lab>/<lab>.ipynb)")
    check.add_argument("--timeout", type=int, default=30, help="seconds a cell may run (default 30, as grading)")
    check.set_defaults(run=_check)

    grade = commands.add_parser("grade", help="grade every submission of a lab in parallel, resumably")
    grade.add_argument("lab", help="lab name or prefix")
    grade.add_argument("--workers", type=int, default=None, help="parallel graders (default: one per core)")
    grade.add_argument("--student", default="*", help="only students whose id matches this glob")
    grade.add_argument("--force", action="store_true", help="regrade submissions already graded and unchanged")
    grade.add_argument("--timeout", type=float, default=600, help="seconds one submission may take (default 600)")
    grade.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="grade on a Dask cluster: its scheduler's address, e.g. tcp://10.0.0.5:8786 (see README)",
    )
    grade.set_defaults(run=_grade)

    feedback = commands.add_parser("feedback", help="per-student HTML feedback by rubric item, hidden tests concealed")
    feedback.add_argument("lab", help="lab name or prefix")
    feedback.add_argument("--student", default="*", help="only students whose id matches this glob")
    feedback.set_defaults(run=_feedback)

    report = commands.add_parser("report", help="the cohort by rubric item and task, in the terminal and as HTML")
    report.add_argument("lab", help="lab name or prefix")
    report.set_defaults(run=_report)

    export = commands.add_parser("export", help="CSV: nbgrader's columns, points per rubric item, and flags")
    export.add_argument("lab", help="lab name or prefix")
    export.add_argument("--output", help="CSV path (default: autograder/reports/<lab>.csv)")
    export.set_defaults(run=_export)

    demo = commands.add_parser("demo", help="the instructor workflow end to end on the bundled sample cohort")
    demo.add_argument("--labs", help="comma-separated lab names or prefixes (default: all)")
    demo.add_argument("--out", help="folder for the demo course (default: .course/demo, replaced each run)")
    demo.add_argument("--workers", type=int, default=None, help="parallel graders (default: one per core)")
    demo.set_defaults(run=_demo)

    bench = commands.add_parser("benchmark", help="time course grade against plain nbgrader and bare execution")
    bench.add_argument("--lab", default="lab01", help="lab to grade (default: lab01)")
    bench.add_argument("--submissions", type=int, default=60, help="cohort size (default: 60)")
    bench.add_argument("--workers", type=int, default=None, help="parallel graders (default: one per core)")
    bench.add_argument("--check-only", action="store_true", help="time only course check and its floors (seconds)")
    bench.add_argument(
        "--cluster",
        metavar="COUNTS",
        help="instead: grading throughput on local Dask clusters of these sizes, e.g. 1,2,4",
    )
    bench.set_defaults(run=_benchmark)

    lint = commands.add_parser("lint", help="check every lab source against the course's rules")
    lint.set_defaults(run=_lint)

    labs = commands.add_parser("labs", help="list the labs")
    labs.set_defaults(run=_labs)
    return parser


def main(argv: list[str] | None = None) -> int:
    from autograder.startup import defer_iri_grammar

    defer_iri_grammar()  # every command that reads notebooks would pay 2 s for a parser it never uses
    args = make_parser().parse_args(argv)
    try:
        return args.run(args)
    except CourseError as exc:
        print(f"course: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
