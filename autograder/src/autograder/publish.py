"""``course publish``: write the learner edition, the only thing of the course learners get.

This repository holds every lab's hidden tests, worked solutions and mistakes, so learners
never clone it. The edition is what they get instead, a folder that can be pushed as its own
git repository:

=============================  ================================================================
``README.md``, ``Makefile``    two commands: ``make lab`` (install, open JupyterLab) and
                               ``course check <lab>``
``course/``                    the lesson notebooks, as committed (no outputs)
``labs/<lab>/``                each lab's release (nbgrader's student version), as committed,
                               and only if it is what the source releases now
``src/labkit/``                the ``labkit`` package: the helpers lab cells import and the
                               learner's ``course check`` (:mod:`labkit.cli`), with a pristine
                               copy of each release in ``src/labkit/releases/``
``pyproject.toml``             the learner package: ``labkit``, the ``course`` command, the stack
``constraints.txt``            the exact versions the course is tested with
``jupyter/``                   JupyterLab's settings for learners, installed with the package
``labs/nbgrader_config.py``    the course's id, for handing labs in with ``nbgrader submit``
=============================  ================================================================

Nothing else is copied: everything is chosen here, file by file, from folders that hold no
instructor material (``tests/test_publish.py`` greps every hidden test line of every lab
source against every file written). The edition's own files (README, Makefile, the package's
``pyproject.toml``, JupyterLab's settings) are made from the templates in ``autograder/edition/``.
"""

from __future__ import annotations

import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from autograder.config import Course
from autograder.errors import CourseError
from autograder.layout import Lab
from labkit import cli as learner_cli

DISTRIBUTION = learner_cli.DISTRIBUTION
# Dependencies of the course that only grading needs (a Dask cluster, a PostgreSQL gradebook).
GRADER_ONLY = {"dask", "distributed", "psycopg"}
# What a re-publish into an existing edition keeps: its history and its environment.
KEPT = {".git", ".venv"}
PAGE_CONFIG = "fastapi-course-learner.json"
# Files never copied from the lesson and lab folders, whatever they hold.
IGNORED = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc", ".*")


@dataclass(frozen=True)
class Edition:
    """A learner edition written to ``root``, and what it holds."""

    root: Path
    labs: list[str]
    lessons: list[str]


def publish(course: Course, dest: Path) -> Edition:
    """Write the learner edition of ``course`` into ``dest`` (empty, new, or an earlier edition)."""
    dest = dest.resolve()
    if dest == course.root or course.root in dest.parents:
        raise CourseError(f"{dest} is inside the course: publish the learner edition to a folder outside it.")
    labs = course.labs()
    if not labs:
        raise CourseError(f"{course.root} has no labs to publish.")
    _require_current_releases(labs)
    _clear(dest)

    lessons_dir = course.root / course.layout.lessons
    lessons = sorted(p.name for p in lessons_dir.glob("*.ipynb"))
    _copy_tree(lessons_dir, dest / course.layout.lessons)
    releases = dest / "src" / "labkit" / learner_cli.RELEASES.name
    releases.mkdir(parents=True)
    for lab in labs:
        _copy_tree(lab.release.parent, dest / learner_cli.LABS / lab.name)
        shutil.copy2(lab.release, releases / lab.release.name)

    _copy_package(dest / "src" / "labkit")
    version = _version(course.root)
    templates = course.root / course.layout.edition
    course_id = str(course.config.CourseDirectory.course_id)
    _write_template(templates / "README.md", dest / "README.md", version=version, course_id=course_id)
    _write_template(templates / "Makefile", dest / "Makefile")
    _write_template(templates / "gitignore", dest / ".gitignore")
    _write_template(
        templates / "pyproject.toml.template",  # not named pyproject.toml: tools would read it as this project's
        dest / "pyproject.toml",
        distribution=DISTRIBUTION,
        version=version,
        dependencies="\n".join(f'    "{dep}",' for dep in learner_dependencies(course.root)),
        page_config=PAGE_CONFIG,
    )
    _write_template(templates / "jupyter_server_config.py", dest / "jupyter" / "jupyter_server_config.py")
    _write_template(templates / "page_config.json", dest / "jupyter" / PAGE_CONFIG)
    _write_template(
        templates / "nbgrader_config.py", dest / learner_cli.LABS / "nbgrader_config.py", course_id=course_id
    )
    shutil.copy2(course.root / "constraints.txt", dest / "constraints.txt")
    return Edition(dest, [lab.name for lab in labs], lessons)


def _require_current_releases(labs: list[Lab]) -> None:
    """Refuse to publish a release that is not what its source releases now.

    Grading uses the source; a learner's check uses the published release. If ``labs/`` was
    not rebuilt after a source changed, the two would disagree, so each lab is built afresh
    (into a scratch folder) and compared with ``labs/``, file by file.
    """
    from autograder.build import build_labs

    with tempfile.TemporaryDirectory(prefix="course-publish-") as scratch:
        build_labs(labs, Path(scratch))
        stale = [
            lab.name
            for lab in labs
            if _files(Path(scratch) / lab.layout.release / lab.name) != _files(lab.release.parent)
        ]
    if stale:
        raise CourseError(
            f"{', '.join(stale)}: labs/ is not what the source releases now. Run `course build`, commit, "
            "and publish again (learners' checks use the published release; grading uses the source)."
        )


def _files(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".ipynb_checkpoints" not in path.parts
    }


def learner_dependencies(root: Path) -> list[str]:
    """The course's dependencies (``pyproject.toml``) without those only grading needs."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [dep for dep in project["dependencies"] if _name(dep) not in GRADER_ONLY]


def _name(requirement: str) -> str:
    for index, char in enumerate(requirement):
        if not (char.isalnum() or char in "-_."):
            return requirement[:index].lower()
    return requirement.lower()


def _version(root: Path) -> str:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def _clear(dest: Path) -> None:
    """Make ``dest`` ready: new, empty, or an earlier edition emptied of all but :data:`KEPT`."""
    if not dest.exists():
        dest.mkdir(parents=True)
        return
    if not dest.is_dir():
        raise CourseError(f"{dest} is a file: give a folder for the learner edition.")
    entries = [p for p in dest.iterdir() if p.name not in KEPT]
    if not entries:
        return
    if not _is_edition(dest):
        raise CourseError(
            f"{dest} is not empty and holds no learner edition (its pyproject.toml does not name {DISTRIBUTION}): "
            "give a new or empty folder, or the folder of an earlier edition to update it."
        )
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _is_edition(folder: Path) -> bool:
    pyproject = folder / "pyproject.toml"
    return pyproject.is_file() and f'name = "{DISTRIBUTION}"' in pyproject.read_text(encoding="utf-8")


def _copy_tree(source: Path, dest: Path) -> None:
    shutil.copytree(source, dest, ignore=IGNORED)


def _copy_package(dest: Path) -> None:
    """The ``labkit`` package's modules: all of it is the learner's (see :mod:`labkit`)."""
    package = Path(learner_cli.__file__).parent
    dest.mkdir(parents=True, exist_ok=True)
    for module in sorted(package.glob("*.py")):
        shutil.copy2(module, dest / module.name)


def _write_template(template: Path, path: Path, **values: str) -> None:
    """Write ``template`` to ``path``, with each ``{{key}}`` replaced by its value."""
    text = template.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    if "{{" in text:
        raise CourseError(f"{template} has a placeholder that autograder.publish does not fill: fill it or remove it.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
