"""The one writer of ``course grade``'s grades and flags: the gradebook and ``autograded/``.

Graders never touch the course: they return :mod:`results <autograder.grading.results>`, and
the coordinator hands each to :class:`Recorder`, which

- for a :class:`Graded` result, puts the autograded folder in place and records its scores
  with nbgrader's own per-cell rules (``SaveAutoGrades``), the late penalty with nbgrader's
  ``AssignLatePenalties``, and the flag (when an instructor should look);
- for a failure, zeroes every grade and flags the submission, and removes an autograded
  notebook or feedback page left from an earlier grading: it describes a submission that
  no longer exists.

Speed matters on a cluster, where one coordinator records what hundreds of cores grade.
nbgrader's preprocessors open a new gradebook (a new database engine, with a cold statement
cache) for every submission and commit after every cell; here one gradebook serves the whole
run and each batch of results is written in one transaction. If anything in a batch fails,
the batch is rolled back and its results recorded one at a time, so one bad result costs
only itself.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from autograder.config import Course
from autograder.gradebook import flag_submission, identity, open_gradebook
from autograder.grading.bundle import save_autograded
from autograder.grading.journal import Submission
from autograder.grading.results import Graded, MachineryFailed, Outcome, Result
from autograder.layout import Lab


@dataclass(frozen=True)
class Finished:
    submission: Submission
    result: Result


class _BatchedSession:
    """The gradebook's session, with nbgrader's many commits deferred until the batch ends.

    nbgrader's API commits after each row it touches; inside a batch that does nothing (the
    session autoflushes before every query, so nbgrader still reads what it wrote), and the
    batch commits once. A rollback from inside nbgrader (its answer to an IntegrityError)
    would silently undo the whole batch, so it raises instead: the caller then records the
    batch one result at a time.
    """

    def __init__(self, session: Any) -> None:
        self._session = session

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        raise RuntimeError("nbgrader rolled back inside a batch")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


class Recorder:
    """Writes one lab's results into the course's gradebook, batch by batch, for one run."""

    def __init__(self, course: Course, lab: Lab) -> None:
        from nbgrader.coursedir import CourseDirectory

        self.course, self.lab = course, lab
        self.identity = identity(course.root, course.db_url)
        self._coursedir = CourseDirectory(config=course.config)
        self._stack = contextlib.ExitStack()
        self._gradebook = self._stack.enter_context(open_gradebook(course.db_url))
        assignment = self._gradebook.find_assignment(lab.name)
        self._has_due_date = assignment.duedate is not None

    def close(self) -> None:
        self._stack.close()

    def record(self, batch: list[Finished]) -> list[Outcome]:
        """Record ``batch`` (one transaction); the journal entries, in order.

        Quietly: nbgrader's gradebook code trips SQLAlchemy warnings about its own session use
        on every submission, which say nothing about the submission and would bury the
        progress line (the grading processes silence them too).
        """
        import warnings

        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", module=r"nbgrader\.")
            return self._record(batch)

    def _record(self, batch: list[Finished]) -> list[Outcome]:
        if not batch:
            return []
        try:
            with self._batched():
                outcomes = [self._write(item) for item in batch]
            if self._has_due_date:  # nbgrader's late-penalty step reads the committed grades
                for item in batch:
                    if isinstance(item.result, Graded):
                        self._late_penalty(item.submission.student)
        except Exception:  # noqa: BLE001 - whatever broke the batch, each result gets its own chance
            if len(batch) == 1:
                return [self._record_failure_to_record(batch[0])]
            return [outcome for item in batch for outcome in self._record([item])]
        return outcomes

    # ------------------------------------------------------------------ one transaction

    @contextlib.contextmanager
    def _batched(self) -> Iterator[None]:
        gradebook = self._gradebook
        real = gradebook.db
        gradebook.db = _BatchedSession(real)
        try:
            yield
            real.commit()
        except BaseException:
            real.rollback()
            raise
        finally:
            gradebook.db = real

    def _write(self, item: Finished) -> Outcome:
        submission, result = item.submission, item.result
        if isinstance(result, Graded):
            self._write_graded(submission, result)
        else:
            self._write_failed(submission)
        return Outcome.of(submission.student, submission.digest, self.identity, result)

    def _write_graded(self, submission: Submission, result: Graded) -> None:
        import nbformat
        from nbgrader import utils
        from nbgrader.preprocessors import SaveAutoGrades

        lab, student, gradebook = self.lab, submission.student, self._gradebook
        target = lab.autograded(student)
        save_autograded(result.autograded, target)
        timestamp = self._coursedir.get_existing_timestamp(str(submission.folder))
        gradebook.update_or_create_student(student)
        gradebook.update_or_create_submission(lab.name, student, timestamp=timestamp)
        notebook = nbformat.read(target / f"{lab.name}.ipynb", as_version=4)
        # nbgrader's own per-cell rules, applied through this run's one gradebook.
        saver = SimpleNamespace(
            gradebook=gradebook, notebook_id=lab.name, assignment_id=lab.name, student_id=student, log=_QUIET
        )
        for cell in notebook.cells:
            if utils.is_grade(cell):
                SaveAutoGrades._add_score(saver, cell, {})  # type: ignore[arg-type]
            if utils.is_solution(cell) or utils.is_task(cell):
                SaveAutoGrades._add_comment(saver, cell, {})  # type: ignore[arg-type]
        record = gradebook.find_submission_notebook(lab.name, lab.name, student)
        record.flagged = bool(result.flag or result.environment_fault)
        record.late_submission_penalty = None  # nbgrader's step sets it again below when a due date is set

    def _late_penalty(self, student: str) -> None:
        """nbgrader's own late-penalty step, after the batch is committed (it opens a gradebook of its own)."""
        import nbformat
        from nbgrader.preprocessors import AssignLatePenalties

        notebook = nbformat.read(self.lab.autograded(student) / f"{self.lab.name}.ipynb", as_version=4)
        ids = {"db_url": self.course.db_url, "assignment": self.lab.name, "notebook": self.lab.name}
        AssignLatePenalties(config=self.course.config).preprocess(notebook, {"nbgrader": {**ids, "student": student}})

    def _write_failed(self, submission: Submission) -> None:
        lab, student, gradebook = self.lab, submission.student, self._gradebook
        for stale in (lab.autograded(student), lab.feedback(student)):
            shutil.rmtree(stale, ignore_errors=True)
        gradebook.update_or_create_student(student)
        record = gradebook.update_or_create_submission(lab.name, student)
        for notebook in record.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = True
        flag_submission(gradebook, lab.name, student)

    def _record_failure_to_record(self, item: Finished) -> Outcome:
        """The result could not be written: zero and flag it (in a fresh transaction), to retry next run."""
        import traceback

        why = traceback.format_exc(limit=1).strip().splitlines()[-1]
        failed = Finished(item.submission, MachineryFailed(f"could not record grades: {why}", item.result.seconds))
        with self._batched():
            return self._write(failed)


class _Quiet:
    """A logger that drops what nbgrader's per-cell rules say (the worker logged it already)."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None


_QUIET = _Quiet()
