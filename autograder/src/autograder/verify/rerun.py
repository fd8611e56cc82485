"""Run a submission again, test cells included, in a clean process without IPython; report each check.

Started in the grading sandbox by :func:`autograder.verify.runner.run_again` as
``python -P rerun.py spec.json RESULT_FD`` with a secret on stdin. The spec holds every code
cell of the autograded notebook in order (IPython syntax already turned into plain Python by
the grader), each marked ``given``, ``learner`` or ``test``. Cells run in one namespace, on
one event loop (top-level ``await`` works as in a notebook), as plain Python: no IPython, so
no input or AST transformer, event hook or traceback display a learner could have installed
changes how the test cells run here. What is left to tamper with is the process itself: the
builtins, the modules the checks use (labkit, FastAPI, Starlette, httpx) and the names the
lab's given code bound. Those are snapshotted after the given code runs and compared before
every test cell; a test cell runs only on an untouched process.

Each test cell's verdict goes to the grader over an inherited pipe, one line each, signed
with the secret (read before any learner code runs), so printing a verdict is not enough to
fake one. A cell that runs past its time is interrupted (its definitions kept, as in a
kernel). Only the standard library and what the cells import are used: this file must not
import the grader.
"""

import ast
import asyncio
import builtins
import contextlib
import hashlib
import hmac
import io
import json
import linecache
import os
import signal
import sys
import threading
import types

WATCHED = ("builtins", "labkit", "fastapi", "starlette", "httpx", "httpx2", "pydantic")


class _Inert:
    """Stands in for IPython: ``get_ipython().anything(...)`` is accepted and does nothing."""

    def __getattr__(self, name: str) -> "_Inert":
        return self

    def __call__(self, *args: object, **kwargs: object) -> "_Inert":
        return self

    def __iter__(self):  # noqa: ANN204
        return iter(())


class _CellTimeout(BaseException):
    """Raised in the main thread when a cell runs past its time (a BaseException, like KeyboardInterrupt)."""


def _snapshot(namespace: dict, given_names: set) -> dict:
    """Identity of everything the checks rely on, to tell an untouched process from a patched one."""
    state = {f"builtins.{k}": id(v) for k, v in vars(builtins).items()}
    for name, module in list(sys.modules.items()):
        if module is None or name.split(".")[0] not in WATCHED:
            continue
        state[f"sys.modules[{name}]"] = id(module)
        for attr, value in list(vars(module).items()):
            state[f"{name}.{attr}"] = id(value)
            if isinstance(value, type) and value.__module__ == name:
                for class_attr, class_value in list(vars(value).items()):
                    state[f"{name}.{attr}.{class_attr}"] = id(class_value)
    for name in given_names:
        if name in namespace:
            state[f"the given `{name}`"] = _identity(namespace[name])
    state["sys.meta_path"] = tuple(id(finder) for finder in sys.meta_path)
    state["sys.path_hooks"] = tuple(id(hook) for hook in sys.path_hooks)
    state["sys.gettrace()"] = id(sys.gettrace())
    state["sys.getprofile()"] = id(sys.getprofile())
    state["threading trace hook"] = id(getattr(threading, "_trace_hook", None))
    return state


def _identity(value: object) -> object:
    """What must not change about a name the given code bound: the very object, for code (modules,
    classes, functions), which is what checks call; the type, for data, which the lab's own code
    may replace as it runs (a counter, a store reset to a new empty one)."""
    code = (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType, types.MethodType)
    return id(value) if isinstance(value, code) else ("an object of type", id(type(value)))


def _changed(before: dict, now: dict) -> list:
    """What was replaced or removed since ``before`` (what was added is allowed: new imports)."""
    return [key for key, value in before.items() if now.get(key, object()) != value]


def _bound_names(source: str) -> set:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update(alias.asname or alias.name.split(".")[0] for alias in node.names)
    return names


def main() -> None:
    secret = sys.stdin.readline().strip().encode()
    verdicts = os.fdopen(int(sys.argv[2]), "w", buffering=1)
    sign = hmac.new(secret, digestmod=hashlib.sha256)

    def report(grade_id: str, message: str) -> None:
        line = json.dumps([grade_id, message])
        mac = sign.copy()
        mac.update(line.encode())
        verdicts.write(f"{mac.hexdigest()} {line}\n")

    with open(sys.argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    timeout = float(spec["timeout"])
    inert = _Inert()
    namespace: dict = {"__name__": "__main__", "get_ipython": lambda: inert, "display": print}
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    given_names: set = set()
    baseline: dict | None = None

    def on_alarm(signum: int, frame: types.FrameType | None) -> None:
        raise _CellTimeout

    signal.signal(signal.SIGALRM, on_alarm)
    for cell in spec["cells"]:
        kind, source = cell["kind"], cell["source"]
        if kind != "learner" and baseline is not None:
            # Trusted code may bind its own names again; nothing else it does is taken as the new normal.
            mine: set = set()
            with contextlib.suppress(SyntaxError):
                mine = _bound_names(source) & given_names
            for name in mine:
                baseline.pop(f"the given `{name}`", None)
        if kind == "test":
            problem = ""
            if baseline is None:
                problem = "the lab's given code did not run"
            else:
                changed = _changed(baseline, _snapshot(namespace, given_names))
                if changed:
                    problem = (
                        "the submission's code changed what the checks rely on before they ran: "
                        + ", ".join(changed[:3])
                        + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
                    )
            if problem:
                report(cell["grade_id"], problem)
                continue
        failure = _run(source, namespace, loop, timeout)
        if kind == "given":
            with contextlib.suppress(SyntaxError):
                given_names |= _bound_names(source)
        if kind != "learner" and not (kind == "given" and failure and baseline is None):
            # What trusted code added (imports, names) joins the baseline; what was there keeps its identity.
            baseline = {**_snapshot(namespace, given_names), **(baseline or {})}
        if kind == "test":
            report(cell["grade_id"], failure)
    verdicts.close()


def _run(source: str, namespace: dict, loop: asyncio.AbstractEventLoop, timeout: float) -> str:
    """Run one cell; "" when it finished, else what went wrong (one line)."""
    sink = io.StringIO()
    # As IPython does: each cell is a "file" that inspect and tracebacks can read lines from.
    filename = f"<cell-{len(linecache.cache)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        code = compile(source, filename, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            result = eval(code, namespace)  # noqa: S307 - the submission's own cell, in the sandbox
            if asyncio.iscoroutine(result):
                loop.run_until_complete(result)
    except _CellTimeout:
        return f"no answer within {timeout:g} s"
    except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included
        return f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return ""


if __name__ == "__main__":
    main()
    os._exit(0)  # without waiting for threads a cell left running
