"""The one exception type the course's commands show to people, without a traceback.

It lives in :mod:`labkit` because learners' tools raise it too (``course check``); the
instructor's package re-exports it from :mod:`autograder.errors` with the exit codes.
"""

from __future__ import annotations


class CourseError(Exception):
    """A problem the user can fix; the message says how. The CLI prints it without a traceback."""
