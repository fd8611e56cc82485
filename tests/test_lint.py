"""The lint passes on every lab source, and catches each rule it claims to enforce."""

from __future__ import annotations

import copy

import pytest

from autograder.layout import list_labs
from autograder.lint import lint_cells, lint_header, lint_lab, points_by_key
from labkit.notebooks import grade_id, is_autograded_test, read_notebook
from tests.conftest import REPO, labs_under_test


@pytest.mark.parametrize("lab", labs_under_test(), ids=lambda lab: lab.name)
def test_lab_sources_are_clean(lab):
    assert lint_lab(lab) == []


@pytest.fixture
def source():
    return read_notebook(list_labs(REPO)[-1].source)


def first_test_cell(nb):
    return next(c for c in nb.cells if is_autograded_test(c))


def problems_after(nb, change):
    broken = copy.deepcopy(nb)
    change(broken)
    return lint_cells(broken, "nb") + lint_header(broken, "nb")


def test_unknown_rubric_key_is_caught(source):
    def rename(nb):
        first_test_cell(nb).metadata.nbgrader.grade_id = "speed-things"

    assert any("must start with a rubric key" in p for p in problems_after(source, rename))


def test_duplicate_grade_id_is_caught(source):
    def duplicate(nb):
        tests = [c for c in nb.cells if is_autograded_test(c)]
        tests[1].metadata.nbgrader.grade_id = grade_id(tests[0])

    assert any("is used 2 times" in p for p in problems_after(source, duplicate))


def test_missing_schema_version_is_caught(source):
    def strip(nb):
        del first_test_cell(nb).metadata.nbgrader["schema_version"]

    assert any("schema_version" in p for p in problems_after(source, strip))


def test_committed_outputs_are_caught(source):
    def add_output(nb):
        first_test_cell(nb).outputs = [{"output_type": "stream", "name": "stdout", "text": "hi"}]

    assert any("has outputs" in p for p in problems_after(source, add_output))


def test_header_points_disagreeing_with_cells_are_caught(source):
    def more_points(nb):
        first_test_cell(nb).metadata.nbgrader.points += 1

    problems = problems_after(source, more_points)
    assert any("header gives" in p for p in problems) and any("header total" in p for p in problems)


def test_header_missing_an_item_is_caught(source):
    key = next(iter(points_by_key(source)))

    def drop_row(nb):
        nb.cells[0].source = "\n".join(line for line in nb.cells[0].source.split("\n") if f"`{key}`" not in line)

    assert any("does not list it" in p for p in problems_after(source, drop_row))


def test_missing_hidden_tests_are_caught(source):
    def drop_hidden(nb):
        cell = first_test_cell(nb)
        cell.source = cell.source.split("### BEGIN HIDDEN TESTS")[0]

    assert any("no hidden tests" in p for p in problems_after(source, drop_hidden))


def test_bare_number_at_end_of_test_cell_is_caught(source):
    def end_with_number(nb):
        first_test_cell(nb).source += "\n1"

    assert any("bare number" in p for p in problems_after(source, end_with_number))
