"""Errors the ``course`` command shows to people, and the exit codes it ends with.

Nothing here imports anything of the course: every module may raise these.

- :class:`CourseError` (from :mod:`labkit.errors`, shared with the learner's tools): a
  problem the user can fix; its message says how. Shown without a traceback.
- :class:`ExitCode`: what the command's exit status means, so scripts and CI can tell a
  failed check from a usage error.
"""

from __future__ import annotations

from enum import IntEnum

from labkit.errors import CourseError

__all__ = ["CourseError", "ExitCode"]


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1  # the command worked and found a failure: a check failed, a submission was flagged
    USAGE = 2  # the command could not do its job: wrong arguments, no course, a broken file
