"""The screen that decides which submissions run again: what it must notice, and what it must let pass."""

from __future__ import annotations

import pytest

from autograder.verify.screen import screen

GIVEN = [
    "import logging\nfrom fastapi import FastAPI, status\nfrom fastapi.testclient import TestClient\n"
    "from labkit import expect, expect_status\n\ndef seed(n):\n    pass\nstore = {}\n"
]

HONEST = {
    "routes": "app = FastAPI()\n@app.get('/x')\nasync def x() -> dict:\n    return {'a': 1}\n",
    "logging filter": (
        "class RequestIdFilter(logging.Filter):\n    def filter(self, record):\n"
        "        setattr(record, 'request_id', 'r-1')\n        return True\n"
    ),
    "reading a record's fields": "def fields(record):\n    return {k: v for k, v in vars(record).items()}\n",
    "importing again what the setup imported": "from fastapi.testclient import TestClient\nfrom fastapi import status",
    "state on the app": "app = FastAPI()\napp.state.cache = {}\napp.dependency_overrides[seed] = lambda: None\n",
    "logging to stdout": "import sys\nhandler = logging.StreamHandler(sys.stdout)\n",
    "local names in functions": "def f():\n    seed = 3\n    store = []\n    return seed, store\n",
    "a new module of the stack": "import httpx\nfrom sqlalchemy import select\n",
    "setting fields of a row it loaded": (
        "async def cancel(session, order_id):\n    order = await session.get(Order, order_id)\n"
        "    order.status = 'cancelled'\n    for line in order.lines:\n        line.quantity = 0\n"
    ),
    "configuring a logger it made": "log = logging.getLogger('shop')\nlog.propagate = False\n",
    "writing into a given store": "store[1] = {'id': 1}\n",
    "a logging filter function": "def add_id(record):\n    record.request_id = 'r'\n    return True\n",
}

TAMPER = {
    "input transformer": "get_ipython().input_transformers_cleanup.append(lambda lines: [])",
    "rebinding the test client": "class TestClient:\n    pass",
    "rebinding a check helper": "expect = lambda *args, **kwargs: None",
    "rebinding a given helper": "def seed(n):\n    return None",
    "patching an imported class": "TestClient.get = lambda *a, **k: None",
    "patching through a module": "import fastapi.testclient as t\nt.TestClient.get = None",
    "patching a computed object": "type(store).get = None",
    "setattr on a module": "import fastapi\nsetattr(fastapi, 'FastAPI', object)",
    "exec": "exec('x = 1')",
    "builtins": "import builtins\nbuiltins.print = None",
    "dunder walk": "().__class__.__base__.__subclasses__()",
    "frames": "import sys\nsys._getframe(0).f_globals['expect'] = None",
    "a star import": "from os import *",
    "a module of its own": "import shop_helpers_of_the_submission",
    "vars written": "vars(logging)['getLogger'] = None",
    "globals": "globals()['expect'] = None",
    "importlib": "import importlib\nimportlib.reload(logging)",
    "unittest.mock": "from unittest import mock\nmock.patch('fastapi.FastAPI').start()",
    "a global declaration": "def f():\n    global expect\n    expect = None",
    "patching through an alias": "T = TestClient\nT.get = None",
    "patching in a loop over imports": "for T in [TestClient]:\n    T.get = None",
    "patching what getattr found": "import fastapi.testclient as m\nT = getattr(m, 'TestClient')\nT.get = None",
    "patching a given object": "store.count = lambda: 2",
    "patching inside a route": "def dependency():\n    alias = TestClient\n    alias.get = None",
    "patching through a helper": "def patch(obj, value):\n    obj.get = value\npatch(TestClient, None)",
    "setattr through a helper": "def patch(obj):\n    setattr(obj, 'get', None)\npatch(TestClient)",
    "a module's container": "import httpx\nhttpx.codes.__members__['OK'] = None",
    "a module's container grown": "import logging\nlogging.Logger.manager.loggerDict.clear()",
}


@pytest.mark.parametrize("source", HONEST.values(), ids=HONEST.keys())
def test_honest_answers_pass_the_screen(source: str):
    assert screen([source], GIVEN) == []


@pytest.mark.parametrize("source", TAMPER.values(), ids=TAMPER.keys())
def test_code_that_could_rewrite_the_checks_is_noticed(source: str):
    assert screen([source], GIVEN), "the screen let it pass"


def test_a_cell_that_does_not_parse_is_noticed():
    assert screen(["def broken(:"], GIVEN) == ["cell 1: does not parse, so it cannot be read"]


def _notebook_with_learner_cell(source: str):
    import nbformat

    answer = nbformat.v4.new_code_cell(source)
    answer.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False, "grade_id": "answer-x"}
    return nbformat.v4.new_notebook(cells=[answer])


@pytest.mark.parametrize("source", ["!course check lab01_api_design", "!course check lab01 --timeout 60"])
def test_the_learner_editions_check_cell_is_not_suspicious(source: str):
    """The learner README's `!course check` cell, left in a notebook, must not send it to the rerun."""
    from autograder.verify.screen import screen_notebook

    assert screen_notebook(_notebook_with_learner_cell(source)) == []


@pytest.mark.parametrize("source", ["!course check lab01; echo hi", "!course check lab01 && python -c 1", "!ls"])
def test_other_shell_commands_still_are(source: str):
    from autograder.verify.screen import screen_notebook

    assert screen_notebook(_notebook_with_learner_cell(source)), source


def test_a_check_cell_does_nothing_under_grading():
    """The grading sandbox sets the nested-check variable to "grading": the cell only says so."""
    import os
    import subprocess

    from labkit.cli import GRADING, NESTED
    from tests.conftest import BIN

    result = subprocess.run(
        [str(BIN / "course"), "check", "lab00_warmup"],
        env={**os.environ, NESTED: GRADING},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "skipped while grading" in result.stdout, result.stdout + result.stderr
