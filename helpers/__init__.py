"""Small helpers for the Tensors to Attention course; each module names the notebook that teaches it.

Importing the package imports no framework, sets no style and changes no seed. It does install one
import hook (``helpers._llvm`` explains it): on PyTorch builds that ship triton, triton is loaded just
before TensorFlow, because in the other order the two crash the process. Modules:
``reproducibility`` (seeds, quiet TensorFlow import), ``devices``, ``checks`` (``assert_close``),
``exercises`` (``check_answer``), ``plotting``, ``preflight`` (``python -m helpers.preflight``).
"""

import logging

from helpers import _llvm

_llvm.install()
# PyTorch's CUDA builds warn "No CUDA runtime is found, using CUDA_HOME=..." when torch.utils.benchmark is
# imported on a machine with CUDA tools but no GPU (Colab's CPU runtime, for one). It concerns compiling CUDA
# extensions, which the course never does; only that logger is quieted, and only below error level.
logging.getLogger("torch.utils.cpp_extension").setLevel(logging.ERROR)

__all__ = ["checks", "devices", "exercises", "plotting", "preflight", "reproducibility"]
__version__ = "0.1.0"
