"""The rubric: the engineering standard's checklist as grading keys.

This table is the only copy. Lab headers, the learner check and the lint all read it
from here, so renaming or adding an item is a one-line change.
"""

from __future__ import annotations

# key -> the checklist item it stands for, in the standard's order. The last entry
# comes from the standard's Performance Optimization section, which its checklist omits.
RUBRIC: dict[str, str] = {
    "status-codes": "proper HTTP methods and status codes",
    "models": "request/response models with validation",
    "auth": "authentication and authorization where needed",
    "errors": "error handling covers the failure cases",
    "injection": "input validation prevents injection",
    "transactions": "database operations use transactions where appropriate",
    "logging": "logging for debugging",
    "openapi": "OpenAPI documentation is accurate",
    "secrets": "no secrets hardcoded",
    "async": "async/await used consistently, nothing blocks the loop",
    "performance": "caching, eager loading, compression, streaming, measured",
}

# Manually graded cells are judged by a person against a mark scheme, not by a
# checklist item, so their grade ids carry this prefix instead of a rubric key.
MANUAL_PREFIX = "manual-"


def rubric_key(grade_id: str) -> str | None:
    """Return the rubric key that a grade id starts with, or None.

    Keys are matched longest first and must be followed by ``-`` so that a future key
    that is a prefix of another (``auth`` / ``authz``) cannot be confused.
    """
    for key in sorted(RUBRIC, key=len, reverse=True):
        if grade_id.startswith(key + "-"):
            return key
    return None
