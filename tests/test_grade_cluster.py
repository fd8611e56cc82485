"""`course grade --cluster`: a real Dask cluster grades like local, even when a worker is killed.

The cluster is a ``dask scheduler`` and two ``dask worker`` processes on loopback. The
workers run in a mount namespace where the tests' folders are an empty tmpfs: grading
there works only if every job really carries its files as bytes.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import psutil
import pytest
from distributed import Client

from labkit.notebooks import read_notebook
from tests.conftest import BIN, REPO, SAMPLE_LAB, flagged_in, sample_course, scores_in
from tests.services import dask_cluster

PROGRESS = re.compile(r"\] \d+/\d+  (\S+): (ok|FAILED)")

# Ignores the interrupt nbgrader sends at the cell time limit: only killing its kernel stops it.
HANG = "import time\nwhile True:\n    try:\n        time.sleep(1)\n    except KeyboardInterrupt:\n        pass\n"
SLOW = "import time\ntime.sleep(20)\n"


def add_submission(root: Path, student: str, prefix: str) -> None:
    """The worked solution with ``prefix`` run first in its first answer cell."""
    nb = read_notebook(REPO / "solutions" / SAMPLE_LAB / f"{SAMPLE_LAB}.ipynb")
    answer = next(c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("solution"))
    answer.source = prefix + answer.source
    folder = root / "autograder" / "submitted" / student / SAMPLE_LAB
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{SAMPLE_LAB}.ipynb")


def graded_once_each(stderr: str) -> dict[str, int]:
    """Student -> how many times the coordinator recorded a result for them in this run."""
    counts: dict[str, int] = {}
    for student, _ in PROGRESS.findall(stderr):
        counts[student] = counts.get(student, 0) + 1
    return counts


def course_grade(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "course"), "grade", SAMPLE_LAB, *args], cwd=root, capture_output=True, text=True, timeout=900
    )


def kernels_under(processes: list[psutil.Process]) -> list[psutil.Process]:
    """The kernels below these processes: started as ipykernel, or forked by the warm-kernel zygote
    (a fork keeps the zygote's command line, so the zygote and its kernels both match)."""
    found = []
    for proc in processes:
        try:
            found += [
                p
                for p in proc.children(recursive=True)
                if any(name in " ".join(p.cmdline()) for name in ("ipykernel", "kernel_zygote"))
            ]
        except psutil.NoSuchProcess:
            continue
    return found


@contextlib.contextmanager
def course_grade_started(root: Path, *args: str) -> Iterator[subprocess.Popen]:
    """``course grade`` running in the background; stopped if the test ends before it does."""
    run = subprocess.Popen(
        [str(BIN / "course"), "grade", SAMPLE_LAB, *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield run
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()


def worker_grading(client: Client, student: str, run: subprocess.Popen) -> tuple[psutil.Process, list[psutil.Process]]:
    """The worker running ``student``'s job, caught once its kernel runs; with its grader and kernel.

    The scheduler's workers say which job each is executing (keys name the student), so
    this holds whatever runs the kernel (a sandbox included).
    """
    pids = client.run(os.getpid)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        running = client.run(lambda dask_worker: [str(task.key) for task in dask_worker.state.executing])
        for address, keys in running.items():
            if any(f"-{student}-" in key for key in keys):
                worker = psutil.Process(pids[address])
                grading = [p for p in worker.children() if "autograder.grading.process" in " ".join(p.cmdline())]
                kernels = kernels_under(grading)
                if kernels:
                    return worker, [*grading, *kernels]
        time.sleep(0.2)
    raise AssertionError(f"no worker was caught grading {student}; the test proves nothing")


@pytest.fixture
def hidden(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding every course the tests make: out of the workers' sight."""
    return tmp_path_factory.getbasetemp()


def test_cluster_grades_like_local_and_stops_a_hanging_submission(sample_grades, tmp_path, hidden):
    root = sample_course(tmp_path / "course")
    with dask_cluster(2, hide=hidden) as cluster, Client(cluster.address, set_as_default=False) as client:
        result = course_grade(root, "--cluster", cluster.address)
        output = result.stdout + result.stderr
        assert result.returncode == 1, output  # the broken and the misnamed notebooks are flagged
        recorded = graded_once_each(result.stderr)
        assert recorded == dict.fromkeys(sample_grades.scores, 1), f"results recorded per student: {recorded}\n{output}"
        assert scores_in(root, SAMPLE_LAB) == sample_grades.scores, output
        assert flagged_in(root, SAMPLE_LAB) == sample_grades.flagged
        assert "FLAGGED eli-broken: invalid notebook" in result.stdout
        assert "FLAGGED fay-misnamed: missing notebook" in result.stdout
        for student, flagged in sample_grades.flagged.items():
            notebook = root / "autograder" / "autograded" / student / SAMPLE_LAB / f"{SAMPLE_LAB}.ipynb"
            assert notebook.is_file() != flagged, f"{student}: autograded notebook {'kept' if flagged else 'missing'}"

        # The same time limit as local grading: the submission is stopped with its kernel, and flagged.
        add_submission(root, "zed-hangs", HANG)
        with course_grade_started(
            root, "--cluster", cluster.address, "--student", "zed-hangs", "--timeout", "20"
        ) as run:
            _, grading = worker_grading(client, "zed-hangs", run)
            stdout, _ = run.communicate(timeout=300)
        assert run.returncode == 1 and "FLAGGED zed-hangs: timed out after 20 s" in stdout, stdout
        assert flagged_in(root, SAMPLE_LAB)["zed-hangs"]
        _, alive = psutil.wait_procs(grading, timeout=15)
        assert not alive, f"still running after the time limit: {[p.cmdline() for p in alive]}"


def test_a_worker_killed_mid_run_has_its_job_retried_elsewhere(sample_grades, tmp_path, hidden):
    root = sample_course(tmp_path / "course")
    # A slow but correct submission (20 s in one cell, under the 30 s cell limit), so that the
    # worker grading it is caught, and killed, in the middle of the job.
    add_submission(root, "zed-slow", SLOW)
    with dask_cluster(2, hide=hidden) as cluster, Client(cluster.address, set_as_default=False) as client:
        with course_grade_started(root, "--cluster", cluster.address) as run:
            victim, doomed = worker_grading(client, "zed-slow", run)
            victim.send_signal(signal.SIGKILL)
            # Its grading process and kernel go with it (the slow cell had 15 s or more to go).
            _, alive = psutil.wait_procs(doomed, timeout=8)
            assert not alive, f"left running after their worker was killed: {[p.cmdline() for p in alive]}"
            stdout, stderr = run.communicate(timeout=900)
        output = stdout + stderr
        assert run.returncode == 1, output  # the broken and the misnamed notebooks only
        recorded = graded_once_each(stderr)
        expected = dict.fromkeys([*sample_grades.scores, "zed-slow"], 1)
        assert recorded == expected, f"results recorded per student: {recorded}\n{output}"
        assert "died" not in output, f"the killed worker's job was not retried:\n{output}"
        scores = scores_in(root, SAMPLE_LAB)
        assert scores.pop("zed-slow") == sample_grades.scores["amara-solid"], output  # the solution, slowly
        assert scores == sample_grades.scores, output
        assert {s: f for s, f in flagged_in(root, SAMPLE_LAB).items() if s != "zed-slow"} == sample_grades.flagged
