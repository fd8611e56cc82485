"""``course demo``: the instructor's whole job, from nothing, on a bundled sample cohort.

It makes a fresh course folder, generates every lab with nbgrader, writes a sample class
of submissions, grades them with ``course grade``, writes feedback, the cohort reports and
the CSV export, and prints where everything is.

The sample class is built from the mistakes catalogue (:mod:`autograder.mistakes`), the
same wrong variants that the test suite proves cost exactly one rubric item each, so the
cohort always matches the current labs:

=================  ===========================================================
student            submission
=================  ===========================================================
amara-solid        the worked solution
ben-typical        the solution with the lab's first typical mistake
chen-struggling    the solution with every typical mistake that applies
dara-empty         the release, submitted untouched
eli-broken         a notebook cut off halfway (invalid JSON)
fay-misnamed       a correct notebook saved under the wrong file name
gus-noisy          logs to stderr in every cell, and makes one mistake
=================  ===========================================================
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import nbformat

from autograder.course import SOURCE_DIR, Lab, list_labs
from autograder.mistakes import MUTANTS, Mutant, apply_mutant
from autograder.notebooks import read_notebook

STDERR_NOISE = (
    "import logging, sys\n"
    "get_ipython().events.register('post_run_cell', lambda result: print('debug: cell done', file=sys.stderr))\n"
    "logging.getLogger('learner').warning('starting my answers')\n"
)


def with_stderr_noise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` that writes to stderr in every cell, test cells included."""
    noisy = nbformat.reads(nbformat.writes(nb), as_version=4)
    first_answer = next(c for c in noisy.cells if c.get("metadata", {}).get("nbgrader", {}).get("solution"))
    first_answer.source = STDERR_NOISE + first_answer.source
    return noisy


def _with_mistakes(solution: nbformat.NotebookNode, mistakes: list[Mutant]) -> nbformat.NotebookNode:
    nb = solution
    for mistake in mistakes:
        try:
            nb = apply_mutant(nb, mistake)
        except ValueError:
            continue  # an earlier mistake already rewrote this text
    return nb


def sample_cohort(lab: Lab) -> dict[str, Callable[[Path], None]]:
    """Student id -> a function that writes that student's submission into a folder."""
    solution = read_notebook(lab.solution)
    release = read_notebook(lab.release)
    mistakes = [m for m in MUTANTS if m.lab == lab.name]
    name = f"{lab.name}.ipynb"

    def notebook(nb: nbformat.NotebookNode, filename: str = name) -> Callable[[Path], None]:
        return lambda folder: nbformat.write(nb, folder / filename)

    def cut_off(folder: Path) -> None:
        text = nbformat.writes(solution)
        (folder / name).write_text(text[: len(text) // 2])

    cohort = {
        "amara-solid": notebook(solution),
        "dara-empty": notebook(release),
        "eli-broken": cut_off,
        "fay-misnamed": notebook(solution, f"{lab.name} (1).ipynb"),
    }
    if mistakes:
        cohort["ben-typical"] = notebook(_with_mistakes(solution, mistakes[:1]))
        cohort["chen-struggling"] = notebook(_with_mistakes(solution, mistakes))
        cohort["gus-noisy"] = notebook(with_stderr_noise(_with_mistakes(solution, mistakes[-1:])))
    return dict(sorted(cohort.items()))


def make_demo_course(root: Path, out: Path, labs: list[Lab]) -> list[Lab]:
    """A fresh course at ``out``: the configuration, the lab sources, and the sample cohort."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy2(root / "nbgrader_config.py", out / "nbgrader_config.py")
    demo_labs = []
    for lab in labs:
        shutil.copytree(root / SOURCE_DIR / lab.name, out / SOURCE_DIR / lab.name)
        for student, write in sample_cohort(lab).items():
            folder = out / "autograder" / "submitted" / student / lab.name
            folder.mkdir(parents=True)
            write(folder)
        demo_labs.append(Lab(out, lab.name))
    return demo_labs


def generate_assignments(course: Path, labs: list[Lab]) -> None:
    """``nbgrader generate_assignment`` for each lab, in-process, into the course's gradebook."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    from autograder.build import course_config

    for lab in labs:
        config = course_config(course)
        config.merge(Config({"NbGrader": {"logfile": ""}, "GenerateAssignment": {"force": True}}))
        coursedir = CourseDirectory(config=config)
        coursedir.assignment_id = lab.name
        GenerateAssignment(coursedir=coursedir, config=config).start()


def run_demo(root: Path, out: Path, lab_names: list[str] | None = None, workers: int | None = None) -> str:
    """Run the whole instructor workflow on the sample cohort; return the closing summary."""
    from autograder.feedback import generate_feedback
    from autograder.grading import grade_lab, progress_printer, summary
    from autograder.report import REPORTS_DIR, collect, export_csv, html_report, terminal_report

    # A throwaway course keeps its own SQLite gradebook: the sample class must never reach the
    # instructor's real one, which COURSE_DB_URL may name.
    os.environ.pop("COURSE_DB_URL", None)
    labs = [lab for lab in list_labs(root) if not lab_names or any(lab.name.startswith(n) for n in lab_names)]
    course = make_demo_course(root, out, labs)
    print(f"demo course: {out}  ({len(course)} labs, sample cohort of {len(sample_cohort(labs[0]))} students each)")
    generate_assignments(out, course)
    closing = []
    for lab in course:
        print(f"\n== {lab.name}: course grade")
        outcomes = grade_lab(lab, workers=workers, progress=progress_printer())
        print(summary(outcomes))
        feedback = generate_feedback(out, lab.name)
        cohort = collect(lab)
        print(terminal_report(cohort))
        page = html_report(cohort, out / REPORTS_DIR / f"{lab.name}.html")
        table = export_csv(cohort, out / REPORTS_DIR / f"{lab.name}.csv")
        closing.append(f"  {lab.name}: report {page}\n  {'':{len(lab.name)}}  export {table}")
        closing.append(f"  {'':{len(lab.name)}}  feedback {len(feedback)} pages in {out / 'autograder' / 'feedback'}")
    return "\nWhere everything is:\n" + "\n".join(closing)
