"""``course check``: run a learner's notebook the way the grader does, with the visible tests.

Like ``nbgrader autograde`` it restores locked and test cells (and puts back deleted ones),
here from the released lab, which holds exactly the cells a learner received; it runs
everything in a fresh kernel and scores test cells with nbgrader's own rule, stderr excepted
(see :mod:`labkit.scoring`). It
survives a cell that never ends or kills the kernel exactly as grading does (one recovery
layer for both, :mod:`labkit.recovery`): the rest of the notebook still runs.

Before a learner submits, it also names what would make grading fail whatever the answers
(:func:`cell_problems`: grading metadata removed, changed or copied; the command adds a
renamed notebook): each is a *problem* of the report, with what to do about it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbformat import NotebookNode

from labkit.diagnosis import NOT_STARTED, diagnose
from labkit.kernel import KERNEL_NAME, start_kernel
from labkit.notebooks import (
    clear_outputs,
    grade_id,
    is_answer,
    is_autograded_test,
    is_locked,
    nbgrader_meta,
    read_notebook,
    structure_problem,
    visible_test_view,
)
from labkit.recovery import RecoveringExecution, incidents
from labkit.rubric import RUBRIC
from labkit.scoring import determine_grade, relabel_stderr

# What a cell that times out shows, as nbgrader's Execute has it (before recovery says more).
TIMEOUT_ERROR = {"ename": "CellTimeoutError", "evalue": "", "traceback": ["CellTimeoutError: no reply before timeout"]}


@dataclass
class TaskResult:
    """The outcome of one autograded test cell."""

    grade_id: str
    key: str
    points: float
    max_points: float
    message: str = ""  # the root cause (labkit.diagnosis), whole
    task: str = ""  # as the notebook names it ("Task 6")
    status: str = ""  # labkit.diagnosis: passed, failed, not started, blocked

    @property
    def passed(self) -> bool:
        return self.points >= self.max_points


@dataclass
class CheckReport:
    lab: str
    notebook: Path
    tasks: list[TaskResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # What would make grading fail or lose points whatever the answers, each with what to do.
    problems: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(t.points for t in self.tasks)

    @property
    def max_score(self) -> float:
        return sum(t.max_points for t in self.tasks)

    @property
    def all_passed(self) -> bool:
        return bool(self.tasks) and all(t.passed for t in self.tasks) and not self.problems

    def by_key(self) -> dict[str, tuple[float, float]]:
        totals: dict[str, tuple[float, float]] = {}
        for task in self.tasks:
            got, out_of = totals.get(task.key, (0.0, 0.0))
            totals[task.key] = (got + task.points, out_of + task.max_points)
        return totals


# What to do about damaged cells: the released notebook has them intact.
REDOWNLOAD = "download the lab again (a fresh copy of the released notebook) and copy your answers over into it"
# The nbgrader settings of a cell that grading cannot put back: nbgrader restores a cell's type,
# lock and points from the gradebook, but a cell whose "grade" or "solution" flag changed is no
# longer graded as the lab says (a locked one fails grading: its checksum cannot match again).
_GRADING_SETTINGS = ("grade", "solution")


def cell_problems(learner: NotebookNode, release: NotebookNode) -> list[str]:
    """What in the learner's cells would make grading fail or lose points, whatever the answers.

    Read from the notebook as the learner saved it, before the check restores anything:
    grading restores deleted test cells too, but not what this names. Grading's own rule
    (:func:`labkit.notebooks.structure_problem`: metadata stripped, cells copied) comes first.
    """
    structure = structure_problem(learner)
    if structure:
        return [f"{structure}; or {REDOWNLOAD}"]
    problems = []
    released = {gid: cell for cell in release.cells if (gid := grade_id(cell))}
    for index, cell in enumerate(learner.cells, 1):
        gid = grade_id(cell)
        if gid is None:
            continue
        original = released.get(gid)
        if original is None:
            problems.append(
                f"cell {index} carries grading metadata for {gid!r}, which this lab does not have (its grade id "
                f"was changed, or it came from another notebook), so grading cannot place it: {REDOWNLOAD}"
            )
            continue
        changed = [key for key in _GRADING_SETTINGS if nbgrader_meta(cell).get(key) != nbgrader_meta(original).get(key)]
        if changed:
            problems.append(
                f"cell {gid!r} (cell {index}) has its grading metadata changed ({', '.join(changed)}), so it would "
                f"not be graded as the lab says: {REDOWNLOAD}"
            )
    present = {grade_id(cell) for cell in learner.cells}
    for gid, original in released.items():
        if is_answer(original) and nbgrader_meta(original).get("grade") and gid not in present:
            problems.append(
                f"the written answer cell {gid!r} is gone (deleted, or its grading metadata removed): grading "
                f"would put back an empty one and your answer would earn nothing: {REDOWNLOAD}"
            )
    return problems


def restore_cells(learner: NotebookNode, release: NotebookNode) -> list[str]:
    """Overwrite locked and test cells with the released version; re-insert deleted ones.

    Returns a note for each cell put back, so the learner knows their copy was missing it.
    """
    pristine = visible_test_view(release)
    seen: set[str] = set()
    for cell in learner.cells:
        gid = grade_id(cell)
        if gid in pristine and gid not in seen:
            original = pristine[gid]
            cell.source = original.source
            cell.cell_type = original.cell_type
            cell.metadata["nbgrader"] = copy.deepcopy(original.metadata["nbgrader"])
            if cell.cell_type == "code":
                cell.setdefault("outputs", [])
                cell.setdefault("execution_count", None)
            seen.add(gid)

    notes = []
    # Re-insert missing cells after the nearest earlier released cell the learner still has.
    release_order = [grade_id(c) for c in release.cells]
    for index, gid in enumerate(release_order):
        if gid is None or gid not in pristine or gid in seen:
            continue
        position = 0
        for earlier in reversed(release_order[:index]):
            found = next((i for i, c in enumerate(learner.cells) if earlier and grade_id(c) == earlier), None)
            if found is not None:
                position = found + 1
                break
        learner.cells.insert(position, copy.deepcopy(pristine[gid]))
        seen.add(gid)
        kind = "test" if is_autograded_test(pristine[gid]) else "locked"
        notes.append(f"{kind} cell {gid!r} was missing from your notebook; it was put back from the released lab")
    return notes


class CheckClient(RecoveringExecution, NotebookClient):
    """nbclient with the course's recovery from hanging and crashing cells (:mod:`labkit.recovery`).

    Its timeout settings are those of grading (nbgrader's Execute), so a cell that times out
    here times out there too.
    """

    def __init__(self, nb: NotebookNode, km: AsyncKernelManager, timeout: int) -> None:
        super().__init__(
            nb,
            km=km,
            timeout=timeout,
            kernel_name=KERNEL_NAME,
            shutdown_kernel="immediate",
            error_on_timeout=TIMEOUT_ERROR,
        )
        self.configure_recovery()


def execute(nb: NotebookNode, cwd: Path, timeout: int, kernel: AsyncKernelManager | None = None) -> None:
    """Run every code cell, recovering from cells that hang or kill the kernel.

    ``kernel``, if given, is one already started in ``cwd`` (see :mod:`labkit.kernel`). What
    went wrong is recorded in the notebook's metadata (:func:`labkit.recovery.incidents`).
    """
    client = CheckClient(nb, kernel or start_kernel(cwd), timeout)
    # The client did not start this kernel, so it is told to shut it down when done.
    with client.setup_kernel(cleanup_kc=True):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)


def score_cells(nb: NotebookNode) -> list[TaskResult]:
    """Score each test cell with nbgrader's rule (stderr excepted), and say why it failed.

    The reason is the root cause (:mod:`labkit.diagnosis`): a task not started, or blocked by
    an earlier one, rather than the ``NameError`` it cascades into.
    """
    results = []
    scores: dict[str, tuple[float, float]] = {}
    refused: dict[str, str] = {}
    for index, cell in enumerate(nb.cells):
        if not is_autograded_test(cell):
            continue
        gid = grade_id(cell) or f"cell-{index + 1}"
        max_points = float(cell.metadata["nbgrader"].get("points", 0))
        relabel_stderr(cell)
        try:
            points, _ = determine_grade(cell)
        except ValueError as exc:  # a final value nbgrader cannot read as partial credit
            points, refused[gid] = 0.0, f"nbgrader could not score this cell: {exc}"
        scores[gid] = (float(points or 0.0), max_points)
    for finding in diagnose(nb, scores):
        message = refused.get(finding.grade_id, finding.message)
        results.append(
            TaskResult(
                finding.grade_id,
                finding.key,
                finding.points,
                finding.max_points,
                message,
                task=finding.task,
                status=finding.status,
            )
        )
    return results


def check_notebook(
    lab: str, release: Path, notebook: Path, timeout: int = 30, kernel: AsyncKernelManager | None = None
) -> CheckReport:
    """Check ``notebook`` against the visible tests of ``lab``, released at ``release``.

    Never modifies the file on disk. ``kernel``: one already started in the notebook's
    folder, to save its boot time (see :mod:`labkit.kernel`); the caller stops it. Without
    it, one is started here.
    """
    learner = read_notebook(notebook)
    released = read_notebook(release)
    report = CheckReport(lab=lab, notebook=notebook)
    report.problems = cell_problems(learner, released)
    report.notes = restore_cells(learner, released)
    clear_outputs(learner)
    execute(learner, notebook.resolve().parent, timeout, kernel)
    for incident in incidents(learner):
        if not is_autograded_test(learner.cells[incident.cell]):
            report.notes.append(f"cell {incident.cell + 1} ({incident.grade_id or 'your code'}): {incident.reason}")
    report.tasks = score_cells(learner)
    unknown_locked = [grade_id(c) for c in learner.cells if is_locked(c) and grade_id(c) is None]
    if unknown_locked:
        report.notes.append("some locked cells have no grade id; restore the notebook from the release")
    return report


def format_report(report: CheckReport) -> str:
    """The per-task summary: one line a task (named as the notebook names it), its root cause
    underneath when it did not pass, then the points per checklist item."""
    lines = [f"{report.lab}: checking {report.notebook} (visible tests only; grading adds hidden ones)"]
    lines += [f"  note: {note}" for note in report.notes]
    width = max((len(task.task) for task in report.tasks), default=0)
    for task in report.tasks:
        verdict = "PASS" if task.passed else "FAIL"
        name = task.task or task.grade_id
        line = f"  {verdict}  {task.points:g}/{task.max_points:g}  {name:<{width}}  {task.key:<13} {task.grade_id}"
        if task.message and not task.passed:
            line += "\n" + "\n".join(f"        {part}" for part in task.message.splitlines())
        lines.append(line)
    lines.append("  by checklist item:")
    for key, (got, out_of) in report.by_key().items():
        lines.append(f"    {key:<13} {got:g}/{out_of:g}  {RUBRIC.get(key, 'unknown rubric key')}")
    passed = sum(t.passed for t in report.tasks)
    not_started = sum(t.status == NOT_STARTED for t in report.tasks)
    total = f"Total: {report.score:g}/{report.max_score:g} points; {passed} of {len(report.tasks)} tasks pass"
    lines.append(total + (f"; {not_started} not started." if not_started else "."))
    return "\n".join(lines)


def print_report(report: CheckReport) -> None:
    print(format_report(report))


def print_problems(report: CheckReport) -> None:
    """What would make grading fail, last, where a learner reads the verdict."""
    if not report.problems:
        return
    print(f"Fix before you submit ({len(report.problems)} problem(s) that would make grading fail or lose points):")
    for problem in report.problems:
        print(f"  PROBLEM  {problem}")
