"""The loop between learners and the instructor, through nbgrader's exchange, with real users.

Two learners, each a real account on this machine (``useradd``; learner commands run as
them with ``runuser``), fetch lab00 from a shared exchange folder and submit it: one the
worked solution, one the release untouched. The instructor collects, grades with ``course
grade``, writes feedback with ``course feedback`` and releases it; each learner fetches their
own page. The instructor works under ``umask 077``, as on a careful shared machine: nbgrader
sets the modes of what learners must read itself, and the course's exchange classes
(``autograder.exchange``) keep the root sticky and collected work private.

Learners run nbgrader as themselves: with the tests' Python under ``runuser`` when they can
execute it; when its installation is private to root (a pyenv under /root, a checkout in a
private home), the tests' Python loads nbgrader as root and then becomes the learner (their
uid, gid and groups, as ``setpriv`` would) before nbgrader runs, so every file nbgrader
touches is still opened with the learner's permissions.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from nbgrader.utils import parse_utc

from tests.conftest import BIN, REPO, make_course_copy, nbgrader, scores_in

LAB = "lab00_warmup"
COURSE_ID = "fastapi-production"
INSTRUCTOR_UMASK = 0o077
RUNUSER = shutil.which("runuser") or "runuser"  # util-linux (Makefile: system-packages)


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kwargs)


class Learner:
    """A real account on this machine, with its own home, nbgrader config and Python."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.home = Path("/nonexistent")

    def create(self, exchange: Path) -> None:
        created = _run(["useradd", "--create-home", "--shell", "/bin/sh", self.name])
        assert created.returncode == 0, created.stderr
        self.home = Path(pwd.getpwnam(self.name).pw_dir)
        # What the README tells learners to put in ~/.jupyter/nbgrader_config.py.
        configured = self.as_learner(
            "sh",
            "-c",
            "mkdir -p ~/.jupyter && cat > ~/.jupyter/nbgrader_config.py",
            input=f'c = get_config()\nc.CourseDirectory.course_id = "{COURSE_ID}"\nc.Exchange.root = "{exchange}"\n',
        )
        assert configured.returncode == 0, configured.stderr

    def as_learner(self, *cmd: str, input: str | None = None) -> subprocess.CompletedProcess:
        """Run ``cmd`` as this learner, in their home, with their own HOME."""
        return _run([RUNUSER, "-u", self.name, "--", *cmd], cwd=self.home, env=self.env, input=input)

    @property
    def env(self) -> dict[str, str]:
        return {"PATH": "/usr/bin:/bin", "HOME": str(self.home), "USER": self.name, "LANG": "C.UTF-8"}

    def nbgrader(self, *args: str) -> subprocess.CompletedProcess:
        command, needs_runuser = learner_nbgrader(self.name)
        if needs_runuser:
            result = self.as_learner(*command, *args)
        else:
            result = _run([*command, *args], cwd=self.home, env=self.env)
        assert result.returncode == 0, f"{self.name}: nbgrader {' '.join(args)}\n{result.stdout}{result.stderr}"
        return result

    def remove(self) -> None:
        _run(["userdel", "--remove", self.name])


# nbgrader read in as root, then the process becomes the learner for good (see the docstring).
BECOME_LEARNER = """
import os, pwd, sys
import nbgrader.apps, nbgrader.exchange.default
from nbgrader.apps.nbgraderapp import main
user = pwd.getpwnam(sys.argv.pop(1))
os.setgroups(os.getgrouplist(user.pw_name, user.pw_gid))
os.setgid(user.pw_gid)
os.setuid(user.pw_uid)
sys.argv[0] = "nbgrader"
sys.exit(main())
"""


def learner_nbgrader(user: str) -> tuple[list[str], bool]:
    """The command that runs nbgrader for ``user``, and whether it must be started under runuser."""
    if _run([RUNUSER, "-u", user, "--", sys.executable, "-c", "pass"]).returncode == 0:
        return [sys.executable, "-m", "nbgrader"], True
    return [sys.executable, "-c", BECOME_LEARNER, user], False


def instructor(root: Path, exchange: Path, *cmd: str) -> subprocess.CompletedProcess:
    """An instructor's command, run from the course root under umask 077."""
    env = {**os.environ, "COURSE_EXCHANGE": str(exchange)}
    result = _run(list(cmd), cwd=root, env=env, preexec_fn=lambda: os.umask(INSTRUCTOR_UMASK))
    assert result.returncode == 0, f"{' '.join(cmd)}\n{result.stdout}{result.stderr}"
    return result


def submission_times(root: Path) -> dict[str, datetime]:
    """Student -> the submission time the gradebook holds (naive UTC, as nbgrader stores it)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'autograder' / 'gradebook.db'}") as gradebook:
        return {s.student.id: s.timestamp for s in gradebook.find_assignment(LAB).submissions}


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[Path]:
    """A folder every user can reach, for the exchange (pytest's own tmp folders are private)."""
    folder = Path(tempfile.mkdtemp(prefix="course-exchange-test-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def learners(shared: Path) -> Iterator[dict[str, Learner]]:
    assert shutil.which("runuser") and shutil.which("useradd"), "the test needs util-linux and passwd (Makefile)"
    assert os.geteuid() == 0, "the exchange test creates learner accounts: run it as root (as CI does)"
    tag = secrets.token_hex(3)
    made: dict[str, Learner] = {}
    try:
        for role in ("solved", "untouched"):
            made[role] = Learner(f"cx{tag}{role[0]}")
            made[role].create(shared / "exchange")
        yield made
    finally:
        for learner in made.values():
            learner.remove()


def test_release_fetch_submit_collect_grade_feedback_round_trip(tmp_path: Path, shared: Path, learners) -> None:
    exchange = shared / "exchange"
    root = make_course_copy(tmp_path / "course", [LAB])
    root.chmod(0o700)  # learners need nothing of the instructor's course
    assert nbgrader(root, "generate_assignment", LAB).returncode == 0

    instructor(root, exchange, str(BIN / "nbgrader"), "release_assignment", LAB)

    solved, untouched = learners["solved"], learners["untouched"]
    for learner in (solved, untouched):
        learner.nbgrader("fetch_assignment", LAB)
    fetched = untouched.home / LAB / f"{LAB}.ipynb"
    assert fetched.read_bytes() == (root / "labs" / LAB / f"{LAB}.ipynb").read_bytes()
    solution = (REPO / "solutions" / LAB / f"{LAB}.ipynb").read_text()
    solved.as_learner("sh", "-c", f"cat > {LAB}/{LAB}.ipynb", input=solution)
    for learner in (solved, untouched):
        learner.nbgrader("submit", LAB)

    submitters = {pwd.getpwuid(entry.stat().st_uid).pw_name for entry in (exchange / COURSE_ID / "inbound").iterdir()}
    assert submitters == {solved.name, untouched.name}, "the submissions were not made by the learners themselves"

    # What a learner can do to the exchange: nothing to the course's folder, nothing to others' work.
    course_folder = exchange / COURSE_ID
    renamed = solved.as_learner("mv", str(course_folder), str(exchange / "forged"))
    assert renamed.returncode != 0 and course_folder.is_dir(), "a learner renamed the course's exchange folder"
    assert untouched.as_learner("ls", str(course_folder / "inbound")).returncode != 0
    assert exchange.stat().st_mode & 0o7777 == 0o1777, oct(exchange.stat().st_mode)

    instructor(root, exchange, str(BIN / "nbgrader"), "collect", LAB)
    for learner in (solved, untouched):
        collected = root / "autograder" / "submitted" / learner.name / LAB
        assert (collected / "timestamp.txt").is_file()
        writable = [p for p in [collected, *collected.rglob("*")] if p.stat().st_mode & 0o022]
        assert not writable, f"collected files writable by others: {writable}"

    instructor(root, exchange, str(BIN / "course"), "grade", LAB, "--workers", "1")
    scores = {student: sum(cells.values()) for student, cells in scores_in(root, LAB).items()}
    assert scores == {solved.name: 6.0, untouched.name: 0.0}, scores
    assert submission_times(root) == {  # the learner's own submission time, as nbgrader wrote it
        learner.name: parse_utc((root / "autograder" / "submitted" / learner.name / LAB / "timestamp.txt").read_text())
        for learner in (solved, untouched)
    }

    instructor(root, exchange, str(BIN / "course"), "feedback", LAB)
    instructor(root, exchange, str(BIN / "nbgrader"), "release_feedback", LAB)
    pages = {}
    for learner in (solved, untouched):
        learner.nbgrader("fetch_feedback", LAB)
        fetched_pages = list((learner.home / LAB / "feedback").glob(f"*/{LAB}.html"))
        assert len(fetched_pages) == 1, f"{learner.name} fetched {fetched_pages}"
        page = fetched_pages[0].read_bytes()
        assert page == (root / "autograder" / "feedback" / learner.name / LAB / f"{LAB}.html").read_bytes()
        pages[learner.name] = page
    assert pages[solved.name] != pages[untouched.name]
