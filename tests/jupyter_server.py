"""A JupyterLab server for browser tests: started on a free loopback port with a token, and
stopped together with every process it started (kernels included), also when a test fails.

Kernels are started in their own sessions by jupyter_client, so killing the server's
process group alone would leave them running; the server's descendants are collected
before it is stopped and killed after it.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil

BIN = Path(sys.executable).parent

# Lab settings for a quiet, fully rendered notebook: no news prompt, no update check, and
# every cell in the DOM (windowing would leave cells out of view unrendered, so a selector
# for a cell far down would not be there to find).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class JupyterLab:
    """A running server: where it is, how to log in, and its log."""

    process: subprocess.Popen
    port: int
    token: str
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "lab") -> str:
        """An address in the server that logs the browser in with the token."""
        separator = "&" if "?" in path else "?"
        return f"{self.base_url}/{path.lstrip('/')}{separator}token={self.token}"

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else "(no log)"


def write_lab_settings(folder: Path) -> None:
    for name, values in LAB_SETTINGS.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def start_jupyterlab(root: Path, state: Path, timeout: float = 90) -> JupyterLab:
    """Start ``jupyter lab`` with ``root`` as its working and root folder; wait until it answers.

    Started from the course root, the server (and nbgrader's extensions in it) read the
    course's ``nbgrader_config.py``, as for a learner who runs ``make lab``. User settings,
    workspaces and Jupyter configuration go to ``state`` so nothing of the machine's user
    leaks in and nothing is left behind.
    """
    state.mkdir(parents=True, exist_ok=True)
    write_lab_settings(state / "lab-settings")
    token = secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(state / "config"),
        "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(state / "lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    for _ in range(PORT_ATTEMPTS - 1):
        with contextlib.suppress(PortTaken):
            return _start_on(free_port(), token, root, state, env, timeout)
    return _start_on(free_port(), token, root, state, env, timeout)


# free_port() finds a port nobody holds, but another process (a kernel's ZMQ socket, say) may
# take it before JupyterLab binds it; JupyterLab then exits (port_retries=0) and we try another.
PORT_ATTEMPTS = 3


class PortTaken(RuntimeError):
    """The port chosen for JupyterLab was taken by another process before JupyterLab bound it."""


def _start_on(port: int, token: str, root: Path, state: Path, env: dict[str, str], timeout: float) -> JupyterLab:
    command = [
        str(BIN / "jupyter-lab"),
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.allow_root=True",  # CI runs as root
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    log = state / "jupyterlab.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = JupyterLab(process, port, token, log)
    try:
        wait_until_ready(server, timeout)
    except BaseException as exc:
        stop_jupyterlab(server)
        said = server.log_tail()
        if isinstance(exc, RuntimeError) and ("already in use" in said or "is not available" in said):
            raise PortTaken(f"port {port} was taken before JupyterLab bound it") from exc
        raise
    return server


def wait_until_ready(server: JupyterLab, timeout: float, started_by: str = "jupyter lab") -> None:
    """Poll the server's status until it answers, failing at once if ``started_by`` ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{started_by} exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url("api/status"), timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        except http.client.HTTPException:
            pass  # another process answers on the port in its own protocol: JupyterLab will exit, and say so
        time.sleep(0.25)
    raise TimeoutError(
        f"{started_by} did not answer on port {server.port} within {timeout:.0f} s:\n{server.log_tail()}"
    )


def stop_jupyterlab(server: JupyterLab, grace: float = 10) -> None:
    """Stop the server and everything it started: kernels, validators, terminals."""
    try:
        descendants = psutil.Process(server.process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        descendants = []
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGTERM)  # the server shuts its kernels down on SIGTERM
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.process.wait(grace)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGKILL)
    for child in descendants:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    psutil.wait_procs(descendants, timeout=grace)
    server.process.wait(grace)
