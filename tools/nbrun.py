"""Run notebooks in a fresh kernel of *this* Python, the way the tests do.

Shared by tools/execute.py (re-run in place) and tools/bench.py (time and memory).
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import re
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

import nbformat
import zmq
from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from traitlets import Type, default

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
    """Write the canonical Colab cell; collapse solutions; drop volatile metadata (errors are shown with
    helpers.checks.expect_error, never raised, so no cell needs nbval's raises-exception tag)."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata.pop("widgets", None)
    code = [c for c in nb.cells if c.cell_type == "code"]
    if code and code[0].source.startswith("# Colab setup"):
        code[0].source = colab_setup_source()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        tags = cell.metadata.get("tags", [])
        if "solution" in tags:
            cell.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}


class RearmingChannel(AsyncZMQSocketChannel):
    """A zmq.asyncio channel whose sends cannot swallow the wake-up of a reply being awaited.

    jupyter_client's Session.send writes on a raw shadow of the zmq.asyncio socket. That
    libzmq call also processes the socket's pending commands, which resets its
    edge-triggered ZMQ_FD behind pyzmq's back: a reply that reached the socket just before
    then no longer wakes the coroutine awaiting it, and nbclient only finds it when its
    poll times out - the cell "passes", one cell timeout (120 s) late. nbclient sends on the
    shell channel while awaiting execute_reply whenever output lands in an ipywidgets Output
    widget (every interact() cell: OutputWidget.sync_state). Reading ZMQ_EVENTS through the
    zmq.asyncio socket is pyzmq's way to re-arm: it schedules the waiting receive if a
    message is already there, and any later message signals the FD afresh.
    """

    def send(self, msg: dict) -> None:
        super().send(msg)
        if self.socket is not None and not self.socket.closed:
            self.socket.get(zmq.EVENTS)


class RearmingKernelClient(AsyncKernelClient):
    shell_channel_class = Type(RearmingChannel)
    iopub_channel_class = Type(RearmingChannel)
    stdin_channel_class = Type(RearmingChannel)
    control_channel_class = Type(RearmingChannel)


@functools.cache
def _socket_dir() -> str:
    """A private folder for this process's kernel sockets (short paths: Unix sockets allow ~100 bytes)."""
    path = tempfile.mkdtemp(prefix="t2a-sockets-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def over_unix_sockets(manager: type) -> type:
    """``manager`` (a jupyter_client kernel manager class), talking to its kernels over Unix sockets.

    Over TCP, jupyter_client picks a kernel's five ports by binding port 0 and closing it, and the kernel
    binds them a moment later. Another process can take such a port in between, and so can one of the
    client's own connection attempts: on Linux, a connect() to a port nobody listens on yet can pick that
    very port as its source and connect to itself (seen on this machine after about 10^4 attempts). The
    kernel then dies with "Address already in use". Unix-domain sockets (transport "ipc") have no ports.
    Their paths must be absolute: the kernel runs in the notebook's folder, the client elsewhere.
    Windows has no such sockets and keeps TCP. (conftest.py gives nbval's kernels the same.)
    """
    if os.name != "posix":
        return manager

    class OverUnixSockets(manager):
        @default("transport")
        def _transport_default(self) -> str:
            return "ipc"

        @default("ip")
        def _ip_default(self) -> str:
            return os.path.join(_socket_dir(), f"{uuid.uuid4().hex[:12]}-ipc")

    OverUnixSockets.__name__ = OverUnixSockets.__qualname__ = manager.__name__
    return OverUnixSockets


@over_unix_sockets
class KernelManager(AsyncKernelManager):
    """nbclient's default kernel manager, with channels that re-arm after a send."""

    @default("client_factory")
    def _client_factory_default(self) -> type:
        return RearmingKernelClient


def client(nb: nbformat.NotebookNode, path: Path, timeout: int = 120) -> NotebookClient:
    """A client that runs ``nb`` in its own folder, stops at unexpected errors, records no timings."""
    return NotebookClient(
        nb, timeout=timeout, kernel_name="python3", allow_errors=False, kernel_manager_class=KernelManager,
        record_timing=False, store_widget_state=True,  # False trips a KeyError in nbclient 0.11 on interact()
        # Every output has arrived when the last cell is done, and nothing the kernel does on exit matters
        # here. A graceful shutdown waits 2.5 s (half of jupyter_client's shutdown_wait_time) for a torch + TF
        # interpreter that needs about 3 s to finish, then sends SIGTERM anyway.
        shutdown_kernel="immediate",
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
