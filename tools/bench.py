"""``make bench``: each notebook's wall time and its kernel's peak memory.

A benchmark, not a test: it prints a table to paste into a closing note.
Targets: ≤ 30 s per notebook on a 2-core CPU, ≤ 1.5 GB peak kernel memory
(Binder gives a session about 2 GB). Peak memory is the kernel process's
high-water mark (VmHWM on Linux) plus that of any child processes still alive
at the end; short-lived children (e.g. a torch.distributed demo) are not counted.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
import psutil

from nbrun import client, prepare, use_this_python

TARGET_S, TARGET_GB = 30.0, 1.5


def peak_bytes(pid: int) -> int:
    """High-water mark of resident memory of a process (Linux), else its current RSS."""
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return psutil.Process(pid).memory_info().rss


def run(nb: nbformat.NotebookNode, path: Path) -> tuple[float, float]:
    """Execute in a fresh kernel; return (seconds including kernel start, peak GB)."""
    start = time.perf_counter()
    c = client(nb, path)
    with c.setup_kernel():
        pid = c.km.provisioner.process.pid
        for index, cell in enumerate(nb.cells):
            c.execute_cell(cell, index)
        seconds = time.perf_counter() - start
        children = psutil.Process(pid).children(recursive=True)
        peak = peak_bytes(pid) + sum(peak_bytes(ch.pid) for ch in children if ch.is_running())
    return seconds, peak / 1e9


def main(paths: list[str]) -> int:
    use_this_python()
    bare_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    bare_s, bare_gb = run(bare_nb, Path("notebooks/bare.ipynb"))
    imports = nbformat.v4.new_code_cell(
        "import torch\nfrom helpers.reproducibility import import_tensorflow\ntf = import_tensorflow()")
    imp_s, imp_gb = run(nbformat.v4.new_notebook(cells=[imports]), Path("notebooks/imports.ipynb"))
    print(f"| notebook | wall time (s) | peak kernel memory (GB) | within targets |\n|---|---:|---:|---|")
    print(f"| (bare kernel start-up) | {bare_s:.1f} | {bare_gb:.2f} | |")
    print(f"| (kernel + import torch and TF) | {imp_s:.1f} | {imp_gb:.2f} | |")
    total = 0.0
    for name in paths:
        path = Path(name)
        nb = nbformat.read(path, as_version=4)
        prepare(nb)
        seconds, gb = run(nb, path)
        total += seconds
        ok = "yes" if seconds <= TARGET_S and gb <= TARGET_GB else "**no**"
        print(f"| {path.name} | {seconds:.1f} | {gb:.2f} | {ok} |", flush=True)
    print(f"| **all {len(paths)} notebooks, one after another** | {total:.1f} | | |")
    print(f"\nSum of bare kernel start-ups: {len(paths) * bare_s:.1f} s for {len(paths)} notebooks.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
