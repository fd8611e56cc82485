"""nbgrader's Execute, hardened for grading code nobody has reviewed.

Plain nbgrader gives up on the whole notebook when the kernel dies, and after a timeout it
keeps using a kernel that may still be spinning in the runaway handler. For a class of
hundreds those are ordinary events, so :class:`GuardedExecute`:

- starts the kernel in the sandbox (:mod:`autograder.sandbox`);
- recovers from cells that hang, kill the kernel or flood the output exactly as ``course
  check`` does, with the one recovery layer both use (:mod:`labkit.recovery`): interrupt
  first and keep the kernel's state, restart and replay only when that fails; every
  autograded cell ends with a score, and every incident is recorded in the notebook.

It is configured in ``nbgrader_config.py`` for ``nbgrader autograde``, so plain nbgrader
and ``course grade`` run submissions the same way.
"""

from __future__ import annotations

from typing import Any

from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from autograder.sandbox import SandboxedKernelManager
from labkit.recovery import RecoveringExecution


class GuardedExecute(RecoveringExecution, Execute):
    """Execute in a sandboxed kernel, surviving timeouts and kernel deaths cell by cell."""

    sandbox = Bool(True, help="Start kernels in the bubblewrap sandbox.").tag(config=True)
    max_output_bytes = Integer(1_000_000, help="Output kept per cell; the rest is dropped.").tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.sandbox:
            self.kernel_manager_class = SandboxedKernelManager
        self.configure_recovery()
