"""nbgrader's Execute, hardened for grading code nobody has reviewed.

Plain nbgrader gives up on the whole notebook when the kernel dies, and after a timeout it
keeps using a kernel that may still be spinning in the runaway handler. For a class of
hundreds those are ordinary events, so :class:`GuardedExecute`:

- starts the kernel in the sandbox (:mod:`autograder.sandbox`);
- after a cell times out or the kernel dies, records why in the cell (an error output, so
  the cell scores zero with a reason the learner can read) and in the notebook metadata,
  starts a fresh kernel, replays the earlier non-test cells into it, and goes on with the
  next cell: every autograded cell ends with a score;
- caps the output one cell may produce, so a print loop cannot exhaust the grader's memory.

It is configured in ``nbgrader_config.py`` for ``nbgrader autograde``, so plain nbgrader
and ``course grade`` run submissions the same way.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from nbgrader.utils import is_grade, is_solution
from traitlets import Bool, Integer

from autograder.sandbox import SandboxedKernelManager

INCIDENTS_KEY = "incidents"
"""Where the reasons go: ``notebook.metadata["autograder"]["incidents"]``."""


def _is_test(cell: NotebookNode) -> bool:
    return is_grade(cell) and not is_solution(cell)


def incidents(nb: NotebookNode) -> list[dict[str, Any]]:
    """The grading incidents recorded in ``nb`` (timeouts, dead kernels, truncated output)."""
    return list(nb.metadata.get("autograder", {}).get(INCIDENTS_KEY, []))


class GuardedExecute(Execute):
    """Execute in a sandboxed kernel, surviving timeouts and kernel deaths cell by cell."""

    sandbox = Bool(True, help="Start kernels in the bubblewrap sandbox.").tag(config=True)
    max_output_bytes = Integer(1_000_000, help="Output kept per cell; the rest is dropped.").tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.sandbox:
            self.kernel_manager_class = SandboxedKernelManager
        self._timed_out = False
        self._output_bytes: dict[int, int] = {}
        self._truncated: set[int] = set()

    # ------------------------------------------------------------------ incidents

    def _record(self, cell: NotebookNode, cell_index: int, reason: str) -> None:
        store = self.nb.metadata.setdefault("autograder", {}).setdefault(INCIDENTS_KEY, [])
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        store.append({"cell": cell_index, "grade_id": grade_id, "reason": reason})
        self.log.warning("Cell %s (%s): %s", cell_index, grade_id or "no grade id", reason)

    # ------------------------------------------------------------------ timeouts and deaths

    async def _async_handle_timeout(self, timeout: int, cell: NotebookNode | None = None) -> None | dict[str, Any]:
        self._timed_out = True
        return await super()._async_handle_timeout(timeout, cell)

    async def async_execute_cell(
        self,
        cell: NotebookNode,
        cell_index: int,
        execution_count: int | None = None,
        store_history: bool = True,
    ) -> NotebookNode:
        self._timed_out = False
        self._output_bytes.pop(cell_index, None)
        self._truncated.discard(cell_index)
        try:
            await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        except DeadKernelError:
            reason = (
                "the kernel died while running this cell (the code exited, crashed, or went over a "
                "memory, CPU-time or process limit); a fresh kernel ran the remaining cells"
            )
            cell.outputs.append(
                NotebookNode(output_type="error", ename="DeadKernelError", evalue=reason, traceback=[reason])
            )
            self._record(cell, cell_index, reason)
            await self._fresh_kernel(cell_index)
            return cell
        except CellTimeoutError:  # the interrupt went unanswered: the kernel is stuck
            self._timed_out = True
            if not any(o.get("output_type") == "error" for o in cell.outputs):
                cell.outputs.append(NotebookNode(output_type="error", **self.error_on_timeout))
        if self._timed_out:
            reason = (
                f"no answer within {self.timeout} s (something in this cell, or a handler it calls, never "
                "finishes); a fresh kernel ran the remaining cells"
            )
            self._record(cell, cell_index, reason)
            await self._fresh_kernel(cell_index)
        return cell

    # nbconvert's preprocess calls the synchronous wrapper, which NotebookClient binds to its
    # own coroutine at class creation: rebind it to this one.
    execute_cell = run_sync(async_execute_cell)

    async def _restart(self) -> None:
        assert self.km is not None
        if self.kc is not None:
            self.kc.stop_channels()
        await self.km.restart_kernel(now=True)
        await self.async_start_new_kernel_client()

    async def _fresh_kernel(self, failed_index: int) -> None:
        """Restart the kernel and replay the non-test code cells before ``failed_index``.

        Cells that already timed out or killed the kernel are not replayed.
        """
        await self._restart()
        failed = {incident["cell"] for incident in incidents(self.nb)}
        for index, earlier in enumerate(self.nb.cells[:failed_index]):
            if earlier.cell_type != "code" or _is_test(earlier) or index in failed:
                continue
            self._timed_out = False
            try:
                await super().async_execute_cell(copy.deepcopy(earlier), index, store_history=False)
            except (DeadKernelError, CellTimeoutError):
                self._timed_out = True
            if self._timed_out:  # skipped from now on, never retried forever
                self._record(earlier, index, "replaying this cell after a restart failed; it was skipped")
                await self._restart()
        self._timed_out = False

    # ------------------------------------------------------------------ output cap

    def output(
        self, outs: list[NotebookNode], msg: dict[str, Any], display_id: str | None, cell_index: int
    ) -> NotebookNode | None:
        if cell_index in self._truncated:
            return None
        size = len(json.dumps(msg.get("content", {}), default=str))
        total = self._output_bytes.get(cell_index, 0) + size
        self._output_bytes[cell_index] = total
        if total > self.max_output_bytes:
            self._truncated.add(cell_index)
            note = f"[the grader dropped this cell's output after {self.max_output_bytes:,} bytes]\n"
            outs.append(NotebookNode(output_type="stream", name="stdout", text=note))
            self._record(self.nb.cells[cell_index], cell_index, "output over the limit; the rest was dropped")
            return None
        return super().output(outs, msg, display_id, cell_index)
