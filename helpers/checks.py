"""``assert_close`` (notebook 00): one line, ``conv2d: numpy = torch = tf   max|diff| = 3e-07  OK``, or an
error. The tests mask the ``max|diff|`` value, which varies with the CPU and maths library."""

from typing import Any

import numpy as np

__all__ = ["to_numpy", "assert_close"]


def _label(x: Any) -> str:
    module = type(x).__module__.split(".")[0]
    return {"numpy": "numpy", "torch": "torch", "tensorflow": "tf", "builtins": "python"}.get(module, module)


def to_numpy(x: Any) -> np.ndarray:
    """A NumPy array, torch tensor (any device, with or without grad), TF tensor or number, as float64."""
    if type(x).__module__.startswith("torch"):
        x = x.detach().cpu()
        return (x.double() if x.is_floating_point() else x).numpy()  # bfloat16 has no NumPy twin
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        x = x.numpy()
    arr = np.asarray(x)
    return arr if arr.dtype == bool else arr.astype(np.float64)


def assert_close(name: str, *values: Any, labels: list[str] | None = None,
                 atol: float = 1e-6, rtol: float = 1e-5) -> None:
    """Check that all ``values`` agree elementwise; print one line or raise.

    Each value is compared with the first: ``|a - b| <= atol + rtol * |b|``.
    Labels default to where each value comes from (``numpy``, ``torch``, ``tf``).

    >>> assert_close("sum", np.array([1.0, 2.0]), [1.0, 2.0 + 1e-9])
    sum: numpy = python   max|diff| = 1e-09  OK
    """
    if len(values) < 2:
        raise ValueError("assert_close needs at least two values to compare")
    labels = labels or [_label(v) for v in values]
    if len(labels) != len(values):
        raise ValueError(f"got {len(values)} values but {len(labels)} labels")
    arrays = [to_numpy(v) for v in values]
    ref = arrays[0]
    worst = 0.0
    for label, arr in zip(labels[1:], arrays[1:]):
        if arr.shape != ref.shape:
            raise ValueError(f"{name}: {labels[0]} has shape {ref.shape} but {label} has shape "
                             f"{arr.shape}; compare values of the same shape (no broadcasting)")
        diff = np.abs(arr.astype(np.float64) - ref.astype(np.float64))
        if diff.size and not np.all(diff <= atol + rtol * np.abs(ref)):
            where = np.unravel_index(np.nanargmax(np.where(np.isnan(diff), np.inf, diff)), diff.shape)
            raise AssertionError(
                f"{name}: {labels[0]} and {label} disagree: max|diff| = {np.nanmax(diff):.3g} "
                f"at index {tuple(int(i) for i in where)} ({float(ref[where]):.4g} vs {float(arr[where]):.4g}); "
                f"allowed: atol={atol:g} + rtol={rtol:g}*|{labels[0]}|"
            )
        worst = max(worst, float(diff.max()) if diff.size else 0.0)
    print(f"{name}: {' = '.join(labels)}   max|diff| = {worst:.0e}  OK")
