"""The gradebook on PostgreSQL as on SQLite, and the snapshot graders get: the lab, nothing else.

PostgreSQL is a real server from Debian's packages, started on a loopback port in a
temporary folder for this module and stopped after it.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from sqlalchemy import text

from autograder.gradebook import identity, snapshot_definition
from autograder.grading.journal import Journal, Submission
from autograder.grading.results import Outcome
from autograder.layout import Lab
from tests.conftest import BIN, SAMPLE_LAB, flagged_in, sample_course, scores_in
from tests.services import postgres_server


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


def course(root: Path, command: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "course"), command, SAMPLE_LAB, *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )


def exported(root: Path, env: dict[str, str] | None = None) -> dict[str, dict[str, str]]:
    result = course(root, "export", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    with (root / "autograder" / "reports" / f"{SAMPLE_LAB}.csv").open() as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


def test_generate_grade_export_on_postgresql_match_sqlite(sample_grades, postgres_url, tmp_path):
    env = {**os.environ, "COURSE_DB_URL": postgres_url}
    root = sample_course(tmp_path / "course", env=env)
    result = course(root, "grade", "--workers", "2", env=env)
    assert result.returncode == 1, result.stdout + result.stderr  # the broken and the misnamed are flagged

    assert not (root / "autograder" / "gradebook.db").exists(), "a SQLite gradebook was written, not PostgreSQL"
    assert scores_in(postgres_url, SAMPLE_LAB) == sample_grades.scores
    assert flagged_in(postgres_url, SAMPLE_LAB) == sample_grades.flagged
    assert exported(root, env) == exported(sample_grades.root)

    # Plain nbgrader works on the same PostgreSQL gradebook, with no flags.
    plain = subprocess.run([str(BIN / "nbgrader"), "export"], cwd=root, capture_output=True, text=True, env=env)
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert (root / "grades.csv").read_text().count(SAMPLE_LAB) == len(sample_grades.scores)

    # A wrong URL says what to check, and never prints the password.
    wrong = postgres_url.replace(":s3cret-for-tests@", ":not-the-password@")
    result = course(root, "grade", "--force", env={**env, "COURSE_DB_URL": wrong})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Cannot open the gradebook at postgresql://course:***@127.0.0.1" in result.stderr
    assert "COURSE_DB_URL" in result.stderr and "not-the-password" not in result.stderr


def test_snapshot_holds_the_lab_definition_and_no_student_record(sample_grades, tmp_path):
    """Graders get the lab's cells from a snapshot; other students' records never leave the gradebook."""
    root = tmp_path / "course"
    shutil.copytree(sample_grades.root, root)
    url = f"sqlite:///{root / 'autograder' / 'gradebook.db'}"
    with Gradebook(url) as gradebook:  # a second lab in the same gradebook must stay out too
        gradebook.update_or_create_assignment("another-lab")
        gradebook.update_or_create_notebook("another-lab", "another-lab")
        gradebook.update_or_create_grade_cell("t1", "another-lab", "another-lab", max_score=1, cell_type="code")
        gradebook.update_or_create_submission("another-lab", "amara-solid")

    snapshot = tmp_path / "snapshot.db"
    snapshot_definition(Lab(root, SAMPLE_LAB), url, snapshot)

    def definition(db_url: str) -> dict[str, list[tuple]]:
        with Gradebook(db_url) as gradebook:
            (notebook,) = gradebook.find_assignment(SAMPLE_LAB).notebooks
            return {
                "grade": sorted((c.id, c.name, c.max_score, c.cell_type) for c in notebook.grade_cells),
                "solution": sorted((c.id, c.name) for c in notebook.solution_cells),
                "task": sorted((c.id, c.name, c.max_score) for c in notebook.task_cells),
                "source": sorted((c.id, c.name, c.locked, c.checksum, c.source) for c in notebook.source_cells),
            }

    assert definition(f"sqlite:///{snapshot}") == definition(url)
    assert definition(url)["grade"] and definition(url)["source"]
    with Gradebook(f"sqlite:///{snapshot}") as copy:
        assert [a.name for a in copy.assignments] == [SAMPLE_LAB]
        for table in ("student", "submitted_assignment", "submitted_notebook", "grade", "comment"):
            assert copy.db.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one() == 0, table


def test_the_journal_skips_only_what_went_into_the_same_gradebook(tmp_path):
    """After switching to PostgreSQL, submissions journaled as graded into SQLite are graded again."""
    root, moved = tmp_path / "course", tmp_path / "moved"
    sqlite, postgres = f"sqlite:///{root / 'autograder' / 'gradebook.db'}", "postgresql://grader:pw@db:5432/course"
    journal = Journal(Lab(root, SAMPLE_LAB))
    journal.record([Outcome("amara", "d1", "graded", gradebook=identity(root, sqlite))])
    journal.entries["ben"] = {"student": "ben", "digest": "d2", "status": "graded"}  # journaled before PostgreSQL
    amara, ben = Submission("amara", root, "d1"), Submission("ben", root, "d2")

    assert journal.is_done(amara, identity(root, sqlite)) and journal.is_done(ben, identity(root, sqlite))
    assert not journal.is_done(amara, identity(root, postgres)) and not journal.is_done(ben, identity(root, postgres))
    # the course's own SQLite file is the same gradebook wherever the course folder is
    assert identity(moved, f"sqlite:///{moved / 'autograder' / 'gradebook.db'}") == identity(root, sqlite)
    assert identity(root, postgres) == "postgresql://grader:***@db:5432/course"
