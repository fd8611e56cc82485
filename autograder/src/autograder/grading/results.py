"""What grading one submission came to: three kinds of result, and the journal's record of it.

A grader returns one of three results, and their kind, not the words of a message, decides
what happens next:

=====================  =========================  ==========================================
result                 gradebook                  next ``course grade`` run
=====================  =========================  ==========================================
:class:`Graded`        its scores (flagged when   done, unless the lab's own given code
                       an instructor should look) failed (:attr:`Graded.environment_fault`)
:class:`SubmissionFailed`  zero, flagged          done: the learner must fix and resubmit
:class:`MachineryFailed`   zero, flagged          graded again: the fault was ours
=====================  =========================  ==========================================

They cross from a grading process (or a cluster worker) to the coordinator by pickle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autograder.gradebook import DEFAULT_IDENTITY


@dataclass(frozen=True)
class Graded:
    """nbgrader graded it; ``scores`` are its per-cell points as nbgrader recorded them."""

    scores: dict[str, tuple[float | None, float]]  # grade id -> (score, max score)
    autograded: bytes  # bundle.pack() of the autograded folder
    flag: str = ""  # why an instructor should look at it (outside checks disagreed, given code failed)
    notes: tuple[str, ...] = ()  # what happened on the way (interrupts, restarts, extra notebooks)
    environment_fault: str = ""  # the lab's given code could not run: the environment, not the learner
    seconds: float = 0.0


@dataclass(frozen=True)
class SubmissionFailed:
    """The submission cannot be graded as it is (broken JSON, renamed, copied cells, too slow)."""

    reason: str
    seconds: float = 0.0


@dataclass(frozen=True)
class MachineryFailed:
    """Our side failed (a grading process died, a stale worker, the gradebook): not the learner's doing."""

    reason: str
    seconds: float = 0.0


Result = Graded | SubmissionFailed | MachineryFailed


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
    retry: bool = False  # grade it again on the next run: the fault was not the submission's
    pending: float = 0.0  # points awaiting a person (written answers): part of max_score, not of score

    @classmethod
    def of(cls, student: str, digest: str, gradebook: str, result: Result) -> Outcome:
        done = {"student": student, "digest": digest, "gradebook": gradebook, "seconds": result.seconds}
        if isinstance(result, Graded):
            scores = {gid: [score or 0.0, points] for gid, (score, points) in result.scores.items()}
            return cls(
                **done,
                status="graded",
                score=sum(score for score, _ in scores.values()),
                max_score=sum(points for _, points in scores.values()),
                scores=scores,
                flag=result.flag,
                notes=list(result.notes),
                retry=bool(result.environment_fault),
                # nbgrader leaves the score of a cell that needs manual grading as None
                pending=sum(points for score, points in result.scores.values() if score is None),
            )
        return cls(**done, status="failed", reason=result.reason, retry=isinstance(result, MachineryFailed))
