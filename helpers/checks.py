"""``assert_close`` (notebook 00): one line, ``conv2d: numpy = torch = tf   max|diff| = 3e-07  OK``, or an
error. The tests mask the ``max|diff|`` value, which varies with the CPU and maths library.

``expect_error`` (notebook 00): a block that must fail; its error's message is printed and the notebook goes on.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

__all__ = ["to_numpy", "assert_close", "expect_error"]


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
        with np.errstate(invalid="ignore"):  # inf - inf; equal infinities differ by 0
            diff = np.where(arr == ref, 0.0, np.abs(arr.astype(np.float64) - ref.astype(np.float64)))
        # an infinity must be matched exactly: rtol * inf would accept any number
        ok = np.where(np.isfinite(ref), diff <= atol + rtol * np.abs(ref), arr == ref)
        if diff.size and not np.all(ok):
            # point at the largest difference among the elements that fail (a larger one may be within rtol)
            failing = np.where(ok, -1.0, np.where(np.isnan(diff), np.inf, diff))
            where = np.unravel_index(np.argmax(failing), diff.shape)
            raise AssertionError(
                f"{name}: {labels[0]} and {label} disagree: max|diff| = {np.nanmax(diff):.3g} "
                f"at index {tuple(int(i) for i in where)} ({float(ref[where]):.4g} vs {float(arr[where]):.4g}); "
                f"allowed: atol={atol:g} + rtol={rtol:g}*|{labels[0]}|"
            )
        worst = max(worst, float(diff.max()) if diff.size else 0.0)
    print(f"{name}: {' = '.join(labels)}   max|diff| = {worst:.0e}  OK")


@contextmanager
def expect_error(*kinds: type[BaseException], match: str | None = None) -> Iterator[None]:
    """Run a block that must raise one of ``kinds``; print the error's type and message, then go on.

    This is how the course shows an error without stopping "Run All" in any front end. It is loud when
    the lesson stops being true: a block that raises nothing, or an error whose message does not contain
    the regular expression ``match``, is an ``AssertionError``; an error of another kind is not caught.

    >>> with expect_error(ZeroDivisionError):
    ...     1 / 0
    🛑 ZeroDivisionError: division by zero
    >>> with expect_error(ZeroDivisionError):
    ...     1 / 1
    Traceback (most recent call last):
    AssertionError: expected ZeroDivisionError, but the block ran without an error ...
    """
    if not kinds or not all(isinstance(k, type) and issubclass(k, BaseException) for k in kinds):
        raise TypeError(f"expect_error needs one or more exception classes, e.g. expect_error(TypeError); got {kinds!r}")
    names = " or ".join(k.__name__ for k in kinds)
    try:
        yield
    except kinds as err:
        message = str(err).strip()
        if match is not None and not re.search(match, message):
            raise AssertionError(f"expected {names} matching {match!r}, got: {message}") from err
        print(f"🛑 {type(err).__name__}: {message}" if message else f"🛑 {type(err).__name__}")
        return
    raise AssertionError(f"expected {names}, but the block ran without an error (did a library change? "
                         "the text around this cell may no longer be true)")
