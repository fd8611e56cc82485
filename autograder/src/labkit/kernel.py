"""The start of ``course check``: its kernel first, and no needless work before it is ready.

A learner runs ``course check`` again and again, so its wall time matters (target: 3 s
for a lab). The kernel's own boot, about a second, is not the learner's code: the kernel
is launched here, from nothing heavier than jupyter_client, before the notebook libraries
are imported and the notebooks read, so that work overlaps the boot instead of preceding it.

The kernel is started exactly as nbclient would start it (same kernel spec, folder and
options), so the notebook runs as it did before.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_path
from jupyter_core.utils import run_sync

KERNEL_NAME = "python3"
# What nbclient adds to every kernel it starts: keep IPython's history out of ~/.ipython.
KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]


def start_kernel(cwd: Path) -> AsyncKernelManager:
    """Launch a kernel in ``cwd`` and return at once; nbclient waits for it to be ready.

    Its start-up chatter on stderr (e.g. a transport warning) is not the learner's output.
    """
    manager = AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=kernel_specs())
    run_sync(manager.start_kernel)(extra_arguments=list(KERNEL_ARGUMENTS), cwd=str(cwd), stderr=subprocess.DEVNULL)
    return manager


def kernel_specs() -> KernelSpecManager:
    """Where to look for the kernel: Jupyter's folders, and IPython's legacy one only if needed.

    jupyter_client searches Jupyter's kernel folders in order, then ``~/.ipython/kernels``,
    and merely computing that last path imports IPython (0.1 s before the kernel can be
    launched). When a Jupyter folder holds the kernel (this environment's own does:
    ipykernel installs it there), the search ends before the last folder anyway, so leaving
    it out finds the same kernel.
    """
    folders = jupyter_path("kernels")
    if any((Path(folder) / KERNEL_NAME / "kernel.json").is_file() for folder in folders):
        return KernelSpecManager(kernel_dirs=folders)
    return KernelSpecManager()


def stop_kernel(manager: AsyncKernelManager) -> None:
    """Kill the kernel if it still runs (which also removes its connection file); safe to call twice."""
    if manager.has_kernel:
        run_sync(manager.shutdown_kernel)(now=True)


@contextmanager
def early_kernel(notebook: Path) -> Iterator[AsyncKernelManager | None]:
    """A kernel started now in ``notebook``'s folder, always stopped on exit (also on error).

    Yields None when the notebook does not exist: the check then reports that, and
    starting a kernel for it would only waste a second.
    """
    if not notebook.is_file():
        yield None
        return
    manager = start_kernel(notebook.resolve().parent)
    try:
        yield manager
    finally:
        stop_kernel(manager)


def fast_notebook_validation() -> None:
    """Validate notebooks with ``fastjsonschema``, which nbformat supports and installs.

    nbformat checks every notebook it reads or writes against its JSON schema; with its
    default, ``jsonschema``, that is about 50 ms for a lab notebook, with ``fastjsonschema``
    (the schema compiled once) about 7. Valid notebooks pass both alike; an invalid one is
    refused by both. An explicit ``NBFORMAT_VALIDATOR`` in the environment is left as it is.
    """
    import os

    os.environ.setdefault("NBFORMAT_VALIDATOR", "fastjsonschema")
