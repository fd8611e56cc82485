"""Driving JupyterLab in a real browser the way a person does: open a notebook, type into a
cell, run it, save, press a toolbar button. Playwright for Python drives Debian's Chromium.

Every wait is on something on the page (a prompt number, the kernel's status, a dialog),
bounded by a timeout, so a slow machine only makes the test slower and a broken page
fails with the selector it was waiting for.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, Playwright, expect

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; Playwright's own browser download is not used
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A cell's run can include a kernel start; a whole lesson runs in well under this.
CELL_TIMEOUT_MS = 120_000
PAGE_TIMEOUT_MS = 60_000

_EXECUTED_PROMPT = re.compile(r"\[\d+\]")


def launch_chromium(playwright: Playwright) -> Browser:
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: install Debian's chromium (make test does it as root).")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def open_notebook(page: Page, url: str, nbgrader_toolbar: bool = True) -> Locator:
    """Open a notebook by its /lab/tree/ address; return its panel once its kernel is ready.

    The panel is found through its own tab (by file name), not as "the visible notebook":
    while JupyterLab restores its layout another notebook can be the visible one.
    ``nbgrader_toolbar``: wait for nbgrader's Validate button too (the learner edition has none).
    """
    page.goto(url)
    name = url.split("?")[0].rsplit("/", 1)[-1]
    tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab").filter(
        has=page.locator(".lm-TabBar-tabLabel", has_text=re.compile(f"^{re.escape(name)}$"))
    )
    expect(tab).to_have_count(1, timeout=PAGE_TIMEOUT_MS)
    panel = page.locator(f'[id="{tab.get_attribute("data-id")}"]')
    expect(panel.locator(".jp-Cell").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(panel.locator(".jp-KernelName")).to_contain_text("Python", timeout=PAGE_TIMEOUT_MS)
    if nbgrader_toolbar:
        expect(panel.locator(".validate-button")).to_be_visible(timeout=PAGE_TIMEOUT_MS)  # nbgrader's toolbar is in
    wait_for_idle_kernel(panel)
    return panel


def wait_for_idle_kernel(panel: Locator, timeout: int = CELL_TIMEOUT_MS) -> None:
    expect(panel.locator(".jp-Notebook-ExecutionIndicator")).to_have_attribute("data-status", "idle", timeout=timeout)


def cell(panel: Locator, index: int) -> Locator:
    """The notebook's cell at ``index``, in file order (windowing is off, so all are in the DOM)."""
    return panel.locator(".jp-Notebook .jp-Notebook-cell").nth(index)


def code_cells(panel: Locator) -> Locator:
    return panel.locator(".jp-Notebook .jp-Notebook-cell.jp-CodeCell")


def run_all(page: Page, panel: Locator) -> None:
    """Run > Run All Cells from the menu bar; wait until nothing is running or queued.

    Run All marks every code cell queued (``[*]``) at once and clears the queue when a
    cell fails, so "no ``[*]`` left" means finished or stopped by an error; the caller
    tells which from the outputs.
    """
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    prompts = code_cells(panel).locator(".jp-InputPrompt")
    expect(prompts.first).to_have_text(_EXECUTED_PROMPT, timeout=CELL_TIMEOUT_MS)
    expect(prompts.filter(has_text="*")).to_have_count(0, timeout=CELL_TIMEOUT_MS)
    wait_for_idle_kernel(panel)


def type_into_cell(page: Page, target: Locator, text: str) -> None:
    """Replace a cell's source by typing ``text`` into its editor.

    The text arrives as one input event, like a paste, so the editor's auto-indent does
    not re-indent each line; what lands in the cell is exactly ``text``.
    """
    target.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(text)
    expect(target.locator(".cm-content")).to_contain_text(text.splitlines()[0])


def run_cell(page: Page, target: Locator) -> None:
    """Shift+Enter in the cell; wait until its prompt shows a new execution number."""
    prompt = target.locator(".jp-InputPrompt")
    before = prompt.inner_text()
    target.locator(".cm-content").click()
    expect(target).to_have_class(re.compile(r"\bjp-mod-active\b"))  # Shift+Enter runs the active cell
    page.keyboard.press("Shift+Enter")
    expect(prompt).not_to_have_text(before, timeout=CELL_TIMEOUT_MS)
    expect(prompt).to_have_text(_EXECUTED_PROMPT, timeout=CELL_TIMEOUT_MS)


def add_cell_below(page: Page, panel: Locator, index: int, text: str) -> Locator:
    """A new code cell below the cell at ``index`` (command mode, B), holding ``text``."""
    above = cell(panel, index)
    above.locator(".jp-InputPrompt").click()
    expect(above).to_have_class(re.compile(r"\bjp-mod-active\b"))
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    added = cell(panel, index + 1)
    expect(added).to_have_class(re.compile(r"\bjp-mod-active\b"))
    type_into_cell(page, added, text)
    return added


def output_text(target: Locator) -> str:
    """Everything the cell shows under itself: printed text, results and errors."""
    return "\n".join(target.locator(".jp-OutputArea-output").all_inner_texts())


def open_terminal(page: Page, lab_url: str) -> Locator:
    """File > New > Terminal, from the Launcher's card; return the terminal once its shell answers."""
    page.goto(lab_url)
    page.locator(".jp-LauncherCard", has_text="Terminal").first.click()
    terminal = page.locator(".jp-Terminal:visible")
    expect(terminal.locator(".xterm-screen")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(terminal_rows(terminal)).to_contain_text(re.compile(r"[$#]"), timeout=PAGE_TIMEOUT_MS)  # a prompt
    return terminal


def terminal_rows(terminal: Locator) -> Locator:
    """The terminal's text as xterm.js lays it out in the page (its screen-reader rows)."""
    return terminal.locator(".xterm-accessibility-tree")


def type_in_terminal(page: Page, terminal: Locator, command: str, until: re.Pattern[str]) -> str:
    """Type ``command`` and Enter, as a person does; return the terminal's text once it shows ``until``."""
    terminal.locator(".xterm-screen").click()
    page.keyboard.type(command)
    page.keyboard.press("Enter")
    expect(terminal_rows(terminal)).to_contain_text(until, timeout=CELL_TIMEOUT_MS)
    return terminal_rows(terminal).inner_text()


def error_text(target: Locator) -> str:
    """What the cell shows on its error stream (tracebacks, stderr), empty when nothing."""
    outputs = target.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    return "\n".join(outputs.all_inner_texts())


def save(page: Page, panel: Locator) -> None:
    """Ctrl+S, and wait until the tab no longer shows unsaved changes."""
    panel.locator(".jp-Notebook").click(position={"x": 5, "y": 5})
    page.keyboard.press("ControlOrMeta+s")
    expect(page.locator(".jp-mod-current.jp-mod-dirty")).to_have_count(0, timeout=PAGE_TIMEOUT_MS)


def validate(page: Page, panel: Locator) -> tuple[bool, str]:
    """Press nbgrader's Validate button; return (passed, the dialog's text), the dialog left open.

    The button saves the notebook, then the server runs nbgrader's Validator on the file.
    """
    panel.locator(".validate-button").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_be_visible(timeout=CELL_TIMEOUT_MS)
    message = dialog.locator("#validation-message")
    if message.count() == 0:  # "Validation failed" / "Version Mismatch": the check itself did not run
        raise AssertionError(f"Validate did not validate the notebook: {dialog.inner_text()}")
    passed = "validation-success" in (message.get_attribute("class") or "")
    return passed, message.inner_text()


def close_dialog(page: Page) -> None:
    page.locator(".jp-Dialog").get_by_role("button", name="Ok").click()
    expect(page.locator(".jp-Dialog")).to_have_count(0)
