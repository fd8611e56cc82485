"""The course installs as a wheel and grades from it, with plain nbgrader.

An editable install hides packaging mistakes: the source tree is on the path, so a module or
package the wheel leaves out still imports. Here the wheel is built, installed into a fresh
environment with no source tree in sight, and a course folder (configuration and lab data only)
is graded by that environment's ``nbgrader autograde``: the worked solution must score full
marks and the untouched release zero. It also checks the wheel holds code and no course data.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.layout import GRADING, Lab
from labkit.notebooks import read_notebook
from tests.conftest import BIN, REPO, make_course_copy, submit

LAB = "lab00_warmup"


def run(command: list[str], cwd: Path, env_bin: Path | None = None) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if env_bin is not None:
        env["PATH"] = f"{env_bin}{os.pathsep}{env['PATH']}"
        env["VIRTUAL_ENV"] = str(env_bin.parent)
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    run(
        [
            str(BIN / "python"),
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(out),
            str(REPO),
        ],
        REPO,
    )
    (built,) = out.glob("*.whl")
    return built


def test_wheel_holds_every_module_and_no_course_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    source_modules = {
        str(path.relative_to(REPO / "autograder" / "src"))
        for path in (REPO / "autograder" / "src").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    missing = sorted(source_modules - names)
    assert not missing, f"the wheel leaves out {missing}: check [tool.setuptools.packages.find] in pyproject.toml"
    data = sorted(n for n in names if n.endswith((".ipynb", ".db")) or n.startswith(("source/", "mistakes/")))
    assert not data, f"course data in the wheel: {data}"


def test_installed_wheel_grades_a_lab_with_plain_nbgrader(wheel, tmp_path):
    env = tmp_path / "env"
    run([sys.executable, "-m", "venv", str(env)], tmp_path)
    run(
        [
            str(env / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-compile",  # byte-compiling the whole stack costs 13 CPU s; grading compiles what it imports
            "-c",
            str(REPO / "constraints.txt"),
            str(wheel),
        ],
        tmp_path,
    )
    # The fresh environment must not see the source tree, or the test proves nothing.
    where = run(
        [str(env / "bin" / "python"), "-c", "import autograder, labkit; print(autograder.__file__, labkit.__file__)"],
        tmp_path,
    )
    assert str(REPO) not in where.stdout, where.stdout

    root = make_course_copy(tmp_path / "course", [LAB])
    submit(root, LAB, "solution", read_notebook(Lab(REPO, LAB).solution))
    submit(root, LAB, "release", read_notebook(Lab(REPO, LAB).release))
    for step in (["generate_assignment", LAB], ["autograde", LAB]):
        run([str(env / "bin" / "nbgrader"), *step], root, env_bin=env / "bin")

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / GRADING / 'gradebook.db'}") as gradebook:
        solution = gradebook.find_submission_notebook(LAB, LAB, "solution")
        release = gradebook.find_submission_notebook(LAB, LAB, "release")
        assert solution.max_score > 0 and solution.score == solution.max_score, (solution.score, solution.max_score)
        assert release.score == 0 and not solution.flagged, (release.score, solution.flagged)
