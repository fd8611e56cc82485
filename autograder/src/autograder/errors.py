"""Errors the ``course`` command shows to people, and the exit codes it ends with.

Nothing here imports anything of the course: every module may raise these.

- :class:`CourseError` (from :mod:`labkit.errors`, shared with the learner's tools): a
  problem the user can fix; its message says how. Shown without a traceback.
- :class:`ExitCode` (also from :mod:`labkit.errors`: the learner's ``course`` uses it too):
  what the command's exit status means, so scripts and CI can tell a failed check from a
  usage error.
"""

from __future__ import annotations

from labkit.errors import CourseError, ExitCode

__all__ = ["CourseError", "ExitCode"]
