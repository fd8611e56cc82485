"""Open the feedback with the score by checklist item and each failed check's message."""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbformat.v4 import new_markdown_cell
from nbgrader.preprocessors import NbGraderPreprocessor

from labkit.notebooks import grade_id, is_autograded_test
from labkit.rubric import RUBRIC, rubric_key


def _failure_message(cell: NotebookNode) -> str:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip()
    return ""


class RubricSummary(NbGraderPreprocessor):
    """Open the feedback with the score by checklist item and each failed check's message.

    Runs after nbgrader's GetGrades, which writes each grade cell's score into its metadata.
    """

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        totals: dict[str, list[float]] = {}
        failures: list[str] = []
        for cell in nb.cells:
            if not is_autograded_test(cell):
                continue
            meta = cell.metadata["nbgrader"]
            key = rubric_key(grade_id(cell) or "") or "?"
            score, points = float(meta.get("score") or 0), float(meta.get("points") or 0)
            got, out_of = totals.setdefault(key, [0.0, 0.0])
            totals[key] = [got + score, out_of + points]
            if score < points:
                message = _failure_message(cell) or "this check did not pass"
                failures.append(f"- `{grade_id(cell)}` ({score:g}/{points:g}): {message}")
        rows = [f"| {RUBRIC.get(key, key)} | `{key}` | {got:g} | {out_of:g} |" for key, (got, out_of) in totals.items()]
        earned = sum(got for got, _ in totals.values())
        possible = sum(out_of for _, out_of in totals.values())
        text = [
            "## Your score by checklist item",
            "",
            "| checklist item | key | points | out of |",
            "|---|---|---|---|",
            *rows,
            f"| **autograded total** | | **{earned:g}** | **{possible:g}** |",
            "",
        ]
        if failures:
            text += ["### Checks that did not pass", "", *failures, ""]
        else:
            text += ["Every autograded check passed.", ""]
        nb.cells.insert(0, new_markdown_cell("\n".join(text)))
        return nb, resources
