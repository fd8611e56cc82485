"""The learner edition's ``course`` command: ``course check``, without the instructor's side.

The learner edition (written by the instructor's ``course publish``) holds lessons, released
labs and this package; no lab sources, so the instructor's ``course`` command, which finds
a course by its ``nbgrader_config.py`` and ``autograder/source/``, cannot run there. This one
finds the edition by its ``labs/`` folder and checks a lab against the *pristine* released
notebook that ``course publish`` put inside the package (:data:`RELEASES`): the copy in
``labs/`` is the one the learner edits, so restoring locked cells from it would restore
nothing. The instructor's ``course check`` runs the same :func:`run_check`.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from labkit.errors import CourseError, ExitCode

# Where ``course publish`` puts each lab's released notebook, untouched by the learner.
RELEASES = Path(__file__).resolve().parent / "releases"
LABS = "labs"  # the edition's folder of released labs: labs/<lab>/<lab>.ipynb
DISTRIBUTION = "fastapi-production-course-learner"  # the learner edition's package (course publish names it)
# Set while a check runs, and so inherited by its kernel: a notebook cell that runs
# `!course check` is not checked again from inside the check (it would never end).
NESTED = "COURSE_CHECK_RUNNING"
GRADING = "grading"  # its value in the grading sandbox: a `!course check` cell then does nothing


def usage() -> str:
    return "\n".join(
        [
            "usage: course check <lab> [notebook] [--timeout SECONDS]",
            "",
            "Check a lab as the grader would, with its visible tests: one line per task (PASS or FAIL,",
            "points, checklist item, what failed), the points per checklist item, and anything that",
            "would make grading fail. Exits non-zero while anything fails.",
            "",
            "commands:",
            "  check      run a lab's notebook as the grader would, with the visible tests",
            "",
            "options:",
            "  -h, --help  show this help (`course check --help`: its options)",
            "  --version   show the course's version",
        ]
    )


def find_edition(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding ``labs/``: the learner edition's root."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / LABS).is_dir():
            return folder
    raise CourseError(
        f"No course found at or above {here}: expected a {LABS}/ folder. Run `course check` from the folder of "
        "the course (the one holding course/ and labs/) or any folder inside it."
    )


def pick_lab(name: str, labs: list[str]) -> str:
    """A lab by its full name or a unique prefix (``lab01`` finds ``lab01_api_design``)."""
    matches = [lab for lab in labs if lab == name] or [lab for lab in labs if lab.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise CourseError(f"Unknown lab {name!r}. The labs are: {', '.join(labs) or '(none)'}.")
    raise CourseError(f"{name!r} matches several labs: {', '.join(matches)}. Give the full name.")


def locate(name: str, notebook: str | None) -> tuple[str, Path, Path]:
    """``(lab, its pristine release, the notebook to check)`` for ``course check <name> [notebook]``.

    With the package's releases (an installed edition), a notebook given by path is checked
    wherever it is; the edition's folder is needed only to find the default one. Without
    them (labkit run from a source tree), the releases are the edition's ``labs/``.
    """
    if RELEASES.is_dir():
        lab = pick_lab(name, sorted(path.stem for path in RELEASES.glob("*.ipynb")))
        release = RELEASES / f"{lab}.ipynb"
        if notebook:
            return lab, release, Path(notebook)
        return lab, release, find_edition() / LABS / lab / f"{lab}.ipynb"
    root = find_edition()
    folders = sorted(p.name for p in (root / LABS).iterdir() if p.is_dir() and not p.name.startswith("."))
    lab = pick_lab(name, folders)
    release = root / LABS / lab / f"{lab}.ipynb"
    return lab, release, Path(notebook) if notebook else release


def missing_notebook(notebook: Path, lab: str) -> str:
    """Why there is nothing to check, and what to do: most often the notebook was renamed."""
    others = sorted(p.name for p in notebook.parent.glob("*.ipynb")) if notebook.parent.is_dir() else []
    if notebook.name == f"{lab}.ipynb" and others:
        return (
            f"{notebook} does not exist, but its folder holds {', '.join(others)}. Grading looks for "
            f"{notebook.name} only: rename your notebook back to {notebook.name} (in JupyterLab: right-click it "
            f"in the file browser > Rename), or pass it: `course check {lab} <notebook>`."
        )
    return f"{notebook} does not exist. Check the path, or pass the notebook you are working on."


def renamed(notebook: Path, lab: str) -> str:
    """The problem of a notebook checked under another name than the one grading looks for; "" if none."""
    expected = f"{lab}.ipynb"
    if notebook.name == expected:
        return ""
    return (
        f"this notebook is named {notebook.name!r}, and grading looks for {expected} only (a notebook under "
        f"another name earns nothing): rename it back to {expected} before you submit"
    )


def run_check(lab: str, release: Path, notebook: Path, timeout: int) -> int:
    """Check ``notebook`` against ``lab``'s visible tests, print the verdict, return the exit code."""
    if os.environ.get(NESTED) == GRADING:
        print("course check: skipped while grading (grading runs every check itself)")
        return ExitCode.OK
    if os.environ.get(NESTED):
        print(f"course check: skipped, this notebook is being checked already (by `course check {lab}`)")
        return ExitCode.OK
    if not notebook.is_file():
        raise CourseError(missing_notebook(notebook, lab))
    os.environ[NESTED] = lab
    from labkit.kernel import early_kernel

    # Boot the kernel while the notebook libraries load and the notebooks are read (see labkit.kernel).
    with early_kernel(notebook) as kernel:
        from labkit.check import check_notebook, print_problems, print_report

        report = check_notebook(lab, release, notebook, timeout=timeout, kernel=kernel)
    if problem := renamed(notebook, lab):
        report.problems.insert(0, problem)
    elif others := sorted(p.name for p in notebook.parent.glob("*.ipynb") if p.name != notebook.name):
        report.notes.append(
            f"this folder also holds {', '.join(others)}: grading takes {notebook.name} only, so if your answers "
            f"are in another notebook, rename that one to {notebook.name}"
        )
    print_report(report)
    print_problems(report)
    return ExitCode.OK if report.all_passed else ExitCode.FAILED


def add_check_arguments(parser: argparse.ArgumentParser, default_notebook: str) -> None:
    """``course check``'s arguments, the same in the instructor's and the learner's command."""
    parser.add_argument("lab", help="lab name or prefix, e.g. lab01 or lab01_api_design")
    parser.add_argument("notebook", nargs="?", help=f"notebook to check (default: {default_notebook})")
    parser.add_argument("--timeout", type=int, default=30, help="seconds a cell may run (default 30, as grading)")


def _version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # labkit from the instructor's repository, not an installed edition
        return "unknown"


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
    if args[0] != "check":
        print(f"course: unknown command {args[0]!r}\n\n{usage()}", file=sys.stderr)
        return ExitCode.USAGE
    parser = argparse.ArgumentParser(prog="course check", description="run a lab's notebook as the grader would")
    add_check_arguments(parser, f"{LABS}/<lab>/<lab>.ipynb")
    parsed = parser.parse_args(args[1:])
    try:
        lab, release, notebook = locate(parsed.lab, parsed.notebook)
        return run_check(lab, release, notebook, parsed.timeout)
    except CourseError as exc:
        print(f"course: {exc}", file=sys.stderr)
        return ExitCode.USAGE


if __name__ == "__main__":
    sys.exit(main())
