"""The README's first command, run as a learner runs it: `make lab` starts JupyterLab on notebook 00.

As root too (containers, cloud VMs, this CI): Jupyter refuses to start as root unless told that this is
intended, so the Makefile passes --allow-root there. Jupyter's own environment variables give the server
a free port and a token (JUPYTER_PORT, JUPYTER_TOKEN) and private runtime and config folders; the
"browser" it opens is a script that writes down what it was asked to open. The server is then asked for
the notebook, and stopped with SIGTERM, which Jupyter handles as a clean stop (a Ctrl-C without a terminal only
starts its "Shutdown this Jupyter server?" prompt). Its stdin is /dev/null: under pytest-xdist a child's inherited
stdin is the worker's channel to the controller, which Jupyter's prompt would read from.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from conftest import skip_unless

ROOT = Path(__file__).resolve().parent.parent
FIRST = "notebooks/00_setup_and_frameworks.ipynb"
READY = shutil.which("make") is not None and subprocess.run(
    ["make", "-q", ".venv/.installed"], cwd=ROOT, capture_output=True).returncode == 0
pytestmark = skip_unless(READY, "needs make and an installed .venv (`make lab` would install it first)")


def get(url: str, token: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, response.read().decode()


def test_make_lab_serves_the_first_notebook_and_stops_cleanly(tmp_path, free_port):
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" >> "{opened}"\n')
    browser.chmod(0o755)
    token = secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_PORT": str(free_port), "JUPYTER_TOKEN": token, "BROWSER": f"{browser} %s",
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces")}
    log = open(tmp_path / "lab.log", "w")
    lab = subprocess.Popen(["make", "lab"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log,
                           stderr=subprocess.STDOUT, start_new_session=True)  # its own process group: make and jupyter stop together
    base = f"http://127.0.0.1:{free_port}"
    try:
        for _ in range(120):
            try:
                status, body = get(f"{base}/api/contents/{FIRST}?content=0", token)
                break
            except OSError:
                assert lab.poll() is None, "make lab exited:\n" + (tmp_path / "lab.log").read_text()
                time.sleep(0.5)
        else:
            raise AssertionError("JupyterLab did not answer within 60 s:\n" + (tmp_path / "lab.log").read_text())
        assert status == 200 and json.loads(body)["type"] == "notebook"

        # It asked the browser to open notebook 00 (through a redirect page holding the URL).
        for _ in range(20):
            if opened.exists():
                break
            time.sleep(0.5)
        target = opened.read_text().split()[0].removeprefix("file://")
        url = re.search(r"http://[^\"'\s]+", Path(target).read_text() if target.startswith("/") else target)
        assert url and url.group(0).split("?")[0].endswith(f"/lab/tree/{FIRST}"), target
        status, page = get(f"{base}/lab/tree/{FIRST}", token)
        assert status == 200 and "JupyterLab" in page
    finally:
        os.killpg(lab.pid, signal.SIGTERM)  # make and jupyter: their own process group
        try:
            code = lab.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
            raise AssertionError("make lab did not stop within 30 s of SIGTERM:\n"
                                 + (tmp_path / "lab.log").read_text()) from None
        finally:
            log.close()
    text = (tmp_path / "lab.log").read_text()
    assert "Running as root is not recommended" not in text, text
    assert "received signal 15, stopping" in text and "Shutting down" in text, text  # a clean stop, within 30 s
    try:
        get(f"{base}/api/status", token)
        raise AssertionError("JupyterLab still answers after make lab exited")
    except OSError:
        pass
    print(f"make lab exited with status {code}")
