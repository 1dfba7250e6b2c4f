"""PyTorch's default Linux build (CUDA, with triton) and TensorFlow in one kernel: the crash, and the fix.

PyPI's torch for Linux installs triton, and loading triton after TensorFlow kills the process
(helpers/_llvm.py says why). The CPU build plus the same triton release reproduces this without CUDA
libraries or a GPU: `make triton` installs that release into build/triton, and every process these tests
start gets it on PYTHONPATH, the kernels of the notebooks included. CI always runs them (T2A_CI=1).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import skip_unless

ROOT = Path(__file__).resolve().parent.parent
TRITON = ROOT / "build" / "triton"
pytestmark = skip_unless((TRITON / "triton").is_dir(), "needs triton beside the CPU build: run `make triton`")

# The two things that reach triton: deterministic mode (seed_everything) and torch.compile.
USE_TORCH = """
from helpers.reproducibility import seed_everything
seed_everything(0)
compiled = torch.compile(lambda x: torch.sin(x) * 2)
x = torch.linspace(0, 1, 5)
assert torch.allclose(compiled(x), torch.sin(x) * 2)
assert abs(float(tf.reduce_sum(tf.sin(tf.constant(x.numpy())) * 2)) - float((torch.sin(x) * 2).sum())) < 1e-5
print("survived; triton loaded:", "triton._C.libtriton" in sys.modules)
"""
ORDERS = {
    "torch, then TensorFlow through helpers": "import torch\n"
    "from helpers.reproducibility import import_tensorflow\ntf = import_tensorflow()",
    "TensorFlow through helpers, then torch": "from helpers.reproducibility import import_tensorflow\n"
    "tf = import_tensorflow()\nimport torch",
    "helpers, then a plain `import tensorflow`": "import helpers\nimport tensorflow as tf\nimport torch",
}


def env(triton: bool = True) -> dict[str, str]:
    paths = [str(TRITON)] * triton + [str(ROOT), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "TF_CPP_MIN_LOG_LEVEL": "3"}


def python(code: str, triton: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import sys\n" + code], env=env(triton), cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def test_the_crash_is_real_tensorflow_then_triton_kills_the_process():
    code = "import tensorflow, torch\ntorch.use_deterministic_algorithms(True)\nprint('survived')"
    crashed = python(code)
    assert crashed.returncode != 0 and "survived" not in crashed.stdout, "the crash no longer reproduces"
    assert crashed.returncode < 0 or "LLVM ERROR" in crashed.stderr, crashed.stderr[-2000:]
    # the control: without triton the same lines are fine, so triton is what kills the process (a CUDA
    # build's own triton is always importable: there, no such control exists)
    if python("import triton", triton=False).returncode != 0:
        control = python(code, triton=False)
        assert control.stdout.strip() == "survived", control.stderr[-2000:]


@pytest.mark.parametrize("order", ORDERS)
def test_with_helpers_both_frameworks_share_a_process_in_either_order(order):
    result = python(ORDERS[order] + USE_TORCH)
    assert result.returncode == 0, f"exit status {result.returncode}\n{result.stderr[-3000:]}"
    assert result.stdout.strip().endswith("survived; triton loaded: True"), result.stdout


def test_tensorflow_imported_before_helpers_gets_a_message_not_a_dead_process():
    code = ("import tensorflow, torch\nfrom helpers.reproducibility import seed_everything\n"
            "try:\n    seed_everything(0)\nexcept RuntimeError as err:\n    print(err)")
    result = python(code)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Restart the kernel" in result.stdout and "import_tensorflow()" in result.stdout


def test_preflight_checks_this_build_in_a_separate_process():
    result = subprocess.run([sys.executable, "-m", "helpers.preflight"], env=env(), cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    line = next(line for line in result.stdout.splitlines() if line.split()[1:3] == ["torch", "+"])
    assert line.startswith("OK") and "triton 3." in line and "loaded before TensorFlow" in line, line


def test_a_notebook_kernel_loads_triton_first_and_survives():
    sys.path.insert(0, str(ROOT / "tools"))
    from nbrun import client, use_this_python

    use_this_python()
    cell = nbformat.v4.new_code_cell(ORDERS["torch, then TensorFlow through helpers"] + "\nimport sys\n"
                                     "from helpers.reproducibility import seed_everything\nseed_everything(0)\n"
                                     "print('triton first:', 'triton._C.libtriton' in sys.modules)")
    nb = nbformat.v4.new_notebook(cells=[cell])
    old = os.environ.copy()
    os.environ.update(env())
    try:
        client(nb, ROOT / "notebooks" / "triton_probe.ipynb").execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    assert "".join(o.get("text", "") for o in cell.outputs).strip().endswith("triton first: True"), cell.outputs


def test_every_notebook_passes_strict_nbval_with_triton_installed():
    notebooks = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    # two workers of its own: this test runs last, often while the suite's other worker is already idle
    cmd = [sys.executable, "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider", "-n", "2",
           "--dist", "loadfile", "--nbval",
           "--nbval-current-env", "--nbval-cell-timeout", "120",
           "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", *notebooks]
    result = subprocess.run(cmd, env=env(), cwd=ROOT, capture_output=True, text=True, timeout=1500)
    assert result.returncode == 0, result.stdout[-6000:]
