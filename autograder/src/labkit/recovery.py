"""One way to run a notebook whose cells may hang, crash the kernel or flood the output.

Both ``course check`` (a learner's machine) and grading (``nbgrader autograde`` through
:class:`autograder.plugins.guarded_execute.GuardedExecute`) run notebooks through
:class:`RecoveringExecution`, a mixin for nbclient's ``NotebookClient`` (nbgrader's
``Execute`` is one). A cell that misbehaves costs that cell, never the notebook:

``` mermaid
flowchart TD
    run[run the cell] -->|finished| next[next cell]
    run -->|no answer within the timeout| interrupt[interrupt the kernel]
    interrupt -->|the cell stops| kept["keep the kernel and all it defined<br/>(incident: interrupted)"]
    kept --> next
    interrupt -->|no answer, or a thread keeps burning CPU| restart
    run -->|the kernel died, a first time| again["restart, replay, run it once more<br/>(incident: retried)"]
    again --> run
    run -->|the kernel died again| restart["restart the kernel<br/>(incident: restarted)"]
    restart --> replay["replay the earlier non-test code cells<br/>(a replay that fails or hangs is skipped: incident)"]
    replay --> next
```

A kernel that dies gets the cell run once more on a fresh kernel before the cell is given up:
a death that does not come back was not that cell's doing. Today's stack has such deaths. An
async session made with ``expire_on_commit=True`` (a realistic wrong answer in lab04) leaves
an aiosqlite coroutine that is never awaited, and a later garbage collection can segfault the
interpreter over it (CPython 3.11.7, 3.11.2 and 3.12.1 alike; greenlet 3.1.1 and 3.5.6 alike).
The collection runs in whatever cell happens to be running: graded 40 times on 2 busy cores,
that answer's kernel died in 15 runs, once in a cell whose answer was right, which lost its
points. With the second run, all 40 scored the same, losing only the mistake's own check.
A cell that kills its kernel every time (``os._exit``, a crash of its own) still costs only
itself, after one more try; retries are capped per notebook, so a notebook that kills every
kernel costs at most a few more.

Interrupting first matters: a correct answer that ends in an endless loop (``uvicorn.run(app)``
left at the end of a cell) keeps every definition it made once interrupted, where a restart
would lose them all. The interrupt cannot stop a loop in a worker thread (a synchronous route
handler under ``TestClient``): then the cell never finishes, or a thread keeps spinning, and
the kernel is restarted. Every incident is recorded in the notebook's metadata
(``metadata.autograder.incidents``) with the cell, its kind and a reason a learner can read,
and the failing cell gets an error output, so a test cell scores zero with that reason.
"""

from __future__ import annotations

import copy
import json
from dataclasses import asdict, dataclass
from typing import Any

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode

from labkit.notebooks import grade_id, is_answer, is_autograded_test, is_given

INCIDENTS = "incidents"
"""Where incidents go: ``notebook.metadata["autograder"]["incidents"]``."""

INTERRUPTED = "interrupted"  # timed out; the interrupt stopped it and the kernel kept its state
RESTARTED = "restarted"  # timed out past the interrupt, or killed the kernel: a fresh kernel replayed
RETRIED = "retried"  # killed the kernel once; a fresh kernel replayed the earlier cells and ran it again
REPLAY_SKIPPED = "replay-skipped"  # an earlier cell that failed or hung again while being replayed
OUTPUT_CAPPED = "output-capped"  # printed more than the cap; the rest was dropped
ENVIRONMENT = "environment"  # the lab's given code failed before any answer ran: not the learner's doing
GIVEN_FAILED = "given-failed"  # given code failed after answers ran: an answer may have broken what it needs

# After an interrupt that stopped the cell, the kernel should be idle (an idle ipykernel uses
# a few milliseconds of CPU a second). If it still burns this share of a core over the window,
# a thread the interrupt cannot reach is spinning. The share is low so that a spinning thread
# is caught even on a machine so loaded that it gets a fifth of a core.
_RUNAWAY_WINDOW = 1.0
_RUNAWAY_SHARE = 0.1


@dataclass(frozen=True)
class Incident:
    cell: int  # index in the notebook
    grade_id: str | None
    kind: str
    reason: str


def incidents(nb: NotebookNode) -> list[Incident]:
    """The incidents recorded in ``nb``, in the order they happened."""
    return [Incident(**entry) for entry in nb.metadata.get("autograder", {}).get(INCIDENTS, [])]


def error_output(ename: str, reason: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=reason, traceback=[f"{ename}: {reason}"])


class RecoveringExecution:
    """Mix into an nbclient ``NotebookClient`` (or nbgrader's ``Execute``), before it in the bases.

    Call :meth:`configure_recovery` from ``__init__``. The class's settings that recovery
    relies on (``interrupt_on_timeout``, ``raise_on_iopub_timeout``, ``allow_errors``) are
    set there, so both users behave the same.
    """

    max_output_bytes = 1_000_000
    max_retries_after_death = 3  # per notebook: cells whose kernel died that are run once more

    def configure_recovery(self, max_output_bytes: int | None = None) -> None:
        self.interrupt_on_timeout = True  # type: ignore[attr-defined]
        self.raise_on_iopub_timeout = True  # type: ignore[attr-defined] # the interrupt went unanswered
        self.allow_errors = True  # type: ignore[attr-defined]
        if max_output_bytes is not None:
            self.max_output_bytes = max_output_bytes
        self._timed_out = False
        self._output_bytes: dict[int, int] = {}
        self._capped: set[int] = set()
        self._retried: set[int] = set()  # cells run once more after their kernel died

    def reset_execution_trackers(self) -> None:
        """nbclient's per-notebook reset (one grading process runs many notebooks): the retries too."""
        super().reset_execution_trackers()  # type: ignore[misc]
        self._retried = set()

    # ------------------------------------------------------------------ incidents

    def _record(self, cell_index: int, kind: str, reason: str) -> None:
        nb: NotebookNode = self.nb  # type: ignore[attr-defined]
        incident = Incident(cell_index, grade_id(nb.cells[cell_index]), kind, reason)
        nb.metadata.setdefault("autograder", {}).setdefault(INCIDENTS, []).append(asdict(incident))
        self.log.warning("Cell %s (%s): %s", cell_index, incident.grade_id or "no grade id", reason)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ one cell

    async def _async_handle_timeout(self, timeout: int, cell: NotebookNode | None = None) -> None | dict[str, Any]:
        self._timed_out = True
        return await super()._async_handle_timeout(timeout, cell)  # type: ignore[misc]

    async def async_execute_cell(
        self,
        cell: NotebookNode,
        cell_index: int,
        execution_count: int | None = None,
        store_history: bool = True,
    ) -> NotebookNode:
        self._timed_out = False
        self._output_bytes.pop(cell_index, None)
        self._capped.discard(cell_index)
        timeout = self.timeout  # type: ignore[attr-defined]
        try:
            await super().async_execute_cell(cell, cell_index, execution_count, store_history)  # type: ignore[misc]
        except DeadKernelError:
            if cell_index not in self._retried and len(self._retried) < self.max_retries_after_death:
                self._retried.add(cell_index)
                self._record(
                    cell_index,
                    RETRIED,
                    "the kernel died while running this cell; a fresh kernel ran the earlier cells again and then "
                    "this cell once more (its outputs are from that second run)",
                )
                await self._fresh_kernel(cell_index)
                return await self.async_execute_cell(cell, cell_index, execution_count, store_history)
            reason = (
                "the kernel died while running this cell (the code exited, crashed, or went over a memory, "
                "CPU-time or process limit); a fresh kernel ran the earlier cells again and went on"
            )
            cell.outputs.append(error_output("DeadKernelError", reason))
            self._record(cell_index, RESTARTED, reason)
            await self._fresh_kernel(cell_index)
            return cell
        except CellTimeoutError:  # the interrupt went unanswered: the kernel is stuck
            reason = (
                f"no answer within {timeout} s, and interrupting did not stop it (a loop in a thread, such as "
                "a route handler under TestClient, never finishes); a fresh kernel ran the earlier cells again"
            )
            self._replace_timeout_output(cell, reason)
            self._record(cell_index, RESTARTED, reason)
            await self._fresh_kernel(cell_index)
            return cell
        if not self._timed_out:
            self._check_given(cell, cell_index)
        elif await self._runaway():
            reason = (
                f"no answer within {timeout} s; interrupting stopped the cell but a thread it started kept "
                "running, so a fresh kernel ran the earlier cells again"
            )
            self._replace_timeout_output(cell, reason)
            self._record(cell_index, RESTARTED, reason)
            await self._fresh_kernel(cell_index)
        else:
            reason = (
                f"no answer within {timeout} s (something in this cell never finishes, e.g. a server started "
                "with uvicorn.run or an endless loop); it was interrupted, and what it defined before that "
                "was kept"
            )
            self._replace_timeout_output(cell, reason)
            self._record(cell_index, INTERRUPTED, reason)
        return cell

    def _check_given(self, cell: NotebookNode, cell_index: int) -> None:
        """Record an error in the lab's own given code, which is never the learner's to fix."""
        if not is_given(cell):
            return
        error = next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)
        if error is None:
            return
        what = f"{error.get('ename', 'Error')}: {error.get('evalue', '')}".strip()[:300]
        nb: NotebookNode = self.nb  # type: ignore[attr-defined]
        if not any(is_answer(earlier) for earlier in nb.cells[:cell_index]):
            reason = f"the lab's given code failed before any answer ran ({what}): the environment cannot run the lab"
            self._record(cell_index, ENVIRONMENT, reason)
        else:
            reason = f"the lab's given code failed ({what}); an earlier answer may have changed something it needs"
            self._record(cell_index, GIVEN_FAILED, reason)

    # nbclient binds the synchronous wrapper to its own coroutine at class creation: rebind.
    execute_cell = run_sync(async_execute_cell)

    @staticmethod
    def _replace_timeout_output(cell: NotebookNode, reason: str) -> None:
        """One error output that says what happened, instead of a bare timeout or KeyboardInterrupt."""
        cell.outputs = [
            output
            for output in cell.outputs
            if output.get("output_type") != "error"
            or output.get("ename") not in ("KeyboardInterrupt", "CellTimeoutError")
        ]
        cell.outputs.append(error_output("CellTimeoutError", reason))

    async def _runaway(self) -> bool:
        """True when the kernel keeps burning CPU after the interrupt (a thread it could not stop)."""
        import asyncio

        process = _kernel_process(self.km)  # type: ignore[attr-defined]
        if process is None:
            return False
        before = _tree_cpu(process)
        await asyncio.sleep(_RUNAWAY_WINDOW)
        return _tree_cpu(process) - before > _RUNAWAY_SHARE * _RUNAWAY_WINDOW

    # ------------------------------------------------------------------ restart and replay

    async def _restart(self) -> None:
        if self.kc is not None:  # type: ignore[attr-defined]
            self.kc.stop_channels()  # type: ignore[attr-defined]
        await self.km.restart_kernel(now=True)  # type: ignore[attr-defined]
        await self.async_start_new_kernel_client()  # type: ignore[attr-defined]

    async def _fresh_kernel(self, failed_index: int) -> None:
        """Restart, then replay the non-test code cells before ``failed_index`` that ran cleanly.

        A replayed cell that fails or hangs again is recorded, skipped from then on, and the
        replay starts over on a fresh kernel: each cell can cost at most one more restart,
        so this always ends.
        """
        nb: NotebookNode = self.nb  # type: ignore[attr-defined]
        while True:
            await self._restart()
            skip = {incident.cell for incident in incidents(nb) if incident.kind != RETRIED}
            replay = [
                index
                for index, cell in enumerate(nb.cells[:failed_index])
                if cell.cell_type == "code" and not is_autograded_test(cell) and index not in skip
            ]
            failed = await self._replay(replay)
            if failed is None:
                return
            self._record(failed, REPLAY_SKIPPED, "replaying this cell after a restart failed or hung; it was skipped")

    async def _replay(self, indexes: list[int]) -> int | None:
        """Run the cells again (their outputs are not kept); the index of one that failed, or None."""
        nb: NotebookNode = self.nb  # type: ignore[attr-defined]
        for index in indexes:
            scratch = copy.deepcopy(nb.cells[index])
            self._timed_out = False
            try:
                await super().async_execute_cell(scratch, index, store_history=False)  # type: ignore[misc]
            except (DeadKernelError, CellTimeoutError):
                return index
            if self._timed_out:
                return index
        return None

    # ------------------------------------------------------------------ output cap

    def output(
        self, outs: list[NotebookNode], msg: dict[str, Any], display_id: str | None, cell_index: int
    ) -> NotebookNode | None:
        if cell_index in self._capped:
            return None
        size = len(json.dumps(msg.get("content", {}), default=str))
        total = self._output_bytes.get(cell_index, 0) + size
        self._output_bytes[cell_index] = total
        if total > self.max_output_bytes:
            self._capped.add(cell_index)
            note = f"[the output of this cell was cut after {self.max_output_bytes:,} bytes]\n"
            outs.append(NotebookNode(output_type="stream", name="stdout", text=note))
            self._record(cell_index, OUTPUT_CAPPED, "it printed more than the limit; the rest was dropped")
            return None
        return super().output(outs, msg, display_id, cell_index)  # type: ignore[misc]


def _kernel_process(manager: Any) -> Any:
    """The kernel's process (psutil), however it was launched (directly, or inside a sandbox)."""
    import psutil

    provisioner = getattr(manager, "provisioner", None)
    popen = getattr(provisioner, "process", None)
    pid = getattr(popen, "pid", None)
    if pid is None:
        return None
    try:
        return psutil.Process(pid)
    except psutil.NoSuchProcess:
        return None


def _tree_cpu(process: Any) -> float:
    import psutil

    total = 0.0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    for member in members:
        try:
            times = member.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total
