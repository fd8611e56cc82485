"""``pytest --cpu-report`` counts the processor time of what a test waits for (teardown included), not its waiting."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

BURNS = """
import subprocess, sys

import pytest

@pytest.fixture
def child_burns_at_teardown():
    yield
    subprocess.run([sys.executable, "-c", "x = 0\\nfor i in range(12_000_000): x += i"], check=True)

def test_burns_in_a_child(child_burns_at_teardown):
    pass
"""
# A grandchild that outlives the child the test waits for (as a sandboxed kernel does its grader's wait).
ORPHAN = """
import os, subprocess, sys, time

LOOP = "import sys\\nx = 0\\nfor i in range(12_000_000): x += i\\nopen(sys.argv[1], 'w').close()"

def test_burns_in_a_process_nobody_waits_for(tmp_path):
    done = tmp_path / "done"
    launcher = f"import subprocess, sys; subprocess.Popen([sys.executable, '-c', {LOOP!r}, {str(done)!r}])"
    subprocess.run([sys.executable, "-c", launcher], check=True)
    deadline = time.monotonic() + 60
    while not done.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert done.exists()
"""
SLEEPS = """
import time

def test_sleeps():
    time.sleep(1.0)
"""
REGISTER = """
from tests.cpu_report import CpuReport

def pytest_configure(config):
    config.pluginmanager.register(CpuReport(config), "cpu-report")
"""


@pytest.mark.parametrize("processes", [[], ["-p", "xdist", "-n", "2"]], ids=["one process", "xdist"])
def test_a_child_process_counts_and_sleeping_does_not(tmp_path: Path, processes: list[str]) -> None:
    (tmp_path / "test_burns.py").write_text(BURNS)
    (tmp_path / "test_orphan.py").write_text(ORPHAN)
    (tmp_path / "test_sleeps.py").write_text(SLEEPS)
    (tmp_path / "conftest.py").write_text(REGISTER)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *processes, str(tmp_path)],
        cwd=tmp_path,
        # Only the plugins asked for: the environment's others (nbval, schemathesis...) cost seconds to load.
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = {
        name: float(seconds)
        for seconds, name in re.findall(r"^\s*([\d.]+)\s+[\d.]+%\s+1\s+(\S+)$", result.stdout, re.M)
    }
    assert set(figures) == {"test_burns.py", "test_orphan.py", "test_sleeps.py"}, result.stdout
    assert figures["test_burns.py"] >= 0.3, result.stdout  # the child's loop at teardown, about half a CPU second
    assert figures["test_sleeps.py"] < 0.2, result.stdout  # a second of sleep costs no processor time
    if "(cgroup cpuacct)" in result.stdout:  # Linux as root: every process counts
        assert figures["test_orphan.py"] >= 0.3, result.stdout
    else:  # elsewhere a process nobody waited for is missed, and the report says what it counted
        assert "(no cgroup here)" in result.stdout and figures["test_orphan.py"] < 0.2, result.stdout
