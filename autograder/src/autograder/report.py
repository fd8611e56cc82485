"""``course report`` and ``course export``: the cohort by rubric item, for instructors.

Both read nbgrader's gradebook (so manual grades and overrides count) and the grading
journal (so a submission that could not be graded is flagged with its reason, never shown
as an honest zero). A student the gradebook knows who did not submit is flagged too.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.config import Course
from autograder.layout import Lab
from labkit.rubric import RUBRIC, rubric_key

NBGRADER_COLUMNS = [
    "assignment",
    "duedate",
    "timestamp",
    "student_id",
    "last_name",
    "first_name",
    "email",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
]


NO_SUBMISSION = "no submission"


@dataclass
class StudentRow:
    student: str
    last_name: str = ""
    first_name: str = ""
    email: str = ""
    timestamp: str = ""
    raw_score: float = 0.0
    late_penalty: float = 0.0
    score: float = 0.0
    max_score: float = 0.0
    cells: dict[str, tuple[float, float]] = field(default_factory=dict)  # grade id -> (score, max)
    pending: set[str] = field(default_factory=set)  # grade ids awaiting a person (needs_manual_grade)
    flag: str = ""  # why this row is not an honest grade ("" when it is)

    def by_key(self) -> dict[str, tuple[float, float]]:
        totals: dict[str, tuple[float, float]] = {}
        for gid, (score, points) in self.cells.items():
            key = rubric_key(gid) or "manual"
            got, out_of = totals.get(key, (0.0, 0.0))
            totals[key] = (got + score, out_of + points)
        return totals

    @property
    def submitted(self) -> bool:
        return self.flag != NO_SUBMISSION

    @property
    def pending_points(self) -> float:
        """Points awaiting a person's grade: not earned, not lost, not counted yet."""
        return float(sum(points for gid, (_, points) in self.cells.items() if gid in self.pending))

    @property
    def graded_out_of(self) -> float:
        """The points graded so far: all of them but those awaiting a person."""
        return self.max_score - self.pending_points

    @property
    def percent(self) -> float:
        """Score as a share of the points graded so far (pending ones left out, not counted as 0)."""
        return 100 * self.score / self.graded_out_of if self.graded_out_of else 0.0


@dataclass
class Cohort:
    lab: str
    duedate: str
    tasks: list[str]  # autograded grade ids in notebook order
    keys: list[str]
    rows: list[StudentRow]
    manual: list[str] = field(default_factory=list)  # manually graded grade ids
    formgrader_average: float = 0.0  # nbgrader's Gradebook.average_assignment_score, what Formgrader shows

    @property
    def graded(self) -> list[StudentRow]:
        return [row for row in self.rows if not row.flag]

    @property
    def awaiting_manual(self) -> list[StudentRow]:
        """Students with points still awaiting a person (flagged ones too: their written answers wait as well)."""
        return [row for row in self.rows if row.pending]

    def mean_median(self) -> tuple[float, float]:
        """Mean and median share of the points graded so far, over graded students."""
        percents = [row.percent for row in self.graded]
        if not percents:
            return 0.0, 0.0
        return statistics.fmean(percents), statistics.median(percents)

    def key_rates(self) -> dict[str, tuple[float, float]]:
        """For each key: mean share of its points, and share of students with all of them."""
        rates = {}
        for key in self.keys:
            shares = []
            for row in self.graded:
                got, out_of = row.by_key().get(key, (0.0, 0.0))
                if out_of:
                    shares.append(got / out_of)
            mean = sum(shares) / len(shares) if shares else 0.0
            full = sum(1 for share in shares if share >= 1) / len(shares) if shares else 0.0
            rates[key] = (mean, full)
        return rates

    def task_rates(self) -> dict[str, float]:
        """For each autograded task: the share of graded students who passed it, hardest first."""
        graded = self.graded
        rates = {}
        for task in self.tasks:
            passed = sum(1 for row in graded if task in row.cells and row.cells[task][0] >= row.cells[task][1])
            rates[task] = passed / len(graded) if graded else 0.0
        order = {task: index for index, task in enumerate(self.tasks)}
        return dict(sorted(rates.items(), key=lambda item: (item[1], order[item[0]])))

    def buckets(self, width: int = 20) -> list[tuple[int, int, int]]:
        """(low, high, number of students) of the graded students' percents, whole students."""
        found = []
        for low in range(0, 100, width):
            high = low + width
            count = sum(1 for row in self.graded if low <= row.percent < high or (high == 100 and row.percent >= 100))
            found.append((low, high, count))
        return found

    def formgrader_note(self) -> str:
        """Formgrader's average beside this report's, and why they differ."""
        submitted = [row for row in self.rows if row.submitted]
        if not submitted:
            return "Formgrader has no submission to average yet."
        flagged = [row for row in submitted if row.flag]
        pending = sum(row.pending_points for row in self.rows)
        max_score = submitted[0].max_score if submitted else 0.0
        note = (
            f"Formgrader's average: {self.formgrader_average:.1f} of {max_score:g} points, over all "
            f"{len(submitted)} submissions"
        )
        reasons = []
        if flagged:
            reasons.append(f"it counts the {len(flagged)} flagged one(s) as their recorded 0")
        if pending:
            reasons.append(f"it counts the {pending:g} points awaiting manual grading as 0")
        if reasons:
            them = "both" if len(reasons) > 1 else "them"
            note += f" ({'; '.join(reasons)}); this report leaves {them} out of its mean and median"
        return note + "."


def collect(course: Course, lab: Lab) -> Cohort:
    from nbgrader.api import MissingEntry

    from autograder.gradebook import not_in_gradebook, open_gradebook
    from autograder.grading.journal import Journal

    journal = Journal(lab).entries
    rows: list[StudentRow] = []
    db_url = course.db_url
    with open_gradebook(db_url) as gradebook:
        try:
            assignment = gradebook.find_assignment(lab.name)
        except MissingEntry:
            raise not_in_gradebook(lab.name, db_url) from None
        notebook = assignment.notebooks[0]
        tasks = [cell.name for cell in notebook.grade_cells if rubric_key(cell.name)]
        manual = [cell.name for cell in notebook.grade_cells if not rubric_key(cell.name)]
        keys = list(dict.fromkeys(rubric_key(task) or "" for task in tasks))
        for student in gradebook.students:
            row = StudentRow(student.id, student.last_name or "", student.first_name or "", student.email or "")
            try:
                submission = gradebook.find_submission(lab.name, student.id)
            except MissingEntry:
                row.flag = NO_SUBMISSION
                row.max_score = assignment.max_score
                rows.append(row)
                continue
            row.timestamp = str(submission.timestamp or "")
            row.raw_score, row.late_penalty = submission.score, submission.late_submission_penalty or 0.0
            row.score, row.max_score = submission.score - row.late_penalty, submission.max_score
            submitted_notebook = gradebook.find_submission_notebook(notebook.name, lab.name, student.id)
            # nbgrader scores a manual cell no person has graded yet as 0: it is pending instead
            row.cells = {g.name: (g.score or 0.0, g.max_score) for g in submitted_notebook.grades}
            entry = journal.get(student.id, {})
            if entry.get("status") == "failed":
                row.flag = f"not graded: {entry.get('reason', 'unknown reason')}"
            elif submitted_notebook.flagged:
                row.flag = entry.get("flag") or "flagged in the gradebook"
            elif not (lab.autograded(student.id) / f"{lab.name}.ipynb").is_file():
                row.flag = "not graded: no autograded notebook (the grading run failed for it; see nbgrader's log)"
            if not row.flag.startswith("not graded"):  # a failed submission's zeros are not pending
                row.pending = {g.name for g in submitted_notebook.grades if g.needs_manual_grade}
            rows.append(row)
        duedate = str(assignment.duedate or "")
        average = gradebook.average_assignment_score(lab.name)
    return Cohort(lab.name, duedate, tasks, keys, rows, manual, average)


def _status(row: StudentRow) -> str:
    """A student's state in one short phrase; the flag's full reason is listed under the table."""
    if not row.flag:
        return "pending manual grading" if row.pending else "graded"
    if not row.submitted:
        return NO_SUBMISSION
    state = "not graded" if row.flag.startswith("not graded") else "flagged"
    return f"{state}; pending manual grading" if row.pending else state


def _score_cell(row: StudentRow) -> str:
    """A student's score for people: pending points said as such, never folded into a 0."""
    if not row.submitted or row.flag.startswith("not graded"):
        return "-"  # no grade at all, not a grade of 0
    text = f"{row.score:g}/{row.graded_out_of:g}"
    return text + (f" + {row.pending_points:g} pending" if row.pending_points else "")


def _pending_line(cohort: Cohort) -> str:
    waiting = cohort.awaiting_manual
    if not waiting:
        return ""
    points = sum(row.pending_points for row in waiting)
    return (
        f"awaiting manual grading: {len(waiting)} student(s), {points:g} points in all (grade them in Formgrader); "
        "scores below are of the points graded so far"
    )


def terminal_report(cohort: Cohort) -> str:
    graded = cohort.graded
    lines = [
        f"{cohort.lab}: {len(graded)} graded, {len(cohort.rows) - len(graded)} flagged, {len(cohort.rows)} students"
    ]
    if _pending_line(cohort):
        lines.append(_pending_line(cohort))
    if graded:
        mean, median = cohort.mean_median()
        lines.append(f"mean {mean:.1f}%, median {median:.1f}% of the points graded so far (graded students)")
    lines.append(cohort.formgrader_note())
    lines.append("")
    lines.append(f"  {'student':<24} {'score':>22} {'%':>6}  status")
    for row in sorted(cohort.rows, key=lambda row: row.student):
        percent = f"{row.percent:.0f}%" if row.submitted and not row.flag else ""
        status = _status(row)
        lines.append(f"  {row.student:<24} {_score_cell(row):>22} {percent:>6}  {status}")
    lines.append("")
    lines.append(f"  {'rubric item':<14} {'mean points':>11} {'all passed':>11}")
    for key, (mean, full) in cohort.key_rates().items():
        lines.append(f"  {key:<14} {mean:>10.0%} {full:>11.0%}  {'#' * round(mean * 20):<20} {RUBRIC.get(key, '')}")
    lines.append("")
    lines.append(f"  {'task (hardest first)':<36} {'passed by':>9}")
    for task, rate in cohort.task_rates().items():
        lines.append(f"  {task:<36} {rate:>9.0%}  {'#' * round(rate * 20)}")
    if graded:
        lines.append("")
        lines.append("  distribution (graded students; % of the points graded so far):")
        for low, high, count in cohort.buckets():
            lines.append(f"    {low:3d}-{high:<3d}% {'#' * count} {count}")
    weakest = min(cohort.key_rates().items(), key=lambda item: item[1][0], default=None)
    if weakest and graded:
        lines.append("")
        lines.append(f"  weakest item: {weakest[0]} ({weakest[1][0]:.0%} of its points on average)")
    flagged = [row for row in cohort.rows if row.flag]
    if flagged:
        lines.append("")
        lines.append("  flagged (not honest grades; look at these):")
        lines += [f"    {row.student}: {row.flag}" for row in flagged]
    return "\n".join(lines)


def _png(figure: object) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")  # type: ignore[attr-defined]
    return base64.b64encode(buffer.getvalue()).decode()


def _charts(cohort: Cohort) -> list[tuple[str, str]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    charts = []
    rates = cohort.key_rates()
    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * max(len(rates), 1)))
    keys = list(rates)[::-1]
    ax.barh(keys, [rates[k][0] * 100 for k in keys], color="#4c72b0", label="mean share of points")
    ax.barh(keys, [rates[k][1] * 100 for k in keys], color="#dd8452", height=0.35, label="students with all checks")
    ax.set_xlim(0, 100)
    ax.set_xlabel("%")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("By rubric item: which concept did the class not get?")
    charts.append(("By rubric item", _png(fig)))
    plt.close(fig)

    task_rates = cohort.task_rates()
    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.35 * max(len(task_rates), 1)))
    tasks = list(task_rates)[::-1]
    ax.barh(tasks, [task_rates[t] * 100 for t in tasks], color="#55a868")
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of graded students passing")
    ax.set_title("By task, hardest first")
    charts.append(("By task", _png(fig)))
    plt.close(fig)

    fig = _histogram(cohort)
    charts.append(("Score distribution", _png(fig)))
    plt.close(fig)
    return charts


def _histogram(cohort: Cohort) -> Any:
    """The score distribution: graded students by share of the points graded so far, whole students."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(7, 3))
    percents = [row.percent for row in cohort.graded]
    ax.hist(percents, bins=[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100.001], color="#8172b3", edgecolor="white")
    ax.set_xlabel("score (% of the points graded so far; pending manual points left out)")
    ax.set_ylabel("students")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # whole students, never half of one
    ax.set_ylim(bottom=0, top=max(1, ax.get_ylim()[1]))
    ax.set_title("Score distribution (graded submissions)")
    return fig


def html_report(cohort: Cohort, path: Path) -> Path:
    esc = html.escape
    mean, median = cohort.mean_median()
    parts = [
        f"<!doctype html><meta charset='utf-8'><title>{esc(cohort.lab)} cohort report</title>",
        "<style>body{font:14px system-ui;margin:2em;max-width:60em}td,th{padding:.2em .6em;text-align:left}"
        "table{border-collapse:collapse}tr:nth-child(even){background:#f4f4f4}.flag{color:#b00}"
        ".pending{color:#8a6d3b}td.num{text-align:right}</style>",
        f"<h1>{esc(cohort.lab)}: cohort report</h1>",
        f"<p>{len(cohort.graded)} graded, {len(cohort.rows) - len(cohort.graded)} flagged, "
        f"{len(cohort.rows)} students.",
    ]
    if cohort.graded:
        parts.append(f" Mean {mean:.1f}%, median {median:.1f}% of the points graded so far (graded students).")
    parts.append("</p>")
    if _pending_line(cohort):
        parts.append(f"<p class='pending'><strong>{esc(_pending_line(cohort))}.</strong></p>")
    parts.append(f"<p>{esc(cohort.formgrader_note())}</p>")
    parts.append(
        "<h2>Students</h2><table><tr><th>student</th><th>score</th><th>pending</th><th>% graded so far</th>"
        "<th>status</th></tr>"
    )
    for row in sorted(cohort.rows, key=lambda row: row.student):
        pending = f"{row.pending_points:g}" if row.pending_points else ""
        percent = f"{row.percent:.0f}%" if row.submitted and not row.flag else ""
        status = _status(row)
        css = "flag" if row.flag else ("pending" if row.pending else "")
        score = _score_cell(row).split(" + ")[0]
        parts.append(
            f"<tr class='{css}'><td>{esc(row.student)}</td><td class='num'>{score}</td><td class='num'>{pending}</td>"
            f"<td class='num'>{percent}</td><td>{esc(status)}</td></tr>"
        )
    parts.append("</table>")
    for title, png in _charts(cohort):
        parts.append(f"<h2>{esc(title)}</h2><img alt='{esc(title)}' src='data:image/png;base64,{png}'>")
    parts.append(
        "<h2>Rubric items</h2><table><tr><th>key</th><th>item</th><th>mean points</th><th>all passed</th></tr>"
    )
    for key, (mean_share, full) in cohort.key_rates().items():
        parts.append(
            f"<tr><td>{esc(key)}</td><td>{esc(RUBRIC.get(key, ''))}</td><td>{mean_share:.0%}</td>"
            f"<td>{full:.0%}</td></tr>"
        )
    parts.append("</table><h2>Tasks, hardest first</h2><table><tr><th>task</th><th>passed by</th></tr>")
    parts += [f"<tr><td>{esc(task)}</td><td>{rate:.0%}</td></tr>" for task, rate in cohort.task_rates().items()]
    parts.append("</table><h2>Flagged submissions</h2><ul>")
    parts += [f"<li class='flag'>{esc(row.student)}: {esc(row.flag)}</li>" for row in cohort.rows if row.flag] or [
        "<li>none</li>"
    ]
    parts.append("</ul>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def export_csv(cohort: Cohort, path: Path) -> Path:
    """nbgrader's export columns, then the points per rubric key, the written answers, then the flag.

    nbgrader's own columns stay as nbgrader exports them (a manual grade not given yet counts
    0 in ``score``); ``manual`` says ``pending`` until a person has graded every written
    answer, and ``pending_points`` how many points wait.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        manual = ["manual", "pending_points"] if cohort.manual else []
        writer.writerow([*NBGRADER_COLUMNS, *cohort.keys, *manual, "flagged", "flag_reason"])
        for row in cohort.rows:
            keys = row.by_key()
            writer.writerow(
                [
                    cohort.lab,
                    cohort.duedate,
                    row.timestamp,
                    row.student,
                    row.last_name,
                    row.first_name,
                    row.email,
                    row.raw_score,
                    row.late_penalty,
                    row.score,
                    row.max_score,
                    *[keys.get(key, (0.0, 0.0))[0] for key in cohort.keys],
                    *(_manual_columns(row, keys) if cohort.manual else []),
                    "yes" if row.flag else "no",
                    row.flag,
                ]
            )
    return path


def _manual_columns(row: StudentRow, keys: dict[str, tuple[float, float]]) -> list[object]:
    """``manual`` (the written answers' points, or ``pending``) and ``pending_points``."""
    if not row.submitted or row.flag.startswith("not graded"):
        return [keys.get("manual", (0.0, 0.0))[0], 0.0]
    return ["pending" if row.pending else keys.get("manual", (0.0, 0.0))[0], row.pending_points]
