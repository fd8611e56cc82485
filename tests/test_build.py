"""labs/ and solutions/ are exactly what `course build` makes from the sources."""

from __future__ import annotations

import filecmp

import pytest

from autograder.build import build_labs
from autograder.layout import Layout, list_labs
from autograder.lint import lint_generated
from tests.conftest import REPO, labs_under_test

RELEASE_DIR, SOLUTIONS_DIR = Layout.release, Layout.solutions

LABS = labs_under_test()


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    dest = tmp_path_factory.mktemp("rebuilt")
    build_labs(LABS, dest)
    return dest


def tree_differences(left, right) -> list[str]:
    comparison = filecmp.dircmp(left, right)
    diffs = [f"only in {left}: {n}" for n in comparison.left_only] + [
        f"only in {right}: {n}" for n in comparison.right_only
    ]
    diffs += [f"differs: {n}" for n in comparison.diff_files]
    for sub in comparison.common_dirs:
        diffs += tree_differences(left / sub, right / sub)
    return diffs


@pytest.mark.parametrize("folder", [RELEASE_DIR, SOLUTIONS_DIR])
@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_committed_files_equal_a_fresh_build(rebuilt, folder, lab):
    differences = tree_differences(REPO / folder / lab.name, rebuilt / folder / lab.name)
    assert differences == [], f"{folder}/{lab.name} is stale: run `course build {lab.name}`"


@pytest.mark.parametrize("folder", [RELEASE_DIR, SOLUTIONS_DIR])
def test_no_generated_lab_without_a_source(folder):
    sources = {lab.name for lab in list_labs(REPO)}
    orphans = sorted(p.name for p in (REPO / folder).iterdir() if p.is_dir() and p.name not in sources)
    assert orphans == [], f"{folder}/ holds {orphans} with no source in autograder/source/: delete them"


def test_building_twice_changes_nothing(rebuilt, tmp_path):
    build_labs(LABS, tmp_path)
    for folder in (RELEASE_DIR, SOLUTIONS_DIR):
        assert tree_differences(rebuilt / folder, tmp_path / folder) == []


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_generated_notebooks_hold_no_instructor_material(lab):
    assert lint_generated(lab.release, REPO) == []
    assert lint_generated(lab.solution, REPO) == []


def test_leak_check_can_fail(tmp_path):
    leaky = tmp_path / "labs" / "x.ipynb"
    leaky.parent.mkdir()
    leaky.write_text(LABS[0].source.read_text())
    assert lint_generated(leaky, tmp_path)


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_plain_nbgrader_releases_the_same_files(graded, lab):
    """`nbgrader generate_assignment` from a course root writes what `course build` writes."""
    released = graded[lab.name].root / RELEASE_DIR / lab.name / f"{lab.name}.ipynb"
    assert filecmp.cmp(released, lab.release, shallow=False), f"{lab.name}: nbgrader's release differs from labs/"
