"""Feedback a learner can act on, that never gives the hidden tests away.

nbgrader's feedback HTML is the autograded notebook as it is: hidden test source in the test
cells, tracebacks that quote it, and whatever a submission printed (it may have printed the
hidden tests it found). These preprocessors, set in ``nbgrader_config.py`` for
``nbgrader generate_feedback`` and used by ``course feedback``, change that:

* :class:`ConcealHiddenTests` removes hidden blocks from test cells, trims tracebacks to the
  frames outside the test cell plus the failure message, and drops any output that
  reproduces hidden test code. From the first cell whose hidden checks ran onwards, it
  shows no printed output at all, only each error's one-line message (capped): code in the
  learner's kernel sees the hidden checks as they run, and could print them in any
  disguise (encoded, reversed) that no line matching would recognise;
* :class:`RubricSummary` opens the feedback with the points by checklist item and the
  message of each failed check.
"""

from __future__ import annotations

import re
from pathlib import Path

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbformat.v4 import new_markdown_cell
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.notebooks import grade_id, is_autograded_test, strip_hidden_tests
from autograder.rubric import RUBRIC, rubric_key

_HIDDEN_BLOCK = re.compile(r"^\s*### BEGIN HIDDEN TESTS\s*$(.*?)^\s*### END HIDDEN TESTS\s*$", re.M | re.S)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_MIN_LEAK_LINE = 25  # shorter lines (``else:``, ``pass``) are too common to count as a leak
HIDDEN_NOTE = "# (hidden checks ran here at grading time; they are not shown)"
LEAK_NOTE = "[output removed: it reproduced hidden test code]\n"
WITHHELD_NOTE = (
    "[output not shown in feedback: it was printed after hidden checks had run, so it could repeat "
    "them. Run your notebook to see your own output.]\n"
)
MESSAGE_LIMIT = 300


def hidden_lines(nb: NotebookNode) -> set[str]:
    """The distinctive lines of every hidden block, to recognise them wherever they reappear.

    A line that also stands in visible code, even inside a longer line, is no secret: the
    learner already sees it.
    """
    lines: set[str] = set()
    visible = "\n".join(strip_hidden_tests(cell.source) for cell in nb.cells)
    for cell in nb.cells:
        if is_autograded_test(cell):
            for block in _HIDDEN_BLOCK.findall(cell.source):
                lines |= {line.strip() for line in block.splitlines() if len(line.strip()) >= _MIN_LEAK_LINE}
    return {line for line in lines if line not in visible}


def _output_text(output: NotebookNode) -> str:
    if output.get("output_type") == "stream":
        return str(output.get("text", ""))
    data = output.get("data", {})
    return "\n".join(str(value) for value in data.values())


def _failure_message(cell: NotebookNode) -> str:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip()
    return ""


class ConcealHiddenTests(NbGraderPreprocessor):
    """Keep hidden test code out of feedback: sources, tracebacks, and echoed outputs."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        secret = hidden_lines(nb)
        after_hidden = False
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            own_frame = f"In[{cell.get('execution_count')}]"
            if is_autograded_test(cell) and "### BEGIN HIDDEN TESTS" in cell.source:
                cell.source = strip_hidden_tests(cell.source) + "\n" + HIDDEN_NOTE
                after_hidden = True
            if after_hidden:
                cell.outputs = _messages_only(cell.get("outputs", []), secret)
                continue
            kept = []
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    frames = [_ANSI.sub("", frame) for frame in output.get("traceback", [])[:-1]]
                    useful = [
                        frame
                        for frame in frames
                        if not (is_autograded_test(cell) and own_frame in frame)
                        and not any(line in frame for line in secret)
                        and "Traceback (most recent call last)" not in frame
                        and not frame.startswith("-----")
                    ]
                    output["traceback"] = [*useful, f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
                    kept.append(output)
                elif any(line in _output_text(output) for line in secret):
                    kept.append({"output_type": "stream", "name": "stdout", "text": LEAK_NOTE})
                else:
                    kept.append(output)
            cell.outputs = kept
        return nb, resources


def _messages_only(outputs: list[NotebookNode], secret: set[str]) -> list[NotebookNode]:
    """Each error as one capped line; printed output replaced by a note saying why."""
    kept: list[NotebookNode] = []
    if any(output.get("output_type") != "error" for output in outputs):
        kept.append(NotebookNode(output_type="stream", name="stdout", text=WITHHELD_NOTE))
    for output in outputs:
        if output.get("output_type") != "error":
            continue
        message = (
            f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".splitlines()[0]
            if output.get("evalue")
            else str(output.get("ename", "Error"))
        )
        if any(line in message for line in secret):
            message = f"{output.get('ename', 'Error')}: [message removed: it reproduced hidden test code]"
        if len(message) > MESSAGE_LIMIT:
            message = message[:MESSAGE_LIMIT] + "..."
        ename, _, evalue = message.partition(": ")
        kept.append(NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[message]))
    return kept


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


def generate_feedback(root: Path, lab_name: str, student_glob: str = "*") -> list[Path]:
    """Run nbgrader's GenerateFeedback with the course's configuration; return the HTML files."""
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    from autograder.build import course_config

    config = course_config(root)
    config.merge(Config({"NbGrader": {"logfile": ""}, "GenerateFeedback": {"force": True}}))
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = lab_name
    coursedir.student_id = student_glob
    GenerateFeedback(coursedir=coursedir, config=config).start()
    feedback_root = Path(coursedir.root) / coursedir.feedback_directory
    return sorted(feedback_root.glob(f"{student_glob}/{lab_name}/*.html"))
