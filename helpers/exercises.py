"""``check_answer``, the exercises' self-check. Format (notebook 00): a cell with ``answer = ...`` and
``check_answer(...)``, then a cell tagged ``solution`` calling the same check (collapsed; tested)."""

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


def _matches(answer: Any, expected: Any, atol: float) -> bool:
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
            _matches(a, e, atol) for a, e in zip(items, expected))
    if isinstance(answer, (str, bool, np.bool_)):
        return False
    try:
        a, e = to_numpy(answer), to_numpy(expected)
    except (TypeError, ValueError):
        return False
    return a.shape == e.shape and bool(np.allclose(a, e, atol=atol, rtol=0))


def check_answer(exercise: str, answer: Any, expected: Any | Callable[[Any], bool], *,
                 hint: str, atol: float = 1e-6) -> None:
    """Print whether ``answer`` solves ``exercise``; give ``hint`` when it doesn't.

    ``expected`` is a number/array (compared within ``atol``), a string
    (compared ignoring case and spaces), a bool, a tuple (any sequence of
    matching items is right: a list, an array, a tensor), or a function that
    returns True for a right answer. If that function fails on the answer
    (a wrong type or length, say), the learner sees the hint and the reason.

    >>> check_answer("Exercise 1", ..., 4, hint="2 + 2")
    ⏳ Exercise 1: replace ... with your answer, then run the cell again.
    >>> check_answer("Exercise 1", 5, 4, hint="2 + 2")
    ❌ Exercise 1: not yet. Hint: 2 + 2
    >>> check_answer("Exercise 1", 4.0, 4, hint="2 + 2")
    ✅ Exercise 1: correct!
    """
    if not hint:
        raise ValueError("give a hint: it is what a learner sees when the answer is wrong")
    if answer is ...:
        print(f"⏳ {exercise}: replace ... with your answer, then run the cell again.")
        return
    try:
        right = _matches(answer, expected, atol)
    except Exception as err:  # noqa: BLE001 - a check must answer, never crash on a learner's input
        print(f"❌ {exercise}: not yet; the check could not use this answer ({type(err).__name__}: {err}). "
              f"Hint: {hint}")
        return
    print(f"✅ {exercise}: correct!" if right else f"❌ {exercise}: not yet. Hint: {hint}")
