"""``course collect``: LMS bulk downloads (Canvas, Moodle) in, graded scores out.

Archives are built here the way each LMS names its files, with the worked solution and the
untouched release of lab00 as submissions, a roster mapping LMS ids and names to student
ids, and someone the roster does not know. They go through ``course collect`` (nbgrader's
zip collection) and ``course grade``; the scores must be the submissions' own.
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from autograder.collect import LmsCollector
from autograder.config import load_config
from tests.conftest import BIN, REPO, make_course_copy, nbgrader, scores_in

LAB = "lab00_warmup"
SOLUTION = (REPO / "solutions" / LAB / f"{LAB}.ipynb").read_bytes()
RELEASE = (REPO / "labs" / LAB / f"{LAB}.ipynb").read_bytes()

ROSTER = """student_id,lms_id,name
amara,12345,Amara Okafor
ana,,Ana López
ben,345,Ben Okoro
chen,456,Chen Wu
dara,789,Dara Absent
"""

CANVAS = {  # lastnamefirstname[_late]_<user id>_<attachment id>_<file>
    "okaforamara_12345_67890_lab00_warmup.ipynb": SOLUTION,
    "lopezana_late_23456_78901_lab00_warmup-1.ipynb": RELEASE,  # late, re-uploaded; found by name
    "zedstranger_99999_11111_lab00_warmup.ipynb": SOLUTION,  # not in the roster
}
MOODLE = {  # "Firstname Lastname_<participant id>_assignsubmission_file_" as a folder, or flat
    "Ben Okoro_345_assignsubmission_file_/lab00_warmup.ipynb": SOLUTION,
    "Chen Wu_456_assignsubmission_file_lab00_warmup.ipynb": RELEASE,
    "Chen Wu_456_assignsubmission_onlinetext_/onlinetext.html": b"<p>see my notebook</p>",
}


def course(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "course"), *args], cwd=cwd, capture_output=True, text=True, timeout=900)


def archive(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zipped:
        for name, data in files.items():
            zipped.writestr(name, data)
    return path


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    root = make_course_copy(tmp_path / "course", [LAB])
    assert nbgrader(root, "generate_assignment", LAB).returncode == 0
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    return root


def test_canvas_and_moodle_downloads_are_collected_and_graded(tmp_path: Path, generated: Path) -> None:
    roster = str(tmp_path / "roster.csv")
    canvas_zip, moodle_zip = archive(tmp_path / "canvas.zip", CANVAS), archive(tmp_path / "moodle.zip", MOODLE)
    canvas = course("collect", "lab00", str(canvas_zip), "--roster", roster, cwd=generated)
    assert canvas.returncode == 1, canvas.stdout + canvas.stderr  # someone unknown: never dropped silently
    assert "NOT COLLECTED, not in the roster: zedstranger (canvas id 99999)" in canvas.stdout, canvas.stdout
    assert "collected ana (late, says the LMS)" in canvas.stdout, canvas.stdout
    assert "no submission in the archive from 3 student(s): ben, chen, dara" in canvas.stdout, canvas.stdout

    moodle = course("collect", "lab00", str(moodle_zip), "--roster", roster, cwd=generated)
    assert moodle.returncode == 0, moodle.stdout + moodle.stderr
    assert "not notebooks, left out:" in moodle.stdout and "onlinetext.html" in moodle.stdout, moodle.stdout

    submitted = generated / "autograder" / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == ["amara", "ana", "ben", "chen"]
    assert (submitted / "ana" / LAB / f"{LAB}.ipynb").read_bytes() == RELEASE

    graded = course("grade", LAB, "--workers", "1", cwd=generated)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    scores = {student: sum(cells.values()) for student, cells in scores_in(generated, LAB).items()}
    assert scores == {"amara": 6.0, "ana": 0.0, "ben": 6.0, "chen": 0.0}, scores


def test_a_damaged_archive_is_refused_with_what_to_do(tmp_path: Path, generated: Path) -> None:
    whole = archive(tmp_path / "whole.zip", CANVAS).read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    result = course("collect", "lab00", str(cut), "--roster", str(tmp_path / "roster.csv"), cwd=generated)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "damaged" in result.stderr and "download" in result.stderr, result.stderr
    assert not (generated / "autograder" / "submitted").exists()


def test_a_roster_without_the_needed_columns_is_refused(tmp_path: Path, generated: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,email\namara,a@example.org\n")
    result = course("collect", "lab00", str(archive(tmp_path / "c.zip", CANVAS)), "--roster", str(bad), cwd=generated)
    assert result.returncode == 2 and "student_id" in result.stderr, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("path", "lms", "name", "lms_id", "file_id", "late"),
    [
        (
            "x/okaforamara_12345_67890_lab01_api_design.ipynb",
            "canvas",
            "okaforamara",
            "12345",
            "lab01_api_design",
            None,
        ),
        ("x/lopezana_late_23456_78901_lab00_warmup-2.ipynb", "canvas", "lopezana", "23456", "lab00_warmup", "_late"),
        (
            "x/Ben Okoro_345_assignsubmission_file_/lab00_warmup.ipynb",
            "moodle",
            "Ben Okoro",
            "345",
            "lab00_warmup",
            None,
        ),  # noqa: E501
        (
            "x/Ben Okoro_345_assignsubmission_file/lab00_warmup.ipynb",
            "moodle",
            "Ben Okoro",
            "345",
            "lab00_warmup",
            None,
        ),
        ("x/Chen Wu_456_assignsubmission_file_lab01_api.ipynb", "moodle", "Chen Wu", "456", "lab01_api", None),
    ],
)
def test_each_lms_file_name_is_read_by_its_own_pattern(path, lms, name, lms_id, file_id, late) -> None:
    """The patterns in nbgrader_config.py: one LMS each, with the groups the collector reads."""
    import re

    patterns = load_config(REPO).LmsCollector.named_regexps
    assert LmsCollector  # the plug-in nbgrader_config.py names
    matching = {key: re.search(pattern, path) for key, pattern in patterns.items()}
    assert [key for key, match in matching.items() if match] == [lms], path
    found = matching[lms].groupdict()
    assert (found["name"], found["lms_id"], found["file_id"], found.get("late")) == (name, lms_id, file_id, late)


def test_the_roster_places_by_lms_id_then_by_name_and_never_guesses(tmp_path: Path) -> None:
    from autograder.collect import Roster

    path = tmp_path / "roster.csv"
    path.write_text("student_id,lms_id,name\nsam1,11,Sam Lee\nsam2,,Sam Lee\nana,,Ana María López\n")
    roster = Roster.read(path)
    assert roster.find("11", "whoever") == "sam1"  # the LMS id first
    assert roster.find("", "leesam") is None  # two students are called Sam Lee: nobody is placed
    assert roster.find("", "lopezanamaria") == roster.find("", "Ana Maria Lopez") == "ana"  # Canvas, Moodle
