"""The course as a learner meets it: real JupyterLab, driven by headless Chromium, every notebook.

One JupyterLab server from this environment (a free localhost port, a token, no browser of its own,
temporary runtime/data/config dirs) serves a temporary copy of notebooks/, so that autosave never touches
the repository. For each notebook the test clears the stored outputs, runs all cells, and checks:
- every code cell ran (so Run All was not stopped by an error: error demos use ``expect_error``);
- no output is an error or stderr (log lines from C++ libraries included), also after the widgets moved;
- every ``interact`` widget renders and responds: moving its first control draws a new figure;
- JupyterLab does not ask about "official Jupyter news" (the environment's settings turn that off).
A screenshot of each notebook goes to test-artifacts/ (not committed).

Needs Debian's Chromium (/usr/bin/chromium) and Playwright (requirements-browser.txt).
Without them the test is skipped, saying how to enable it (in CI it fails instead).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import CHROMIUM, CHROMIUM_FLAGS, find_free_port, skip_unless

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FLAGS = CHROMIUM_FLAGS
ENABLE = "to enable: apt-get install chromium && pip install -r requirements-browser.txt"
OVERRIDES = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
IDLE = re.compile(r"Python 3 .*\| Idle")

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = skip_unless(sync_playwright is not None and os.access(CHROMIUM, os.X_OK),
                         f"browser test needs Chromium and Playwright; {ENABLE}")


def code_cell_count(path: Path) -> int:
    return sum(c["cell_type"] == "code" for c in json.loads(path.read_text())["cells"])


def _api(base: str, token: str, path: str, method: str = "GET"):
    req = urllib.request.Request(f"{base}{path}", method=method, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        body = resp.read()
    return json.loads(body) if body else None


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on localhost serving a temporary copy of the notebooks folder."""
    tmp = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", tmp / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    # render every cell: with JupyterLab's default windowing, cells far below the viewport are not in the DOM
    settings = tmp / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port = find_free_port()
    token = secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"), "JUPYTER_DATA_DIR": str(tmp / "data"),
           "JUPYTER_CONFIG_DIR": str(tmp / "config"), "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "ws"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp / "settings")}
    # no news or update flags here: the environment's own settings (overrides.json) must keep the prompt away
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp}", "--allow-root"]
    log = open(tmp / "lab.log", "w")
    server = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                _api(base, token, "/api/status")
                break
            except OSError:
                assert server.poll() is None, (tmp / "lab.log").read_text()
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 s:\n" + (tmp / "lab.log").read_text())
        yield {"base": base, "token": token, "tmp": tmp}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def browser(lab):
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(lab["tmp"] / "chromium-profile"), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 900})
        yield context
        context.close()


def test_the_environment_turns_off_the_news_prompt():
    assert OVERRIDES.exists(), f"{OVERRIDES} is missing: `make .venv/.installed` writes it"
    assert json.loads(OVERRIDES.read_text()) == json.loads((ROOT / "tools" / "jupyterlab_overrides.json").read_text())


def _shown(widget) -> str:
    """What an interact widget's output shows now: its figure (the image's data URL) or its printed text."""
    output = widget.locator(".jp-OutputArea-output").first
    image = output.locator("img")
    return image.first.get_attribute("src") if image.count() else output.inner_text()


def _widgets_respond(page, name: str) -> int:
    """Move the first control of every interact widget; each must show a new figure (or new text, for a widget
    that prints, such as notebook 11's sampler). Returns how many."""
    widgets = page.locator(".widget-interact")
    count = widgets.count()
    for k in range(count):
        widget = widgets.nth(k)
        widget.scroll_into_view_if_needed()
        expect(widget.locator(".jp-OutputArea-output").first).to_be_visible(timeout=60_000)
        before = _shown(widget)
        if widget.locator(".noUi-handle").count():
            handle = widget.locator(".noUi-handle").first
            handle.focus()
            for _ in range(2):
                handle.press("ArrowRight")
        elif widget.locator("select").count():
            select = widget.locator("select").first
            options = select.locator("option").all_inner_texts()
            current = select.input_value()
            select.select_option(next(o for o in options if o != current))
        else:
            pytest.fail(f"{name}: widget {k} has neither a slider nor a dropdown to move")
        deadline = time.monotonic() + 60
        while _shown(widget) == before:
            if time.monotonic() > deadline:
                raise AssertionError(f"{name}: moving widget {k}'s first control changed nothing it shows")
            page.wait_for_timeout(250)
    return count


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_run_all_in_jupyterlab_shows_no_error_and_every_widget_responds(lab, browser, path):
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    page = browser.new_page()
    try:
        # a workspace of its own, reset: otherwise JupyterLab reopens the tabs of the notebooks tested before
        page.goto(f"{lab['base']}/lab/workspaces/t2a-{path.stem}/tree/notebooks/{path.name}?reset&token={lab['token']}",
                  timeout=60_000)
        page.locator(".jp-NotebookPanel").wait_for(timeout=60_000)
        try:  # JupyterLab may ask which kernel to start; the notebook's own is preselected
            page.get_by_role("button", name="Select", exact=True).click(timeout=5_000)
        except PlaywrightTimeout:
            pass
        expect(page.get_by_text(IDLE)).to_be_visible(timeout=60_000)
        # clear the stored outputs, so that everything checked below comes from this run
        page.locator(".lm-MenuBar-itemLabel", has_text="Edit").click()
        page.get_by_role("menuitem", name="Clear Outputs of All Cells", exact=True).click()
        expect(page.locator(".jp-OutputArea-output")).to_have_count(0, timeout=10_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

        # cells run in order; the last code cell's output appears when all have run
        last = page.locator(".jp-CodeCell").last
        expect(page.locator(".jp-CodeCell")).to_have_count(code_cell_count(path), timeout=30_000)
        expect(last.locator(".jp-OutputArea-output").first).to_be_attached(timeout=240_000)
        expect(page.get_by_text(IDLE)).to_be_visible(timeout=60_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="File").click()
        page.get_by_role("menuitem", name=re.compile(r"^Save( Notebook)?\s*(Ctrl\+S)?$")).first.click()
        expect(page.locator(".jp-mod-dirty")).to_have_count(0, timeout=30_000)
        saved = json.loads((lab["tmp"] / "notebooks" / path.name).read_text())
        counts = [c.get("execution_count") for c in saved["cells"] if c["cell_type"] == "code"]
        assert counts == list(range(1, len(counts) + 1)), f"{path.stem}: Run All did not run every cell once, " \
            f"in order: {counts}"

        moved = _widgets_respond(page, path.stem)
        expect(page.get_by_text(IDLE)).to_be_visible(timeout=60_000)
        time.sleep(1)  # a C++ log line reaches the page when it is flushed, possibly after the cell finished

        outputs = page.locator(".jp-OutputArea-output")
        bad = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        shown = [t[:300] for t in bad.all_inner_texts()]
        assert not shown, f"{path.stem}: {len(shown)} error or stderr outputs (after {moved} widgets moved):\n" + \
            "\n---\n".join(shown)
        text = "\n".join(outputs.all_inner_texts())
        for phrase in ("Error displaying widget", "model not found", "Traceback (most recent call last)"):
            assert phrase not in text, f"{path.stem}: {phrase!r} in an output"
        assert "🛑" in text or "expect_error(" not in path.read_text(), f"{path.stem}: its error demos printed nothing"
        assert page.get_by_text("official Jupyter news").count() == 0, "JupyterLab asked about news"
    finally:
        page.screenshot(path=str(artifacts / f"browser_{path.stem}.png"), full_page=False)
        page.close()
        for session in _api(lab["base"], lab["token"], "/api/sessions") or []:  # ~1 GB per kernel: stop it
            _api(lab["base"], lab["token"], f"/api/sessions/{session['id']}", method="DELETE")
