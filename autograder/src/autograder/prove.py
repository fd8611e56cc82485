"""``course prove``: grade a lab's worked solution and catalogues for real, and judge each result.

The proof that a lab's tests are right is what they make of known answers, graded exactly
as a class is graded (``course grade``: nbgrader's Autograde with the course's
configuration, sandbox and all), many students in one course, in parallel:

==================  =========================================================================
student             must
==================  =========================================================================
solution-N          keep full marks (graded ``repeat`` times: a check that passes by chance fails)
release             earn nothing
stderr              keep full marks while logging and warning on stderr in every cell
mistake-...         lose points on its rubric key only, in the cell that pins its requirement
alternative-...     keep full marks (a correct answer written differently)
==================  =========================================================================

The test suite and a maintainer at work use the same function; the command prints one
line per student and exits non-zero when any verdict fails.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.catalogue import Alternative, Mistake, alternatives, mistakes
from autograder.config import Course
from autograder.grading.results import Outcome
from autograder.inventory import requirements
from autograder.layout import Lab
from autograder.sample_class import course_copy, generate_assignments, submit, with_stderr_noise
from labkit.notebooks import read_notebook
from labkit.rubric import rubric_key


@dataclass(frozen=True)
class Entry:
    """One student of the proof: what was submitted, and what grading must make of it."""

    lab: str
    student: str
    kind: str  # solution, release, stderr, mistake, alternative
    subject: Mistake | Alternative | None = None

    @property
    def what(self) -> str:
        return self.subject.why if self.subject is not None else self.kind


@dataclass
class Verdict:
    entry: Entry
    scores: dict[str, tuple[float, float]] = field(default_factory=dict)  # autograded grade id -> (score, max)
    manual_pending: bool = True  # every manually graded cell left for a person
    status: str = ""  # course grade's outcome status, and its reason when it failed
    problem: str = ""  # why the verdict fails; "" when it holds

    @property
    def ok(self) -> bool:
        return not self.problem

    def lost(self) -> set[str]:
        return {gid for gid, (score, points) in self.scores.items() if score < points}


def entries(lab: Lab, repeat: int = 1, only: str = "") -> list[Entry]:
    """The students of ``lab``'s proof, in a stable order; ``only`` keeps those whose id contains it."""
    found = [Entry(lab.name, f"solution-{n}", "solution") for n in range(1, repeat + 1)]
    found += [Entry(lab.name, "release", "release"), Entry(lab.name, "stderr", "stderr")]
    found += [Entry(lab.name, m.student, "mistake", m) for m in mistakes(lab.root / lab.layout.mistakes, lab.name)]
    found += [
        Entry(lab.name, a.student, "alternative", a) for a in alternatives(lab.root / lab.layout.alternatives, lab.name)
    ]
    return [entry for entry in found if only in entry.student]


def _notebook(lab: Lab, entry: Entry):  # noqa: ANN202 - an nbformat node
    solution = read_notebook(lab.solution)
    if entry.kind == "release":
        return read_notebook(lab.release)
    if entry.kind == "stderr":
        return with_stderr_noise(solution)
    if entry.subject is not None:
        return entry.subject.apply(solution)
    return solution


def prove(labs: list[Lab], workdir: Path, workers: int | None = None, repeat: int = 1, only: str = "") -> list[Verdict]:
    """Grade every entry of ``labs`` in one course under ``workdir``; a verdict for each."""
    from autograder.grading.coordinator import grade_lab
    from autograder.grading.runners import LocalPool

    copies = course_copy(labs, workdir)
    course = Course.at(workdir)
    planned: dict[str, list[Entry]] = {}
    for lab, copied in zip(labs, copies, strict=True):
        planned[lab.name] = entries(lab, repeat, only)
        for entry in planned[lab.name]:
            submit(copied, entry.student, _notebook(lab, entry))
    generate_assignments(copies, course.config)
    graded: dict[str, dict[str, Outcome]] = {}
    with LocalPool(workers or os.cpu_count() or 1) as graders:  # one set of graders for every lab
        for copied in copies:
            graded[copied.name] = {o.student: o for o in grade_lab(copied, course=course, graders=graders)}
    verdicts: list[Verdict] = []
    for lab, copied in zip(labs, copies, strict=True):
        outcomes = graded[copied.name]
        recorded = _recorded(course, copied)
        inventory = {r.id: r.test for r in requirements(read_notebook(lab.source))}
        for entry in planned[lab.name]:
            outcome = outcomes[entry.student]
            verdict = Verdict(entry, status=outcome.status if not outcome.reason else f"failed: {outcome.reason}")
            verdict.scores, verdict.manual_pending = recorded.get(entry.student, ({}, False))
            verdict.problem = _judge(verdict, inventory, bool(outcome.flag), outcome.flag)
            verdicts.append(verdict)
    return verdicts


def _recorded(course: Course, lab: Lab) -> dict[str, tuple[dict[str, tuple[float, float]], bool]]:
    from autograder.gradebook import open_gradebook

    found = {}
    with open_gradebook(course.db_url) as gradebook:
        for submission in gradebook.find_assignment(lab.name).submissions:
            student = submission.student.id
            notebook = gradebook.find_submission_notebook(lab.name, lab.name, student)
            scores = {g.name: (float(g.score or 0), float(g.max_score)) for g in notebook.grades if rubric_key(g.name)}
            pending = all(g.needs_manual_grade for g in notebook.grades if not rubric_key(g.name))
            found[student] = (scores, pending)
    return found


def _judge(verdict: Verdict, inventory: dict[str, str], flagged: bool, flag: str) -> str:
    entry, lost = verdict.entry, verdict.lost()
    if verdict.status != "graded":
        return f"not graded ({verdict.status})"
    if flagged:
        return f"flagged: {flag}"
    if not verdict.scores:
        return "no autograded cell was recorded"
    if entry.kind in ("solution", "stderr", "alternative"):
        if lost:
            return f"lost points on {sorted(lost)}, expected full marks"
        if not verdict.manual_pending:
            return "a manually graded cell was scored automatically; it must wait for a person"
        return ""
    if entry.kind == "release":
        earned = sorted(gid for gid, (score, _) in verdict.scores.items() if score > 0)
        return f"the unanswered release earned points on {earned}" if earned else ""
    assert isinstance(entry.subject, Mistake)
    mistake = entry.subject
    keys = {rubric_key(gid) or gid for gid in lost}
    if keys != {mistake.key}:
        return f"lost points on items {sorted(keys) or 'none'} ({sorted(lost)}), expected exactly [{mistake.key}]"
    if mistake.requirement:
        cell = inventory.get(mistake.requirement)
        if cell is None:
            return f"its requirement {mistake.requirement!r} is in no test cell's inventory (# REQ lines)"
        if cell not in lost:
            return f"the cell that pins {mistake.requirement!r}, {cell}, kept its points (lost: {sorted(lost)})"
    return ""


def report(verdicts: list[Verdict]) -> str:
    """One line per student, failures with their reason, then a count."""
    lines = []
    for verdict in verdicts:
        mark = "ok  " if verdict.ok else "FAIL"
        line = f"{mark} {verdict.entry.lab}  {verdict.entry.student}"
        if verdict.entry.subject is not None:
            line += f"  ({verdict.entry.what})"
        if not verdict.ok:
            line += f"\n       {verdict.problem}"
        lines.append(line)
    failed = sum(not v.ok for v in verdicts)
    lines.append(f"{len(verdicts) - failed} of {len(verdicts)} verdicts hold")
    return "\n".join(lines)


def prove_in_scratch(labs: list[Lab], workers: int | None = None, repeat: int = 1, only: str = "") -> list[Verdict]:
    """:func:`prove` in a temporary course, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="course-prove-") as scratch:
        return prove(labs, Path(scratch) / "course", workers, repeat, only)
