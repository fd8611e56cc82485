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
    # The one package data the code reads: the feedback page's nbconvert template (written by hand).
    templates = REPO / "autograder" / "src" / "autograder" / "templates"
    for package in ("autograder", "labkit"):
        folder = REPO / "autograder" / "src" / package
        kinds = {
            path.suffix
            for path in folder.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and templates not in path.parents
        }
        assert kinds == {".py"}, f"{folder} holds {kinds}"
    assert {path.name for path in templates.rglob("*") if path.is_file()} == {"conf.json", "index.html.j2"}
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


def test_files_a_grading_run_writes_do_not_change_the_worker_fingerprint():
    """A learner's helper ``.py`` lands in submitted/ and autograded/: workers must not see new code.

    The fingerprint once hashed every ``.py`` under ``autograder/``, data folders included, so one
    handed-in helper made every cluster worker refuse its jobs as stale. A ``.py`` added to the
    code itself must still change it (else the check could never fail).
    """
    from autograder.grading.bundle import fingerprint

    layout = Layout()
    probes = [
        REPO / folder / "fingerprint-probe" / "lab00_warmup" / "helper.py"
        for folder in (layout.submitted, layout.autograded)
    ]
    code_probe = REPO / "autograder" / "src" / "labkit" / "_fingerprint_probe.py"
    fingerprint.cache_clear()
    before = fingerprint()
    try:
        for probe in probes:
            probe.parent.mkdir(parents=True, exist_ok=True)
            probe.write_text("x = 1\n")
        fingerprint.cache_clear()
        assert fingerprint() == before, "a submitted .py changed the workers' fingerprint"
        code_probe.write_text("x = 1\n")
        fingerprint.cache_clear()
        assert fingerprint() != before, "a new module of the code left the fingerprint unchanged"
    finally:
        code_probe.unlink(missing_ok=True)
        for probe in probes:
            probe.unlink(missing_ok=True)
            for folder in (probe.parent, probe.parent.parent):
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
        fingerprint.cache_clear()


def test_loading_the_configuration_changes_nothing_in_the_process():
    """``nbgrader_config.py`` is loaded by every nbgrader and course command, often more than once.

    It once prepended to PATH and edited ``sys.path`` on every load (twice per recorded
    submission): loading it must leave the environment, the import path and the loaded
    packages as they were, however often it runs.
    """
    probe = """
import json, os, sys
from traitlets.config.loader import PyFileConfigLoader
before = (os.environ.get("PATH"), list(sys.path), dict(os.environ))
for _ in range(3):
    PyFileConfigLoader("nbgrader_config.py", path=sys.argv[1]).load_config()
after = (os.environ.get("PATH"), list(sys.path), dict(os.environ))
print(json.dumps(before == after))
"""
    result = subprocess.run(
        [str(BIN / "python"), "-c", probe, str(REPO)], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "true", "loading nbgrader_config.py changed PATH, sys.path or the environment"
