"""``course feedback``: a feedback page for every student who submitted, graded or not.

Graded submissions get nbgrader's feedback pages, made with the course's own preprocessors
and page template (:mod:`autograder.plugins.conceal_hidden_tests`,
:mod:`autograder.plugins.rubric_summary`, ``templates/feedback``, all set in
``nbgrader_config.py``), so plain ``nbgrader generate_feedback`` makes the same pages.

A submission that could not be graded (invalid JSON, a renamed or missing notebook, copied
cells, too slow) has no autograded notebook, so nbgrader makes no page for it and its
author would never learn why they have zero. :func:`write_ungraded_page` writes one in the
same place (``feedback/<student>/<lab>/<notebook>.html``, beside the submission's
``timestamp.txt`` and ``submission_secret.txt``) so that ``nbgrader release_feedback``
releases it and the learner's ``fetch_feedback`` finds it under the notebook they submitted.
The reason is the grading journal's (or the gradebook's flag); the fix is worked out from the
submitted files themselves.
"""

from __future__ import annotations

import copy
import html
import shutil
from dataclasses import dataclass
from pathlib import Path

from autograder.config import Course
from autograder.errors import CourseError
from autograder.layout import Lab

# Files of a submission that nbgrader's exchange needs beside a feedback page to release it.
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")


@dataclass(frozen=True)
class Missing:
    """A student the gradebook or the submissions folder knows who has no feedback page, and why."""

    student: str
    reason: str


@dataclass(frozen=True)
class FeedbackRun:
    pages: list[Path]  # every page of the lab, for the students asked for
    ungraded: list[str]  # students given a "could not be graded" page
    missing: list[Missing]  # students still without a page


def generate_feedback(course: Course, lab: Lab, student_glob: str = "*") -> list[Path]:
    """Every student's feedback page (see :func:`feedback_for_all`); return the HTML files."""
    return feedback_for_all(course, lab, student_glob).pages


def feedback_for_all(course: Course, lab: Lab, student_glob: str = "*") -> FeedbackRun:
    """nbgrader's pages for graded submissions, the course's page for ungraded ones, and who is left."""
    import fnmatch

    from autograder.grading.journal import Journal

    error = _nbgrader_feedback(course, lab, student_glob)
    journal = Journal(lab).entries
    flags = _gradebook_students(course, lab)
    submitted = _submitted_students(lab)
    students = sorted(s for s in set(flags) | set(submitted) if fnmatch.fnmatch(s, student_glob))
    ungraded, missing = [], []
    for student in students:
        if (lab.autograded(student) / f"{lab.name}.ipynb").is_file():
            if not _pages(lab, student):
                why = f"nbgrader could not make the page ({error})" if error else "nbgrader made no page"
                missing.append(Missing(student, f"{why}; see nbgrader's log, then run `course feedback` again"))
        elif student in submitted:
            # Not graded (any page there is an old one, of an earlier submission): say why.
            entry = journal.get(student, {})
            reason = entry.get("reason") or entry.get("flag") or flags.get(student) or "it was not graded"
            write_ungraded_page(lab, student, reason)
            ungraded.append(student)
        elif not _pages(lab, student):
            missing.append(Missing(student, "no submission: nothing to give feedback on"))
    pages = sorted(path for student in students for path in _pages(lab, student))
    return FeedbackRun(pages, ungraded, missing)


def _pages(lab: Lab, student: str) -> list[Path]:
    return sorted(lab.feedback(student).glob("*.html"))


def _nbgrader_feedback(course: Course, lab: Lab, student_glob: str) -> str:
    """Run nbgrader's GenerateFeedback; "" when it went through, else its error (the pages it made stay)."""
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    config = copy.deepcopy(course.config)
    config.merge(Config({"NbGrader": {"logfile": ""}, "GenerateFeedback": {"force": True}}))
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = lab.name
    coursedir.student_id = student_glob
    try:
        GenerateFeedback(coursedir=coursedir, config=config).start()
    except Exception as exc:  # nbgrader raises NbGraderException after logging each failure
        return f"{type(exc).__name__}: {exc}".strip()
    return ""


def _gradebook_students(course: Course, lab: Lab) -> dict[str, str]:
    """Student id -> "" or why the submission is flagged, for every student of the gradebook."""
    from nbgrader.api import MissingEntry

    from autograder.gradebook import is_flagged, not_in_gradebook, open_gradebook

    with open_gradebook(course.db_url) as gradebook:
        try:
            gradebook.find_assignment(lab.name)
        except MissingEntry:
            raise not_in_gradebook(lab.name, course.db_url) from None
        return {
            student.id: "flagged in the gradebook" if is_flagged(gradebook, lab.name, student.id) else ""
            for student in gradebook.students
        }


def _submitted_students(lab: Lab) -> set[str]:
    base = lab.root / lab.layout.submitted
    if not base.is_dir():
        return set()
    return {folder.name for folder in base.iterdir() if (folder / lab.name).is_dir()}


def diagnose_submission(lab: Lab, student: str) -> tuple[str, str]:
    """What is wrong with the submitted files, and what the learner should do; ("", "") if nothing shows.

    Read from the files, the same way ``course check`` reads a notebook
    (:func:`labkit.notebooks.read_notebook`, :func:`labkit.notebooks.structure_problem`).
    """
    from labkit.notebooks import read_notebook, structure_problem

    folder = lab.submitted(student)
    expected = folder / f"{lab.name}.ipynb"
    others = sorted(path.name for path in folder.glob("*.ipynb") if path != expected)
    if not expected.is_file():
        if others:
            return (
                f"Your submission has no notebook named {expected.name}: it holds {', '.join(others)}.",
                f"Rename your notebook to {expected.name} (the name the lab was released with; JupyterLab adds "
                '" (1)" to a copy\'s name), check it with `course check`, and submit again.',
            )
        return (
            f"Your submission holds no notebook: {expected.name} was expected.",
            f"Save your work in {expected.name}, check it with `course check {lab.name}`, and submit again.",
        )
    try:
        nb = read_notebook(expected)
    except CourseError as exc:
        what = str(exc).replace(str(expected), expected.name).partition(". ")[0]
        return (
            what + ".",
            f"Open {expected.name} in a text editor and repair it there, or fetch the released lab again and copy "
            f"your answers into it; check it with `course check {lab.name}`, and submit again.",
        )
    problem = structure_problem(nb)
    if problem:
        what, _, fix = problem.partition(": ")
        return f"Your notebook could not be graded: {what}.", (fix or problem)[:1].upper() + (fix or problem)[1:] + "."
    return "", ""


def write_ungraded_page(lab: Lab, student: str, reason: str) -> Path:
    """The feedback page of a submission that could not be graded: the reason, and the fix.

    Written under each notebook the student submitted (or the lab's name), with the
    submission's exchange files beside it, so ``nbgrader release_feedback`` releases it.
    """
    what, fix = diagnose_submission(lab, student)
    if not fix:
        fix = (
            f"Open your notebook, run `course check {lab.name}` on it and fix what it reports (a cell that "
            "never finishes, a notebook that cannot be read), then submit again."
        )
    esc = html.escape
    body = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{esc(lab.name)}: your submission could not be graded</title>",
        "<style>body{font:15px/1.5 system-ui,sans-serif;margin:2em auto;max-width:48em;padding:0 1em}"
        ".box{border:1px solid #d9534f;background:#fdf2f2;border-radius:4px;padding:.5em 1em}"
        "code{background:#f4f4f4;padding:0 .2em;overflow-wrap:anywhere}</style></head><body>",
        f"<h1>{esc(lab.name)}: your submission could not be graded</h1>",
        "<div class='box'>",
        "<p><strong>Score: 0, because nothing could be graded</strong>, not because your answers were wrong.</p>",
        f"<h2>Why</h2><p>{esc(what or 'The grader could not grade it.')}</p>",
        f"<p>What the grader recorded: <code>{esc(reason)}</code></p>",
        f"<h2>How to fix it</h2><p>{_code_spans(fix)}</p>",
        "</div>",
        f"<p>Student: <code>{esc(student)}</code>. Your instructor has this submission flagged and can grade "
        "it again once you resubmit.</p>",
        "</body></html>",
    ]
    folder = lab.feedback(student)
    folder.mkdir(parents=True, exist_ok=True)
    for name in EXCHANGE_FILES:
        if (lab.submitted(student) / name).is_file():
            shutil.copy2(lab.submitted(student) / name, folder / name)
    stems = sorted(path.stem for path in lab.submitted(student).glob("*.ipynb")) or [lab.name]
    for stem in stems:
        (folder / f"{stem}.html").write_text("\n".join(body), encoding="utf-8")
    return folder / f"{stems[0]}.html"


def _code_spans(text: str) -> str:
    """Escape ``text`` and show its `backticked` parts as code."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{part}</code>" if index % 2 else part for index, part in enumerate(parts))
