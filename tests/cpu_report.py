"""``pytest --cpu-report``: the processor time each test file costs, printed after the run.

The suite's time on CI is bound by its processor time (two cores, both busy), not by waiting,
so what a file costs is its CPU seconds, not its wall seconds: a test that waits on a timeout
costs little, one that grades a class costs a lot. Each test's figure covers setup to
teardown, session fixtures included where they are made and closed; xdist workers send the
figures to the controller with their reports.

Where cgroup v1's ``cpuacct`` controller is writable (Linux as root, as in CI), each test
process moves into a cgroup of its own, and the figure is that cgroup's usage: every process
the tests started, sandboxed kernels and processes nobody waits for included (a grader's
kernels are forked and reaped inside its sandbox, so the grader never waits for them). Anywhere
else the figure is the test process's own time and that of the children it waited for, which
misses those. The report says which, and prints what the whole machine was busy for beside it.
"""

from __future__ import annotations

import contextlib
import os
import resource
from collections import defaultdict
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

PROPERTY = "cpu_seconds"
_STARTED = pytest.StashKey[float]()
CPUACCT = Path("/sys/fs/cgroup/cpuacct")


def waited_for_seconds() -> float:
    """User and system seconds of this process and of the children it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class _Cgroup:
    """A cpuacct cgroup under this process's own, holding this process and all it starts from now on."""

    def __init__(self) -> None:
        here = next(
            line.split(":", 2)[2]
            for line in Path("/proc/self/cgroup").read_text().splitlines()
            if "cpuacct" in line.split(":")[1].split(",")
        )
        self.home = CPUACCT / here.lstrip("/")
        for stale in self.home.glob("course-tests-*"):  # left by a killed run; never a live sibling worker's
            owner = stale.name.removeprefix("course-tests-")
            if owner.isdigit() and not Path(f"/proc/{owner}").exists():
                with contextlib.suppress(OSError):
                    stale.rmdir()
        self.path = self.home / f"course-tests-{os.getpid()}"  # nested: the parent's usage still includes it
        self.path.mkdir()
        (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def seconds(self) -> float:
        return int((self.path / "cpuacct.usage").read_text()) / 1e9

    def close(self) -> None:
        """Move back home and remove the cgroup (left if a process the tests started is still in it)."""
        with contextlib.suppress(OSError):
            (self.home / "cgroup.procs").write_text(str(os.getpid()))
            self.path.rmdir()


def _cgroup() -> _Cgroup | None:
    if not (CPUACCT / "cgroup.procs").exists():
        return None
    try:
        return _Cgroup()
    except (OSError, StopIteration):
        return None


def _machine_busy() -> float | None:
    """Seconds the machine's processors were busy since boot (all but idle and iowait), or None off Linux."""
    stat = Path("/proc/stat")
    if not stat.exists():
        return None
    ticks = [int(value) for value in stat.read_text().split("\n", 1)[0].split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / 100  # USER_HZ is 100 on Linux


class CpuReport:
    """Measures each test in the process that runs it; sums and prints in the one that reports."""

    def __init__(self, config: pytest.Config) -> None:
        self.reports_here = not hasattr(config, "workerinput")  # the controller, or the only process
        self.runs_tests = not (self.reports_here and config.getoption("numprocesses", None))  # not xdist's controller
        self.cgroup = _cgroup() if self.runs_tests else None
        self.method = "cgroup" if self.cgroup else "waited-for"
        self.seconds: dict[str, float] = defaultdict(float)
        self.tests: dict[str, int] = defaultdict(int)
        self.methods: set[str] = set()
        self.busy_at_start = _machine_busy()

    def _cpu_so_far(self) -> float:
        return self.cgroup.seconds() if self.cgroup else waited_for_seconds()

    def pytest_unconfigure(self) -> None:
        if self.cgroup:
            self.cgroup.close()

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, Any, None]:
        item.stash[_STARTED] = self._cpu_so_far()
        yield

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Generator[None, Any, None]:
        if call.when == "teardown" and _STARTED in item.stash:  # before the report is made, so that it carries this
            item.user_properties.append((PROPERTY, (self.method, self._cpu_so_far() - item.stash[_STARTED])))
        yield

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if not self.reports_here or report.when != "teardown":
            return
        for name, value in report.user_properties:
            if name == PROPERTY:
                method, seconds = value
                file = report.nodeid.split("::")[0]
                self.seconds[file] += float(seconds)
                self.tests[file] += 1
                self.methods.add(method)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.reports_here or not self.seconds:
            return
        total = sum(self.seconds.values())
        write = terminalreporter.write_line
        counted = {
            "cgroup": "every process the tests started (cgroup cpuacct)",
            "waited-for": "the test processes and the children they waited for (no cgroup here)",
        }
        terminalreporter.write_sep("=", "CPU seconds by test file")
        write("counted: " + "; ".join(counted[method] for method in sorted(self.methods)))
        write(f"{'CPU s':>9} {'share':>6} {'tests':>6}  file")
        for file, seconds in sorted(self.seconds.items(), key=lambda row: -row[1]):
            write(f"{seconds:9.1f} {seconds / total:6.1%} {self.tests[file]:6d}  {file}")
        write(f"{total:9.1f} {'':>6} {sum(self.tests.values()):6d}  all files")
        busy_now = _machine_busy()
        if self.busy_at_start is not None and busy_now is not None:
            busy = busy_now - self.busy_at_start
            write(f"{busy:9.1f} {'':>6} {'':>6}  the whole machine, busy during the run")
