"""``course benchmark``: how fast grading is, measured against baselines in the same run.

It builds one cohort of a lab (the sample class's gradable kinds, repeated), then:

1. grades it with plain, sequential ``nbgrader autograde`` (the baseline);
2. grades the same submissions with ``course grade`` (parallel workers);
3. checks that every submission got identical per-cell scores from both;
4. executes the same notebooks bare with nbclient (no nbgrader at all), as many at a time
   as there are workers: the floor;
5. records the graded results again through the coordinator's recorder, to measure how many
   results a minute one coordinator can take from a cluster;
6. times ``course check`` on the lab's solution, and the floors it cannot go below.

With ``--cluster 1,2,4`` it measures instead how grading throughput grows with the number
of Dask workers (one thread each, started on this machine as ``dask worker`` would be),
next to the local pool, on the same cohort; see :func:`run_cluster_benchmark`.

It prints the figures and their ratios. Targets live in the issue tracker, not here: this
script reports, it does not assert (timings on shared machines are noisy).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder.config import Course
from autograder.layout import Lab
from autograder.sample_class import course_copy, generate_assignments, sample_class


def _course_with_cohort(lab: Lab, dest: Path, size: int) -> Lab:
    """A course copy holding ``size`` submissions of ``lab``: the sample class's gradable kinds, repeated."""
    (copied,) = course_copy([lab], dest)
    kinds = {name: write for name, write in sample_class(lab).items() if name not in {"eli-broken", "fay-misnamed"}}
    names = sorted(kinds)
    for index in range(size):
        kind = names[index % len(names)]
        kinds[kind](copied, f"s{index:03d}-{kind}")
    generate_assignments([copied], Course.at(dest).config)
    return copied


def _scores(lab: Lab) -> dict[str, dict[str, float]]:
    from autograder.gradebook import open_gradebook

    with open_gradebook(Course.at(lab.root).db_url) as gradebook:
        return {
            s.student.id: {
                g.name: g.score for g in gradebook.find_submission_notebook(lab.name, lab.name, s.student.id).grades
            }
            for s in gradebook.find_assignment(lab.name).submissions
        }


def _notebooks(lab: Lab) -> list[Path]:
    return sorted((lab.root / lab.layout.submitted).glob(f"*/{lab.name}/{lab.name}.ipynb"))


# One bare executor: imports first, says "ready", waits for "go", then runs its notebooks.
_BARE_EXECUTOR = """
import sys
import nbformat
from nbclient import NotebookClient
print("ready", flush=True)
sys.stdin.readline()
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    folder = {"metadata": {"path": path.rsplit("/", 1)[0]}}
    NotebookClient(nb, timeout=60, allow_errors=True, kernel_name="python3", resources=folder).execute()
"""


def _bare_seconds(lab: Lab, workers: int, limit: int | None = None) -> float:
    """Wall time for ``workers`` bare nbclient executors to run the cohort (or its first ``limit``).

    The floor for grading with that many graders on this machine: the submissions' own
    execution, with the same parallelism and the same competition for cores, and nothing of
    grading (no nbgrader, sandbox, outside checks or gradebook). Start-up imports are left
    out of the clock, as course grade's one-off start-up is small next to a cohort.
    """
    paths = [str(p) for p in _notebooks(lab)[:limit]]
    executors = [
        subprocess.Popen(
            [sys.executable, "-P", "-c", _BARE_EXECUTOR, *paths[index::workers]],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for index in range(workers)
    ]
    for executor in executors:
        assert executor.stdout is not None and executor.stdout.readline().strip() == "ready"
    start = time.perf_counter()
    for executor in executors:
        assert executor.stdin is not None
        executor.stdin.write("go\n")
        executor.stdin.flush()
    for executor in executors:
        executor.wait()
    return time.perf_counter() - start


def _grade_seconds(lab: Lab, workers: int) -> float:
    """``course grade`` of the cohort, with every protection it always has."""
    from autograder.grading.coordinator import grade_lab

    start = time.perf_counter()
    grade_lab(lab, workers=workers)
    return time.perf_counter() - start


def recording_rates(lab: Lab, batch_sizes: tuple[int, ...] = (1, 16)) -> list[tuple[int, float]]:
    """Results a minute the coordinator records, for each batch size: (batch size, rate).

    On a cluster one coordinator records what every core grades, so its recording rate caps
    the whole class's throughput. The cohort's graded results are recorded again (as a
    regrade would), through the same :class:`Recorder` ``course grade`` uses; batch size 1 is
    results arriving one by one, larger batches are many workers finishing at once.
    """
    from autograder.grading.bundle import pack
    from autograder.grading.journal import find_submissions
    from autograder.grading.recorder import Finished, Recorder
    from autograder.grading.results import Graded

    course = Course.at(lab.root)
    scores = _scores(lab)
    finished = [
        Finished(
            submission,
            Graded(
                {name: (score, 0.0) for name, score in scores[submission.student].items()},
                pack(lab.autograded(submission.student)),
            ),
        )
        for submission in find_submissions(lab)
        if lab.autograded(submission.student).is_dir()
    ]
    rates = []
    for size in batch_sizes:
        recorder = Recorder(course, lab)
        try:
            start = time.perf_counter()
            for first in range(0, len(finished), size):
                recorder.record(finished[first : first + size])
            rates.append((size, 60 * len(finished) / (time.perf_counter() - start)))
        finally:
            recorder.close()
    return rates


def run_benchmark(root: Path, lab: Lab, size: int = 60, workers: int | None = None) -> str:
    """Plain nbgrader, course grade and the bare-execution floor on one cohort, in one run.

    ``course grade`` always runs with its protections (sandbox, outside checks where the
    screen asks for them, tamper rerun); the floor is the submissions' own execution with the
    same parallelism, so the ratio to it is everything grading adds.
    """
    bin_dir = Path(sys.executable).parent
    used = workers or os.cpu_count() or 1
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="course-bench-") as scratch:

        def cohort(name: str) -> Lab:
            return _course_with_cohort(lab, Path(scratch) / name, size)

        plain = cohort("plain")
        start = time.perf_counter()
        subprocess.run([str(bin_dir / "nbgrader"), "autograde", lab.name], cwd=plain.root, capture_output=True)
        plain_seconds = time.perf_counter() - start

        ours = cohort("ours")
        ours_seconds = _grade_seconds(ours, used)
        plain_scores, our_scores = _scores(plain), _scores(ours)
        differing = sorted(s for s in plain_scores if plain_scores[s] != our_scores.get(s))

        floor_seconds = _bare_seconds(ours, used)
        samples = min(5, size)
        one_at_a_time = _bare_seconds(ours, 1, limit=samples) / samples
        rates = recording_rates(ours)
    load_after = os.getloadavg()[0]

    identical = "yes" if not differing else "NO: " + ", ".join(differing[:5])

    def row(label: str, seconds: float) -> str:
        return (
            f"  {label:<44}{seconds:7.1f} s  {seconds / size:5.2f} s a submission  "
            f"{seconds / floor_seconds:5.2f}x the floor"
        )

    lines = [
        f"benchmark: {lab.name}, {size} submissions, course grade with {used} workers, "
        f"on this machine's {os.cpu_count()} cores",
        f"  machine load (1-minute average) at start and end: {load_before:.1f}, {load_after:.1f}",
        row("plain nbgrader autograde (sequential)", plain_seconds),
        row(f"course grade ({used} workers)", ours_seconds),
        row(f"floor: bare nbclient execution, {used} at a time", floor_seconds),
        f"  {'  (one at a time)':<44}{one_at_a_time * size:7.1f} s  {one_at_a_time:5.2f} s a submission",
        f"  {'speed-up over plain nbgrader':<44}{plain_seconds / ours_seconds:7.2f}x",
        f"  {'scores identical':<44}{identical}",
        "  coordinator recording into the gradebook (what caps a cluster):",
        *(f"  {f'  batches of {batch}':<44}{rate:7.0f} results a minute" for batch, rate in rates),
    ]
    return "\n".join(lines + check_figures(root, lab))


def _bare_run(nb: nbformat.NotebookNode, cwd: Path) -> None:
    """Execute ``nb`` with nbclient alone, kernel started and stopped as ``course check`` does."""
    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=60, allow_errors=True, kernel_name="python3", shutdown_kernel="immediate")
    client.execute(cwd=str(cwd), stderr=subprocess.DEVNULL)


def check_figures(root: Path, lab: Lab, runs: int = 5) -> list[str]:
    """Time ``course check`` on the lab's solution against what no check can avoid.

    Two floors, run interleaved with the check so that load on a shared machine hits all
    alike: a kernel that only imports FastAPI (the start-up every lab pays), and a bare
    nbclient run of the solution (the lab's own cells too, but no CLI, restoring or scoring).
    """
    command = [str(Path(sys.executable).parent / "course"), "check", lab.name, str(lab.solution)]
    solution = nbformat.read(lab.solution, as_version=4)
    fastapi_only = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import fastapi")])
    jobs = {
        "check": lambda: subprocess.run(command, cwd=root, capture_output=True),
        "fastapi": lambda: _bare_run(fastapi_only, lab.solution.parent),
        "bare": lambda: _bare_run(solution, lab.solution.parent),
    }
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(runs):
        for name, job in jobs.items():
            start = time.perf_counter()
            job()
            times[name].append(time.perf_counter() - start)
    check, fastapi, bare = (statistics.median(times[name]) for name in jobs)
    return [
        f"  course check on the solution:          {check:7.2f} s (median of {runs})",
        f"    floor, kernel start + import fastapi:{fastapi:7.2f} s  (check = {check / fastapi:.2f} x)",
        f"    floor, bare nbclient run of solution:{bare:7.2f} s  (check = {check / bare:.2f} x)",
    ]


def run_cluster_benchmark(root: Path, lab: Lab, size: int, worker_counts: list[int]) -> str:
    """Submissions graded a minute on a local Dask cluster of each size, and on the local pool.

    Each size gets a fresh cluster (``LocalCluster``: a nanny and a worker process each, as
    ``dask worker`` starts them) and grades the same cohort with ``course grade --cluster``;
    the clock runs from the command's start to its last recorded result, so it includes
    shipping the payloads and starting each worker's grading process.
    """
    from distributed import LocalCluster

    from autograder.grading.coordinator import grade_lab

    cores = os.cpu_count() or 1
    lines = [
        f"cluster throughput: {lab.name}, {size} submissions, Dask workers with one thread each, "
        f"on this machine's {cores} cores"
    ]
    lines.append(f"  {'graders':<28}{'seconds':>9}{'submissions/min':>17}{'vs 1 worker':>13}")
    load_before = os.getloadavg()[0]  # other work on the machine slows every figure below
    timings: list[tuple[str, float]] = []
    scores: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="course-bench-cluster-") as scratch:
        for count in worker_counts:
            course = _course_with_cohort(lab, Path(scratch) / f"cluster{count}", size)
            with LocalCluster(n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
                start = time.perf_counter()
                grade_lab(course, cluster=cluster.scheduler_address)
                timings.append((f"{count} Dask worker(s)", time.perf_counter() - start))
            scores[timings[-1][0]] = _scores(course)
        course = _course_with_cohort(lab, Path(scratch) / "local", size)
        start = time.perf_counter()
        grade_lab(course, workers=cores)
        timings.append((f"local pool, {cores} workers", time.perf_counter() - start))
        scores[timings[-1][0]] = _scores(course)

    lines.append(f"  machine load (1-minute average) at start and end: {load_before:.1f}, {os.getloadavg()[0]:.1f}")
    base = timings[0][1]
    for name, seconds in timings:
        lines.append(f"  {name:<28}{seconds:9.1f}{60 * size / seconds:17.1f}{base / seconds:12.2f}x")
    reference = next(iter(scores.values()))
    differing = [name for name, got in scores.items() if got != reference]
    lines.append(f"  scores identical in every run: {'yes' if not differing else 'NO: ' + ', '.join(differing)}")
    return "\n".join(lines)
