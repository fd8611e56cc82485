"""What a grader is sent and sends back, as bytes: the same wherever it runs.

A grader, on this machine or on a cluster worker with no shared filesystem, gets a
:class:`CourseBundle` (the course's ``nbgrader_config.py``, the lab's source folder, its
outside checks and a gradebook snapshot holding the lab's definition only) and a :class:`Job`
(one student's submission folder), all as bytes; folders travel as :func:`pack`'s archives.
"""

from __future__ import annotations

import functools
import hashlib
import io
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path


def pack(folder: Path) -> bytes:
    """A folder as gzipped tar bytes, with stable order and no owner names."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path in sorted(folder.rglob("*")):
            info = archive.gettarinfo(str(path), arcname=str(path.relative_to(folder)))
            info.uname = info.gname = ""
            if path.is_file():
                with path.open("rb") as handle:
                    archive.addfile(info, handle)
            elif path.is_dir():
                archive.addfile(info)
    return buffer.getvalue()


def unpack(data: bytes, dest: Path) -> None:
    """Extract :func:`pack`'s bytes into ``dest``; the "data" filter refuses paths leaving it."""
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        archive.extractall(dest, filter="data")


@functools.cache
def fingerprint() -> str:
    """What decides a grade besides the payload: nbgrader's version and the course's code.

    A worker whose clone of the course is older or newer than the coordinator's could grade
    differently; comparing fingerprints catches it before a single score is recorded. The
    code is the two packages, every module of each; they hold code only (no submissions, no
    course data), so nothing a grading run writes can change the fingerprint.
    """
    from importlib.metadata import version

    import autograder
    import labkit

    sha = hashlib.sha256(version("nbgrader").encode())
    for package in (autograder, labkit):
        folder = Path(package.__file__).resolve().parent
        for path in sorted(folder.rglob("*.py")):
            sha.update(f"{package.__name__}/{path.relative_to(folder)}".encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


@dataclass(frozen=True)
class CourseBundle:
    """What every job of one run shares, sent once to each worker."""

    lab: str
    config: bytes  # the course's nbgrader_config.py
    source: bytes  # pack() of autograder/source/<lab>
    checks: bytes  # autograder/checks/<lab>.py, or b"" when the lab has no outside checks
    gradebook: bytes  # SQLite snapshot: the lab's definition, no student records
    fingerprint: str  # the coordinator's fingerprint()


@dataclass(frozen=True)
class Job:
    """One student's submission."""

    student: str
    submission: bytes  # pack() of autograder/submitted/<student>/<lab>


def save_autograded(data: bytes, target: Path) -> None:
    """Replace ``target`` with the autograded folder from a grader, never leaving it half-written."""
    staging = target.with_name(target.name + ".incoming")
    if staging.exists():
        shutil.rmtree(staging)
    unpack(data, staging)
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
