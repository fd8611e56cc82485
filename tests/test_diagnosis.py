"""labkit.diagnosis: one root cause a task, named as the notebook names it, never a cascade.

The notebooks here are built with their outputs as a kernel would have left them, so the
diagnosis is tested without running anything; the released labs show it on real outputs.
"""

from __future__ import annotations

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from labkit.check import CheckReport, TaskResult, format_report
from labkit.diagnosis import BLOCKED, FAILED, NOT_STARTED, PASSED, diagnose, error_message, heading_name

LONG = "GET /api/v1/items returned 200 (body: " + "x" * 600 + "), expected 404 Not Found [status-codes]"


def error(ename: str, evalue: str) -> NotebookNode:
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def answer(gid: str, *outputs: NotebookNode) -> NotebookNode:
    cell = new_code_cell("# YOUR CODE HERE", outputs=list(outputs))
    cell.metadata["nbgrader"] = {"grade_id": gid, "solution": True, "grade": False, "locked": False}
    return cell


def check_cell(gid: str, points: float, *outputs: NotebookNode) -> NotebookNode:
    cell = new_code_cell("with TestClient(app) as client: ...", outputs=list(outputs))
    cell.metadata["nbgrader"] = {"grade_id": gid, "grade": True, "solution": False, "locked": True, "points": points}
    return cell


def lab(*cells: NotebookNode) -> NotebookNode:
    return new_notebook(cells=[new_markdown_cell("# Lab 99 — A lab\n\nRun `course check`."), *cells])


def by_task(nb: NotebookNode) -> dict[str, object]:
    return {finding.task: finding for finding in diagnose(nb)}


def test_an_untouched_lab_is_not_started_not_a_cascade_of_name_errors():
    missing_app = error("NameError", "name 'app' is not defined")
    nb = lab(
        new_markdown_cell("## Task 1 — A health endpoint (2 points)"),
        answer("answer-health", error("NotImplementedError", "")),
        check_cell("status-codes-health", 2, missing_app),
        new_markdown_cell("## Task 2 — Create (2 points, `status-codes`)"),
        answer("answer-create", error("NotImplementedError", "")),
        check_cell("status-codes-create", 2, missing_app),
        new_markdown_cell("## Task 3 — Pagination, reusing the router of Task 2"),
        check_cell("models-pagination", 2, missing_app),
    )
    findings = by_task(nb)
    assert [f.status for f in findings.values()] == [NOT_STARTED, NOT_STARTED, BLOCKED]
    assert "NotImplementedError" in findings["Task 1"].message
    assert findings["Task 3"].cause == "Task 1"
    assert "`app`" in findings["Task 3"].message and "Task 1 is not started" in findings["Task 3"].message
    assert not any("NameError" in f.message for f in findings.values())


def test_a_missing_name_is_reported_once_where_it_is_defined():
    """Task 1 defines the app under another name: Task 1 fails on it, Task 2 points there."""
    missing_app = error("NameError", "name 'app' is not defined")
    nb = lab(
        new_markdown_cell("## Task 1 — The app"),
        answer("answer-app"),
        check_cell("status-codes-app", 2, missing_app),
        new_markdown_cell("## Task 2 — A route"),
        answer("answer-route", missing_app),
        check_cell("status-codes-route", 2, missing_app),
    )
    first, second = diagnose(nb)
    assert (first.status, first.message) == (FAILED, "NameError: name 'app' is not defined")
    assert second.status == BLOCKED and second.cause == "Task 1" and "fix Task 1 first" in second.message


def test_an_error_in_the_answer_is_the_cause_of_the_failed_test():
    nb = lab(
        new_markdown_cell("## Task 1 — Models"),
        answer("answer-models", error("TypeError", "unsupported operand")),
        check_cell("models-product", 3, error("NameError", "name 'Product' is not defined")),
    )
    (finding,) = diagnose(nb)
    assert finding.status == FAILED and finding.message == "your answer raised TypeError: unsupported operand"


def test_failed_checks_keep_their_whole_message_without_the_assertion_prefix():
    nb = lab(
        new_markdown_cell("## Task 6 — Create: 201 Created and a Location header (3 points, `status-codes`)"),
        answer("answer-create"),
        check_cell("status-codes-create-product", 3, error("AssertionError", LONG)),
        new_markdown_cell("## Task 7 — Passing"),
        check_cell("status-codes-passing", 1, new_output("stream", name="stderr", text="logged\n")),
    )
    failed, passed = diagnose(nb)
    assert (failed.task, failed.title) == ("Task 6", "Create: 201 Created and a Location header")
    assert failed.message == LONG and failed.key == "status-codes"
    assert (passed.status, passed.points) == (PASSED, 1.0), "stderr costs nothing, as in grading"


def test_headings_inside_code_blocks_and_without_a_task_name():
    nb = lab(
        new_markdown_cell("## Task 6 — Metrics\n\n```\n# TYPE http_requests_total counter\n```"),
        check_cell("logging-metrics", 3, error("AssertionError", "no metrics [logging]")),
    )
    assert diagnose(nb)[0].task == "Task 6"
    assert heading_name("Check 2 — Every failure answers clearly (3 points, `errors`)") == (
        "Check 2",
        "Every failure answers clearly",
    )
    assert heading_name("Given code") == ("Given code", "")
    assert diagnose(new_notebook(cells=[check_cell("status-codes-x", 1)]))[0].task == "status-codes-x"


def test_gradebook_scores_win_over_outputs():
    nb = lab(new_markdown_cell("## Task 1 — Anything"), check_cell("status-codes-x", 2))
    (finding,) = diagnose(nb, {"status-codes-x": (0.0, 2.0)})
    assert finding.status == FAILED and finding.points == 0.0
    assert error_message({"ename": "AssertionError", "evalue": ""}).startswith("a check failed")


def test_check_summary_names_tasks_and_shows_the_root_cause_whole():
    report = CheckReport("lab99", notebook=__import__("pathlib").Path("lab99.ipynb"))
    report.tasks = [
        TaskResult("status-codes-a", "status-codes", 0, 2, "not started: ...", task="Task 1", status=NOT_STARTED),
        TaskResult("status-codes-b", "status-codes", 0, 2, LONG, task="Task 12", status=FAILED),
        TaskResult("status-codes-c", "status-codes", 2, 2, task="Task 13", status=PASSED),
    ]
    text = format_report(report)
    lines = text.splitlines()
    assert lines[1].startswith("  FAIL  0/2  Task 1 ") and lines[1].endswith("status-codes-a")
    assert LONG in text and "AssertionError" not in text
    assert lines[-1] == "Total: 2/6 points; 1 of 3 tasks pass; 1 not started."


def test_given_code_that_failed_is_the_cause_not_the_learner():
    setup = new_code_cell("import cryptography", outputs=[error("ModuleNotFoundError", "No module named 'x'")])
    setup.metadata["nbgrader"] = {"grade_id": "setup", "locked": True, "grade": False, "solution": False}
    nb = lab(
        setup,
        new_markdown_cell("## Task 1 — Tokens"),
        answer("answer-tokens", error("NameError", "name 'sign' is not defined")),
        check_cell("auth-tokens", 3, error("NameError", "name 'sign' is not defined")),
    )
    (finding,) = diagnose(nb)
    assert finding.status == FAILED and "given code failed (cell 2: ModuleNotFoundError" in finding.message
