"""The course's gradebook, whatever database holds it (SQLite by default, or PostgreSQL).

nbgrader reaches its gradebook through a SQLAlchemy URL (``CourseDirectory.db_url``); the
course sets it in ``nbgrader_config.py``, from ``COURSE_DB_URL`` when that is set. Nothing
here assumes a file: the graders get a *snapshot* built through SQLAlchemy, and every
reader opens the URL.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from autograder.errors import CourseError
from autograder.layout import Lab


def shown(db_url: str) -> str:
    """The URL fit for a message: a password never reaches the terminal or a log."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL has no password we could recognise; say so instead
        return "(unparsable database URL)"


DEFAULT_IDENTITY = "sqlite:autograder/gradebook.db"  # the course's own SQLite file


def identity(root: Path, db_url: str) -> str:
    """Which gradebook this is, for the journal: a SQLite file inside the course by its relative
    path (the course folder may move), any other database by its URL without the password.

    Grades journaled for one gradebook are not in another: after switching to PostgreSQL,
    every submission must be graded again into it, not skipped as done.
    """
    from sqlalchemy.engine import make_url

    try:
        url = make_url(db_url)
    except Exception:  # opening it will fail with a clear error; any identity will do until then
        return db_url
    if url.get_backend_name() == "sqlite" and url.database:
        with contextlib.suppress(ValueError):
            return f"sqlite:{Path(url.database).resolve().relative_to(root.resolve())}"
    return shown(db_url)


def not_in_gradebook(lab: str, db_url: str) -> CourseError:
    """The error for a lab the gradebook lacks; ``--force`` because labs/ already holds every
    release, and without it nbgrader skips the lab and leaves the gradebook without it."""
    return CourseError(
        f"{lab} is not in the gradebook at {shown(db_url)}. "
        f"Run `nbgrader generate_assignment {lab} --force` first (it rewrites labs/{lab} identically)."
    )


@contextlib.contextmanager
def open_gradebook(db_url: str) -> Iterator[Any]:
    """nbgrader's Gradebook at ``db_url``, or a CourseError saying how to fix the URL or server.

    On leaving, the engine is disposed too: nbgrader's ``close`` keeps its connection pool,
    and on a database server each forgotten pool holds connections open.
    """
    from nbgrader.api import Gradebook

    try:
        gradebook = Gradebook(db_url)
    except Exception as exc:  # SQLAlchemy raises many types; all mean "this URL does not work"
        cause = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
        raise CourseError(
            f"Cannot open the gradebook at {shown(db_url)}: {type(exc).__name__}: {cause}. "
            "Check COURSE_DB_URL (e.g. postgresql://user:password@host:5432/gradebook) "
            "and that the database server is running and reachable."
        ) from None
    try:
        yield gradebook
    finally:
        gradebook.close()
        gradebook.engine.dispose()


def flag_submission(gradebook: Any, lab: str, student: str, notebook: str | None = None) -> bool:
    """Flag a student's submitted notebook in an open gradebook; False when nbgrader has no record of it.

    A flag tells the instructor that the score is not an honest grade (the submission could
    not be graded, or grading saw something a person should look at). Every place that
    flags goes through here, whichever way the submission was graded.
    """
    from nbgrader.api import MissingEntry

    try:
        record = gradebook.find_submission_notebook(notebook or lab, lab, student)
    except MissingEntry:
        return False
    record.flagged = True
    gradebook.db.commit()
    return True


def flag_from_resources(resources: dict[str, Any]) -> None:
    """Flag the submission an nbgrader preprocessor is working on (plain ``nbgrader autograde``)."""
    info = resources.get("nbgrader", {})
    if not {"db_url", "assignment", "notebook", "student"} <= set(info):
        return
    with open_gradebook(info["db_url"]) as gradebook:
        flag_submission(gradebook, info["assignment"], info["student"], info["notebook"])


def snapshot_definition(lab: Lab, db_url: str, dest: Path) -> None:
    """Write a new SQLite gradebook at ``dest`` holding only ``lab``'s definition from ``db_url``.

    Graders read the test cells and locked sources from it and write their scratch grades
    into it; the real gradebook is written by the coordinator alone. Rows are copied with
    SQLAlchemy, ids included, so it works the same from SQLite and from PostgreSQL. Student,
    submission, grade and comment tables are left out on purpose: a grader needs the lab's
    definition only, and must not hold any other student's record.
    """
    from nbgrader.api import (
        Assignment,
        BaseCell,
        GradeCell,
        MissingEntry,
        Notebook,
        SolutionCell,
        SourceCell,
        TaskCell,
    )
    from sqlalchemy import select, text

    with open_gradebook(db_url) as source:
        try:
            assignment = source.find_assignment(lab.name)
        except MissingEntry:
            raise not_in_gradebook(lab.name, db_url) from None
        course_id = assignment.course_id
        version = source.db.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        notebooks = [notebook.id for notebook in assignment.notebooks]
        copied: list[tuple[Any, list[dict[str, Any]]]] = []
        with source.engine.connect() as conn:

            def rows(table: Any, where: Any) -> list[dict[str, Any]]:
                found = [dict(row) for row in conn.execute(select(table).where(where)).mappings()]
                copied.append((table, found))
                return found

            rows(Assignment.__table__, Assignment.__table__.c.id == assignment.id)
            rows(Notebook.__table__, Notebook.__table__.c.assignment_id == assignment.id)
            cells = [row["id"] for row in rows(BaseCell.__table__, BaseCell.__table__.c.notebook_id.in_(notebooks))]
            for kind in (GradeCell, SolutionCell, TaskCell):
                rows(kind.__table__, kind.__table__.c.id.in_(cells))
            rows(SourceCell.__table__, SourceCell.__table__.c.notebook_id.in_(notebooks))

    dest.unlink(missing_ok=True)
    _write_snapshot(f"sqlite:///{dest}", course_id, version, copied)


def _write_snapshot(url: str, course_id: str, version: str, copied: list[tuple[Any, list[dict[str, Any]]]]) -> None:
    """Create nbgrader's schema and insert the copied rows.

    The schema version is the source gradebook's own, so nbgrader opens the snapshot as a
    gradebook it knows; writing it here spares the ``alembic`` subprocess nbgrader would
    run to create an empty gradebook.
    """
    from nbgrader.api import Base, Course
    from sqlalchemy import create_engine, insert, text

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            Base.metadata.create_all(conn)
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": version})
            conn.execute(insert(Course.__table__), [{"id": course_id}])
            for table, found in copied:
                if found:
                    conn.execute(insert(table), found)
    finally:
        engine.dispose()


def awaiting_manual_grade(gradebook: Any, lab: str, student: str, notebook: str | None = None) -> set[str]:
    """Grade ids of a submitted notebook whose points await a person (nbgrader's ``needs_manual_grade``).

    Until someone grades them in Formgrader their score reads 0; every report of the course
    shows them as pending instead. Empty when nbgrader has no record of the submission.
    """
    from nbgrader.api import MissingEntry

    try:
        record = gradebook.find_submission_notebook(notebook or lab, lab, student)
    except MissingEntry:
        return set()
    return {grade.name for grade in record.grades if grade.needs_manual_grade}


def is_flagged(gradebook: Any, lab: str, student: str, notebook: str | None = None) -> bool:
    """Whether the submitted notebook is flagged for an instructor (see :func:`flag_submission`)."""
    from nbgrader.api import MissingEntry

    try:
        return bool(gradebook.find_submission_notebook(notebook or lab, lab, student).flagged)
    except MissingEntry:
        return False
