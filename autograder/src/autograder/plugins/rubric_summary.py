"""Open the feedback with the score by checklist item, and what to fix first, task by task.

Runs in ``nbgrader generate_feedback`` (and so ``course feedback``) after nbgrader's
GetGrades, which writes each grade cell's score into its metadata, and after
:class:`~autograder.plugins.conceal_hidden_tests.ConcealHiddenTests`, so nothing it quotes can
carry hidden test code. It

- puts a summary first: points per checklist item, points awaiting a person's grading
  shown as pending (never as 0: nbgrader's ``needs_manual_grade``, read from the gradebook),
  and each task that did not pass with its root cause (:mod:`labkit.diagnosis`: not started,
  blocked by an earlier task, or the failed check's whole message);
- labels every graded cell for the page template (``templates/feedback``, set in
  ``nbgrader_config.py``): its task and grade id, its state (passed, failed, not started,
  blocked, pending) and its points, in ``cell.metadata.feedback``;
- drops the lab's closing cells after the last graded one ("Run `course check`"), which
  speak to a learner still working, not to one reading feedback.
"""

from __future__ import annotations

import html
from pathlib import Path

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbformat.v4 import new_markdown_cell
from nbgrader.preprocessors import NbGraderPreprocessor

from labkit.diagnosis import NOT_STARTED, PASSED, Finding, diagnose, headings
from labkit.notebooks import grade_id, is_autograded_test, nbgrader_meta
from labkit.rubric import RUBRIC

FEEDBACK_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
"""nbconvert template folder holding the course's ``feedback`` page (for ``HTMLExporter.extra_template_basedirs``)."""


def template_basedirs() -> list[str]:
    """``HTMLExporter.extra_template_basedirs`` for the course: its own first, then nbgrader's.

    The setting is global to every HTMLExporter of the process, and the configuration file is
    read after Formgrader sets it to nbgrader's folder (which holds its ``formgrade`` pages):
    naming only the course's folder would leave Formgrader without its pages. The first folder
    holding a template name wins, so ``feedback`` is the course's and ``formgrade`` nbgrader's.
    """
    import nbgrader

    formgrader = Path(nbgrader.__file__).resolve().parent / "server_extensions" / "formgrader" / "templates"
    return [str(FEEDBACK_TEMPLATES), str(formgrader)]

Manual = tuple[str, float, float, bool]  # a manually graded cell: label, score, max score, awaiting a person
PENDING = "pending"
GRADED = "graded"
FLAGGED_NOTE = "This submission is flagged for your instructor to look at: the score below may change once they have."


def _points(value: float) -> str:
    return f"{value:g}"


def _graded_cell(cell: NotebookNode) -> bool:
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade") or meta.get("task"))


def _from_gradebook(resources: ResourcesDict) -> tuple[set[str], bool]:
    """Grade ids awaiting a person, and whether the submission is flagged; nothing without a gradebook."""
    info = resources.get("nbgrader", {})
    if not {"db_url", "assignment", "notebook", "student"} <= set(info):
        return set(), False
    from autograder.gradebook import awaiting_manual_grade, is_flagged, open_gradebook

    with open_gradebook(info["db_url"]) as gradebook:
        args = (gradebook, info["assignment"], info["student"], info["notebook"])
        return awaiting_manual_grade(*args), is_flagged(*args)


class RubricSummary(NbGraderPreprocessor):
    """Summary first, labelled cells, pending manual points, no closing instructions (see the module)."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        pending, flagged = _from_gradebook(resources)
        scores = {
            grade_id(cell) or "": (float(nbgrader_meta(cell).get("score") or 0), float(nbgrader_meta(cell)["points"]))
            for cell in nb.cells
            if is_autograded_test(cell) and "points" in nbgrader_meta(cell)
        }
        findings = {finding.grade_id: finding for finding in diagnose(nb, scores)}
        manual = self._label(nb, findings, pending)
        _drop_closing_cells(nb)
        summary, headline = _summary(list(findings.values()), manual, flagged)
        nb.cells.insert(0, new_markdown_cell(summary))
        resources["feedback"] = {"headline": headline}
        return nb, resources

    @staticmethod
    def _label(
        nb: NotebookNode, findings: dict[str, Finding], pending: set[str]
    ) -> list[tuple[str, float, float, bool]]:
        """Label each graded cell for the template; return the manually graded ones (label, score, max, pending)."""
        names = headings(nb)
        manual = []
        for index, cell in enumerate(nb.cells):
            if not _graded_cell(cell):
                continue
            gid = grade_id(cell) or ""
            meta = nbgrader_meta(cell)
            score, out_of = float(meta.get("score") or 0), float(meta.get("points") or 0)
            finding = findings.get(gid)
            if finding:
                name, title = finding.task, finding.title
                status = finding.status
            else:
                name, title = names[index] or ("Written answer", "")
                status = PENDING if gid in pending else GRADED
                manual.append((_title(name, title), score, out_of, gid in pending))
            points = f"{_points(out_of)} points, not graded yet" if status == PENDING else None
            cell.metadata["feedback"] = {
                "label": f"{_title(name, title)} · {gid}" if name != gid else gid,
                "status": status,
                "points": points or f"{_points(score)} / {_points(out_of)}",
            }
        return manual


def _title(name: str, title: str) -> str:
    return f"{name} — {title}" if title else name


def _drop_closing_cells(nb: NotebookNode) -> None:
    """Remove the markdown cells after the last graded cell (the lab's "Done: run `course check`")."""
    last = max((index for index, cell in enumerate(nb.cells) if _graded_cell(cell)), default=None)
    if last is None:
        return
    nb.cells = nb.cells[: last + 1] + [cell for cell in nb.cells[last + 1 :] if cell.cell_type != "markdown"]


def _summary(findings: list[Finding], manual: list[Manual], flagged: bool) -> tuple[str, str]:
    """The summary cell (HTML, every message escaped) and the page's one-line headline."""
    esc = html.escape
    totals: dict[str, list[float]] = {}
    for finding in findings:
        got, out_of = totals.setdefault(finding.key, [0.0, 0.0])
        totals[finding.key] = [got + finding.points, out_of + finding.max_points]
    earned = sum(got for got, _ in totals.values())
    possible = sum(out_of for _, out_of in totals.values())
    waiting = sum(out_of for _, _, out_of, is_pending in manual if is_pending)
    graded_by_hand = [(label, score, out_of) for label, score, out_of, is_pending in manual if not is_pending]

    rows = [
        f"<tr><td>{esc(RUBRIC.get(key, key))}</td><td><code>{esc(key)}</code></td>"
        f"<td>{_points(got)}</td><td>{_points(out_of)}</td></tr>"
        for key, (got, out_of) in totals.items()
    ]
    rows.append(f"<tr><th>autograded total</th><th></th><th>{_points(earned)}</th><th>{_points(possible)}</th></tr>")
    for label, score, out_of in graded_by_hand:
        rows.append(
            f"<tr><td>{esc(label)} (graded by a person)</td><td></td><td>{_points(score)}</td>"
            f"<td>{_points(out_of)}</td></tr>"
        )
    for label, _, out_of, is_pending in manual:
        if is_pending:
            rows.append(f"<tr><td>{esc(label)}</td><td></td><td><em>pending</em></td><td>{_points(out_of)}</td></tr>")

    parts = ["<div class='feedback-summary'>", "<h2>Your score by checklist item</h2>"]
    if flagged:
        parts.append(f"<p><strong>{esc(FLAGGED_NOTE)}</strong></p>")
    parts.append(
        "<table><thead><tr><th>checklist item</th><th>key</th><th>points</th><th>out of</th></tr></thead><tbody>"
    )
    parts += rows
    parts.append("</tbody></table>")
    if waiting:
        parts.append(
            f"<p><strong>{_points(waiting)} points await grading by a person</strong> (your written answers): "
            f"they are not counted yet, neither as earned nor as lost.</p>"
        )
    failed = [finding for finding in findings if finding.status not in (PASSED, NOT_STARTED)]
    unstarted = [finding for finding in findings if finding.status == NOT_STARTED]
    if failed or unstarted:
        parts.append("<h3>Checks that did not pass</h3><ul>")
        if unstarted:  # one line for them all: the same cause, the same fix
            links = ", ".join(
                f"<a href='#{esc(finding.grade_id)}'>{esc(finding.task)}</a> ({_points(finding.max_points)} points)"
                for finding in unstarted
            )
            parts.append(
                f"<li><strong>Not started</strong>: {links}. Their answer cells still raise "
                "<code>NotImplementedError</code>: replace it with your code.</li>"
            )
        for finding in failed:
            parts.append(
                f"<li><strong>{esc(finding.task)}</strong>"
                f"{' — ' + esc(finding.title) if finding.title else ''} "
                f"(<a href='#{esc(finding.grade_id)}'><code>{esc(finding.grade_id)}</code></a>, "
                f"{_points(finding.points)}/{_points(finding.max_points)}): "
                f"{esc(finding.message).replace(chr(10), '<br>')}</li>"
            )
        parts.append("</ul>")
    else:
        parts.append("<p>Every autograded check passed.</p>")
    parts.append("</div>")
    headline = f"{_points(earned)} of {_points(possible)} autograded points"
    if waiting:
        headline += f"; {_points(waiting)} more points await grading by a person"
    elif graded_by_hand:
        by_hand = sum(score for _, score, _ in graded_by_hand)
        headline += f", {_points(by_hand)} of {_points(sum(o for _, _, o in graded_by_hand))} graded by a person"
    return "\n".join(parts), headline
