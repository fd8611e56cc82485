"""Warm kernels (autograder.sandbox.Zygote): forked with their imports done, and still apart.

course grade's graders fork each submission's kernel from one warm sandbox. What one
submission's kernel leaves behind must never reach the next one's: files in the private
/tmp (IPython's start-up folder among them), processes still running, and the zygote
itself must be out of a kernel's reach. Each check runs two submissions in a row through
the grading execution (GuardedExecute) and looks from the second at what the first did.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from traitlets.config import Config

from autograder.plugins.guarded_execute import GuardedExecute
from autograder.sandbox import close_zygote, warm_zygote


@pytest.fixture
def run():
    zygote = warm_zygote()
    count = 0

    def execute(*sources: str, timeout: int = 10) -> list[str]:
        nonlocal count
        count += 1
        work = zygote.scratch / f"job-{count}"
        work.mkdir()
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
        config = Config({"SandboxedKernelManager": {"warm": True}})
        GuardedExecute(timeout=timeout, config=config).preprocess(nb, {"metadata": {"path": str(work)}})
        return ["".join(str(o.get("text", "")) + str(o.get("evalue", "")) for o in cell.outputs) for cell in nb.cells]

    yield execute
    close_zygote()


def test_the_kernel_finds_the_labs_stack_already_imported(run):
    (printed,) = run("import sys\nprint(sorted(m for m in ('fastapi', 'sqlalchemy', 'labkit') if m in sys.modules))")
    assert "['fastapi', 'labkit', 'sqlalchemy']" in printed


def test_the_kernel_starts_with_the_stack_frozen_and_its_module_files_indexed(run):
    """Work the zygote did once for every kernel: the collector leaves the preloaded stack alone,
    and the first traceback's module lookup finds every preloaded module's file already known."""
    (printed,) = run(
        "import gc, inspect, os, fastapi, sqlalchemy.orm\n"
        "print(gc.get_freeze_count() > 100_000, "
        "all(os.path.realpath(m.__file__) in inspect.modulesbyfile for m in (fastapi, sqlalchemy.orm)))"
    )
    assert printed.strip() == "True True"


def test_files_left_in_tmp_do_not_reach_the_next_submission(run):
    plant = (
        "import os\nos.makedirs('/tmp/home/.ipython/profile_default/startup', exist_ok=True)\n"
        "open('/tmp/home/.ipython/profile_default/startup/00-tamper.py', 'w').write('TAMPERED = True')\n"
        "open('/tmp/note-for-the-next-one', 'w').write('hello')"
    )
    run(plant)
    (printed,) = run("import os\nprint('TAMPERED' in globals(), os.path.exists('/tmp/note-for-the-next-one'))")
    assert printed.strip() == "False False"


def test_processes_left_running_do_not_outlive_their_submission(run):
    linger = (
        "import subprocess, sys\n"
        "subprocess.Popen([sys.executable, '-c', 'import time\\nwhile True: time.sleep(1)'], start_new_session=True)"
    )
    run(linger)
    (printed,) = run("import os\nprint(sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))")
    pids = eval(printed)  # noqa: S307 - a list of ints printed by the test's own cell
    assert len(pids) <= 3, f"processes left from the first submission are still there: {pids}"


FORK_BOMB = """
import os, time
ballast = b"x" * (400 * 2**20)  # each copy takes a while to unmap this when it is killed
forked = 0
try:
    for _ in range(400):
        if os.fork() == 0:
            time.sleep(600)
            os._exit(0)
        forked += 1
except OSError:
    print("refused after", forked)
"""


def test_the_next_kernel_starts_after_a_fork_bomb_and_the_sandbox_leaves_nothing(run):
    """A killed process counts against the process limit until it has exited and been reaped.

    The next submission's kernel must start only once the fork bomb's copies are gone (started
    earlier, it could not start its threads and died before answering: a grading failure
    blamed on the wrong student), and closing the sandbox must remove its cgroup even when
    hundreds of processes are still dying in it.
    """
    group = warm_zygote().group.path
    for _ in range(2):  # the race is lost on most runs: twice, to catch it on nearly all
        (printed,) = run(FORK_BOMB)
        assert printed.startswith("refused after"), printed
        (printed,) = run("import os\nprint(sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))")
        assert len(eval(printed)) <= 3, f"the fork bomb's processes are still there: {printed}"  # noqa: S307
    run(FORK_BOMB)
    close_zygote()
    assert group is None or not group.exists(), f"the sandbox's cgroup was left behind: {group}"


def test_a_kernel_cannot_read_or_trace_the_zygote(run):
    probe = (  # reading another process's environment needs the right to trace it
        "import os\nzygote = os.getppid()\n"
        "try:\n    open(f'/proc/{zygote}/environ', 'rb').read(10)\n    print('read')\n"
        "except OSError as error:\n    print('refused', type(error).__name__)"
    )
    (printed,) = run(probe)
    assert printed.startswith("refused"), printed


def test_the_submission_sees_only_its_own_working_copy(run, tmp_path: Path):
    secret = warm_zygote().scratch.parent / f"beside-the-scratch-{os.getpid()}"
    secret.write_text("hidden tests")
    try:
        (printed,) = run(f"import os\nprint(os.path.exists({str(secret)!r}), sorted(os.listdir('..')))")
    finally:
        secret.unlink()
    assert printed.startswith("False"), printed


@pytest.mark.parametrize(
    "where", ["input_transformers_cleanup", "input_transformer_manager.line_transforms", "input_transformers_post"]
)
def test_remembered_cell_transforms_follow_the_transformers_installed(run, where: str):
    """A warm kernel turns each cell into Python once (kernel_zygote), never with stale transformers.

    The same text runs before a transformer is added, while it is there, and after it is
    removed: each run must see the transformers of its moment, as IPython alone would. Every
    list of line transformers a learner can reach is tried.
    """
    cell = "print('plain')"
    add = "_shout = lambda lines: [line.replace('plain', 'SHOUT') for line in lines]\n" + (
        f"get_ipython().{where}.append(_shout)"
    )
    remove = f"get_ipython().{where}.remove(_shout)"
    printed = run(
        cell, add, cell, "print('await' + ' not needed')", remove, cell, "import asyncio\nawait asyncio.sleep(0)"
    )
    assert [printed[0], printed[2], printed[3], printed[5]] == ["plain\n", "SHOUT\n", "await not needed\n", "plain\n"]
    assert printed[6] == "", printed[6]  # top-level await still runs


def test_an_error_is_shown_as_ipython_formats_it_and_kept_in_history_plainly(run):
    """The output keeps IPython's own traceback; only the history's copy is the standard library's (kernel_zygote)."""
    shown, kept = run(
        "def divide():\n    return 1 / 0\ndivide()",
        "import json\nprint(json.dumps(get_ipython().history_manager.exceptions[1]['traceback']))",
    )
    assert shown == "division by zero"
    lines = json.loads(kept)
    assert lines[0] == "Traceback (most recent call last):\n" and lines[-1] == "ZeroDivisionError: division by zero\n"


FIRST_USES = """
import sys
_before = set(sys.modules)
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.ext.asyncio import create_async_engine
app = FastAPI()

@app.get("/items/{item_id}")
def read_item(item_id: int) -> dict:
    return {"id": item_id}

with TestClient(app) as client:
    assert client.get("/items/1").json() == {"id": 1}
with create_engine("sqlite://").connect() as connection:
    connection.execute(text("select 1"))
create_async_engine("sqlite+aiosqlite://")
"""


def test_the_labs_first_uses_of_their_stack_import_nothing_more(run):
    """What FastAPI, TestClient, SQLAlchemy and IPython's traceback import on first use is already loaded."""
    _, _, printed = run(
        FIRST_USES,
        "def divide():\n    return 1 / 0\ndivide()",
        "print(sorted(m for m in set(sys.modules) - _before if not m.startswith('_')))",
    )
    assert printed.strip() == "[]", f"imported per submission (add them to autograder.sandbox.PRELOAD): {printed}"
