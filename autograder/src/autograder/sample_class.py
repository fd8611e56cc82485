"""Throwaway courses holding a class of submissions: for the demo, the benchmark and the tests.

:func:`course_copy` makes a fresh course from a course's configuration and lab sources (and
its outside checks, which grading needs), with nothing graded; :func:`submit` puts one
student's notebook where nbgrader collects it; :func:`generate_assignments` enters the labs
in the copy's own gradebook.

The sample class is built from the mistakes catalogue (:mod:`autograder.catalogue`), the
same wrong answers that the test suite proves cost exactly one rubric item each, so the
class always matches the current labs:

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

import copy
import shutil
from collections.abc import Callable
from pathlib import Path

import nbformat
from traitlets.config import Config

from autograder.catalogue import Mistake, mistakes
from autograder.layout import CONFIG_FILE, Lab
from labkit.notebooks import read_notebook

STDERR_NOISE = (
    "import logging, sys\n"
    "get_ipython().events.register('post_run_cell', lambda result: print('debug: cell done', file=sys.stderr))\n"
    "logging.getLogger('learner').warning('starting my answers')\n"
)


def course_copy(labs: list[Lab], dest: Path, replace: bool = False) -> list[Lab]:
    """A course at ``dest`` (new, or one to add labs to): the configuration, each lab's source and checks.

    Nothing is graded or generated; the labs are returned as labs of the copy.
    """
    if dest.exists() and replace:
        shutil.rmtree(dest)
    dest.mkdir(parents=True, exist_ok=True)
    copies = []
    for lab in labs:
        if not (dest / CONFIG_FILE).exists():
            shutil.copy2(lab.root / CONFIG_FILE, dest / CONFIG_FILE)
        copied = Lab(dest, lab.name, lab.layout)
        shutil.copytree(lab.source_folder, copied.source_folder)
        if lab.checks.is_file():
            copied.checks.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(lab.checks, copied.checks)
        copies.append(copied)
    return copies


def submit(lab: Lab, student: str, nb: nbformat.NotebookNode, filename: str | None = None) -> Path:
    """Put ``nb`` where nbgrader collects ``student``'s submission of ``lab``; return its path."""
    path = lab.submitted(student) / (filename or f"{lab.name}.ipynb")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(nb), encoding="utf-8")
    return path


def generate_assignments(labs: list[Lab], course_config: Config) -> None:
    """``nbgrader generate_assignment`` for each lab, in-process, into the course's gradebook."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory

    for lab in labs:
        config = copy.deepcopy(course_config)
        config.merge(Config({"NbGrader": {"logfile": ""}, "GenerateAssignment": {"force": True}}))
        coursedir = CourseDirectory(config=config)
        coursedir.assignment_id = lab.name
        GenerateAssignment(coursedir=coursedir, config=config).start()


def with_stderr_noise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` that writes to stderr in every cell, test cells included."""
    noisy = nbformat.reads(nbformat.writes(nb), as_version=4)
    first_answer = next(c for c in noisy.cells if c.get("metadata", {}).get("nbgrader", {}).get("solution"))
    first_answer.source = STDERR_NOISE + first_answer.source
    return noisy


def _with_mistakes(solution: nbformat.NotebookNode, made: list[Mistake]) -> nbformat.NotebookNode:
    nb = solution
    for mistake in made:
        try:
            nb = mistake.apply(nb)
        except ValueError:
            continue  # an earlier mistake already rewrote this text
    return nb


Writer = Callable[[Lab, str], None]
"""Submits one kind of notebook to a lab (of a course copy) under a student id."""


def sample_class(lab: Lab) -> dict[str, Writer]:
    """Student id -> the writer of that student's submission (see the module docstring)."""
    solution = read_notebook(lab.solution)
    release = read_notebook(lab.release)
    typical = mistakes(lab.root / lab.layout.mistakes, lab.name)

    def notebook(nb: nbformat.NotebookNode, filename: str | None = None) -> Writer:
        def write(target: Lab, student: str) -> None:
            submit(target, student, nb, filename)

        return write

    def cut_off(target: Lab, student: str) -> None:
        text = nbformat.writes(solution)
        folder = target.submitted(student)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{lab.name}.ipynb").write_text(text[: len(text) // 2])

    students = {
        "amara-solid": notebook(solution),
        "dara-empty": notebook(release),
        "eli-broken": cut_off,
        "fay-misnamed": notebook(solution, f"{lab.name} (1).ipynb"),
    }
    if typical:
        students["ben-typical"] = notebook(_with_mistakes(solution, typical[:1]))
        students["chen-struggling"] = notebook(_with_mistakes(solution, typical))
        students["gus-noisy"] = notebook(with_stderr_noise(_with_mistakes(solution, typical[-1:])))
    return dict(sorted(students.items()))


def course_with_sample_class(labs: list[Lab], dest: Path, replace: bool = False) -> list[Lab]:
    """:func:`course_copy` with the sample class submitted to every lab."""
    copies = course_copy(labs, dest, replace=replace)
    for lab, copied in zip(labs, copies, strict=True):
        for student, write in sample_class(lab).items():
            write(copied, student)
    return copies
