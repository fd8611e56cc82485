"""What ``course grade`` shows on the terminal: a progress line per submission, then a summary."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from autograder.grading.results import Outcome


def progress_printer(stream: Any = sys.stderr) -> Callable[[int, int, Outcome], None]:
    start = time.monotonic()

    def show(done: int, total: int, outcome: Outcome) -> None:
        width = 30
        filled = int(width * done / total)
        rate = (time.monotonic() - start) / max(done, 1)
        mark = "FAILED" if outcome.status != "graded" else ("FLAGGED" if outcome.flag else "ok")
        line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}  {outcome.student}: {mark}"
        line += f"  (~{rate * (total - done):.0f} s left)"
        if stream.isatty():
            stream.write("\r" + line.ljust(100))
            if done == total:
                stream.write("\n")
        else:
            stream.write(line + "\n")
        stream.flush()

    return show


def summary(outcomes: list[Outcome]) -> str:
    graded = [o for o in outcomes if o.status == "graded"]
    failed = [o for o in outcomes if o.status != "graded"]
    lines = [f"graded: {len(graded)}   failed: {len(failed)}   total: {len(outcomes)}"]
    for outcome in failed:
        lines.append(f"  FLAGGED {outcome.student}: {outcome.reason}")
    for outcome in graded:
        if outcome.flag:
            lines.append(f"  FLAGGED {outcome.student} (graded, look at it): {outcome.flag}")
        for note in outcome.notes:
            lines.append(f"  note {outcome.student}: {note}")
    waiting = [o for o in graded if o.pending]
    if waiting:
        points = sum(o.pending for o in waiting)
        lines.append(
            f"awaiting manual grading: {len(waiting)} submission(s), {points:g} point(s) "
            "(grade them in Formgrader; the scores below leave them out)"
        )
    if graded:
        percents = [100 * o.score / (o.max_score - o.pending) if o.max_score > o.pending else 0.0 for o in graded]
        mean = sum(percents) / len(percents)
        so_far = " of the points graded so far" if waiting else " of the points"
        lines.append(f"mean score: {mean:.1f}%{so_far} (graded submissions only)")
        lines.append("distribution:")
        for low in range(0, 100, 20):
            high = low + 20
            count = sum(1 for p in percents if low <= p < high or (high == 100 and p == 100))
            lines.append(f"  {low:3d}-{high:<3d}% {'#' * count} {count}")
    return "\n".join(lines)
