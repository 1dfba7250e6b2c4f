"""The course as a learner meets it: real JupyterLab, driven by headless Chromium.

Starts JupyterLab from this environment on a free localhost port (token, no browser
of its own, temporary runtime/data/config dirs, a temporary copy of the notebook so
that autosave never touches the repository), opens notebook 00, runs all cells and
checks that no error appears, the ipywidgets controls render, and moving a slider
changes the figure. A screenshot goes to test-artifacts/ (not committed).

Needs Debian's Chromium (/usr/bin/chromium) and Playwright (requirements-browser.txt).
Without them the test is skipped, saying how to enable it.
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
from conftest import skip_unless

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "00_setup_and_frameworks.ipynb"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
ENABLE = "to enable: apt-get install chromium && pip install -r requirements-browser.txt"

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = skip_unless(sync_playwright is not None and os.access(CHROMIUM, os.X_OK),
                         f"browser test needs Chromium and Playwright; {ENABLE}")


def expected_errors() -> int:
    """How many cells of the notebook demonstrate an error on purpose."""
    nb = json.loads((ROOT / "notebooks" / NOTEBOOK).read_text())
    return sum("".join(c["source"]).startswith("# NBVAL_RAISES_EXCEPTION") for c in nb["cells"])


@pytest.fixture
def lab(tmp_path, free_port):
    """A JupyterLab server on localhost serving a temporary copy of the notebooks folder."""
    (tmp_path / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, tmp_path / "notebooks" / NOTEBOOK)
    port, token = free_port, secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_DATA_DIR": str(tmp_path / "data"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "ws")}
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}", "--allow-root",
           "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    log = open(tmp_path / "lab.log", "w")
    server = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "lab.log").read_text()
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 s:\n" + (tmp_path / "lab.log").read_text())
        yield f"{base}/lab/tree/notebooks/{NOTEBOOK}?token={token}"
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def test_notebook_runs_and_its_widget_responds_in_a_real_browser(lab, tmp_path):
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 900})
        page = browser.new_page()
        try:
            page.goto(lab, timeout=60_000)
            page.locator(".jp-NotebookPanel").wait_for(timeout=60_000)
            try:  # JupyterLab may ask which kernel to start; the notebook's own is preselected
                page.get_by_role("button", name="Select", exact=True).click(timeout=10_000)
            except PlaywrightTimeout:
                pass
            expect(page.get_by_text(re.compile(r"Python 3 .*\| Idle"))).to_be_visible(timeout=60_000)
            # clear the stored outputs, so that everything checked below comes from this run
            page.locator(".lm-MenuBar-itemLabel", has_text="Edit").click()
            page.get_by_role("menuitem", name="Clear Outputs of All Cells", exact=True).click()
            expect(page.get_by_text("Exercise 3: correct!")).to_have_count(0, timeout=10_000)
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            # the last cell prints this; cells run in order, so all have run when it appears
            expect(page.get_by_text("Exercise 3: correct!")).to_be_visible(timeout=120_000)
            expect(page.get_by_text(re.compile(r"Python 3 .*\| Idle"))).to_be_visible(timeout=60_000)

            # errors and stderr share one renderer; only the cells that demonstrate an error may show one
            shown = page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count()
            assert shown == expected_errors(), f"{shown} error/stderr outputs, expected {expected_errors()}"
            outputs = "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
            for bad in ("Error displaying widget", "model not found"):
                assert bad not in outputs, f"{bad!r} in an output"

            slider = page.locator(".widget-slider").first
            expect(slider).to_be_visible(timeout=30_000)
            widget_output = page.locator(".widget-interact .jp-OutputArea-output img").first
            expect(widget_output).to_be_visible(timeout=30_000)
            before = widget_output.get_attribute("src")
            handle = slider.locator(".noUi-handle").first
            handle.focus()
            handle.press("ArrowRight")
            handle.press("ArrowRight")
            expect(page.locator(".widget-interact .widget-readout").first).not_to_have_text("2.0", timeout=10_000)
            page.wait_for_function(
                "before => { const img = document.querySelector('.widget-interact .jp-OutputArea-output img');"
                " return img && img.getAttribute('src') !== before; }", arg=before, timeout=30_000)
        finally:
            page.screenshot(path=str(artifacts / "browser_00_setup.png"), full_page=False)
            browser.close()
