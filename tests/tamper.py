"""Submissions that answer nothing and try to rewrite how the checks run after them, for every lab.

Each entry is the released lab (no answer written) with code put into its first answer cell,
the ways a learner, or a code assistant asked to "make the tests pass", would try: IPython
input and AST transformers, IPython's own execution replaced, the checks' helpers and test
client faked or patched, a patched response class, the same hidden behind ``exec``, or in a
module of the submission's own. None may score more than a tenth of a lab's points
(tests/test_tamper.py); without the course's protection most score full marks.
"""

from __future__ import annotations

import base64
import copy
from dataclasses import dataclass

import nbformat
from nbformat import NotebookNode

from labkit.notebooks import is_answer

# IPython rewrites every later cell, tests included, before it runs.
BLANK_LATER_CELLS = "get_ipython().input_transformers_cleanup.append(lambda lines: [])\n"
PASS_LATER_CELLS = 'get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])\n'
AST_PASS = """
import ast as _ast
class _Nothing(_ast.NodeTransformer):
    def visit_Module(self, node):
        return _ast.Module(body=[_ast.Pass()], type_ignores=[])
get_ipython().ast_transformers.append(_Nothing())
"""
# IPython's execution itself replaced: later cells "succeed" without running.
NO_RUN_CELL = """
_real_run_cell = get_ipython().run_cell
def _run_cell(raw_cell, *args, **kwargs):
    return _real_run_cell("None", *args, **kwargs)
get_ipython().run_cell = _run_cell
"""
# Every name a check uses replaced by something that agrees with everything.
ANYTHING = """
class _Anything(dict):
    def __getitem__(self, key): return _Anything()
    def get(self, key, default=None): return _Anything()
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return True
    def __gt__(self, other): return True
    def __le__(self, other): return True
    def __ge__(self, other): return True
    def __contains__(self, item): return True
    def __iter__(self): return iter(())
    def __len__(self): return 0
    def __bool__(self): return True
    def __call__(self, *args, **kwargs): return _Anything()
    def __getattr__(self, name): return _Anything()
    def __str__(self): return ""
    __hash__ = None
"""
FAKE_NAMES = (
    ANYTHING
    + """
class TestClient:
    def __init__(self, *args, **kwargs): pass
    def __enter__(self): return self
    def __exit__(self, *exc): return False
    def __getattr__(self, name): return lambda *args, **kwargs: _Anything()
def expect(*args, **kwargs): return None
def expect_status(*args, **kwargs): return None
def expect_json(*args, **kwargs): return _Anything()
"""
)
# The test client's class patched where it lives: every TestClient, whoever imported it, answers anything.
PATCHED_CLIENT = (
    ANYTHING
    + """
import fastapi.testclient as _testclient
for _method in ("get", "post", "put", "patch", "delete", "request", "options", "head"):
    setattr(_testclient.TestClient, _method, lambda self, *args, **kwargs: _Anything())
_testclient.TestClient.__enter__ = lambda self: self
_testclient.TestClient.__exit__ = lambda self, *exc: False
"""
)


@dataclass(frozen=True)
class Tamper:
    name: str
    what: str
    code: str  # put in place of the first answer cell
    files: tuple[tuple[str, str], ...] = ()  # other files of the submission (name, text)

    def notebook(self, release: NotebookNode) -> NotebookNode:
        nb = copy.deepcopy(release)
        first = next(cell for cell in nb.cells if is_answer(cell) and cell.cell_type == "code")
        first.source = self.code
        return nb


def _hidden(code: str) -> str:
    return f"import base64 as _b\nexec(_b.b64decode({base64.b64encode(code.encode())!r}).decode())\n"


TAMPERS = [
    Tamper("blank-later-cells", "an input transformer empties every later cell", BLANK_LATER_CELLS),
    Tamper("pass-later-cells", "an input transformer turns every later cell into `pass`", PASS_LATER_CELLS),
    Tamper("ast-pass", "an AST transformer replaces every later cell with `pass`", AST_PASS),
    Tamper("no-run-cell", "IPython's run_cell replaced: later cells never run", NO_RUN_CELL),
    Tamper("fake-names", "TestClient and the check helpers rebound to fakes", FAKE_NAMES),
    Tamper("patched-client", "the test client's class patched to answer anything", PATCHED_CLIENT),
    Tamper("hidden-transformer", "the input transformer, hidden in base64 and exec", _hidden(BLANK_LATER_CELLS)),
    Tamper(
        "own-module",
        "the patch in a module of the submission's own, imported",
        "import shop_helpers  # noqa\n",
        files=(("shop_helpers.py", PATCHED_CLIENT),),
    ),
]


def write(tamper: Tamper, release: NotebookNode, folder_notebook: str) -> dict[str, str]:
    """The submission's files: the notebook (under ``folder_notebook``) and any module of its own."""
    return {folder_notebook: nbformat.writes(tamper.notebook(release)), **dict(tamper.files)}
