"""What grading one submission came to, as the journal, the summary and the report see it."""

from __future__ import annotations

from dataclasses import dataclass, field

from autograder.gradebook import DEFAULT_IDENTITY


@dataclass
class Outcome:
    """What happened to one submission; the journal stores one per student."""

    student: str
    digest: str
    status: str  # "graded" or "failed"
    score: float = 0.0
    max_score: float = 0.0
    reason: str = ""
    seconds: float = 0.0
    scores: dict[str, list[float]] = field(default_factory=dict)  # grade id -> [score, max]
    flag: str = ""  # graded, but an instructor should look (e.g. outside checks disagreed)
    notes: list[str] = field(default_factory=list)  # what happened on the way (timeouts, restarts)
    gradebook: str = DEFAULT_IDENTITY  # where the grades were written (gradebook.identity)
