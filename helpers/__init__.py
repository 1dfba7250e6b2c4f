"""Small helpers for the Tensors to Attention course.

Importing this package does nothing but define names: no framework is
imported, no plotting style is set and no seed is changed. Each module has
one concern:

- ``helpers.reproducibility``: ``seed_everything`` and ``import_tensorflow``
  (a quiet import), so that stored notebook outputs stay stable.
- ``helpers.devices``: which CPU/GPU/MPS/XPU devices each framework can use,
  and ``torch_device`` / ``tf_device`` that honour a request or explain why not.
- ``helpers.checks``: ``assert_close``, the one-line numeric agreement check.
- ``helpers.exercises``: ``check_answer``, the self-check for exercises.
- ``helpers.plotting``: the course's figure style and a few plots.
- ``helpers.preflight``: ``python -m helpers.preflight`` checks a machine.
"""

__all__ = ["checks", "devices", "exercises", "plotting", "preflight", "reproducibility"]
__version__ = "0.1.0"
