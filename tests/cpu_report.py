"""``pytest --cpu-report``: the processor time each test file costs, printed after the run.

The suite's time on CI is bound by its processor time (two cores, both busy), not by waiting,
so what a file costs is its CPU seconds, not its wall seconds: a test that waits on a timeout
costs little, one that grades a class costs a lot. Each test's figure is the user and system
time of the pytest process and of every process it started and waited for (graders, kernels,
servers, nbgrader), from setup to teardown, session fixtures included where they are made and
closed. xdist workers send the figures to the controller with their reports.

Processes nobody waits for (a server that detaches itself, say) are not in the files' figures;
the last line compares their sum with what the whole machine was busy for, from /proc/stat.
"""

from __future__ import annotations

import resource
from collections import defaultdict
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

PROPERTY = "cpu_seconds"
_STARTED = pytest.StashKey[float]()


def _cpu_so_far() -> float:
    """User and system seconds of this process and of the children it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


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
        self.seconds: dict[str, float] = defaultdict(float)
        self.tests: dict[str, int] = defaultdict(int)
        self.busy_at_start = _machine_busy()

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, Any, None]:
        item.stash[_STARTED] = _cpu_so_far()
        yield

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Generator[None, Any, None]:
        if call.when == "teardown" and _STARTED in item.stash:  # before the report is made, so that it carries this
            item.user_properties.append((PROPERTY, _cpu_so_far() - item.stash[_STARTED]))
        yield

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if not self.reports_here or report.when != "teardown":
            return
        for name, value in report.user_properties:
            if name == PROPERTY:
                file = report.nodeid.split("::")[0]
                self.seconds[file] += float(value)
                self.tests[file] += 1

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.reports_here or not self.seconds:
            return
        total = sum(self.seconds.values())
        write = terminalreporter.write_line
        terminalreporter.write_sep("=", "CPU seconds by test file (the tests' own processes and those they waited for)")
        write(f"{'CPU s':>9} {'share':>6} {'tests':>6}  file")
        for file, seconds in sorted(self.seconds.items(), key=lambda row: -row[1]):
            write(f"{seconds:9.1f} {seconds / total:6.1%} {self.tests[file]:6d}  {file}")
        write(f"{total:9.1f} {'':>6} {sum(self.tests.values()):6d}  all files")
        busy_now = _machine_busy()
        if self.busy_at_start is not None and busy_now is not None:
            busy = busy_now - self.busy_at_start
            write(f"{busy:9.1f} {'':>6} {'':>6}  the whole machine, busy during the run (the rest: not waited for)")
