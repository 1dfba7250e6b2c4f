"""Both frameworks in one process on every PyTorch build: load triton before TensorFlow.

Why this exists. PyTorch's Linux CUDA wheels (PyPI's default on Linux, and Colab's) install ``triton``,
the compiler behind ``torch.compile``. Its library, ``libtriton.so``, carries a copy of LLVM; so does
TensorFlow. PyTorch loads triton lazily, the first time anything imports ``torch._inductor``: that is
``torch.compile`` and also ``torch.use_deterministic_algorithms``, which ``seed_everything`` calls. If
TensorFlow is already loaded at that moment, the process dies while ``libtriton.so`` starts up (gdb
shows the fault in its static initialisers, registering LLVM globals such as ``llvm::DebugCounter`` that
TensorFlow's LLVM already set up): torch 2.13 segfaults, torch 2.15 stops with "LLVM ERROR:
inconsistency in registered CommandLine options". In a notebook that is a dead kernel, whichever
framework was imported first. Loaded in the other order, triton first, both work.

So importing ``helpers`` installs an import hook: just before ``tensorflow`` is imported, it loads
triton if it is installed (about 0.3 s; nothing happens on builds without triton, such as the CPU
wheel). The notebooks need not know. What the hook cannot fix is a TensorFlow imported before
``helpers``; ``unsafe_order()`` detects that, and ``seed_everything`` and the preflight check say so
instead of letting the kernel die.
"""

import importlib.abc
import importlib.util
import sys

__all__ = ["install", "load_triton", "triton_installed", "triton_loaded", "unsafe_order"]

LIBTRITON = "triton._C.libtriton"


def triton_installed() -> bool:
    """Is the ``triton`` package importable here (PyTorch CUDA builds on Linux)?"""
    try:
        return importlib.util.find_spec("triton") is not None
    except (ImportError, ValueError):
        return False


def triton_loaded() -> bool:
    """Has this process loaded triton's native library (and so its LLVM)?"""
    return LIBTRITON in sys.modules


def load_triton() -> bool:
    """Load triton's native library now if it is installed; return whether it is loaded.

    A broken triton install is left alone: PyTorch then fails to use it with an ordinary error.
    """
    if not triton_loaded() and "tensorflow" not in sys.modules and triton_installed():
        try:
            importlib.import_module(LIBTRITON)
        except Exception:  # noqa: BLE001 - any failure here means "no usable triton"
            return False
    return triton_loaded()


def unsafe_order() -> bool:
    """True when TensorFlow is loaded but an installed triton is not: loading it now would crash."""
    return "tensorflow" in sys.modules and not triton_loaded() and triton_installed()


class _TritonBeforeTensorFlow(importlib.abc.MetaPathFinder):
    """An import hook that finds nothing itself; it only loads triton when ``tensorflow`` is imported."""

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001 - importlib's signature
        if fullname == "tensorflow" and "tensorflow" not in sys.modules:
            load_triton()
        return None  # let the normal finders import tensorflow


def install() -> None:
    """Install the hook once (``import helpers`` does this)."""
    if not any(isinstance(finder, _TritonBeforeTensorFlow) for finder in sys.meta_path):
        sys.meta_path.insert(0, _TritonBeforeTensorFlow())
