"""helpers.plotting (reproducible files) and helpers.reproducibility."""

import os
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from helpers import plotting
from helpers.reproducibility import import_tensorflow, seed_everything


@pytest.fixture
def figures(tmp_path, monkeypatch):
    monkeypatch.setattr(plotting, "FIGURES", tmp_path)
    monkeypatch.delenv("T2A_FIGURES_DIR", raising=False)
    plotting.use_course_style()
    yield tmp_path
    plt.close("all")


def _figure():
    fig, ax = plt.subplots()
    plotting.plot_tangent(np.exp, np.e, 1.0, (-1.0, 2.0), ax=ax, label="e^x")
    return fig


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_save_is_byte_for_byte_reproducible(figures, fmt):
    (path,) = plotting.save(_figure(), "t_tangent", formats=(fmt,))
    assert path.as_posix() == f"{figures.name}/t_tangent.{fmt}"  # relative: no machine path
    first = (figures / path.name).read_bytes()
    mtime = (figures / path.name).stat().st_mtime_ns
    plotting.save(_figure(), "t_tangent", formats=(fmt,))
    assert (figures / path.name).read_bytes() == first
    assert (figures / path.name).stat().st_mtime_ns == mtime  # unchanged file is not rewritten
    if fmt == "svg":
        assert b"<dc:date>" not in first


def test_a_test_run_saves_figures_elsewhere_and_leaves_the_committed_ones(figures, tmp_path, monkeypatch):
    elsewhere = tmp_path / "test-run"
    monkeypatch.setenv("T2A_FIGURES_DIR", str(elsewhere))
    (path,) = plotting.save(_figure(), "t_tangent")
    assert (elsewhere / "t_tangent.png").exists() and not (figures / "t_tangent.png").exists()
    assert path.as_posix() == f"{figures.name}/t_tangent.png"  # what a notebook prints does not change


def test_the_test_suite_itself_writes_figures_outside_the_repository():
    assert not Path(os.environ["T2A_FIGURES_DIR"]).resolve().is_relative_to(plotting.FIGURES.parent.resolve())


@pytest.mark.parametrize("name", ["", "a/b", "x.png"])
def test_save_rejects_paths_and_extensions(figures, name):
    with pytest.raises(ValueError, match="plain file stem"):
        plotting.save(_figure(), name)


def test_style_uses_the_colour_blind_safe_palette(figures):
    assert matplotlib.rcParams["axes.prop_cycle"].by_key()["color"] == plotting.PALETTE


def test_plot_helpers_draw_what_they_are_given(figures):
    ax = plotting.plot_curves({"torch": [3, 2, 1], "tf": [3, 2.5, 1]}, logy=True)
    assert [line.get_label() for line in ax.get_lines()] == ["torch", "tf"]
    assert ax.get_yscale() == "log"
    ax = plotting.heatmap(np.eye(2), xlabels=["a", "b"], ylabels=["c", "d"])
    assert [t.get_text() for t in ax.texts] == ["1.00", "0.00", "0.00", "1.00"]
    fig = plotting.image_grid([np.zeros((8, 8))] * 5, titles=list("abcde"), ncols=3)
    assert len(fig.axes) == 6 and fig.axes[4].get_title() == "e"
    ax = plotting.plot_tangent(lambda x: x**2, 2.0, 1.0, (-2, 2))
    tangent = ax.get_lines()[1].get_ydata()
    assert np.allclose(tangent[[0, -1]], [1 + 2 * (-3), 1 + 2 * 1])


@pytest.mark.parametrize("call, message", [
    (lambda: plotting.plot_curves({}), "empty"),
    (lambda: plotting.heatmap(np.ones(3)), "2-D"),
    (lambda: plotting.image_grid([]), "at least one"),
    (lambda: plotting.plot_tangent(np.exp, 1.0, 5.0, (0, 1)), "inside x_range"),
])
def test_plot_helpers_explain_bad_input(figures, call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_seed_everything_repeats_every_generator():
    tf = import_tensorflow()

    def draw():
        return (np.random.rand(), torch.rand(1).item(), float(tf.random.uniform([])))

    seed_everything(3)
    first = draw()
    seed_everything(3)
    assert draw() == first
    seed_everything(4)
    assert draw() != first


def test_seed_everything_validates_its_seed():
    with pytest.raises(ValueError, match="non-negative"):
        seed_everything(-1)


def test_thread_settings_after_first_op_explain_the_fix():
    code = ("from helpers.reproducibility import import_tensorflow, seed_everything\n"
            "tf = import_tensorflow(); tf.constant(1.0) + 1\n"
            "try:\n    seed_everything(0, threads=1)\nexcept RuntimeError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "before creating any tensor" in out.stdout


def test_tensorflow_import_writes_nothing_to_stderr():
    """The reason import_tensorflow exists: strict nbval fails on stray stderr."""
    code = "from helpers.reproducibility import import_tensorflow\ntf = import_tensorflow()\nprint(tf.__version__)"
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0 and out.stdout.strip().startswith("2.")
    assert out.stderr == ""


def test_seed_everything_turns_off_tf32_so_float32_checks_hold_on_gpus():
    tf = import_tensorflow()
    seed_everything(0)
    assert not tf.config.experimental.tensor_float_32_execution_enabled()
    assert not torch.backends.cuda.matmul.allow_tf32 and not torch.backends.cudnn.allow_tf32
