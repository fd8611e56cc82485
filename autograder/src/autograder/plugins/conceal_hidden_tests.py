"""Feedback that never gives the hidden tests away.

nbgrader's feedback HTML is the autograded notebook as it is: hidden test source in the test
cells, tracebacks that quote it, and whatever a submission printed (it may have printed the
hidden tests it found). :class:`ConcealHiddenTests`, set in ``nbgrader_config.py`` for
``nbgrader generate_feedback`` (and so for ``course feedback``), removes hidden blocks from
test cells, trims tracebacks to the frames outside the test cell plus the failure message,
and drops any output that reproduces hidden test code. From the first cell whose hidden
checks ran onwards, it shows no printed output at all, only each error's one-line message
(capped at :data:`MESSAGE_LIMIT` characters): code in the learner's kernel sees the hidden
checks as they run, and could print them in any disguise (encoded, reversed) that no line matching would recognise.
"""

from __future__ import annotations

import re

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from labkit.diagnosis import error_message
from labkit.notebooks import is_autograded_test, strip_hidden_tests

_HIDDEN_BLOCK = re.compile(r"^\s*### BEGIN HIDDEN TESTS\s*$(.*?)^\s*### END HIDDEN TESTS\s*$", re.M | re.S)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_MIN_LEAK_LINE = 25  # shorter lines (``else:``, ``pass``) are too common to count as a leak
HIDDEN_NOTE = "# (hidden checks ran here at grading time; they are not shown)"
LEAK_NOTE = "[output removed: it reproduced hidden test code]\n"
WITHHELD_NOTE = (
    "[output not shown in feedback: it was printed after hidden checks had run, so it could repeat "
    "them. Run your notebook to see your own output.]\n"
)
# Long enough for every check's own message (a response body preview and what was expected:
# the longest in the catalogues is about 500 characters), short enough that an error raised
# on purpose after the hidden checks ran cannot carry much of them out.
MESSAGE_LIMIT = 1000


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
                    output["traceback"] = [*useful, error_message(output)]
                    kept.append(output)
                elif any(line in _output_text(output) for line in secret):
                    kept.append({"output_type": "stream", "name": "stdout", "text": LEAK_NOTE})
                else:
                    kept.append(output)
            cell.outputs = kept
        return nb, resources


def _messages_only(outputs: list[NotebookNode], secret: set[str]) -> list[NotebookNode]:
    """Each error as one capped line (a failed check's own words, no ``AssertionError:``); printed
    output replaced by a note saying why."""
    kept: list[NotebookNode] = []
    if any(output.get("output_type") != "error" for output in outputs):
        kept.append(NotebookNode(output_type="stream", name="stdout", text=WITHHELD_NOTE))
    for output in outputs:
        if output.get("output_type") != "error":
            continue
        ename = str(output.get("ename", "Error"))
        lines = error_message(output).splitlines()
        message = lines[0] if lines else ename
        if any(line in message for line in secret):
            message = f"{ename}: [message removed: it reproduced hidden test code]"
        if len(message) > MESSAGE_LIMIT:
            message = message[:MESSAGE_LIMIT] + "..."
        evalue = message.removeprefix(f"{ename}: ")
        kept.append(NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[message]))
    return kept
