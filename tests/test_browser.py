"""The learner's and the instructor's real interface, in a real browser.

JupyterLab runs from this environment on a temporary copy of the course (with a sample
cohort graded by ``course grade``), and from its own environment on a learner edition
written by ``course publish`` and opened as its README says; headless Chromium, driven by
Playwright, does what a learner and an instructor do there. Each step leaves a screenshot in a folder that the test
names in its output (``BROWSER_SCREENSHOTS``, or ``.course/browser-screenshots``), so a
person can look at what a learner sees.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import re
import secrets
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from playwright.sync_api import Browser, FrameLocator, Locator, Page, expect, sync_playwright

from autograder import config
from autograder.layout import Lab
from autograder.sample_class import STDERR_NOISE, course_copy, course_with_sample_class, generate_assignments
from autograder.sample_class import sample_class as sample_cohort
from labkit import PASSED_MESSAGE
from labkit.notebooks import grade_id, is_autograded_test, nbgrader_meta, read_notebook
from tests import lab_ui
from tests.conftest import BIN, MISTAKES, REPO, labs_under_test, make_course_copy
from tests.jupyter_server import (
    JupyterLab,
    free_port,
    start_jupyterlab,
    stop_jupyterlab,
    wait_until_ready,
    write_lab_settings,
)
from tests.test_exchange import instructor

WARMUP = "lab00_warmup"
CAPSTONE = "lab08_capstone"
LESSON = next(REPO.glob("course/00_*.ipynb")).name
# The warm-up's first catalogued mistake (creating a note answers 200 instead of 201 Created).
MISTAKE = next(m for m in MISTAKES if m.lab == WARMUP)
FORMGRADER_TIMEOUT_MS = 60_000  # a submission's page is a whole notebook rendered by the server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        WARMUP not in {lab.name for lab in labs_under_test()}, reason="COURSE_LABS leaves out lab00, which it drives"
    ),
]


@dataclass
class Course:
    """The temporary course that JupyterLab serves."""

    root: Path

    @property
    def gradebook(self) -> str:
        return f"sqlite:///{self.root / 'autograder' / 'gradebook.db'}"

    def release(self, lab: str) -> Path:
        return self.root / "labs" / lab / f"{lab}.ipynb"


def solution_source(lab: str, cell_id: str) -> str:
    """The worked solution's text of one answer cell: what a learner who got it right types."""
    nb = read_notebook(REPO / "solutions" / lab / f"{lab}.ipynb")
    return next(c.source for c in nb.cells if grade_id(c) == cell_id)


def cell_index(notebook: Path, cell_id: str) -> int:
    nb = nbformat.read(notebook, as_version=4)
    return next(i for i, c in enumerate(nb.cells) if grade_id(c) == cell_id)


def course_cli(course: Course, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "course"), *args], cwd=course.root, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    """Lesson 00, the warm-up with the demo's sample cohort, and the capstone with its
    worked solution submitted, all generated and graded with ``course grade``.

    The capstone is graded for one student only: its manual-grading view is what is
    looked at, and one capstone submission costs about as much as the whole warm-up cohort.
    """
    root = tmp_path_factory.mktemp("browser") / "course"
    (warmup,) = course_with_sample_class([Lab(REPO, WARMUP)], root)
    (capstone,) = course_copy([Lab(REPO, CAPSTONE)], root)
    submitted = capstone.submitted("amara-solid")
    submitted.mkdir(parents=True)
    shutil.copy2(REPO / "solutions" / CAPSTONE / f"{CAPSTONE}.ipynb", submitted)
    (root / "course").mkdir()
    shutil.copy2(REPO / "course" / LESSON, root / "course" / LESSON)
    generate_assignments([warmup, capstone], config.load_config(root))
    # The sample cohort holds ungradable submissions on purpose (exit 1: some flagged); the
    # capstone's one submission is the worked solution and must grade.
    for lab, exits in ((WARMUP, (0, 1)), (CAPSTONE, (0,))):
        result = course_cli(Course(root), "grade", lab)
        assert result.returncode in exits and "graded:" in result.stdout, result.stdout + result.stderr
    return Course(root)


@pytest.fixture(scope="module")
def jupyter(course: Course, tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLab]:
    server = start_jupyterlab(course.root, tmp_path_factory.mktemp("jupyter-state"))
    try:
        yield server
    finally:
        stop_jupyterlab(server)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = lab_ui.launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@contextlib.contextmanager
def new_page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh browser context, the size the screenshots are taken at."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(lab_ui.PAGE_TIMEOUT_MS)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def page(browser: Browser, jupyter: JupyterLab) -> Iterator[Page]:
    with new_page(browser) as opened:
        yield opened


@pytest.fixture(scope="module")
def screenshots(request: pytest.FixtureRequest) -> Path:
    """Where each step's screenshot goes; named in the test output so a person can look.

    ``BROWSER_SCREENSHOTS`` if set, else ``.course/browser-screenshots`` in the clone (ignored
    by git, emptied each run): pytest's own temporary folders are pruned after a few runs.
    """
    chosen = os.environ.get("BROWSER_SCREENSHOTS")
    folder = Path(chosen).resolve() if chosen else REPO / ".course" / "browser-screenshots"
    if not chosen:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():  # shown even when the test passes
            reporter.write_line(f"\nbrowser test screenshots: {folder}")
    return folder


@pytest.fixture(autouse=True)
def screenshot_on_failure(request: pytest.FixtureRequest, screenshots: Path) -> Iterator[None]:
    """A failing step leaves a picture of the page as it was, for a person to look at.

    The page is the one the test drives (the instructor's course or the learner edition's),
    so a test of one never starts the other's JupyterLab just for this.
    """
    failed_before = request.session.testsfailed
    yield
    if request.session.testsfailed > failed_before:
        for name in ("page", "edition_page"):
            if name in request.fixturenames:
                shoot(request.getfixturevalue(name), screenshots, f"failed-{request.node.name}")


def shoot(page: Page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=path)
    return path


# --- learner ---------------------------------------------------------------------------


def test_lesson_runs_all_cells_without_errors(page: Page, jupyter: JupyterLab, course: Course, screenshots: Path):
    panel = lab_ui.open_notebook(page, jupyter.url(f"lab/tree/course/{LESSON}?reset"))
    shoot(page, screenshots, "01-lesson-open")
    lab_ui.run_all(page, panel)
    lab_ui.save(page, panel)
    shoot(page, screenshots, "02-lesson-ran")

    saved = nbformat.read(course.root / "course" / LESSON, as_version=4)
    errors = [
        f"cell {i}: {o.get('ename')}: {o.get('evalue')}"
        for i, c in enumerate(saved.cells)
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert not errors, f"lesson {LESSON} shows errors in JupyterLab: {errors}"
    code = [c for c in saved.cells if c.cell_type == "code" and c.source.strip()]
    assert code and all(c.execution_count for c in code), "Run All stopped before the last cell"


def test_learner_answers_a_task_and_sees_its_test_pass(
    page: Page, jupyter: JupyterLab, course: Course, screenshots: Path
):
    notebook = course.release(WARMUP)
    panel = lab_ui.open_notebook(page, jupyter.url(f"lab/tree/labs/{WARMUP}/{WARMUP}.ipynb?reset"))
    shoot(page, screenshots, "03-lab-open")
    lab_ui.run_cell(page, lab_ui.cell(panel, cell_index(notebook, "setup")))

    answer = lab_ui.cell(panel, cell_index(notebook, "answer-health"))
    test = lab_ui.cell(panel, cell_index(notebook, "status-codes-health"))
    right = solution_source(WARMUP, "answer-health")

    # First a wrong answer: the test cell must fail, with a message that says why.
    lab_ui.type_into_cell(page, answer, right.replace('"ok"', '"up"'))
    lab_ui.run_cell(page, answer)
    lab_ui.run_cell(page, test)
    failure = lab_ui.error_text(test)
    assert "expected {'status': 'ok'}" in failure and "[status-codes]" in failure, failure
    test.scroll_into_view_if_needed()
    shoot(page, screenshots, "04-test-cell-fails")

    # Then the worked solution, typed into the editor: the same test cell passes.
    lab_ui.type_into_cell(page, answer, right)
    lab_ui.run_cell(page, answer)
    lab_ui.run_cell(page, test)
    assert lab_ui.error_text(test) == "", "the test cell still fails with the worked solution typed in"
    test.scroll_into_view_if_needed()
    shoot(page, screenshots, "05-test-cell-passes")

    lab_ui.save(page, panel)
    saved = nbformat.read(notebook, as_version=4)
    saved_test = saved.cells[cell_index(notebook, "status-codes-health")]
    assert saved_test.execution_count and not [o for o in saved_test.outputs if o.output_type == "error"]
    assert saved.cells[cell_index(notebook, "answer-health")].source == right


def course_check_verdict(course: Course, notebook: Path) -> tuple[bool, int, str]:
    """(all passed, number of failing tasks, output) of ``course check`` on the saved file."""
    result = course_cli(course, "check", WARMUP, str(notebook))
    assert result.returncode in (0, 1), result.stdout + result.stderr
    failing = len(re.findall(r"^\s+FAIL\b", result.stdout, re.M))
    return result.returncode == 0, failing, result.stdout


def validate_and_compare(page: Page, panel: Locator, course: Course, screenshot: Path) -> bool:
    """Press Validate, run ``course check`` on the file it saved, and require the same verdict."""
    passed, message = lab_ui.validate(page, panel)
    page.screenshot(path=screenshot)
    lab_ui.close_dialog(page)
    failed_cells = message.count("The following cell failed")
    check_passed, check_failing, output = course_check_verdict(course, course.release(WARMUP))
    assert (passed, failed_cells) == (check_passed, check_failing), (
        f"Validate says {'pass' if passed else f'{failed_cells} failing cell(s)'}, course check says "
        f"{'pass' if check_passed else f'{check_failing} failing task(s)'}.\nValidate:\n{message}\n"
        f"course check:\n{output}"
    )
    return passed


def test_validate_button_agrees_with_course_check(page: Page, jupyter: JupyterLab, course: Course, screenshots: Path):
    notebook = course.release(WARMUP)
    panel = lab_ui.open_notebook(page, jupyter.url(f"lab/tree/labs/{WARMUP}/{WARMUP}.ipynb?reset"))
    tasks = ("answer-health", "answer-create-note", "answer-get-note")
    answers = {cell_id: solution_source(WARMUP, cell_id) for cell_id in tasks}
    mistaken = answers[MISTAKE.cell].replace(MISTAKE.old, MISTAKE.new)
    assert mistaken != answers[MISTAKE.cell]

    # Every task answered, one with the catalogued mistake: both must fail that one task.
    for cell_id, text in answers.items():
        lab_ui.type_into_cell(page, lab_ui.cell(panel, cell_index(notebook, cell_id)), text)
    lab_ui.type_into_cell(page, lab_ui.cell(panel, cell_index(notebook, MISTAKE.cell)), mistaken)
    assert not validate_and_compare(page, panel, course, screenshots / "06-validate-fails.png")

    # The mistake corrected, and the first answer now writes to stderr after every cell, as a
    # learner's debugging output does: only a failed check costs points, so both must pass.
    lab_ui.type_into_cell(page, lab_ui.cell(panel, cell_index(notebook, MISTAKE.cell)), answers[MISTAKE.cell])
    lab_ui.type_into_cell(page, lab_ui.cell(panel, cell_index(notebook, tasks[0])), STDERR_NOISE + answers[tasks[0]])
    assert validate_and_compare(page, panel, course, screenshots / "07-validate-passes.png")


# --- instructor ------------------------------------------------------------------------


def open_formgrader(page: Page, jupyter: JupyterLab) -> FrameLocator:
    """Nbgrader > Formgrader in JupyterLab's menu bar: the formgrader opens in a panel."""
    page.goto(jupyter.url("lab?reset"))
    page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
    page.get_by_role("menuitem", name="Formgrader", exact=True).click()
    return page.frame_locator(".jp-MainAreaWidget:visible iframe")


def test_formgrader_lists_the_labs_and_the_graded_cohort(
    page: Page, jupyter: JupyterLab, course: Course, screenshots: Path
):
    formgrader = open_formgrader(page, jupyter)
    table = formgrader.locator("#main-table")
    for lab in (WARMUP, CAPSTONE):
        expect(table.get_by_role("link", name=lab, exact=True)).to_be_visible(timeout=FORMGRADER_TIMEOUT_MS)
    shoot(page, screenshots, "08-formgrader-labs")

    cohort = sorted(sample_cohort(Lab(REPO, WARMUP)))
    table.locator("tr", has_text=WARMUP).locator("td.num-submissions a").click()
    expect(formgrader.locator("#main-table tr")).to_have_count(len(cohort), timeout=FORMGRADER_TIMEOUT_MS)
    with Gradebook(course.gradebook) as gradebook:  # what `course grade` recorded; flagged ones it could not grade
        graded = {
            s.student.id: f"{s.score:g} / {s.max_score:g}"
            for s in gradebook.find_assignment(WARMUP).submissions
            if not gradebook.find_submission_notebook(WARMUP, WARMUP, s.student.id).flagged
        }
    assert graded.get("amara-solid") == "6 / 6" and graded.get("dara-empty") == "0 / 6", graded
    for student in cohort:
        row = formgrader.locator("#main-table tr", has=formgrader.locator("td.student-id", has_text=student))
        expect(row).to_have_count(1)
        if student in graded:
            expect(row.locator("td.status")).to_have_text("graded")
            expect(row.locator("td.score")).to_have_text(graded[student])
    shoot(page, screenshots, "09-formgrader-cohort-graded")


def test_formgrader_opens_a_capstone_submission_for_manual_grading(
    page: Page, jupyter: JupyterLab, course: Course, screenshots: Path
):
    source = read_notebook(Lab(course.root, CAPSTONE).source)
    manual = [grade_id(c) for c in source.cells if nbgrader_meta(c).get("grade") and nbgrader_meta(c).get("solution")]
    tests = {grade_id(c): nbgrader_meta(c)["points"] for c in source.cells if is_autograded_test(c)}
    assert manual and tests

    formgrader = open_formgrader(page, jupyter)
    formgrader.get_by_role("link", name="Manual Grading", exact=True).click()
    formgrader.locator("#main-table").get_by_role("link", name=CAPSTONE, exact=True).click()
    formgrader.locator("#main-table").get_by_role("link", name=CAPSTONE, exact=True).click()
    formgrader.locator("#main-table").get_by_role("link", name="Submission #1", exact=True).click()

    for cell_id in manual:  # waiting for a person's grade
        field = formgrader.locator(f"input.score#{cell_id}")
        expect(field).to_be_visible(timeout=FORMGRADER_TIMEOUT_MS)
        expect(field).to_have_class(re.compile(r"\bneeds_manual_grade\b"))
    for cell_id, points in tests.items():  # the worked solution's automatic scores, in full
        expect(formgrader.locator(f"input.score#{cell_id}")).to_have_attribute("placeholder", f"{points:g}")
    formgrader.locator(f"input.score#{manual[0]}").scroll_into_view_if_needed()
    shoot(page, screenshots, "10-formgrader-capstone-manual-grading")

    # A person's grade typed into the view lands in the gradebook.
    field = formgrader.locator(f"input.score#{manual[0]}")
    with page.expect_response(lambda r: "/api/grade/" in r.url and r.request.method == "PUT") as saved:
        field.fill("1")
        field.press("Tab")
    assert saved.value.ok, saved.value.status
    with Gradebook(course.gradebook) as gradebook:
        notebook = gradebook.find_submission_notebook(CAPSTONE, CAPSTONE, "amara-solid")
        assert next(g for g in notebook.grades if g.name == manual[0]).manual_score == 1


# --- the learner edition ---------------------------------------------------------------

# `make lab` in a new edition installs its environment first (about a minute and a half here).
EDITION_START_TIMEOUT_S = 900
# xterm.js draws on a canvas; in screen-reader mode it also lays its rows out as text in the page.
TERMINAL_SETTINGS = {"@jupyterlab/terminal-extension/plugin.jupyterlab-settings": {"screenReaderMode": True}}
# What `course check` ends with, in the terminal and in a notebook cell alike.
TOTAL = re.compile(r"Total: [\d.]+/[\d.]+ points; \d+ of \d+ tasks pass(; \d+ not started)?\.")


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A learner edition, as ``course publish`` writes it (the instructor's command)."""
    root = tmp_path_factory.mktemp("edition") / "fastapi-course"
    result = subprocess.run(
        [str(BIN / "course"), "publish", str(root)], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return root


# What this test run's environment holds that a learner's shell would not.
NOT_A_LEARNERS = {"VIRTUAL_ENV", "PYTHONPATH", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "COURSE_CHECK_RUNNING"}
NOT_A_LEARNERS |= {"COURSE_EXCHANGE"}


def learner_environment(state: Path) -> dict[str, str]:
    """A learner's shell: nothing of this repository's environment on PATH, no virtualenv active."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name
        not in {
            "VIRTUAL_ENV",
            "PYTHONPATH",
            "MAKEFLAGS",
            "MFLAGS",
            "MAKELEVEL",
            "COURSE_CHECK_RUNNING",
            "COURSE_EXCHANGE",
        }
    }
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and Path(p).resolve() != BIN.resolve()]
    env["PATH"] = os.pathsep.join(path)
    # Jupyter's per-user folders, so the machine's own user settings stay out and nothing is left behind.
    env["JUPYTER_CONFIG_DIR"] = str(state / "config")
    env["JUPYTER_RUNTIME_DIR"] = str(state / "runtime")
    env["JUPYTERLAB_SETTINGS_DIR"] = str(state / "lab-settings")
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(state / "workspaces")
    return env


@pytest.fixture(scope="module")
def edition_jupyter(edition: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLab]:
    """``make lab`` in the edition, as its README says: it installs .venv, then starts JupyterLab.

    Only where it listens comes from the test (a user configuration file, as a learner's own
    would be): a free loopback port, a token, no browser of its own.
    """
    state = tmp_path_factory.mktemp("edition-jupyter-state")
    write_lab_settings(state / "lab-settings")
    for name, values in TERMINAL_SETTINGS.items():
        (state / "lab-settings" / name).parent.mkdir(parents=True, exist_ok=True)
        (state / "lab-settings" / name).write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    (state / "config").mkdir()
    listen = {
        "ServerApp": {"ip": "127.0.0.1", "port": port, "port_retries": 0, "open_browser": False, "allow_root": True},
        "IdentityProvider": {"token": token},
        "LabApp": {"news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"},
    }
    (state / "config" / "jupyter_server_config.json").write_text(json.dumps(listen))
    log = state / "make-lab.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["make", "lab"],
            cwd=edition,
            env=learner_environment(state),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = JupyterLab(process, port, token, log)
    try:
        wait_until_ready(server, EDITION_START_TIMEOUT_S, started_by="make lab")
        yield server
    finally:
        stop_jupyterlab(server)


@pytest.fixture(scope="module")
def edition_page(browser: Browser, edition_jupyter: JupyterLab) -> Iterator[Page]:
    with new_page(browser) as opened:
        yield opened


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_learner_edition_checks_a_lab_from_its_terminal_and_from_the_notebook(
    edition_page: Page, edition_jupyter: JupyterLab, edition: Path, screenshots: Path
):
    page = edition_page
    readme = (edition / "README.md").read_text()
    assert "make lab" in readme and f"course check {WARMUP}" in readme and "!course check" in readme
    notebook = edition / "labs" / WARMUP / f"{WARMUP}.ipynb"
    url = edition_jupyter.url(f"lab/tree/labs/{WARMUP}/{WARMUP}.ipynb?reset")
    panel = lab_ui.open_notebook(page, url, nbgrader_toolbar=False)

    # A learner's JupyterLab: no instructor tools (no Nbgrader menu, formgrader, Validate).
    expect(page.get_by_role("menuitem", name="Nbgrader", exact=True)).to_have_count(0)
    expect(panel.locator(".validate-button")).to_have_count(0)
    with urllib.request.urlopen(edition_jupyter.url("api/status")) as response:
        assert response.status == 200
    try:
        urllib.request.urlopen(edition_jupyter.url("formgrader"))
        raise AssertionError("the learner edition's server serves nbgrader's formgrader")
    except urllib.error.HTTPError as exc:
        assert exc.code == 404
    shoot(page, screenshots, "11-edition-lab-open")

    # Every task answered, one with the catalogued mistake; Run All; the passing test cells say so.
    tasks = ("answer-health", "answer-create-note", "answer-get-note")
    answers = {cell_id: solution_source(WARMUP, cell_id) for cell_id in tasks}
    answers[MISTAKE.cell] = answers[MISTAKE.cell].replace(MISTAKE.old, MISTAKE.new)
    for cell_id, text in answers.items():
        lab_ui.type_into_cell(page, lab_ui.cell(panel, cell_index(notebook, cell_id)), text)
    lab_ui.run_all(page, panel)
    passing = lab_ui.cell(panel, cell_index(notebook, "status-codes-health"))
    expect(passing.locator(".jp-OutputArea-output")).to_contain_text(PASSED_MESSAGE.split(".")[0])
    failing = lab_ui.cell(panel, cell_index(notebook, "status-codes-create-note"))
    assert "expected 201 Created" in lab_ui.error_text(failing)
    assert PASSED_MESSAGE.split(".")[0] not in lab_ui.output_text(failing)
    lab_ui.save(page, panel)
    passing.scroll_into_view_if_needed()
    shoot(page, screenshots, "12-edition-test-cell-says-it-passed")

    # The check from the notebook: a cell at its end that runs `course check` on the saved file.
    last = len(nbformat.read(notebook, as_version=4).cells) - 1
    check_cell = lab_ui.add_cell_below(page, panel, last, f"!course check {WARMUP}")
    lab_ui.run_cell(page, check_cell)
    in_notebook = one_line(lab_ui.output_text(check_cell))
    check_cell.scroll_into_view_if_needed()
    shoot(page, screenshots, "13-edition-check-from-the-notebook")

    # The check from JupyterLab's terminal: `course` is the edition's own.
    terminal = lab_ui.open_terminal(page, edition_jupyter.url("lab?reset"))
    where = lab_ui.type_in_terminal(page, terminal, "command -v course", until=re.compile(r"/\.venv/bin/course"))
    assert str(edition / ".venv" / "bin" / "course") in one_line(where), where
    in_terminal = one_line(lab_ui.type_in_terminal(page, terminal, f"course check {WARMUP}", until=TOTAL))
    shoot(page, screenshots, "14-edition-course-check-in-the-terminal")

    # Both say the same: the mistaken task fails, the others pass, the same points.
    for output in (in_notebook, in_terminal):
        assert "FAIL 0/2 Task 2 status-codes status-codes-create-note" in output, output
        assert "PASS 2/2 Task 1 status-codes status-codes-health" in output, output
    assert TOTAL.search(in_notebook).group() == TOTAL.search(in_terminal).group()
    assert TOTAL.search(in_terminal).group() == "Total: 4/6 points; 2 of 3 tasks pass."


def test_learner_edition_hands_a_lab_in_through_the_exchange_and_reads_its_feedback(
    edition_page: Page, edition_jupyter: JupyterLab, edition: Path, screenshots: Path, tmp_path: Path
):
    """The loop from the edition's side, as its README says: ``nbgrader submit`` and, once the
    instructor has graded and released feedback, ``nbgrader fetch_feedback``, typed in the
    edition's terminal; the page it fetched opened in JupyterLab shows what ``course check`` said.

    The instructor is this test, with the course's own commands on a copy of the course; the
    learner is the user JupyterLab runs as (the exchange test, tests/test_exchange.py, has
    learners with accounts of their own).
    """
    page = edition_page
    notebook = edition / "labs" / WARMUP / f"{WARMUP}.ipynb"
    checked = subprocess.run(
        [str(edition / ".venv" / "bin" / "course"), "check", WARMUP],
        cwd=edition,
        env=learner_environment(edition_jupyter.log.parent),
        capture_output=True,
        text=True,
        timeout=300,
    )
    expected = TOTAL.search(one_line(checked.stdout))
    assert expected, checked.stdout + checked.stderr
    earned, possible = expected.group().removeprefix("Total: ").split(" points")[0].split("/")  # e.g. 4, 6
    failing_tasks = re.findall(r"FAIL \S+ (Task \d+)", checked.stdout)

    # The instructor releases the lab into an exchange folder; the learner names that folder
    # in their own nbgrader configuration (JUPYTER_CONFIG_DIR is the edition server's ~/.jupyter).
    exchange = tmp_path / "exchange"
    root = make_course_copy(tmp_path / "course", [WARMUP])
    instructor(root, exchange, str(BIN / "nbgrader"), "generate_assignment", WARMUP)
    instructor(root, exchange, str(BIN / "nbgrader"), "release_assignment", WARMUP)
    learner_config = edition_jupyter.log.parent / "config" / "nbgrader_config.py"
    learner_config.write_text(f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\n")

    terminal = lab_ui.open_terminal(page, edition_jupyter.url("lab?reset"))
    lab_ui.type_in_terminal(page, terminal, "cd labs", until=re.compile(r"labs\s*[$#]"))
    submitted = lab_ui.type_in_terminal(
        page, terminal, f"nbgrader submit {WARMUP}", until=re.compile(rf"Submitted as: fastapi-production {WARMUP}")
    )
    shoot(page, screenshots, "15-edition-nbgrader-submit")
    student = getpass.getuser()
    inbound = list((exchange / "fastapi-production" / "inbound").glob(f"{student}+{WARMUP}+*"))
    assert len(inbound) == 1, (inbound, one_line(submitted))
    assert (inbound[0] / f"{WARMUP}.ipynb").read_bytes() == notebook.read_bytes()
    # JupyterLab's checkpoint (there when the notebook was saved in it, as by the test before):
    # nbgrader warns it is an EXTRA notebook, and, as the README says, does not hand it in.
    if (edition / "labs" / WARMUP / ".ipynb_checkpoints").is_dir():
        assert "EXTRA" in submitted, one_line(submitted)
    assert not list(inbound[0].rglob(".ipynb_checkpoints")), sorted(inbound[0].rglob("*"))

    instructor(root, exchange, str(BIN / "nbgrader"), "collect", WARMUP)
    instructor(root, exchange, str(BIN / "course"), "grade", WARMUP, "--workers", "1")
    instructor(root, exchange, str(BIN / "course"), "feedback", WARMUP)
    instructor(root, exchange, str(BIN / "nbgrader"), "release_feedback", WARMUP)

    lab_ui.type_in_terminal(page, terminal, f"nbgrader fetch_feedback {WARMUP}", until=re.compile("Fetched feedback"))
    shoot(page, screenshots, "16-edition-nbgrader-fetch-feedback")
    (fetched,) = (edition / "labs" / WARMUP / "feedback").glob(f"*/{WARMUP}.html")
    assert fetched.read_bytes() == (root / "autograder" / "feedback" / student / WARMUP / f"{WARMUP}.html").read_bytes()

    # The page, opened from JupyterLab's file server: the same points as the check, its failing task named.
    relative = fetched.relative_to(edition).as_posix()
    page.goto(edition_jupyter.url("files/" + urllib.parse.quote(relative)))
    total = page.locator("tr", has_text="autograded total").locator("th")
    expect(total.nth(2)).to_have_text(earned)
    expect(total.nth(3)).to_have_text(possible)
    for task in failing_tasks:
        expect(page.locator(".feedback-summary li", has_text=task).first).to_be_visible()
    shoot(page, screenshots, "17-edition-feedback-page")
