"""nbgrader's converters log the real cause of a failure and raise a generic error.

"There was an error processing assignment ... Please see the error log" tells a user
nothing; the cause is in a log record. :func:`error_collecting_logger` gives a converter a
logger that keeps those records, so the command can show the cause itself.
"""

from __future__ import annotations

import logging


def error_collecting_logger(name: str) -> tuple[logging.Logger, list[str]]:
    """A logger for an nbgrader converter, and the list its error messages are kept in."""
    errors: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR:
                errors.append(record.getMessage())

    log = logging.getLogger(name)
    log.propagate, log.handlers = False, [Collect()]
    return log, errors
