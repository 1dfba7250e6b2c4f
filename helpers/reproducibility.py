"""Stable outputs: seed every framework, and import TensorFlow without log noise (notebook 00 says why:
the tests compare every stored output with a fresh run)."""

import os
import random
import sys
from types import ModuleType

import numpy as np

from helpers import _llvm

__all__ = ["import_tensorflow", "seed_everything"]


def import_tensorflow() -> ModuleType:
    """Import TensorFlow with its C++ start-up log lines silenced; return ``tf``.

    TensorFlow 2.21 writes C++ log lines (oneDNN notes, CPU flags) to file descriptor 2 while it loads,
    and ``TF_CPP_MIN_LOG_LEVEL`` no longer stops all of them; oneDNN's kernels are turned off (the comment
    below says why; set ``TF_ENABLE_ONEDNN_OPTS=1`` before importing to keep them). Only the import is silenced; warnings from
    your own code later still appear (TF's Python logger shows errors only). Where PyTorch ships triton,
    triton is loaded first: in the other order the two crash the process (``helpers._llvm`` says why).

    >>> tf = import_tensorflow()
    >>> tf.constant([1, 2]).shape.as_list()
    [2]
    """
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    _llvm.load_triton()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # oneDNN's custom CPU kernels (on by default on some x86 CPUs) change float results slightly between machines,
    # and the first float16/bfloat16 op then logs "oneDNN supports DT_HALF only on platforms with AVX-512" at error
    # level, into whichever cell runs it. The course compares numbers across frameworks: TensorFlow's own kernels.
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        import tensorflow as tf
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        for fd in (saved, devnull):
            os.close(fd)
    tf.get_logger().setLevel("ERROR")
    return tf


def seed_everything(seed: int = 0, *, threads: int | None = None) -> None:
    """Seed Python, NumPy, and PyTorch/TensorFlow if imported; deterministic kernels, no TF32 on GPUs.

    ``threads`` fixes both frameworks' thread counts. TensorFlow accepts that only before its first
    operation, so call this right after the imports; a late call raises ``RuntimeError`` saying so.

    >>> seed_everything(0); first = np.random.rand()
    >>> seed_everything(0); bool(np.random.rand() == first)
    True
    """
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    random.seed(seed)
    np.random.seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)  # affects subprocesses only
    torch = sys.modules.get("torch")
    if torch is not None and _llvm.unsafe_order():
        # use_deterministic_algorithms would load triton after TensorFlow and kill the process
        raise RuntimeError(
            "TensorFlow was imported before this PyTorch build's triton, and loading triton now would crash "
            "the kernel. Restart the kernel and import TensorFlow with helpers.reproducibility."
            "import_tensorflow() (or run `import helpers` before `import tensorflow`).")
    if torch is not None:
        # cuBLAS needs this to be deterministic on CUDA; harmless on CPU.
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.manual_seed(seed)
        torch.use_deterministic_algorithms(True, warn_only=True)
        torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False  # full float32 on GPUs
        if threads is not None:
            torch.set_num_threads(threads)
    tf = sys.modules.get("tensorflow")
    if tf is not None:
        tf.keras.utils.set_random_seed(seed)
        tf.config.experimental.enable_op_determinism()
        tf.config.experimental.enable_tensor_float_32_execution(False)  # TF32 would round float32 matmuls
        if threads is not None:
            try:
                tf.config.threading.set_intra_op_parallelism_threads(threads)
                tf.config.threading.set_inter_op_parallelism_threads(threads)
            except RuntimeError as err:
                raise RuntimeError("TensorFlow has already run an operation, so its thread counts are fixed. Call "
                                   "seed_everything(..., threads=...) right after import_tensorflow(), before "
                                   "creating any tensor (or restart the kernel).") from err
