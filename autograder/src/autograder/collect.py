"""An LMS bulk download into ``autograder/submitted/``: nbgrader's zip collection, with a roster.

Classes on Canvas or Moodle submit there, and the instructor downloads every submission of
an assignment as one zip. nbgrader's ``zip_collect`` unpacks such an archive and files each
notebook under a student id that a plug-in reads from the file's name; the course's plug-in,
:class:`LmsCollector`, knows each LMS's naming (one named-group regex per LMS, in
``nbgrader_config.py``) and turns the LMS's id or name into the course's student id with a
roster. ``course collect LAB ARCHIVE --roster ROSTER.csv`` runs it (:func:`collect_archive`);
plain ``nbgrader zip_collect LAB`` works too, keyed by LMS id unless
``--LmsCollector.roster=ROSTER.csv`` is given.

Nothing in the archive is dropped silently: a submission from someone the roster does not
know, or a file no LMS pattern recognises, is listed by name, and the command exits non-zero.
A damaged archive is refused before anything is unpacked.
"""

from __future__ import annotations

import copy
import csv
import logging
import re
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Dict, Unicode

from autograder.config import Course
from autograder.errors import CourseError
from autograder.layout import Lab

ROSTER_HELP = (
    "A roster is a CSV file with a header row: a student_id column (the course's id of each "
    "student), and an lms_id column (the LMS's number for the student: Canvas's user id, "
    "Moodle's participant id) or a name column (as the LMS shows it), or both."
)
STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]*")


def name_key(name: str) -> str:
    """A name reduced to lowercase letters and digits: "Ana María López" -> "anamarialopez"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def _name_keys(name: str) -> set[str]:
    """The keys an LMS may write a roster name as: as given, or surname first (Canvas's files)."""
    words = name.replace(",", " ").split()
    if not words:
        return set()
    return {name_key("".join(words)), name_key(words[-1] + "".join(words[:-1]))}


@dataclass
class Roster:
    """The course's student ids by LMS id and by name, read from a CSV file."""

    by_lms_id: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, str | None] = field(default_factory=dict)  # None: two students share the name
    students: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> Roster:
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                rows = list(csv.DictReader(handle))
                header = [column.strip() for column in (rows[0].keys() if rows else [])]
        except FileNotFoundError:
            raise CourseError(f"No roster at {path}. {ROSTER_HELP}") from None
        except (UnicodeDecodeError, csv.Error) as exc:
            raise CourseError(f"Cannot read the roster {path} ({exc}): save it as UTF-8 CSV. {ROSTER_HELP}") from None
        if "student_id" not in header or not {"lms_id", "name"} & set(header):
            raise CourseError(f"The roster {path} has the columns {header or '(none)'}. {ROSTER_HELP}")
        roster = cls()
        for line, row in enumerate(rows, start=2):
            row = {(key or "").strip(): (value or "").strip() for key, value in row.items()}
            student, lms_id, name = row["student_id"], row.get("lms_id", ""), row.get("name", "")
            if not STUDENT_ID.fullmatch(student):
                raise CourseError(
                    f"{path}, line {line}: student_id {student!r} is not a usable id "
                    "(letters, digits, '.', '_', '@', '-'; it names the student's folder)."
                )
            if lms_id:
                if lms_id in roster.by_lms_id:
                    raise CourseError(f"{path}, line {line}: lms_id {lms_id} is given twice; one student has one id.")
                roster.by_lms_id[lms_id] = student
            for key in _name_keys(name):
                roster.by_name[key] = None if roster.by_name.get(key, student) != student else student
            roster.students.append(student)
        return roster

    def find(self, lms_id: str, name: str) -> str | None:
        """The student with this LMS id, or else this name (when no other student has it)."""
        return self.by_lms_id.get(lms_id) or self.by_name.get(name_key(name))


@dataclass(frozen=True)
class Unknown:
    """A submission the roster does not place, as the LMS named it."""

    name: str
    lms_id: str
    lms: str
    path: str  # inside the archive

    def __str__(self) -> str:
        return f"{self.name} ({self.lms} id {self.lms_id}): {self.path}"


class LmsCollector(FileNameCollectorPlugin):
    """nbgrader's file-name collector for LMS downloads: a regex per LMS, then the roster."""

    named_regexps = Dict(
        value_trait=Unicode(),
        help=(
            "One regex per LMS, searched in each file's path inside the extracted archive, with the groups name, "
            "lms_id and file_id (the notebook's name without .ipynb), and optionally late."
        ),
    ).tag(config=True)
    roster = Unicode("", help="CSV mapping LMS ids or names to student ids; empty: the LMS id is the student id").tag(
        config=True
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.table: Roster | None = Roster.read(Path(self.roster)) if self.roster else None
        self.collected: dict[str, list[str]] = {}  # student -> paths in the archive
        self.unknown: list[Unknown] = []
        self.unrecognised: list[str] = []  # notebooks no LMS pattern matches
        self.not_notebooks: list[str] = []
        self.late: set[str] = set()
        parent = self.parent  # nbgrader's ZipCollectApp: paths are shown inside its extracted folder
        self.extracted = parent._format_collect_path(parent.extracted_directory) if parent is not None else ""

    def _shown(self, path: str) -> str:
        return path.removeprefix(self.extracted).lstrip("/")

    def collect(self, submitted_file: str) -> dict | None:
        if not self.named_regexps:
            raise CourseError("No LMS file-name patterns are configured: set c.LmsCollector.named_regexps.")
        shown = self._shown(submitted_file)
        if PurePosixPath(submitted_file).suffix not in self.valid_ext:
            self.not_notebooks.append(shown)
            return None
        matches = ((lms, re.search(pattern, shown)) for lms, pattern in self.named_regexps.items())
        lms, match = next(((lms, m) for lms, m in matches if m), ("", None))
        if match is None:
            self.unrecognised.append(shown)
            self.log.warning("Not collected, not a file name of a known LMS: %s", shown)
            return None
        found = match.groupdict()
        name, lms_id = found.get("name") or "", found.get("lms_id") or ""
        student = self.table.find(lms_id, name) if self.table else lms_id
        if not student:
            self.unknown.append(Unknown(name, lms_id, lms, shown))
            self.log.warning("Not collected, not in the roster: %s", self.unknown[-1])
            return None
        if found.get("late"):
            self.late.add(student)
        self.collected.setdefault(student, []).append(shown)
        return {"student_id": student, "file_id": f"{found['file_id']}.ipynb"}


@dataclass
class Collected:
    """What ``course collect`` did with an archive."""

    students: dict[str, list[str]]  # student id -> files taken from the archive
    unknown: list[Unknown]
    unrecognised: list[str]
    not_notebooks: list[str]
    late: set[str]
    missing: list[str]  # roster students with nothing in the archive

    @property
    def complete(self) -> bool:
        """Everything in the archive placed: nobody unknown, no file unrecognised."""
        return not self.unknown and not self.unrecognised


def check_archive(archive: Path) -> None:
    """Refuse what nbgrader would half-unpack: a missing, damaged or path-escaping archive."""
    if not archive.is_file():
        raise CourseError(f"No archive at {archive}: give the zip file downloaded from the LMS.")
    if not zipfile.is_zipfile(archive):
        raise CourseError(
            f"{archive} is not a zip archive, or it is damaged (cut off while downloading?): "
            "download the submissions from the LMS again."
        )
    try:
        with zipfile.ZipFile(archive) as zipped:
            damaged = zipped.testzip()
            names = zipped.namelist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise CourseError(f"{archive} is a damaged zip archive ({exc}): download the submissions again.") from None
    if damaged:
        raise CourseError(f"{archive} is damaged (its file {damaged!r} fails its checksum): download it again.")
    escaping = [n for n in names if n.startswith("/") or ".." in PurePosixPath(n).parts]
    if escaping:
        raise CourseError(f"{archive} holds paths outside itself ({escaping[0]!r}); it is not an LMS download.")


class _Errors(logging.Handler):
    """Keeps what nbgrader logged as errors, to say why zip_collect stopped."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def collect_archive(course: Course, lab: Lab, archive: Path, roster: Path | None) -> Collected:
    """Unpack ``archive`` with nbgrader's zip collection into each student's submitted folder.

    A student's earlier submission of this lab is replaced by the one in the archive; students
    not in the archive keep theirs.
    """
    from nbgrader.apps.zipcollectapp import ZipCollectApp
    from nbgrader.coursedir import CourseDirectory
    from setuptools.archive_util import UnrecognizedFormat  # what nbgrader's unzip raises
    from traitlets.config import Config

    check_archive(archive)
    table = Roster.read(roster) if roster else None  # a bad roster stops us before anything is unpacked
    config = copy.deepcopy(course.config)
    config.merge(
        Config(
            {
                "NbGrader": {"logfile": ""},
                "Application": {"log_level": "ERROR"},
                "ZipCollectApp": {"force": True},
                "LmsCollector": {"roster": str(roster or "")},
            }
        )
    )
    app = ZipCollectApp(config=config)
    app.coursedir = CourseDirectory(parent=app)
    app.coursedir.assignment_id = lab.name
    errors = _Errors()
    app.log.addHandler(errors)

    inbox = Path(app._format_collect_path(app.archive_directory))
    if inbox.exists():
        shutil.rmtree(inbox)  # only this archive: an earlier download must not be collected again
    inbox.mkdir(parents=True)
    shutil.copyfile(archive, inbox / f"{archive.stem}.zip")

    app.init_plugins()
    collector = app.collector_plugin_inst
    if not isinstance(collector, LmsCollector):
        raise CourseError(f"ZipCollectApp.collector_plugin is {type(collector).__name__}: set it to LmsCollector.")
    try:
        app.extract_archive_files()
        app.process_extracted_files()
    except SystemExit:
        reason = errors.messages[-1] if errors.messages else "no reason given"
        raise CourseError(f"nbgrader's zip collection stopped on {archive}: {reason}") from None
    except (zipfile.BadZipFile, UnrecognizedFormat, OSError) as exc:
        raise CourseError(f"Could not unpack {archive} ({exc}): download the submissions again.") from None
    missing = [s for s in table.students if s not in collector.collected] if table else []
    return Collected(
        students=dict(sorted(collector.collected.items())),
        unknown=collector.unknown,
        unrecognised=collector.unrecognised,
        not_notebooks=collector.not_notebooks,
        late=collector.late,
        missing=missing,
    )
