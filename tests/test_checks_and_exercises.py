"""helpers.checks and helpers.exercises against plain NumPy, on tiny inputs."""

import numpy as np
import pytest
import torch

from helpers.checks import assert_close, to_numpy
from helpers.exercises import check_answer
from helpers.reproducibility import import_tensorflow

tf = import_tensorflow()


@pytest.mark.parametrize("value", [
    np.array([1.5, -2.0]), torch.tensor([1.5, -2.0]), torch.tensor([1.5, -2.0], requires_grad=True),
    torch.tensor([1.5, -2.0], dtype=torch.bfloat16), tf.constant([1.5, -2.0]), tf.Variable([1.5, -2.0]),
    tf.constant([1.5, -2.0], dtype=tf.bfloat16), [1.5, -2.0],
])
def test_to_numpy_from_every_framework(value):
    out = to_numpy(value)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [1.5, -2.0])


def test_assert_close_prints_one_line_with_labels(capsys):
    x = np.linspace(0, 1, 5)
    assert_close("linspace", x, torch.linspace(0, 1, 5), tf.linspace(0.0, 1.0, 5))
    line = capsys.readouterr().out
    assert line.startswith("linspace: numpy = torch = tf   max|diff| = ") and line.endswith("OK\n")
    assert line.count("\n") == 1


def test_assert_close_raises_with_where_and_how_much():
    with pytest.raises(AssertionError, match=r"numpy and torch disagree: max\|diff\| = 0.5 at index \(1,\)"):
        assert_close("x", np.array([1.0, 2.0]), torch.tensor([1.0, 2.5]))


def test_assert_close_respects_tolerance():
    assert_close("near", np.array([1.0]), np.array([1.0 + 1e-4]), atol=1e-3, labels=["a", "b"])
    with pytest.raises(AssertionError):
        assert_close("far", np.array([1.0]), np.array([1.0 + 1e-4]), atol=1e-6, rtol=0)


def test_assert_close_catches_nan():
    with pytest.raises(AssertionError):
        assert_close("nan", np.array([1.0, 2.0]), np.array([1.0, np.nan]))


def test_assert_close_refuses_broadcasting():
    with pytest.raises(ValueError, match="shape"):
        assert_close("shapes", np.ones((3, 1)), np.ones(3))


def test_assert_close_needs_two_values_and_matching_labels():
    with pytest.raises(ValueError, match="at least two"):
        assert_close("one", np.ones(2))
    with pytest.raises(ValueError, match="labels"):
        assert_close("labels", np.ones(2), np.ones(2), labels=["only one"])


@pytest.mark.parametrize("answer, expected, verdict", [
    (..., 4, "⏳"), (4, 4, "✅"), (4.0000001, 4, "✅"), (5, 4, "❌"),
    (torch.tensor([1.0, 2.0]), np.array([1.0, 2.0]), "✅"), (np.ones(3), np.ones(2), "❌"),
    (" Torch ", "torch", "✅"), ("tf", "torch", "❌"), ((2, 3), (2, 3), "✅"), (torch.Size([2, 3]), (2, 3), "✅"),
    (True, True, "✅"), (False, True, "❌"), ("a string", 4, "❌"), (7, lambda a: a % 7 == 0, "✅"),
    # a right answer in another container or library is right (a learner's list, array or tensor)
    ([False, True, False], (False, True, False), "✅"), (np.array([False, True, False]), (False, True, False), "✅"),
    (torch.tensor([False, True, False]), (False, True, False), "✅"), ((0, 1, 0), (False, True, False), "✅"),
    ([False, True], (False, True, False), "❌"), ((False, False, False), (False, True, False), "❌"),
    (np.bool_(True), True, "✅"), (torch.tensor(True), True, "✅"), (tf.constant(False), False, "✅"),
    ("True", True, "❌"), (2, True, "❌"), (None, None, "✅"), (0, None, "❌"),
    ([0.75, 0.25], (3 / 4, 1 / 4), "✅"), (np.array([0.75, 0.25 + 1e-9]), (0.75, 0.25), "✅"),
    ((0.7, 0.3), (0.75, 0.25), "❌"), (np.array([[1, 2], [3, 4]]), ((1, 2), (3, 4)), "✅"), (True, 1.0, "❌"),
])
def test_check_answer_verdicts(capsys, answer, expected, verdict):
    check_answer("Exercise 1", answer, expected, hint="think again")
    out = capsys.readouterr().out
    assert out.startswith(f"{verdict} Exercise 1")
    assert ("Hint: think again" in out) == (verdict == "❌")


def test_a_check_that_fails_on_the_answer_shows_the_reason_and_the_hint(capsys):
    check_answer("Exercise 3", 0.75, lambda a: len(a) == 2, hint="a pair of weights")
    out = capsys.readouterr().out
    assert out.startswith("❌ Exercise 3: not yet; the check could not use this answer (TypeError: ")
    assert out.rstrip().endswith("Hint: a pair of weights")


def test_check_answer_requires_a_hint():
    with pytest.raises(ValueError, match="hint"):
        check_answer("Exercise 1", 1, 1, hint="")
