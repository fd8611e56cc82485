"""`course publish`: the learner edition holds what learners need, and nothing of the instructor's side.

The edition is checked here with this environment's Python and the edition's own copy of
``labkit`` (its ``src/`` first on the path); installing it into a fresh environment with
its README's commands is what the browser test does (``tests/test_browser.py``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from labkit.notebooks import grade_id
from tests.conftest import BIN, REPO

WARMUP = "lab00_warmup"
# A hidden line shorter than this is an idiom any Python file may hold (`else:`, `return body`,
# `assert ok`, `client.close()`): finding it says nothing about a leak, and it would be found
# everywhere. Every longer hidden line is specific enough to be looked for.
MIN_SECRET_LENGTH = 20
HIDDEN_BLOCK = re.compile(r"^\s*### BEGIN HIDDEN TESTS\s*$(.*?)^\s*### END HIDDEN TESTS\s*$", re.M | re.S)
SOLUTION_BLOCK = re.compile(r"^\s*### BEGIN SOLUTION\s*$.*?^\s*### END SOLUTION\s*$", re.M | re.S)
# Nothing of these may be in the edition, by name: the instructor's side of the course.
INSTRUCTOR_NAMES = re.compile(
    r"(^|/)(autograder|solutions|source|mistakes|alternatives|checks|submitted|autograded|feedback|gradebook\.db|"
    r"tests)(/|$)|^nbgrader_config\.py$"  # the instructor's configuration; labs/ has the learner's own
)


def publish(dest: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "course"), "publish", str(dest)], cwd=REPO, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("edition") / "fastapi-course"
    result = publish(dest)
    assert result.returncode == 0, result.stdout + result.stderr
    return dest


def edition_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.relative_to(root).parts)


def cell_sources(path: Path) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]


def strings_in(value: object) -> Iterator[str]:
    """Every string of a JSON document (a notebook's lines joined per cell), so escaping hides nothing."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        yield "".join(value)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)


def searchable_text(path: Path) -> str:
    """The file as text, and for a notebook also every string in it unescaped (sources, outputs, metadata)."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix == ".ipynb":
        text += "\n" + "\n".join(strings_in(json.loads(text)))
    return text


def secret_lines() -> set[str]:
    """Every line of every hidden test block of every lab source that a learner may not see.

    A hidden line that is also public text is no secret and is left out: the lab's own visible
    part (a visible check and a hidden one both write `expect_status(response, 200, ...)`), a
    lesson, or the `labkit` helpers the cells call. Solutions count as secret, not public.
    """
    hidden: set[str] = set()
    public: list[str] = []
    for source in sorted((REPO / "autograder" / "source").glob("*/*.ipynb")):
        for text in cell_sources(source):
            for block in HIDDEN_BLOCK.findall(text):
                hidden.update(line.strip() for line in block.splitlines())
            public.append(SOLUTION_BLOCK.sub("", HIDDEN_BLOCK.sub("", text)))
    for lesson in sorted((REPO / "course").glob("*.ipynb")):
        public.extend(cell_sources(lesson))
    public.extend(p.read_text(encoding="utf-8") for p in sorted((REPO / "autograder" / "src" / "labkit").glob("*.py")))
    public_text = "\n".join(public)
    return {line for line in hidden if len(line) >= MIN_SECRET_LENGTH and line not in public_text}


def test_no_line_of_any_hidden_test_is_in_any_file_of_the_edition(edition: Path):
    secrets = secret_lines()
    assert len(secrets) > 1000, "the hidden blocks were not found: the grep below would prove nothing"
    leaks = {
        str(path.relative_to(edition)): sorted(line for line in secrets if line in text)[:3]
        for path in edition_files(edition)
        if (text := searchable_text(path))
    }
    leaks = {path: lines for path, lines in leaks.items() if lines}
    assert not leaks, f"hidden test lines in the learner edition: {leaks}"


def test_edition_holds_lessons_releases_and_the_learner_package_only(edition: Path):
    files = [str(p.relative_to(edition)) for p in edition_files(edition)]
    assert not [f for f in files if INSTRUCTOR_NAMES.search(f)], files
    lessons = sorted(p.name for p in (REPO / "course").glob("*.ipynb"))
    assert sorted(p.name for p in (edition / "course").glob("*.ipynb")) == lessons
    for release in sorted((REPO / "labs").glob("*/*.ipynb")):
        lab = release.parent.name
        assert (edition / "labs" / lab / release.name).read_bytes() == release.read_bytes()
        assert (edition / "src" / "labkit" / "releases" / release.name).read_bytes() == release.read_bytes()
    modules = sorted(p.name for p in (REPO / "autograder" / "src" / "labkit").glob("*.py"))
    assert sorted(p.name for p in (edition / "src" / "labkit").glob("*.py")) == modules
    assert not [f for f in files if f.endswith(".py") and "import autograder" in (edition / f).read_text()]
    assert not [f for f in files if f.endswith(".py") and "from autograder" in (edition / f).read_text()]

    pyproject = (edition / "pyproject.toml").read_text()
    assert 'course = "labkit.cli:main"' in pyproject
    assert "dask" not in pyproject and "psycopg" not in pyproject  # the grader's, not the learner's
    readme = (edition / "README.md").read_text()
    assert "make lab" in readme and "course check lab00_warmup" in readme
    assert "autograder" not in readme and "solution" not in readme.lower()


def test_the_editions_nbgrader_configuration_names_the_course_and_nothing_of_the_instructors(
    edition: Path, monkeypatch: pytest.MonkeyPatch
):
    """labs/nbgrader_config.py, where learners run ``nbgrader submit``: the course's id, and
    the exchange only when COURSE_EXCHANGE names it (else the learner's own setting stands)."""
    from traitlets.config.loader import PyFileConfigLoader

    from autograder.config import load_config

    text = (edition / "labs" / "nbgrader_config.py").read_text()
    assert "autograder" not in text and "db_url" not in text and "source_directory" not in text, text

    def loaded():  # noqa: ANN202 - a traitlets Config
        return PyFileConfigLoader("nbgrader_config.py", path=str(edition / "labs")).load_config()

    monkeypatch.delenv("COURSE_EXCHANGE", raising=False)
    config = loaded()
    assert config.CourseDirectory.course_id == load_config(REPO).CourseDirectory.course_id
    assert "root" not in config.Exchange
    monkeypatch.setenv("COURSE_EXCHANGE", "/srv/exchange")
    assert loaded().Exchange.root == "/srv/exchange"


def run_learner_check(edition: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The edition's own `course` (its labkit, not this repository's), from inside the lab's folder.

    It runs with no instructor package importable: any use of `autograder` fails.
    """
    program = (
        "import sys\n"
        "sys.modules['autograder'] = None  # the instructor's package: unimportable here\n"
        "import labkit.cli\n"
        f"assert labkit.cli.__file__.startswith({str(edition / 'src')!r}), labkit.cli.__file__\n"
        "sys.exit(labkit.cli.main(sys.argv[1:]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(edition / "src")}
    env.pop("COURSE_CHECK_RUNNING", None)
    return subprocess.run(
        [sys.executable, "-c", program, *args],
        cwd=cwd or edition / "labs" / WARMUP,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_edition_is_its_own_git_repository_where_course_check_works(edition: Path, tmp_path: Path):
    clone = tmp_path / "learner"
    shutil.copytree(edition, clone)
    git = ["git", "-c", "user.name=Learner", "-c", "user.email=learner@example.org", "-c", "init.defaultBranch=main"]
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "the learner edition"]):
        result = subprocess.run([*git, *step], cwd=clone, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    tracked = subprocess.run([*git, "ls-files"], cwd=clone, capture_output=True, text=True, check=True).stdout.split()
    assert sorted(tracked) == [str(p.relative_to(clone)) for p in edition_files(clone)]

    released = run_learner_check(clone, "check", "lab00")
    assert released.returncode == 1, released.stdout + released.stderr
    assert "Total: 0/6" in released.stdout, released.stdout

    notebook = clone / "labs" / WARMUP / f"{WARMUP}.ipynb"
    shutil.copy2(REPO / "solutions" / WARMUP / f"{WARMUP}.ipynb", notebook)
    solved = run_learner_check(clone, "check", WARMUP)
    assert solved.returncode == 0, solved.stdout + solved.stderr
    assert "Total: 6/6" in solved.stdout

    elsewhere = tmp_path / "downloads"
    elsewhere.mkdir()
    copy = shutil.copy2(notebook, elsewhere / notebook.name)
    outside = run_learner_check(clone, "check", "lab00", str(copy), cwd=elsewhere)  # a copy outside the edition
    assert outside.returncode == 0 and "Total: 6/6" in outside.stdout, outside.stdout + outside.stderr

    version = run_learner_check(clone, "--version")
    helped = run_learner_check(clone, "--help")
    assert version.returncode == helped.returncode == 0 and version.stdout.startswith("course ")
    assert "course check <lab>" in helped.stdout and "publish" not in helped.stdout and "  grade" not in helped.stdout


def test_learner_check_restores_test_cells_from_the_packaged_release_not_the_working_copy(edition: Path, tmp_path):
    """The learner edits labs/<lab>/<lab>.ipynb: a weakened test cell there must not pass."""
    clone = tmp_path / "learner"
    shutil.copytree(edition, clone)
    notebook = clone / "labs" / WARMUP / f"{WARMUP}.ipynb"
    nb = json.loads((REPO / "solutions" / WARMUP / f"{WARMUP}.ipynb").read_text())
    for cell in nb["cells"]:
        if grade_id(cell) == "answer-create-note":
            cell["source"] = "".join(cell["source"]).replace("HTTP_201_CREATED", "HTTP_200_OK")
        if grade_id(cell) == "status-codes-create-note":
            cell["source"] = "pass"
    notebook.write_text(json.dumps(nb))
    result = run_learner_check(clone, "check", WARMUP)
    assert result.returncode == 1 and "expected 201 Created" in result.stdout, result.stdout + result.stderr


def test_publish_updates_an_earlier_edition_and_refuses_any_other_folder(edition: Path, tmp_path: Path):
    earlier = tmp_path / "earlier"
    shutil.copytree(edition, earlier)
    (earlier / ".git").mkdir()
    (earlier / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (earlier / "labs" / "lab99_gone").mkdir()
    result = publish(earlier)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (earlier / ".git" / "HEAD").is_file() and not (earlier / "labs" / "lab99_gone").exists()

    other = tmp_path / "other"
    other.mkdir()
    (other / "thesis.tex").write_text("mine")
    refused = publish(other)
    assert refused.returncode == 2 and "not empty and holds no learner edition" in refused.stderr
    assert (other / "thesis.tex").read_text() == "mine"
    inside = publish(REPO / "edition")
    assert inside.returncode == 2 and "inside the course" in inside.stderr


def test_publish_refuses_a_release_older_than_its_source(tmp_path: Path):
    """Learners' checks use the published release and grading the source: they must not disagree."""
    from autograder.layout import Lab
    from autograder.sample_class import course_copy
    from labkit.notebooks import read_notebook, write_notebook

    (lab,) = course_copy([Lab(REPO, WARMUP)], tmp_path / "course")
    shutil.copytree(REPO / "labs" / WARMUP, lab.release.parent)
    source = read_notebook(lab.source)
    source.cells[0].source += "\n\nA sentence added after the last build."
    write_notebook(source, lab.source)
    dest = tmp_path / "edition"
    result = subprocess.run(
        [str(BIN / "course"), "publish", str(dest)], cwd=lab.root, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{WARMUP}: labs/ is not what the source releases now" in result.stderr and "course build" in result.stderr
    assert not dest.exists()
