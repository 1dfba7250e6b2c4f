"""Can this machine run the course? One OK / NOTE / PROBLEM line per item (used by notebook 00).

``python -m helpers.preflight`` exits with status 1 on a PROBLEM. NOTE: works, but differs from what
the course was tested with.
"""

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from helpers import _llvm

__all__ = ["Check", "run_checks", "main"]

ROOT = Path(__file__).resolve().parent.parent
# The oldest versions the whole course has actually been run with (strict nbval of every notebook): the pins
# of requirements.txt. Newer ones were run too (torch 2.15, NumPy 2.5 on 2026-12-01). Older ones are untested,
# and some are known not to work: notebook 03 needs torch.accelerator's check_available (torch 2.7), Keras 3
# came with TF 2.16, and what the notebooks say about NumPy's default integers and scalar promotion holds
# for NumPy 2 only. Lower a minimum only after running the course with that version.
MINIMUM = {"torch": "2.13", "tensorflow": "2.21", "numpy": "2.4", "matplotlib": "3.11",
           "scikit-learn": "1.9", "ipywidgets": "8.1"}


@dataclass(frozen=True)
class Check:
    """One line of the report: ``status`` is "OK", "NOTE" or "PROBLEM"."""
    status: str
    item: str
    detail: str

    def __str__(self) -> str:
        return f"{self.status:<8} {self.item:<13} {self.detail}"


def _version_tuple(v: str) -> tuple[int, ...]:
    return tuple(int("".join(c for c in p if c.isdigit()) or 0) for p in v.split("+")[0].split(".")[:3])


def pinned_versions(path: Path = ROOT / "requirements.txt") -> dict[str, str]:
    """Read ``name==version`` pins (tensorflow-cpu counts as tensorflow)."""
    specs = [line.split("#")[0].split(";")[0] for line in path.read_text().splitlines()] if path.exists() else []
    pins = dict(tuple(part.strip() for part in spec.split("==")) for spec in specs if "==" in spec)
    return {name.lower().replace("_", "-").removesuffix("-cpu"): version for name, version in pins.items()}


def _installed(name: str) -> str | None:
    for dist in ((name, f"{name}-cpu") if name == "tensorflow" else (name,)):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return None


def _package(name: str, pins: dict[str, str]) -> Check:
    have, pin = _installed(name), pins.get(name)
    if have is None:
        return Check("PROBLEM", name, "not installed: run `make lab` (or pip install -r requirements.txt)")
    if _version_tuple(have) < _version_tuple(MINIMUM[name]):
        return Check("PROBLEM", name, f"{have} is older than {MINIMUM[name]}, the oldest the course has been run "
                     "with; upgrade it (pip install -r requirements.txt)")
    if pin and _version_tuple(have) != _version_tuple(pin):
        return Check("NOTE", name, f"{have} (the course is tested with {pin})")
    return Check("OK", name, have)


def _memory() -> Check:
    import psutil
    avail = psutil.virtual_memory().available
    cgroup = Path("/sys/fs/cgroup")
    try:  # containers (Binder) limit memory below what the host reports
        limit = (cgroup / "memory.max").read_text().strip()
        if limit != "max":
            avail = min(avail, int(limit) - int((cgroup / "memory.current").read_text()))
    except (OSError, ValueError):
        pass
    gib = avail / 2**30
    return Check("OK" if gib >= 2 else "NOTE" if gib >= 1 else "PROBLEM", "memory",
                 f"{gib:.1f} GiB available (a notebook needs up to 1.5 GiB)")


def _widgets() -> Check:
    ipw, lab = _installed("ipywidgets"), _installed("jupyterlab-widgets")
    if "google.colab" in sys.modules:
        return Check("OK", "widgets", "Colab renders ipywidgets itself")
    if ipw is None or lab is None:
        return Check("PROBLEM", "widgets", "ipywidgets and jupyterlab_widgets must both be installed")
    if ipw.split(".")[0] != "8" or lab.split(".")[0] != "3":
        return Check("PROBLEM", "widgets", f"ipywidgets {ipw} needs jupyterlab_widgets 3.x (have {lab})")
    return Check("OK", "widgets", f"ipywidgets {ipw} with jupyterlab_widgets {lab}")


def _kernel() -> Check:
    from jupyter_client.kernelspec import KernelSpecManager
    if "python3" in KernelSpecManager().find_kernel_specs():
        return Check("OK", "kernel", "a 'python3' Jupyter kernel is registered")
    return Check("PROBLEM", "kernel", "no 'python3' kernel: run `python -m ipykernel install --user`")


def _writable() -> Check:
    target = ROOT / "figures" if (ROOT / "figures").is_dir() else Path.cwd()
    try:
        tempfile.NamedTemporaryFile(dir=target).close()
    except OSError as err:
        return Check("PROBLEM", "write access", f"cannot write in {target.name}/: {err.strerror}")
    return Check("OK", "write access", f"can write figures to {target.name}/")


def _data() -> Check:
    """Notebook 11 trains on data/tinyshakespeare.txt: it must be there, byte for byte (``helpers.data``)."""
    from helpers.data import tiny_shakespeare
    try:
        text = tiny_shakespeare()
    except (OSError, ValueError) as err:
        return Check("PROBLEM", "data", f"notebook 11 cannot run: {err}")
    return Check("OK", "data", f"tiny Shakespeare for notebook 11 ({len(text):,d} characters, checksum verified)")


# What seed_everything and torch.compile do, in a fresh process: it dies here if the two LLVMs clash.
ONE_PROCESS_PROBE = ("import helpers, tensorflow, torch; torch.use_deterministic_algorithms(True); "
                     "import torch._inductor; print('ok')")


def _one_process() -> Check:
    """Can PyTorch and TensorFlow share this process (and so a kernel)? See ``helpers._llvm``."""
    item = "torch + TF"
    if not _llvm.triton_installed():
        return Check("OK", item, "no triton here (a CPU build of PyTorch): nothing can clash")
    version = _installed("triton")
    if _llvm.unsafe_order():
        return Check("PROBLEM", item, "TensorFlow was imported before triton in this kernel, so torch.compile or "
                     "seed_everything would crash it: restart the kernel and import `helpers` first")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    try:
        probe = subprocess.run([sys.executable, "-c", ONE_PROCESS_PROBE], env=env, capture_output=True,
                               text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return Check("NOTE", item, "the check of triton before TensorFlow took over 5 minutes; skipped")
    if probe.returncode == 0 and probe.stdout.strip().endswith("ok"):
        return Check("OK", item, f"triton {version} is loaded before TensorFlow, so both share a kernel "
                     "(checked in a separate process)")
    how = f"killed by signal {-probe.returncode}" if probe.returncode < 0 else f"exit status {probe.returncode}"
    return Check("PROBLEM", item, f"this PyTorch build (with triton {version}) and TensorFlow crash in one process "
                 f"({how}): use PyTorch's CPU build (`make lab TORCH=cpu`, see the README) or `pip uninstall triton`")


def run_checks(*, devices: bool = True) -> list[Check]:
    """Run every check and return the lines (``devices=False`` skips importing the frameworks)."""
    v = sys.version_info
    py = "OK" if v[:2] == (3, 11) else "NOTE" if (3, 10) <= v[:2] <= (3, 13) else "PROBLEM"
    pins = pinned_versions()
    checks = [Check(py, "python", f"{v.major}.{v.minor}.{v.micro} (the course is tested with 3.11)")]
    checks += [_package(name, pins) for name in MINIMUM]
    checks += [_widgets(), _kernel(), _memory(), _writable(), _data()]
    if devices and all(c.status != "PROBLEM" for c in checks if c.item in ("torch", "tensorflow")):
        checks.append(_one_process())
    if devices and all(c.status != "PROBLEM" for c in checks if c.item in ("torch", "tensorflow", "torch + TF")):
        from helpers.devices import describe
        checks += [Check("OK", "devices", line) for line in describe()]
    return checks


def main() -> int:
    """Print the report; return 1 if any line is a PROBLEM."""
    checks = run_checks()
    print(*checks, sep="\n")
    problems = sum(c.status == "PROBLEM" for c in checks)
    print(f"{problems} problem(s) found." if problems else "Ready: this machine can run the course.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
