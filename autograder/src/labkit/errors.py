"""The one exception type the course's commands show to people, and the exit codes they end with.

It lives in :mod:`labkit` because learners' tools raise it too (``course check``, in the
instructor's repository and in the learner edition); the instructor's package re-exports
both from :mod:`autograder.errors`. Nothing here imports anything of the course.
"""

from __future__ import annotations

from enum import IntEnum


class CourseError(Exception):
    """A problem the user can fix; the message says how. The CLI prints it without a traceback."""


class ExitCode(IntEnum):
    """What a ``course`` command's exit status means, so scripts and CI can tell a failed check from a usage error."""

    OK = 0
    FAILED = 1  # the command worked and found a failure: a check failed, a submission was flagged
    USAGE = 2  # the command could not do its job: wrong arguments, no course, a broken file
