"""``make bench-lm``: train the course's character GPT until the whole validation split is at 1.886 nats/char.

The bar is nanoGPT's CPU recipe for tiny Shakespeare (4 layers, 4 heads, 128 dims, context 64, batch 12,
2,000 iterations, lr 1e-3, AdamW β2 = 0.99, 100 warm-up steps, cosine decay to 1e-4), which reached a
validation loss of 1.886 after 150 s on the course's 2-core machine. This script trains the same kind of
model, written out once in PyTorch and once in Keras/TensorFlow, stops at the first full-split evaluation
≤ 1.886, and prints per framework: wall time to that figure, training tokens per second, the final loss,
the number of steps and a 200-character sample. A benchmark, not a test: paste its lines into a closing note.

The validation loss (``eval_windows``) is the mean cross-entropy over every character of the
validation split that has a predecessor, 111,539 targets, each predicted from the characters before it
in its non-overlapping window of ``context`` inputs: windows start at 0, T, 2T, ..., so a target sees
1 to T characters, uniformly. That is the quantity nanoGPT's ``estimate_loss`` samples with random
windows (it averages every position of each window), so the numbers are comparable, but computed
exactly, with one forward pass over the split. A fixed eighth of those windows gives a cheap estimate
every ``eval_every`` steps, every ``near_every`` steps once it is near; only when it comes within
``margin`` of the target is the full split run (that eighth reads 0.014-0.021 higher than the whole).

Wall time starts before the framework is imported and the data read, and stops after the full evaluation
that reaches the target; evaluations are included, the sample is not.

    python tools/bench_lm.py --framework both          # or torch, tf; --help lists every setting
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from helpers.data import split, tiny_shakespeare



@dataclass(frozen=True)
class Config:
    """Everything that decides the run. Defaults: the fewest measured steps to the target (the cost of a
    token hardly depends on batch size here), so the shortest expected time on a quiet 2-core CPU."""

    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 128
    context: int = 64  # as nanoGPT's recipe: the validation loss depends on it, so it stays fixed
    batch_size: int = 16
    lr: float = 6e-3  # peak, after linear warm-up
    min_lr: float = 6e-4  # cosine decay ends here at step decay_steps, and stays
    warmup_steps: int = 100
    decay_steps: int = 1000
    max_steps: int = 2500  # give up if the target is not reached by then
    beta1: float = 0.9
    beta2: float = 0.99
    weight_decay: float = 0.1  # on matrices and embeddings only
    grad_clip: float = 1.0  # global gradient norm
    eval_every: int = 200  # steps between cheap estimates while they are far from the target
    near: float = 0.1  # once an estimate is within this of target + margin ...
    near_every: int = 25  # ... estimate every this many steps
    margin: float = 0.015  # run the full split once the estimate is ≤ target + margin (it reads 0.014-0.021 high)
    eval_batch: int = 128  # windows per evaluation forward pass
    target: float = 1.886
    seed: int = 1337
    threads: int = os.cpu_count() or 1
    torch_compile: bool = False  # measured: +3 % tokens/s for ≥ 14 CPU-s of compiling, so it does not pay
    xla: bool = True  # tf.function(jit_compile=True) for TF's steps: +19 % tokens/s for ~5 CPU-s of compiling
    sample_chars: int = 200


# --- data: shared by both frameworks, so that both see the same batches -------------------------------


@dataclass(frozen=True)
class Data:
    """Tiny Shakespeare as integers: the first 90 % for training, the last 10 % for validation."""

    chars: str  # the vocabulary, sorted: index = token id
    train: np.ndarray
    val: np.ndarray

    def decode(self, ids: Iterable[int]) -> str:
        return "".join(self.chars[int(i)] for i in ids)


def load_data() -> Data:
    """Read the course's checked copy, build the 65-character vocabulary, encode, split 90/10 (as nanoGPT)."""
    text = tiny_shakespeare()  # data/tinyshakespeare.txt, its sha256 checked
    chars = "".join(sorted(set(text)))
    lookup = np.zeros(max(map(ord, chars)) + 1, dtype=np.int32)  # character code -> token id, vectorised
    lookup[[ord(c) for c in chars]] = np.arange(len(chars), dtype=np.int32)
    train, val = split(lookup[np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)])
    return Data(chars, train, val)


def batches(train: np.ndarray, cfg: Config) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Endless random training windows (inputs, next-character targets), from a seeded generator."""
    rng = np.random.default_rng(cfg.seed)
    offsets = np.arange(cfg.context + 1)
    while True:
        starts = rng.integers(0, len(train) - cfg.context, size=cfg.batch_size)
        window = train[starts[:, None] + offsets]
        yield window[:, :-1], window[:, 1:]


@dataclass(frozen=True)
class EvalSet:
    """Windows covering a split, padded to whole batches; ``weight`` is 1 on real targets, 0 on padding."""

    x: np.ndarray  # (windows, context) int32
    y: np.ndarray
    weight: np.ndarray  # float32

    def batches(self, size: int) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        for i in range(0, len(self.x), size):
            yield self.x[i:i + size], self.y[i:i + size], self.weight[i:i + size]


def eval_windows(ids: np.ndarray, cfg: Config, every: int = 1) -> EvalSet:
    """Non-overlapping windows of ``context`` inputs over ``ids``: every character after the first is a target once.

    The last window is shorter and padded at its end, which a causal model cannot see from earlier positions.
    ``every`` = k keeps every k-th window (the cheap estimate). The window count is padded to a multiple of
    ``cfg.eval_batch`` so that every evaluation batch has the same shape (one XLA compilation).
    """
    n_targets = len(ids) - 1
    n_windows = math.ceil(n_targets / cfg.context)
    x = np.zeros(n_windows * cfg.context, dtype=np.int32)
    y = np.zeros_like(x)
    weight = np.zeros(x.shape, dtype=np.float32)
    x[:n_targets], y[:n_targets], weight[:n_targets] = ids[:-1], ids[1:], 1.0
    shape = (n_windows, cfg.context)
    x, y, weight = (a.reshape(shape)[::every] for a in (x, y, weight))
    padded = math.ceil(len(x) / cfg.eval_batch) * cfg.eval_batch - len(x)
    return EvalSet(*(np.pad(a, ((0, padded), (0, 0))) for a in (x, y, weight)))


def lr_at(step: int, cfg: Config) -> float:
    """Linear warm-up to ``lr``, then cosine decay to ``min_lr`` at ``decay_steps`` (nanoGPT's get_lr)."""
    if step < cfg.warmup_steps:
        return cfg.lr * (step + 1) / (cfg.warmup_steps + 1)
    progress = min(1.0, (step - cfg.warmup_steps) / max(1, cfg.decay_steps - cfg.warmup_steps))
    return cfg.min_lr + 0.5 * (1.0 + math.cos(math.pi * progress)) * (cfg.lr - cfg.min_lr)


@dataclass
class Result:
    framework: str
    wall_s: float  # from start (imports and data loading included) to the full evaluation at the target
    first_step_s: float  # the first training step, with any tracing and compilation
    train_tokens_per_s: float  # tokens in the later training steps / time spent in them
    val_loss: float
    steps: int
    full_evals: int
    sample: str


def train_to_target(framework: str, cfg: Config, start: float, data: Data,
                    step_fn: Callable[[np.ndarray, np.ndarray, float], Any],
                    loss_sums: Callable[[np.ndarray, np.ndarray, np.ndarray], float],
                    sample: Callable[[int], list[int]]) -> Result:
    """The loop both frameworks share: train, estimate now and then, evaluate fully near the target.

    ``step_fn(x, y, lr)`` runs one optimiser step; ``loss_sums(x, y, w)`` returns Σ w·cross-entropy over a
    batch of windows; ``sample(n)`` returns n generated token ids.
    """
    cheap, full = eval_windows(data.val, cfg, every=8), eval_windows(data.val, cfg)

    def mean_loss(split: EvalSet) -> float:
        total = sum(loss_sums(x, y, w) for x, y, w in split.batches(cfg.eval_batch))
        return total / float(split.weight.sum())

    first_step_s, train_time, loss, full_evals, step, next_check = 0.0, 0.0, math.inf, 0, 0, cfg.eval_every
    stream = batches(data.train, cfg)
    while step < cfg.max_steps:
        x, y = next(stream)
        t0 = time.perf_counter()
        step_fn(x, y, lr_at(step, cfg))
        step += 1
        if step == 1:  # includes tracing and compiling, where the framework does that: reported apart
            first_step_s = time.perf_counter() - t0
        else:
            train_time += time.perf_counter() - t0
        if step == next_check:
            estimate = mean_loss(cheap)
            near = estimate <= cfg.target + cfg.margin + cfg.near
            next_check += cfg.near_every if near else cfg.eval_every
            note = ""
            if estimate <= cfg.target + cfg.margin:
                loss, full_evals = mean_loss(full), full_evals + 1
                note = f"   full split {loss:.4f}"
            print(f"  {framework:5} step {step:5}  {time.perf_counter() - start:6.1f} s  estimate {estimate:.4f}{note}",
                  flush=True)
            if loss <= cfg.target:
                break
    wall = time.perf_counter() - start
    tokens = (step - 1) * cfg.batch_size * cfg.context
    return Result(framework, wall, first_step_s, tokens / max(train_time, 1e-9), loss, step, full_evals,
                  data.decode(sample(cfg.sample_chars)))


# --- PyTorch ----------------------------------------------------------------------------------------------


def run_torch(cfg: Config) -> Result:
    start = time.perf_counter()
    import torch
    from torch import nn
    from torch.nn import functional as F

    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    data = load_data()

    class Block(nn.Module):
        """Pre-LayerNorm decoder block: x + attention(LN(x)), then x + MLP(LN(x))."""

        def __init__(self) -> None:
            super().__init__()
            d = cfg.n_embd
            self.ln1, self.ln2 = nn.LayerNorm(d, bias=False), nn.LayerNorm(d, bias=False)
            self.qkv, self.proj = nn.Linear(d, 3 * d, bias=False), nn.Linear(d, d, bias=False)
            self.mlp = nn.Sequential(nn.Linear(d, 4 * d, bias=False), nn.GELU(), nn.Linear(4 * d, d, bias=False))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            b, t, d = x.shape
            q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, cfg.n_head, d // cfg.n_head).transpose(1, 3).unbind(2)
            att = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # (b, heads, t, head size)
            x = x + self.proj(att.transpose(1, 2).reshape(b, t, d))
            return x + self.mlp(self.ln2(x))

    class GPT(nn.Module):
        """Token + learned position embeddings, decoder blocks, final LayerNorm, output tied to the embedding."""

        def __init__(self) -> None:
            super().__init__()
            self.tok = nn.Embedding(len(data.chars), cfg.n_embd)
            self.pos = nn.Embedding(cfg.context, cfg.n_embd)
            self.blocks = nn.Sequential(*(Block() for _ in range(cfg.n_layer)))
            self.ln_f = nn.LayerNorm(cfg.n_embd, bias=False)
            for name, p in self.named_parameters():  # nanoGPT's initialisation
                if p.dim() == 2:
                    std = 0.02 / math.sqrt(2 * cfg.n_layer) if name.endswith(("proj.weight", "mlp.2.weight")) else 0.02
                    nn.init.normal_(p, 0.0, std)

        def forward(self, idx: torch.Tensor) -> torch.Tensor:
            x = self.tok(idx) + self.pos.weight[:idx.shape[1]]
            return self.ln_f(self.blocks(x)) @ self.tok.weight.T

    model = GPT()
    decay = [p for p in model.parameters() if p.dim() == 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": cfg.weight_decay},
                                   {"params": no_decay, "weight_decay": 0.0}],
                                  lr=cfg.lr, betas=(cfg.beta1, cfg.beta2), eps=1e-8, fused=True)
    forward = torch.compile(model) if cfg.torch_compile else model

    def step_fn(x: np.ndarray, y: np.ndarray, lr: float) -> None:
        for group in optimizer.param_groups:
            group["lr"] = lr
        logits = forward(torch.from_numpy(x))
        loss = F.cross_entropy(logits.flatten(0, 1), torch.from_numpy(y).flatten().long())
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
        optimizer.step()

    @torch.inference_mode()
    def loss_sums(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
        logits = forward(torch.from_numpy(x))
        ce = F.cross_entropy(logits.flatten(0, 1), torch.from_numpy(y).flatten().long(), reduction="none")
        return float(ce @ torch.from_numpy(w).flatten())

    @torch.inference_mode()
    def sample(n: int) -> list[int]:
        rng, ids = np.random.default_rng(cfg.seed), [0]  # token 0 is "\n"
        for _ in range(n):
            logits = model(torch.tensor([ids[-cfg.context:]]))[0, -1]
            probs = torch.softmax(logits.double(), 0).numpy()
            ids.append(int(rng.choice(len(data.chars), p=probs)))
        return ids[1:]

    return train_to_target("torch", cfg, start, data, step_fn, loss_sums, sample)


# --- Keras / TensorFlow -----------------------------------------------------------------------------------


def run_tf(cfg: Config) -> Result:
    start = time.perf_counter()
    from helpers.reproducibility import import_tensorflow  # silences TF's C++ start-up log lines

    tf = import_tensorflow()
    import keras
    from keras import layers, ops

    try:
        tf.config.threading.set_intra_op_parallelism_threads(cfg.threads)
        tf.config.threading.set_inter_op_parallelism_threads(cfg.threads)
    except RuntimeError:  # TF has already run an op in this process (a test run): its thread pools stay as they are
        pass
    keras.utils.set_random_seed(cfg.seed)
    data = load_data()
    init = keras.initializers.RandomNormal(0.0, 0.02)
    init_out = keras.initializers.RandomNormal(0.0, 0.02 / math.sqrt(2 * cfg.n_layer))

    class Block(layers.Layer):
        """Pre-LayerNorm decoder block: x + attention(LN(x)), then x + MLP(LN(x))."""

        def __init__(self) -> None:
            super().__init__()
            d = cfg.n_embd
            self.ln1, self.ln2 = layers.LayerNormalization(epsilon=1e-5, center=False), \
                layers.LayerNormalization(epsilon=1e-5, center=False)
            self.qkv = layers.Dense(3 * d, use_bias=False, kernel_initializer=init)
            self.proj = layers.Dense(d, use_bias=False, kernel_initializer=init_out)
            self.fc = layers.Dense(4 * d, use_bias=False, kernel_initializer=init)
            self.out = layers.Dense(d, use_bias=False, kernel_initializer=init_out)

        def call(self, x: tf.Tensor) -> tf.Tensor:
            b, t, d = ops.shape(x)
            qkv = ops.reshape(self.qkv(self.ln1(x)), (b, t, 3, cfg.n_head, d // cfg.n_head))
            q, k, v = qkv[:, :, 0], qkv[:, :, 1], qkv[:, :, 2]  # (b, t, heads, head size)
            att = ops.dot_product_attention(q, k, v, is_causal=True)
            x = x + self.proj(ops.reshape(att, (b, t, d)))
            return x + self.out(ops.gelu(self.fc(self.ln2(x)), approximate=False))

    class GPT(keras.Model):
        """Token + learned position embeddings, decoder blocks, final LayerNorm, output tied to the embedding."""

        def __init__(self) -> None:
            super().__init__()
            self.tok = layers.Embedding(len(data.chars), cfg.n_embd, embeddings_initializer=init)
            self.pos = layers.Embedding(cfg.context, cfg.n_embd, embeddings_initializer=init)
            self.blocks = [Block() for _ in range(cfg.n_layer)]
            self.ln_f = layers.LayerNormalization(epsilon=1e-5, center=False)

        def call(self, idx: tf.Tensor) -> tf.Tensor:
            x = self.tok(idx) + self.pos(ops.arange(ops.shape(idx)[1]))
            for block in self.blocks:
                x = block(x)
            return ops.matmul(self.ln_f(x), ops.transpose(self.tok.embeddings))

    model = GPT()
    model(np.zeros((1, cfg.context), dtype=np.int32))  # build the weights
    optimizer = keras.optimizers.AdamW(learning_rate=cfg.lr, weight_decay=cfg.weight_decay, beta_1=cfg.beta1,
                                       beta_2=cfg.beta2, epsilon=1e-8, global_clipnorm=cfg.grad_clip)
    optimizer.exclude_from_weight_decay(var_list=[v for v in model.trainable_variables if len(v.shape) < 2])
    optimizer.build(model.trainable_variables)

    @tf.function(jit_compile=cfg.xla)
    def train_step(x: tf.Tensor, y: tf.Tensor) -> None:
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss = ops.mean(keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True))
        optimizer.apply(tape.gradient(loss, model.trainable_variables), model.trainable_variables)

    @tf.function(jit_compile=cfg.xla)
    def weighted_sum(x: tf.Tensor, y: tf.Tensor, w: tf.Tensor) -> tf.Tensor:
        return ops.sum(w * keras.losses.sparse_categorical_crossentropy(y, model(x), from_logits=True))

    def step_fn(x: np.ndarray, y: np.ndarray, lr: float) -> None:
        optimizer.learning_rate.assign(lr)
        train_step(x, y)

    def loss_sums(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
        return float(weighted_sum(x, y, w))

    @tf.function  # one fixed input shape, so one trace: the window is padded at its end, which causal attention ignores
    def probabilities(window: tf.Tensor, last: tf.Tensor) -> tf.Tensor:
        return ops.softmax(ops.cast(model(window)[0, last], "float64"))

    def sample(n: int) -> list[int]:
        rng, ids = np.random.default_rng(cfg.seed), [0]  # token 0 is "\n"
        for _ in range(n):
            window = np.zeros((1, cfg.context), dtype=np.int32)
            tail = ids[-cfg.context:]
            window[0, :len(tail)] = tail
            probs = probabilities(window, tf.constant(len(tail) - 1)).numpy()
            ids.append(int(rng.choice(len(data.chars), p=probs)))
        return ids[1:]

    return train_to_target("tf", cfg, start, data, step_fn, loss_sums, sample)


# --- command line -----------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> tuple[list[str], Config]:
    """``--framework`` plus one option per Config field, e.g. ``--batch-size 64 --no-xla``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--framework", choices=["torch", "tf", "both"], default="both")
    for field in dataclasses.fields(Config):
        flag = "--" + field.name.replace("_", "-")
        if field.type == "bool":
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=field.default)
        else:
            parser.add_argument(flag, type={"int": int, "float": float}[field.type], default=field.default)
    args = vars(parser.parse_args(argv))
    framework = args.pop("framework")
    return (["torch", "tf"] if framework == "both" else [framework]), Config(**args)


def main(argv: list[str] | None = None) -> None:
    frameworks, cfg = parse_args(argv)
    print(f"bench-lm: {cfg}\n  load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", flush=True)
    runners = {"torch": run_torch, "tf": run_tf}
    results = [runners[name](cfg) for name in frameworks]
    for r in results:
        verdict = "reached" if r.val_loss <= cfg.target else "did NOT reach"
        print(f"\n{r.framework}: {verdict} {cfg.target} in {r.wall_s:.1f} s wall  (full-split validation loss "
              f"{r.val_loss:.4f}, {r.steps} steps, {r.train_tokens_per_s:,.0f} training tokens/s after a first step "
              f"of {r.first_step_s:.1f} s, {r.full_evals} full evaluations; load average {os.getloadavg()[0]:.2f})")
        print("sample:\n" + r.sample)


if __name__ == "__main__":
    main()
