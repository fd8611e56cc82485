"""The course's folders are named once, and nbgrader's configuration agrees with that name."""

from __future__ import annotations

import subprocess
from pathlib import Path

from autograder.config import Course
from autograder.layout import Layout
from autograder.plugins.gradebook_version import schema_version
from tests.conftest import BIN, REPO


def test_the_configuration_sets_the_folders_the_layout_names():
    assert Course.at(REPO).layout == Layout()


def test_the_code_folder_holds_code_only():
    """What a grading run writes (submissions, gradebook, journal) can never land among the code."""
    for package in ("autograder", "labkit"):
        folder = REPO / "autograder" / "src" / package
        kinds = {path.suffix for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts}
        assert kinds == {".py"}, f"{folder} holds {kinds}"
    assert not (REPO / "autograder" / "__init__.py").exists(), "the grading folder must not be a package"


def test_in_process_schema_version_is_what_alembic_prints(tmp_path: Path):
    """nbgrader stamps new gradebooks with `alembic heads`; the course's in-process answer must match."""
    ini = tmp_path / "alembic.ini"
    from nbgrader.dbutil import write_alembic_ini

    write_alembic_ini(str(ini), f"sqlite:///{tmp_path / 'gradebook.db'}")
    printed = subprocess.run(
        [str(BIN / "alembic"), "-c", str(ini), "heads"], capture_output=True, text=True, check=True
    ).stdout
    assert printed.split()[0] == schema_version()
