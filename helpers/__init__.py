"""Small helpers for the Tensors to Attention course; each module names the notebook that teaches it.

Importing the package imports no framework, sets no style and changes no seed. Modules:
``reproducibility`` (seeds, quiet TensorFlow import), ``devices``, ``checks`` (``assert_close``),
``exercises`` (``check_answer``), ``plotting``, ``preflight`` (``python -m helpers.preflight``).
"""

__all__ = ["checks", "devices", "exercises", "plotting", "preflight", "reproducibility"]
__version__ = "0.1.0"
