"""Run a submission again outside its kernel, in the sandbox: serve its apps for the outside checks, or run it
again without IPython (:func:`run_again`)."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from autograder.sandbox import Limits, ProcessGroupLimit, sandbox_command, sandbox_disabled
from autograder.verify import LabChecks

SERVE_SCRIPT = Path(__file__).with_name("serve.py")


def _accepting(path: Path) -> bool:
    """True once a server listens on the socket (the file appears at bind, before listen)."""
    if not path.exists():
        return False
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(path))
    except OSError:
        return False
    finally:
        probe.close()
    return True


class _Server:
    """The submission's apps, served on Unix sockets by a sandboxed process."""

    def __init__(self, checks: LabChecks, cells: list[str], workdir: Path, private: Path) -> None:
        self.sockets = {name: private / f"{name}.sock" for name in checks.targets}
        self.status = private / "status.json"  # serve.py: which apps it could not build
        spec = {
            "cells": cells,
            "prelude": checks.prelude,
            "status": str(self.status),
            "targets": {
                name: {"expression": expression, "socket": str(self.sockets[name])}
                for name, expression in checks.targets.items()
            },
        }
        (private / "spec.json").write_text(json.dumps(spec))
        shutil.copy2(SERVE_SCRIPT, private / "serve.py")
        self.command = [sys.executable, str(private / "serve.py"), str(private / "spec.json")]
        self.workdir, self.private, self.targets = workdir, private, checks.targets
        self.group: ProcessGroupLimit | None = None
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float) -> str:
        """Start serving; return "" when every socket is up, or why not."""
        self.stop()
        for path in [*self.sockets.values(), self.status]:
            path.unlink(missing_ok=True)
        command = self.command
        if not sandbox_disabled():
            self.group = ProcessGroupLimit(Limits.processes)
            command = self.group.wrap(sandbox_command(command, self.workdir, self.private))
        self.process = subprocess.Popen(
            command,
            cwd=self.private,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        never: list[str] = []  # targets the server says it cannot build: no use waiting for them
        while time.monotonic() < deadline and not never:
            if all(_accepting(path) for path in self.sockets.values()):
                return ""
            if self.process.poll() is not None:
                break
            never = self._never_served()
            time.sleep(0.05)
        names = never or [name for name, path in self.sockets.items() if not path.exists()]
        missing = ", ".join(f"`{self.targets[name]}`" for name in names)
        return f"the app could not be served from this notebook's code (missing or broken: {missing})"

    def _never_served(self) -> list[str]:
        try:
            return list(json.loads(self.status.read_text(encoding="utf-8"))["missing"])
        except (OSError, ValueError, KeyError, TypeError):
            return []  # not written yet (or not by serve.py): keep waiting for the sockets

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(OSError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None
        if self.group is not None:
            self.group.close()
            self.group = None


@functools.lru_cache(maxsize=512)
def plain_python(source: str) -> str:
    """A cell as plain Python: IPython syntax (``%magic``, ``!cmd``) becomes get_ipython() calls.

    Done here, in the grader, so the sandboxed server does not import IPython for every
    submission; it is a text transformation, the learner's code does not run. Remembered:
    a lab's given cells are the same text in every submission a grading process sees.
    """
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - left as written: the server skips a cell that does not compile
        return source


def run_outside_checks(
    checks: LabChecks,
    cells: list[str],
    workdir: Path,
    only: set[str] | None = None,
    start_timeout: float = 60.0,
    request_timeout: float = 5.0,
) -> dict[str, str]:
    """Return ``{grade id: ""}`` for each check that passed, or the failure message.

    The learner's ``cells`` run in a fresh sandboxed process that serves each target app on
    a Unix socket; the checks run here, in the grader's process, over real HTTP. A check
    that brings the server down fails, and the server is started afresh for the next one;
    a server that cannot start at all fails every remaining check with the same reason
    (the same code would fail the same way again). ``only`` limits the checks to these
    grade ids; when none is left, no server is started.
    """
    selected = {gid: check for gid, check in checks.checks.items() if only is None or gid in only}
    if not selected:
        return {}
    private = Path(tempfile.mkdtemp(prefix="course-verify-"))
    server = _Server(checks, [plain_python(cell) for cell in cells], workdir, private)
    results: dict[str, str] = {}
    cannot_start = ""
    try:
        for grade_id, check in selected.items():
            if cannot_start:
                results[grade_id] = cannot_start
                continue
            if not server.alive():
                cannot_start = server.start(start_timeout)
                if cannot_start:
                    results[grade_id] = cannot_start
                    continue
            # No TLS over a Unix socket: verify=False also spares loading the CA bundle (~45 ms a client).
            clients = {
                name: httpx.Client(
                    transport=httpx.HTTPTransport(uds=str(path), verify=False),
                    base_url="http://submission",
                    timeout=request_timeout,
                )
                for name, path in server.sockets.items()
            }
            try:
                check(clients)
                results[grade_id] = ""
            except AssertionError as exc:
                results[grade_id] = str(exc) or "a check failed"
            except httpx.TimeoutException:
                results[grade_id] = f"no answer within {request_timeout:g} s"
            except httpx.TransportError as exc:  # the server went down: the next check gets a fresh one
                results[grade_id] = f"{type(exc).__name__}: {exc}"[:300]
                server.stop()
            except Exception as exc:  # a broken response (not JSON, for example) is a failure
                results[grade_id] = f"{type(exc).__name__}: {exc}"[:300]
            finally:
                for client in clients.values():
                    client.close()
        return results
    finally:
        server.stop()
        shutil.rmtree(private, ignore_errors=True)


RERUN_SCRIPT = Path(__file__).with_name("rerun.py")


@dataclass(frozen=True)
class RerunCell:
    kind: str  # "given", "learner" or "test"
    source: str  # as written in the notebook (IPython syntax is turned into Python here)
    grade_id: str | None = None


def run_again(
    cells: list[RerunCell], workdir: Path, cell_timeout: float = 30.0, total_timeout: float = 120.0
) -> dict[str, str]:
    """Run the notebook's code again without IPython (:mod:`.rerun`); ``{test grade id: ""}`` or why it failed.

    The run happens in a fresh sandboxed process in ``workdir`` (the submission's folder).
    Each test cell's verdict comes back signed with a secret the process reads before any
    learner code runs; a verdict that is missing (the run was stopped at ``total_timeout``,
    or crashed) or unsigned counts as a failure.
    """
    import hashlib
    import hmac
    import secrets

    private = Path(tempfile.mkdtemp(prefix="course-rerun-"))
    spec = {
        "timeout": cell_timeout,
        "cells": [{"kind": c.kind, "source": plain_python(c.source), "grade_id": c.grade_id} for c in cells],
    }
    (private / "spec.json").write_text(json.dumps(spec))
    shutil.copy2(RERUN_SCRIPT, private / "rerun.py")
    secret = secrets.token_hex(16)
    read_end, write_end = os.pipe()
    command = [sys.executable, "-P", str(private / "rerun.py"), str(private / "spec.json"), str(write_end)]
    group: ProcessGroupLimit | None = None
    if not sandbox_disabled():
        group = ProcessGroupLimit(Limits.processes)
        command = group.wrap(sandbox_command(command, workdir, private))
    verdicts: dict[str, str] = {}
    process = subprocess.Popen(
        command,
        cwd=private,
        pass_fds=(write_end,),
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(write_end)
    try:
        assert process.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            process.stdin.write(f"{secret}\n".encode())
            process.stdin.close()
        deadline = time.monotonic() + total_timeout
        with os.fdopen(read_end, "rb") as stream:
            for line in _lines_until(stream, deadline):
                mac, _, body = line.partition(b" ")
                expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest().encode()
                if hmac.compare_digest(mac, expected):
                    grade_id, message = json.loads(body)
                    verdicts[grade_id] = message
    finally:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        if group is not None:
            group.close()
        shutil.rmtree(private, ignore_errors=True)
    stopped = f"the run again without IPython did not reach this check (stopped after {total_timeout:g} s, or crashed)"
    return {c.grade_id: verdicts.get(c.grade_id, stopped) for c in cells if c.kind == "test" and c.grade_id}


def _lines_until(stream: Any, deadline: float) -> Any:
    """Lines from a pipe until it closes or ``deadline`` passes (then stop reading)."""
    import selectors

    selector = selectors.DefaultSelector()
    selector.register(stream, selectors.EVENT_READ)
    buffer = b""
    try:
        while (left := deadline - time.monotonic()) > 0:
            if not selector.select(timeout=left):
                continue
            chunk = os.read(stream.fileno(), 65536)
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            yield from lines
    finally:
        selector.close()
