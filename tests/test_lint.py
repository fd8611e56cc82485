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


# ---------------------------------------------------------------- the requirement inventory


@pytest.fixture
def inventoried(tmp_path):
    """lab00 in a course copy, with a complete inventory: each test cell pins one requirement,
    and the catalogue has a mistake for each. Each test below breaks one rule of it."""
    from autograder.layout import Lab
    from autograder.sample_class import course_copy
    from labkit.notebooks import write_notebook

    (lab,) = course_copy([Lab(REPO, "lab00_warmup")], tmp_path / "course")
    nb = read_notebook(lab.source)
    tests = [c for c in nb.cells if is_autograded_test(c)]
    for cell in tests:  # one requirement a test cell, in place of the lab's own inventory
        cell.source = "\n".join(line for line in cell.source.splitlines() if "# REQ " not in line)
        cell.source = cell.source.replace(
            "### BEGIN HIDDEN TESTS", f"### BEGIN HIDDEN TESTS\n# REQ {grade_id(cell)}: what the task asks", 1
        )
    write_notebook(nb, lab.source)
    lines = ["from autograder.catalogue import Mistake", "MISTAKES = ["]
    for cell in tests:
        gid = grade_id(cell)
        lines.append(
            f"    Mistake('lab00_warmup', 'status-codes', 'answer-x', 'a', 'b', 'why {gid}', requirement='{gid}'),"
        )
    (lab.root / lab.layout.mistakes).mkdir(parents=True)
    (lab.root / lab.layout.mistakes / "lab00_warmup.py").write_text("\n".join([*lines, "]"]) + "\n")
    return lab


def edit_source(lab, change):
    from labkit.notebooks import write_notebook

    nb = read_notebook(lab.source)
    change(nb)
    write_notebook(nb, lab.source)


def test_a_complete_inventory_is_clean(inventoried):
    assert lint_lab(inventoried) == []


def test_a_requirement_without_a_mistake_is_caught(inventoried):
    def add_inside(nb):
        test = first_test_cell(nb)
        test.source = test.source.replace(
            "### END HIDDEN TESTS", "# REQ untested-rule: nobody broke it\n### END HIDDEN TESTS"
        )

    edit_source(inventoried, add_inside)
    assert any("'untested-rule'" in p and "has no mistake" in p for p in lint_lab(inventoried))


def test_a_test_cell_without_requirements_is_caught(inventoried):
    def drop(nb):
        test = first_test_cell(nb)
        test.source = "\n".join(line for line in test.source.splitlines() if "# REQ" not in line)

    edit_source(inventoried, drop)
    assert any("lists no requirement" in p for p in lint_lab(inventoried))


def test_a_requirement_outside_the_hidden_block_is_caught(inventoried):
    def visible(nb):
        test = first_test_cell(nb)
        test.source = "# REQ in-the-open: learners would read this\n" + test.source

    edit_source(inventoried, visible)
    assert any("outside a test cell's hidden block" in p for p in lint_lab(inventoried))


def test_a_mistake_naming_no_requirement_is_caught(inventoried):
    path = inventoried.root / inventoried.layout.mistakes / "lab00_warmup.py"
    path.write_text(
        path.read_text().replace("]\n", "    Mistake('lab00_warmup', 'status-codes', 'c', 'a', 'b', 'stray'),\n]\n")
    )
    assert any("'stray' names no requirement" in p for p in lint_lab(inventoried))


def test_a_mistake_filed_under_another_item_is_caught(inventoried):
    path = inventoried.root / inventoried.layout.mistakes / "lab00_warmup.py"
    path.write_text(path.read_text().replace("'status-codes', 'answer-x'", "'models', 'answer-x'", 1))
    assert any("is filed under 'models'" in p for p in lint_lab(inventoried))


def test_a_lab_without_an_inventory_is_caught(inventoried):
    """Every lab lists its requirements: a source with no '# REQ' line at all is not let through."""

    def drop_all(nb):
        for cell in nb.cells:
            cell.source = "\n".join(line for line in cell.source.splitlines() if "# REQ " not in line)

    edit_source(inventoried, drop_all)
    assert any("lists no requirement" in p for p in lint_lab(inventoried))
