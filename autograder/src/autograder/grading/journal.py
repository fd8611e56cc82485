"""The submissions of a lab, and the journal of those already graded.

A journal (``autograder/journal/<lab>.json``) records each finished submission with a hash
of its files. A killed run, started again, skips what is recorded and grades the rest; a
submission is recorded only after its grades are written, so none is skipped half-graded.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from autograder.gradebook import DEFAULT_IDENTITY
from autograder.grading.results import Outcome
from autograder.layout import Lab


@dataclass
class Submission:
    student: str
    folder: Path  # autograder/submitted/<student>/<lab>
    digest: str  # sha256 of every file in the folder, so a changed submission is regraded


def _digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sha.update(str(path.relative_to(folder)).encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


def find_submissions(lab: Lab, student_glob: str = "*") -> list[Submission]:
    base = lab.root / lab.layout.submitted
    if not base.is_dir():
        return []
    found = []
    for student_dir in sorted(base.iterdir()):
        folder = student_dir / lab.name
        if student_dir.is_dir() and folder.is_dir() and fnmatch.fnmatch(student_dir.name, student_glob):
            found.append(Submission(student_dir.name, folder, _digest(folder)))
    return found


class Journal:
    """The per-lab record of finished submissions, rewritten atomically after each batch."""

    def __init__(self, lab: Lab) -> None:
        self.path = lab.journal
        self.entries: dict[str, dict[str, Any]] = {}
        if self.path.is_file():
            try:
                self.entries = json.loads(self.path.read_text())
            except json.JSONDecodeError:
                self.entries = {}  # a torn journal only costs regrading; it never skips work

    def is_done(self, submission: Submission, gradebook: str) -> bool:
        """Recorded, unchanged since, graded into this same gradebook, and not to be retried.

        A result whose fault was not the submission's (our machinery, the lab's given code)
        is retried; an entry from a journal older than that field is retried when it failed.
        """
        entry = self.entries.get(submission.student)
        if not entry or entry.get("digest") != submission.digest:
            return False
        if entry.get("gradebook", DEFAULT_IDENTITY) != gradebook:
            return False
        return not entry.get("retry", entry.get("status") != "graded")

    def record(self, outcomes: list[Outcome]) -> None:
        """Add these outcomes (recorded in the gradebook already) and rewrite the journal atomically."""
        for outcome in outcomes:
            self.entries[outcome.student] = asdict(outcome)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.entries, indent=1, sort_keys=True))
        os.replace(tmp, self.path)
