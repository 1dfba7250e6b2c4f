"""helpers.checks and helpers.exercises against plain NumPy, on tiny inputs."""

import numpy as np
import pytest
import torch

from helpers.checks import assert_close, expect_error, to_numpy
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


@pytest.mark.parametrize("typed, right", [
    (0.708, True), (0.7083, True), (0.70833, True), (0.709, True), (0.71, False), (0.706, False), ("0.708", False),
])
def test_check_answer_accepts_what_a_person_types_at_the_stated_precision(typed, right, capsys):
    check_answer("E", typed, 17 / 24, sig=3, hint="h")
    assert capsys.readouterr().out.startswith("✅" if right else "❌")


def test_check_answer_sig_scales_with_each_value_and_applies_to_sequences(capsys):
    check_answer("E", [86.8, 0.0115, 0.0], (1 / 0.01152, 0.01152, 0.0), sig=3, hint="h")
    assert capsys.readouterr().out.startswith("✅")
    check_answer("E", [86.8, 0.0118], (1 / 0.01152, 0.01152), sig=3, hint="h")
    assert capsys.readouterr().out.startswith("❌")
    with pytest.raises(ValueError, match="significant figures"):
        check_answer("E", 1.0, 1.0, sig=0, hint="h")


def test_expect_error_prints_the_message_and_goes_on(capsys):
    with expect_error(ValueError, TypeError):
        torch.ones(2) @ "x"
    assert capsys.readouterr().out.startswith("🛑 TypeError: ")
    with expect_error(tf.errors.InvalidArgumentError, match="int32"):
        tf.constant([1, 2]) + tf.constant([0.5, 0.5])
    assert capsys.readouterr().out.startswith("🛑 InvalidArgumentError: ")


def test_expect_error_is_loud_when_the_lesson_stops_being_true():
    with pytest.raises(AssertionError, match="ran without an error"):
        with expect_error(RuntimeError):
            torch.ones(2) + torch.ones(2)
    with pytest.raises(AssertionError, match="matching 'shape'"):
        with expect_error(ZeroDivisionError, match="shape"):
            1 / 0
    with pytest.raises(KeyError):  # an error of another kind is not swallowed
        with expect_error(ValueError):
            {}["missing"]
    with pytest.raises(TypeError, match="exception classes"):
        with expect_error("ValueError"):
            pass


def test_a_code_exercise_waits_for_the_function_then_runs_it(capsys):
    def softmax(x):
        ...

    def check(f):
        x = np.array([1.0, 2.0, 0.5])
        return np.allclose(f(x), torch.softmax(torch.tensor(x), 0).numpy()) and \
            np.allclose(f(x), tf.nn.softmax(x).numpy())

    check_answer("E", softmax, check, hint="exp, then divide by the sum")
    assert capsys.readouterr().out.startswith("⏳")

    def softmax(x):  # noqa: F811 - a stub with a docstring is as unwritten
        """Return exp(x) / sum(exp(x))."""
        ...
    check_answer("E", softmax, lambda f: True, hint="h")
    assert capsys.readouterr().out.startswith("⏳")

    def softmax(x):  # noqa: F811 - the learner's second try
        return np.exp(x) / np.exp(x).sum()
    check_answer("E", softmax, check, hint="h")
    assert capsys.readouterr().out.startswith("✅")

    def softmax(x):  # noqa: F811 - a wrong one
        return np.exp(x)
    check_answer("E", softmax, check, hint="h")
    assert capsys.readouterr().out.startswith("❌")


def test_a_check_that_asserts_tells_the_learner_what_is_wrong(capsys):
    def check(f):
        if f(2) != 4:
            raise AssertionError(f"f(2) gave {f(2)}, expected 4")
        return True
    check_answer("E", lambda x: x + 1, check, hint="square it")
    assert capsys.readouterr().out == "❌ E: not yet (f(2) gave 3, expected 4). Hint: square it\n"


def test_assert_close_does_not_let_an_infinity_accept_anything():
    with pytest.raises(AssertionError, match="disagree"):
        assert_close("inf", np.array([np.inf, 1.0]), np.array([5.0, 1.0]))
    with pytest.raises(AssertionError, match="disagree"):
        assert_close("inf", np.array([np.inf]), np.array([-np.inf]))
    assert_close("inf", np.array([np.inf, -np.inf]), torch.tensor([np.inf, -np.inf]))


def test_assert_close_points_at_an_element_that_fails():
    # index 0 differs most but is within rtol of its large value; index 1 is the one that fails
    with pytest.raises(AssertionError, match=r"at index \(1,\) \(1 vs 1.01\)"):
        assert_close("x", np.array([1e6, 1.0]), np.array([1e6 + 1.0, 1.01]), atol=1e-6, rtol=1e-5)
