"""``check_answer``, the exercises' self-check. Format (notebook 00): a cell with ``answer = ...`` and
``check_answer(...)``, then a cell tagged ``solution`` calling the same check (collapsed; tested)."""

from typing import Any, Callable

import numpy as np

from helpers.checks import to_numpy

__all__ = ["check_answer"]


def _matches(answer: Any, expected: Any, atol: float) -> bool:
    if callable(expected):
        return bool(expected(answer))
    if isinstance(expected, str):
        return isinstance(answer, str) and answer.strip().lower() == expected.strip().lower()
    if isinstance(expected, (bool, tuple)) or expected is None:
        return answer == expected
    try:
        a, e = to_numpy(answer), to_numpy(expected)
    except (TypeError, ValueError):
        return False
    return a.shape == e.shape and bool(np.allclose(a, e, atol=atol, rtol=0))


def check_answer(exercise: str, answer: Any, expected: Any | Callable[[Any], bool], *,
                 hint: str, atol: float = 1e-6) -> None:
    """Print whether ``answer`` solves ``exercise``; give ``hint`` when it doesn't.

    ``expected`` is a number/array (compared within ``atol``), a string
    (compared ignoring case and spaces), a bool or tuple (compared exactly),
    or a function that returns True for a right answer.

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
    elif _matches(answer, expected, atol):
        print(f"✅ {exercise}: correct!")
    else:
        print(f"❌ {exercise}: not yet. Hint: {hint}")
