"""Serve a submission's FastAPI app on Unix sockets; runs inside the grading sandbox.

Started by :mod:`autograder.verify.runner` as ``python serve.py spec.json``. The spec holds
the submission's code cells (test cells excluded, IPython syntax already turned into plain
Python by the grader) and, for each target, a Python expression naming the ASGI app to
serve and the socket path to serve it on. Every cell runs in one
namespace; a cell that fails (a syntax error, an exception, ``exit()``) is skipped, as a
kernel would go on to the next cell. Only the standard library, uvicorn and what the
learner's code imports are used: this file must not import the grader.
"""

import ast
import asyncio
import contextlib
import io
import json
import os
import sys


class _Inert:
    """Stands in for IPython here: ``get_ipython().events.register(...)``, a magic, or an input
    transformer is accepted and does nothing, so the rest of the cell still runs."""

    def __getattr__(self, name: str) -> "_Inert":
        return self

    def __call__(self, *args: object, **kwargs: object) -> "_Inert":
        return self

    def __iter__(self):  # noqa: ANN204
        return iter(())


def _run_cells(cells: list[str]) -> dict:
    inert = _Inert()
    namespace: dict = {"__name__": "__main__", "get_ipython": lambda: inert}
    for source in cells:
        sink = io.StringIO()
        try:
            code = compile(source, "<cell>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                result = eval(code, namespace)  # noqa: S307 - the learner's own cell, in the sandbox
                if asyncio.iscoroutine(result):
                    asyncio.run(result)
        except BaseException:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included
            continue
    return namespace


async def _serve(namespace: dict, targets: dict[str, dict[str, str]], status: str) -> None:
    import uvicorn

    servers, missing = [], []
    for name, target in targets.items():
        try:
            app = eval(target["expression"], namespace)  # noqa: S307
        except Exception:  # noqa: BLE001 - a missing app fails its checks outside
            missing.append(name)
            continue
        config = uvicorn.Config(app, uds=target["socket"], log_level="critical", lifespan="auto", access_log=False)
        servers.append(uvicorn.Server(config))
    # Say which apps will never be served, so the grader stops waiting for their sockets at once.
    with open(status + ".part", "w", encoding="utf-8") as handle:
        json.dump({"missing": missing}, handle)
    os.replace(status + ".part", status)
    await asyncio.gather(*(server.serve() for server in servers))


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    namespace = _run_cells(spec["cells"])
    exec(spec.get("prelude", ""), namespace)  # noqa: S102 - helpers the targets use, from the grader
    asyncio.run(_serve(namespace, spec["targets"], spec["status"]))


if __name__ == "__main__":
    main()
