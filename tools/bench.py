"""``make bench``: each notebook's wall time and its kernel's peak memory.

A benchmark, not a test: it prints a table to paste into a closing note.
Targets: ≤ 30 s per notebook on a 2-core CPU (60 s for notebook 11, which trains a language model in both
frameworks; TIME_BUDGET_S), ≤ 1.5 GB peak kernel memory.

Binder gives a session about 2 GB, so where this machine lets us (root with a
writable cgroup-v1 memory controller, as on the course's CI machines) each
kernel runs inside a cgroup limited to 2 GiB: a notebook that needs more is
killed and reported as such. The reported peak is the larger of the cgroup's
peak (kernel and all its children, but not shared-library pages that another
process cached first) and the kernel's resident high-water mark (VmHWM) plus
that of its children alive at the end. Elsewhere only the second is measured.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
import psutil
from nbclient.exceptions import DeadKernelError

from nbrun import client, prepare, use_this_python

TARGET_S, TARGET_GB, LIMIT_BYTES = 30.0, 1.5, 2 * 2**30
TIME_BUDGET_S = {"11_small_language_model": 60.0}  # notebooks allowed more than TARGET_S, by file stem
CGROUP_V1 = Path("/sys/fs/cgroup/memory")


class MemoryLimit:
    """A cgroup-v1 memory cgroup of 2 GiB for one kernel, if this machine allows it."""

    def __init__(self, name: str) -> None:
        self.path: Path | None = CGROUP_V1 / f"t2a-bench-{os.getpid()}-{name}"
        try:
            self.path.mkdir()
            (self.path / "memory.limit_in_bytes").write_text(str(LIMIT_BYTES))
        except OSError:
            self.path = None

    def add(self, pid: int) -> None:
        if self.path is not None:
            (self.path / "cgroup.procs").write_text(str(pid))

    def peak(self) -> int | None:
        return int((self.path / "memory.max_usage_in_bytes").read_text()) if self.path else None

    def close(self) -> None:
        if self.path is not None:
            for _ in range(50):  # the kernel may take a moment to leave
                try:
                    self.path.rmdir()
                    return
                except OSError:
                    time.sleep(0.1)


def peak_bytes(pid: int) -> int:
    """High-water mark of resident memory of a process (Linux), else its current RSS."""
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return psutil.Process(pid).memory_info().rss


def run(nb: nbformat.NotebookNode, path: Path) -> tuple[float, float, str]:
    """Execute in a fresh kernel; return (seconds including kernel start, peak GB, problem or '')."""
    start = time.perf_counter()
    c = client(nb, path)
    limit = MemoryLimit(path.stem)
    problem = ""
    try:
        with c.setup_kernel():
            pid = c.km.provisioner.process.pid
            limit.add(pid)
            try:
                for index, cell in enumerate(nb.cells):
                    c.execute_cell(cell, index)
            except DeadKernelError:
                problem = "kernel died (over the 2 GiB limit?)"
            seconds = time.perf_counter() - start
            children = psutil.Process(pid).children(recursive=True)
            rss = peak_bytes(pid) + sum(peak_bytes(ch.pid) for ch in children if ch.is_running())
            # a cgroup does not count shared-library pages already cached by another process,
            # so report the larger of the two measures
            peak = max(rss, limit.peak() or 0)
    finally:
        limit.close()
    return seconds, peak / 1e9, problem


def main(paths: list[str]) -> int:
    use_this_python()
    bare_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    bare_s, bare_gb, _ = run(bare_nb, Path("notebooks/bare.ipynb"))
    imports = nbformat.v4.new_code_cell(
        "import torch\nfrom helpers.reproducibility import import_tensorflow\ntf = import_tensorflow()")
    imp_s, imp_gb, _ = run(nbformat.v4.new_notebook(cells=[imports]), Path("notebooks/imports.ipynb"))
    enforced = MemoryLimit("probe")
    print("Memory limit per kernel: " + ("2 GiB, enforced by a cgroup (peak includes child processes)"
                                         if enforced.path else "not enforced here (no writable cgroup)"))
    enforced.close()
    print(f"| notebook | wall time (s) | peak kernel memory (GB) | within targets |\n|---|---:|---:|---|")
    print(f"| (bare kernel start-up) | {bare_s:.1f} | {bare_gb:.2f} | |")
    print(f"| (kernel + import torch and TF) | {imp_s:.1f} | {imp_gb:.2f} | |")
    total = 0.0
    for name in paths:
        path = Path(name)
        nb = nbformat.read(path, as_version=4)
        prepare(nb)
        seconds, gb, problem = run(nb, path)
        total += seconds
        budget = TIME_BUDGET_S.get(path.stem, TARGET_S)
        ok = f"**no: {problem}**" if problem else "yes" if seconds <= budget and gb <= TARGET_GB else "**no**"
        print(f"| {path.name} | {seconds:.1f} | {gb:.2f} | {ok} |", flush=True)
    print(f"| **all {len(paths)} notebooks, one after another** | {total:.1f} | | |")
    print(f"\nSum of bare kernel start-ups: {len(paths) * bare_s:.1f} s for {len(paths)} notebooks.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
