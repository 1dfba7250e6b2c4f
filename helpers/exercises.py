"""``check_answer``, the exercises' self-check. Format (notebook 00): a cell with ``answer = ...`` and
``check_answer(...)``, then a cell tagged ``solution`` calling the same check (collapsed; tested)."""

import dis
from typing import Any, Callable

import numpy as np

from helpers.checks import to_numpy

__all__ = ["check_answer"]


def _array(answer: Any) -> np.ndarray | None:
    """An array or tensor of any library as a NumPy array; None for anything else."""
    try:
        return to_numpy(answer) if hasattr(answer, "shape") else None
    except (TypeError, ValueError, RuntimeError):
        return None


def _as_bool(answer: Any) -> bool | None:
    """``answer`` as a bool if it is one (Python, NumPy, a one-element boolean tensor, or 0/1), else None."""
    if isinstance(answer, (bool, np.bool_)) or (isinstance(answer, int) and answer in (0, 1)):
        return bool(answer)
    arr = _array(answer)
    return bool(arr) if arr is not None and arr.dtype == bool and arr.size == 1 else None


def _items(answer: Any) -> list | None:
    """The elements of a list, a tuple, or an array or tensor (rows, if 2-D); None for anything else."""
    if isinstance(answer, (list, tuple)):
        return list(answer)
    arr = _array(answer)
    return list(arr) if arr is not None and arr.ndim >= 1 else None


def _close(a: np.ndarray, e: np.ndarray, atol: float, sig: int | None) -> bool:
    """Within ``atol``, or, given ``sig``, within one unit of the ``sig``-th significant figure of each expected value."""
    if sig is None:
        return bool(np.allclose(a, e, atol=atol, rtol=0))
    magnitude = np.floor(np.log10(np.where(e == 0, 1.0, np.abs(e))))
    unit = np.where(e == 0, 10.0 ** -sig, 10.0 ** (magnitude - sig + 1))
    return bool(np.all(np.abs(a - e) <= np.maximum(unit * (1 + 1e-9), atol)))


def _stub() -> None:
    ...


def _unwritten(answer: Any) -> bool:
    """True for ``...`` and for a function whose body is still only ``...`` (or ``pass``)."""
    if answer is ...:
        return True
    code = getattr(answer, "__code__", None)
    return code is not None and not code.co_names and _ops(code) == _ops(_stub.__code__)


def _ops(code: Any) -> list[tuple[str, Any]]:
    """A function's instructions by name and value (a docstring moves constants' indices, not their values)."""
    return [(i.opname, i.argval) for i in dis.get_instructions(code)]


def _matches(answer: Any, expected: Any, atol: float, sig: int | None = None) -> bool:
    if callable(expected):
        return bool(expected(answer))
    if isinstance(expected, str):
        return isinstance(answer, str) and answer.strip().lower() == expected.strip().lower()
    if expected is None:
        return answer is None
    if isinstance(expected, bool):  # a bool from any library, or 0/1
        return _as_bool(answer) is expected
    if isinstance(expected, tuple):  # any sequence of the right items: a list or an array is as right
        items = _items(answer)
        return items is not None and len(items) == len(expected) and all(
            _matches(a, e, atol, sig) for a, e in zip(items, expected))
    if isinstance(answer, (str, bool, np.bool_)):
        return False
    try:
        a, e = to_numpy(answer), to_numpy(expected)
    except (TypeError, ValueError):
        return False
    return a.shape == e.shape and _close(a, e, atol, sig)


def check_answer(exercise: str, answer: Any, expected: Any | Callable[[Any], bool], *,
                 hint: str, atol: float = 1e-6, sig: int | None = None) -> None:
    """Print whether ``answer`` solves ``exercise``; give ``hint`` when it doesn't.

    ``expected`` is a number/array (compared within ``atol``), a string
    (compared ignoring case and spaces), a bool, a tuple (any sequence of
    matching items is right: a list, an array, a tensor), or a function that
    returns True for a right answer. A code exercise passes the learner's
    function as ``answer`` and a check that calls it on test inputs and
    compares with PyTorch and TensorFlow; while its body is still ``...``
    the learner is asked to write it. If the check fails on the answer
    (a wrong type or length, say), the learner sees the hint and the reason.

    Numbers a learner types: give ``sig``, and say in the exercise how many
    significant figures are enough. With ``sig=3``, 0.708 and 0.7083 both
    match 0.708333 (one unit of the third significant figure is allowed, so
    rounded and cut-off answers pass); 0.71 does not.

    >>> check_answer("Exercise 1", ..., 4, hint="2 + 2")
    ⏳ Exercise 1: replace ... with your answer, then run the cell again.
    >>> check_answer("Exercise 1", 5, 4, hint="2 + 2")
    ❌ Exercise 1: not yet. Hint: 2 + 2
    >>> check_answer("Exercise 1", 4.0, 4, hint="2 + 2")
    ✅ Exercise 1: correct!
    >>> check_answer("Exercise 2", 0.7083, 17 / 24, sig=3, hint="17/24")
    ✅ Exercise 2: correct!
    """
    if not hint:
        raise ValueError("give a hint: it is what a learner sees when the answer is wrong")
    if _unwritten(answer):
        print(f"⏳ {exercise}: replace ... with your answer, then run the cell again.")
        return
    if sig is not None and (not isinstance(sig, int) or sig < 1):
        raise ValueError(f"sig is a number of significant figures (1 or more), got {sig!r}")
    try:
        right = _matches(answer, expected, atol, sig)
    except AssertionError as err:  # a code exercise's check says what is wrong
        print(f"❌ {exercise}: not yet ({err}). Hint: {hint}" if str(err) else f"❌ {exercise}: not yet. Hint: {hint}")
        return
    except Exception as err:  # noqa: BLE001 - a check must answer, never crash on a learner's input
        print(f"❌ {exercise}: not yet; the check could not use this answer ({type(err).__name__}: {err}). "
              f"Hint: {hint}")
        return
    print(f"✅ {exercise}: correct!" if right else f"❌ {exercise}: not yet. Hint: {hint}")
