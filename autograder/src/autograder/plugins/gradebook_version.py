"""nbgrader's gradebook schema version, found in-process instead of by a bare ``alembic`` command.

Creating a gradebook, nbgrader asks a subprocess, ``alembic heads``, which schema version
to stamp it with. That needs the environment's ``bin`` on ``PATH`` (a plain
``.venv/bin/nbgrader`` or JupyterLab started without activating the environment fails with
"No such file or directory: 'alembic'") and costs a second or two per new gradebook. The
answer is a constant of the installed nbgrader, which alembic's Python API reads from
nbgrader's migration scripts directly.
"""

from __future__ import annotations

import functools


@functools.cache
def schema_version() -> str:
    """The head revision of nbgrader's gradebook migrations: what ``alembic heads`` prints."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    config = Config()
    config.set_main_option("script_location", ALEMBIC_DIR)
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None, "nbgrader's migration scripts have no head revision"
    return head


def use_in_process_schema_version() -> None:
    """Make nbgrader stamp new gradebooks with :func:`schema_version` (idempotent)."""
    import nbgrader.api

    nbgrader.api.get_alembic_version = schema_version
