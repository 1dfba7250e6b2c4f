"""tools/bench_lm.py (``make bench-lm``): its data split, its full-validation loss, and a tiny run in each framework.

Times are not tested (the benchmark prints them); these check that what it times is what it says.
"""

import math

import numpy as np
import pytest

import bench_lm  # tools/ is on sys.path (conftest.py)
from bench_lm import Config, eval_windows, load_data, lr_at
from helpers.data import tiny_shakespeare


@pytest.fixture(scope="module")
def data():
    return load_data()


def test_split_is_90_10_with_65_characters(data):
    assert len(data.chars) == 65 and data.chars == "".join(sorted(data.chars))
    assert (len(data.train), len(data.val)) == (1_003_854, 111_540)  # int(0.9 · 1,115,394) and the rest
    text = tiny_shakespeare()
    assert data.decode(data.train[:40]) == text[:40] and data.decode(data.val[-40:]) == text[-40:]


@pytest.mark.parametrize("context", [64, 7])
def test_full_validation_covers_every_target_once(data, context):
    cfg = Config(context=context, eval_batch=128)
    full = eval_windows(data.val, cfg)
    real = full.weight.astype(bool)
    assert full.x.shape[1] == context and len(full.x) % cfg.eval_batch == 0
    assert real.sum() == len(data.val) - 1  # 111,539: every character that has a predecessor in the split
    np.testing.assert_array_equal(full.x[real], data.val[:-1])  # in order, each once
    np.testing.assert_array_equal(full.y[real], data.val[1:])
    positions = np.broadcast_to(np.arange(context), full.x.shape)[real]  # context seen by a target = position + 1
    assert np.bincount(positions).min() >= (len(data.val) - 1) // context  # 1 to T characters, uniformly
    cheap = eval_windows(data.val, cfg, every=8)  # the estimate: every 8th of the same windows
    np.testing.assert_array_equal(cheap.x[:len(full.x[::8])], full.x[::8][:len(cheap.x)])
    assert cheap.weight.sum() == full.weight[::8].sum() and len(cheap.x) % cfg.eval_batch == 0


def test_schedule_warms_up_then_decays_to_min_lr():
    cfg = Config(lr=1e-3, min_lr=1e-4, warmup_steps=100, decay_steps=2000)
    assert lr_at(0, cfg) == pytest.approx(1e-3 / 101) and lr_at(99, cfg) == pytest.approx(1e-3 * 100 / 101)
    assert lr_at(100, cfg) == pytest.approx(1e-3) and lr_at(1050, cfg) == pytest.approx(5.5e-4)
    assert lr_at(2000, cfg) == lr_at(5000, cfg) == pytest.approx(1e-4)


TINY = Config(n_layer=1, n_head=2, n_embd=16, context=8, batch_size=4, max_steps=2, eval_every=2, near_every=2,
              margin=10.0, eval_batch=1024, threads=1, xla=False, sample_chars=12)


@pytest.mark.parametrize("run", [bench_lm.run_torch, bench_lm.run_tf], ids=["torch", "tf"])
def test_tiny_run_evaluates_the_full_split_and_samples(run):
    result = run(TINY)
    assert (result.steps, result.full_evals) == (2, 1)  # the estimate is within the (huge) margin: one full pass
    assert 3.0 < result.val_loss < 4.3  # near ln 65 = 4.17 after 2 steps of a tiny model
    assert len(result.sample) == 12 and result.train_tokens_per_s > 0
