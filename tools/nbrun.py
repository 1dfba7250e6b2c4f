"""Run notebooks in a fresh kernel of *this* Python, the way the tests do.

Shared by tools/execute.py (re-run in place) and tools/bench.py (time and memory).
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

# Paths of this machine that must not end up in stored outputs (they differ elsewhere).
MACHINE_PATH = re.compile(r"(/root/|/home/|/Users/|/tmp/|/work/|/private/|site-packages|[A-Za-z]:\\)")

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def use_this_python() -> None:
    """Make the kernel named 'python3' start with sys.executable (like nbval --nbval-current-env)."""
    root = Path(tempfile.mkdtemp(prefix="t2a-kernels-"))
    spec_dir = root / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    # --log-level=ERROR: ipykernel 7 warns on every start that local TCP is unencrypted (expected here)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}", "--log-level=ERROR"]
    (spec_dir / "kernel.json").write_text(json.dumps({**KERNELSPEC, "argv": argv}))
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(root), os.environ.get("JUPYTER_PATH", "")])
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    os.environ.setdefault("PYTHONHASHSEED", "0")


def prepare(nb: nbformat.NotebookNode) -> None:
    """Write the canonical Colab cell; tag cells that expect an error; collapse solutions; drop volatile metadata."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata.pop("widgets", None)
    code = [c for c in nb.cells if c.cell_type == "code"]
    if code and code[0].source.startswith("# Colab setup"):
        code[0].source = colab_setup_source()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "code" and "# NBVAL_RAISES_EXCEPTION" in cell.source and "raises-exception" not in tags:
            cell.metadata["tags"] = tags + ["raises-exception"]
        if "solution" in tags:
            cell.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}


def client(nb: nbformat.NotebookNode, path: Path, timeout: int = 120) -> NotebookClient:
    """A client that runs ``nb`` in its own folder, stops at unexpected errors, records no timings."""
    return NotebookClient(
        nb, timeout=timeout, kernel_name="python3", allow_errors=False,
        record_timing=False, store_widget_state=True,  # False trips a KeyError in nbclient 0.11 on interact()
        resources={"metadata": {"path": str(path.parent)}},
    )


def repository_url(root: Path = Path(__file__).resolve().parent.parent) -> str:
    """The repository URL, from pyproject.toml's [project.urls] (its one home)."""
    import tomllib

    return tomllib.loads((root / "pyproject.toml").read_text())["project"]["urls"]["Repository"]


def colab_setup_source(url: str | None = None) -> str:
    """The first code cell of every notebook: make `helpers` importable on Colab."""
    url = url or repository_url()
    return (
        "# Colab setup: fetch the course so that `helpers` imports (locally and on Binder it is installed).\n"
        "import sys\n"
        "\n"
        "if \"google.colab\" in sys.modules:\n"
        "    import os\n"
        "    import subprocess\n"
        "\n"
        "    if not os.path.isdir(\"/content/course\"):  # running this cell again is harmless\n"
        f"        subprocess.run([\"git\", \"clone\", \"--depth\", \"1\", \"{url}\", \"/content/course\"], check=True)\n"
        "    sys.path.insert(0, \"/content/course\")"
    )


def tidy_outputs(nb: nbformat.NotebookNode) -> None:
    """Make stored outputs independent of timing and machine, so a re-run changes nothing needlessly.

    - consecutive stdout (or stderr) chunks become one output: how a print is split depends on timing;
    - live-widget views are dropped: they point to a model with a random id that only exists while a
      kernel runs (readers see the static figure above each widget instead);
    - traceback frames inside installed libraries are dropped: they show machine paths.
    """
    nb.metadata.pop("widgets", None)
    widget_view = "application/vnd.jupyter.widget-view+json"
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        merged: list = []
        for out in cell.outputs:
            if out.output_type == "display_data" and widget_view in out.get("data", {}):
                continue
            if out.output_type == "stream" and merged and merged[-1].output_type == "stream" \
                    and merged[-1].name == out.name:
                merged[-1].text += out.text
                continue
            if out.output_type == "error":
                kept = [line for line in out["traceback"] if not MACHINE_PATH.search(line)]
                if len(kept) < len(out["traceback"]):
                    kept.insert(-1, "[... frames inside the library omitted ...]")
                out["traceback"] = kept
            merged.append(out)
        cell.outputs = merged
