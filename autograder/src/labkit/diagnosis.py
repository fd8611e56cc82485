"""Why each task of an executed lab notebook did not pass: the root cause, not the cascade.

Run as it is, an untouched lab fails every test cell, most with ``NameError: name 'app' is
not defined``: eleven failures that all say the same thing, none of them what to do. A
task whose answer cell was never written, or a name that one task should define and a later
one uses, is one problem. :func:`diagnose` reads an executed notebook (its outputs, nothing
run again) and returns one :class:`Finding` per autograded test cell, named as the notebook
names it ("Task 6", from the heading above it), with

- ``not started`` when an answer cell of the task still raises ``NotImplementedError``
  (the release's placeholder);
- ``blocked`` when the task failed only because a name is missing that an earlier task
  should define: the finding points at that task instead of repeating its ``NameError``;
- ``failed`` because the lab's given code failed above the task (the grading environment,
  or an answer that broke what it needs), said as such rather than as the errors it causes;
- ``failed`` with the first real error otherwise: an error in the task's own answer cell
  before the test's, since the test then only fails for it; the message is whole (never
  cut) and a failed check's message comes without Python's ``AssertionError:`` prefix.

``course check``, Validate and the feedback pages all read findings from here, so a learner
sees the same diagnosis everywhere. Standard library and nbformat only: this module ships
to learners with :mod:`labkit`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass

from nbformat import NotebookNode

from labkit.notebooks import grade_id, is_answer, is_autograded_test, is_given
from labkit.rubric import rubric_key
from labkit.scoring import determine_grade, relabel_stderr

PASSED = "passed"
FAILED = "failed"
NOT_STARTED = "not started"
BLOCKED = "blocked"

_FENCE = re.compile(r"^\s*(```|~~~).*?^\s*\1", re.M | re.S)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)
# "Task 6 — Create: 201 Created (3 points, `status-codes`)": the name, then the title.
_NAMED = re.compile(r"^(?P<name>(?:Task|Check|Question|Part|Exercise|Step)\s+[\w.]+)\s*(?:[—–:-]+\s*(?P<title>.*))?$")
_POINTS = re.compile(r"\s*\([^()]*\bpoints?\b[^()]*\)\s*$")
_MISSING_NAME = re.compile(r"name '(?P<name>[^']+)' is not defined")
_NOT_STARTED_MESSAGE = "not started: the answer cell still raises NotImplementedError; replace it with your code"


@dataclass(frozen=True)
class Finding:
    """What one autograded test cell came to, and why."""

    grade_id: str
    task: str  # as the notebook names it ("Task 6"), or the grade id when no heading names it
    title: str  # the rest of that heading, points left out ("Create: 201 Created and a Location header")
    key: str  # the rubric item
    points: float
    max_points: float
    status: str  # PASSED, FAILED, NOT_STARTED or BLOCKED
    message: str = ""  # the root cause, whole; "" when passed
    cause: str = ""  # BLOCKED: the task that should define what is missing

    @property
    def passed(self) -> bool:
        return self.status == PASSED


def error_message(output: Mapping[str, object]) -> str:
    """An error output as one message: a failed check's own words, any other error with its type.

    Never shortened: a message cut in the middle hides what was expected.
    """
    ename, evalue = str(output.get("ename") or "Error"), str(output.get("evalue") or "").strip()
    if ename == "AssertionError":
        return evalue or "a check failed (it gave no message)"
    return f"{ename}: {evalue}" if evalue else ename


def heading_name(text: str) -> tuple[str, str]:
    """``("Task 6", "Create: 201 Created")`` from a heading's text, points left out."""
    text = _POINTS.sub("", text.strip())
    match = _NAMED.match(text)
    if match:
        return match["name"], (match["title"] or "").strip()
    return text, ""


def _last_heading(cell: NotebookNode) -> str | None:
    """The last heading of a markdown cell; lines inside fenced code blocks are not headings."""
    if cell.cell_type != "markdown":
        return None
    found = _HEADING.findall(_FENCE.sub("", cell.source))
    return found[-1] if found else None


def _errors(cell: NotebookNode) -> list[NotebookNode]:
    return [output for output in cell.get("outputs", []) if output.get("output_type") == "error"]


def _missing_name(output: NotebookNode) -> str | None:
    if output.get("ename") != "NameError":
        return None
    match = _MISSING_NAME.search(str(output.get("evalue", "")))
    return match["name"] if match else None


def _score(cell: NotebookNode) -> tuple[float, float]:
    """nbgrader's score of an executed test cell, stderr costing nothing (as grading has it)."""
    scored = copy.deepcopy(cell)
    relabel_stderr(scored)
    try:
        points, max_points = determine_grade(scored)
    except ValueError:  # a final value above the cell's points: nbgrader refuses it, so it earns nothing
        return 0.0, float(cell.metadata["nbgrader"].get("points", 0))
    return float(points or 0.0), float(max_points)


@dataclass
class _Task:
    index: int  # the test cell's index
    cell: NotebookNode
    name: str
    title: str
    answers: list[NotebookNode]
    given_error: str = ""  # the first error of the lab's given code above this task, if it failed


def headings(nb: NotebookNode) -> list[tuple[str, str] | None]:
    """For each cell, the (name, title) of the nearest heading above it (or in it); None before any."""
    found: list[tuple[str, str] | None] = []
    current: tuple[str, str] | None = None
    for cell in nb.cells:
        text = _last_heading(cell)
        current = heading_name(text) if text else current
        found.append(current)
    return found


def _tasks(nb: NotebookNode) -> list[_Task]:
    """Each test cell with its heading and the answer cells written for it (since the previous test)."""
    tasks: list[_Task] = []
    answers: list[NotebookNode] = []
    given_error = ""
    names = headings(nb)
    for index, cell in enumerate(nb.cells):
        if is_autograded_test(cell):
            gid = grade_id(cell) or f"cell-{index + 1}"
            name, title = names[index] or (gid, "")
            tasks.append(_Task(index, cell, name, title, answers, given_error))
            answers = []
        elif cell.cell_type == "code" and is_answer(cell):
            answers.append(cell)
        elif is_given(cell) and _errors(cell) and not given_error:
            given_error = f"cell {index + 1}: {error_message(_errors(cell)[0])}"
    return tasks


def diagnose(nb: NotebookNode, scores: Mapping[str, tuple[float, float]] | None = None) -> list[Finding]:
    """One finding per autograded test cell of the executed ``nb``, in notebook order.

    ``scores``: grade id -> (points, max points) as grading recorded them (the gradebook's, in
    feedback); without it, each test cell is scored from its outputs as nbgrader would.
    """
    tasks = _tasks(nb)
    # Where each missing name first went missing: the task that should have defined it.
    first_missing: dict[str, str] = {}
    for task in tasks:
        for cell in (*task.answers, task.cell):
            for output in _errors(cell):
                name = _missing_name(output)
                if name:
                    first_missing.setdefault(name, task.name)

    findings = []
    for task in tasks:
        gid = grade_id(task.cell) or f"cell-{task.index + 1}"
        points, max_points = scores[gid] if scores and gid in scores else _score(task.cell)
        base = {
            "grade_id": gid,
            "task": task.name,
            "title": task.title,
            "key": rubric_key(gid) or "?",
            "points": points,
            "max_points": max_points,
        }
        if points >= max_points:
            findings.append(Finding(**base, status=PASSED))
            continue
        findings.append(Finding(**base, **_why(task, first_missing, findings)))
    return findings


def _why(task: _Task, first_missing: Mapping[str, str], earlier: list[Finding]) -> dict[str, str]:
    """The root cause of a task that did not pass: status, message and the task it comes from."""
    answer_errors = [output for cell in task.answers for output in _errors(cell)]
    if any(output.get("ename") == "NotImplementedError" for output in answer_errors):
        return {"status": NOT_STARTED, "message": _NOT_STARTED_MESSAGE}
    if task.given_error:
        return {
            "status": FAILED,
            "message": f"the lab's given code failed ({task.given_error}), so this check could not run as "
            "intended; your instructor is told and will look at it",
        }
    where = "your answer raised" if answer_errors else ""
    errors = answer_errors or _errors(task.cell)
    if not errors:
        return {"status": FAILED, "message": "this check did not pass (its output is not an error: see the cell)"}
    first = errors[0]
    name = _missing_name(first)
    cause = first_missing.get(name, task.name) if name else task.name
    if name and cause != task.name:
        unstarted = any(f.task == cause and f.status == NOT_STARTED for f in earlier)
        then = f"and {cause} is not started yet" if unstarted else f"so fix {cause} first"
        return {
            "status": BLOCKED,
            "message": f"needs `{name}`, which {cause} defines, {then}",
            "cause": cause,
        }
    message = error_message(first)
    return {"status": FAILED, "message": f"{where} {message}" if where else message}
