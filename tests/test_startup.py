"""`course check`'s fast start: nothing heavy imported, no grammar built, no kernel left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager

from labkit.kernel import KERNEL_NAME, kernel_specs
from labkit.notebooks import grade_id
from tests.conftest import REPO

PYTHON = sys.executable
COURSE = str(Path(sys.executable).parent / "course")
LAB = "lab00_warmup"


def python(code: str) -> str:
    result = subprocess.run([PYTHON, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_no_nbgrader_command_builds_a_grammar_parser_at_import():
    """jsonschema 4.25+ installs rfc3987-syntax, whose import builds Earley parsers: 1.2 s of CPU a command."""
    loaded = python("import sys, nbformat, nbgrader.apps, jupyter_server\nprint(' '.join(sorted(sys.modules)))")
    modules = set(loaded.split())
    assert "jsonschema" in modules
    parsers = {"lark", "rfc3987_syntax"} & modules
    assert not parsers, f"importing nbgrader imported {sorted(parsers)}: jsonschema must stay below 4.25"


def test_check_imports_neither_nbgrader_nor_ipython_nor_the_iri_grammar():
    solution = REPO / "solutions" / LAB / f"{LAB}.ipynb"
    loaded = python(
        "import sys\n"
        "from autograder.cli import main\n"
        f"assert main(['check', {LAB!r}, {str(solution)!r}]) == 0\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    modules = set(loaded.splitlines()[-1].split())  # the report comes first
    assert "nbclient" in modules
    heavy = {"nbgrader", "nbconvert", "sqlalchemy", "rfc3987_syntax", "lark", "IPython"}
    assert not heavy & modules, f"course check imported {sorted(heavy & modules)}"


def test_the_kernel_is_the_one_jupyter_would_pick():
    ours = kernel_specs().get_kernel_spec(KERNEL_NAME)
    jupyters = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    assert (ours.resource_dir, ours.argv) == (jupyters.resource_dir, jupyters.argv)


def processes_in(folder: Path) -> list[int]:
    """Live processes whose working directory is ``folder``: our kernels, if any survived."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and Path(os.readlink(entry / "cwd")) == folder:
                found.append(int(entry.name))
        except OSError:  # gone, or not ours to read
            continue
    return found


def never_returns(nb: nbformat.NotebookNode) -> None:
    cell = next(c for c in nb.cells if grade_id(c) == "answer-health")
    cell.source = cell.source.replace('    return {"status": "ok"}', "    while True:\n        pass")


def corrupt(path: Path) -> None:
    path.write_text(path.read_text()[:1000])


@pytest.mark.parametrize("damage", ["never-returns", "corrupt"])
def test_no_kernel_is_left_behind(tmp_path, damage):
    folder = (tmp_path / "work").resolve()
    folder.mkdir()
    nb = nbformat.read(REPO / "solutions" / LAB / f"{LAB}.ipynb", as_version=4)
    if damage == "never-returns":
        never_returns(nb)
    path = folder / "mine.ipynb"
    nbformat.write(nb, path)
    if damage == "corrupt":
        corrupt(path)
    # Output goes to a file, not a pipe: an orphaned kernel would hold a pipe open, so waiting
    # for its end would outlast the orphan (it exits within a second of losing its parent).
    with open(tmp_path / "output", "w") as output:
        returncode = subprocess.call(
            [COURSE, "check", LAB, str(path), "--timeout", "4"],
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    left = processes_in(folder)
    assert returncode == {"never-returns": 1, "corrupt": 2}[damage], (tmp_path / "output").read_text()
    assert left == [], "a kernel outlived course check"
