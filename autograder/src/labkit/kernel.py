"""The start of ``course check``: its kernel first, and no needless work before it is ready.

A learner runs ``course check`` again and again, so its wall time matters (target: 3 s
for a lab). Two start-up costs are not the learner's code:

* the kernel's own boot, about a second. It is launched here, from nothing heavier
  than jupyter_client, before the notebook libraries are imported and the notebooks
  read, so that work overlaps the boot instead of preceding it;
* an import-time parser build in ``rfc3987_syntax``, over 2 s, which jsonschema pulls
  in (nbformat imports jsonschema) to check a string format nothing here uses. See
  :func:`defer_iri_grammar`.

The kernel is started exactly as nbclient would start it (same kernel spec, folder and
options), so the notebook runs as it did before.
"""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Any

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_path
from jupyter_core.utils import run_sync

KERNEL_NAME = "python3"
# What nbclient adds to every kernel it starts: keep IPython's history out of ~/.ipython.
KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]

_IRI_GRAMMAR = "rfc3987_syntax"


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


def defer_iri_grammar() -> None:
    """Make ``rfc3987_syntax`` build its grammar on first use, not when jsonschema imports it.

    jsonschema imports ``rfc3987_syntax`` (installed for jupyter-events' format checks) to
    validate the "iri" string format, and that module compiles an Earley parser at import
    time. ``course check`` never validates an IRI (nbformat's schema has no format checks),
    yet paid for the parser on every run. The stand-in put in its place here loads the real
    module the first time anything uses it, so behaviour is unchanged wherever it is used.
    Call it before anything imports jsonschema; it does nothing once the module is loaded.
    """
    if _IRI_GRAMMAR in sys.modules:
        return
    spec = importlib.util.find_spec(_IRI_GRAMMAR)
    if spec is not None:
        # jsonschema does `from rfc3987_syntax import is_valid_syntax` at import time.
        sys.modules[_IRI_GRAMMAR] = _DeferredModule(spec, imported_by_name=["is_valid_syntax"])


class _DeferredModule(types.ModuleType):
    """Stands in for a module until one of its names is used, then imports it and forwards.

    Names that importers take at import time (``from module import name``) are given
    forwarding functions up front, so taking them does not trigger the import.
    """

    def __init__(self, spec: ModuleSpec, imported_by_name: list[str]) -> None:
        super().__init__(spec.name)
        self.__spec__ = spec
        self.__file__ = spec.origin
        if spec.submodule_search_locations is not None:
            self.__path__ = list(spec.submodule_search_locations)
        for name in imported_by_name:
            setattr(self, name, self._forwarder(name))

    def _forwarder(self, name: str) -> Callable[..., Any]:
        def forward(*args: Any, **kwargs: Any) -> Any:
            return getattr(self._real(), name)(*args, **kwargs)

        return forward

    def _real(self) -> types.ModuleType:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return importlib.import_module(self.__name__)

    def __getattr__(self, name: str) -> Any:
        # Only reached for names the stand-in lacks. Dunder probes (inspect, pickling, import
        # machinery) get AttributeError rather than a two-second import.
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._real(), name)
