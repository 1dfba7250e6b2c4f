"""The course's one text corpus, tiny Shakespeare, read offline (notebook 11 trains a language model on it).

``tiny_shakespeare()`` returns the text of ``data/tinyshakespeare.txt`` after checking its sha256, so that every
learner trains on the same 1,115,394 characters. ``split()`` cuts it the way the published benchmark does
(first 90 % for training, last 10 % for validation), and ``Vocabulary`` maps its 65 characters to integers
and back.

>>> text = tiny_shakespeare()
>>> len(text), text[:14]
(1115394, 'First Citizen:')
>>> vocab = Vocabulary.from_text(text)
>>> vocab.size, vocab.decode(vocab.encode("To be"))
(65, 'To be')
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["SHA256", "N_CHARACTERS", "data_dir", "tiny_shakespeare", "split", "Vocabulary"]

SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
N_CHARACTERS = 1_115_394
FILENAME = "tinyshakespeare.txt"


def data_dir() -> Path:
    """The course's ``data/`` folder: next to the ``helpers`` package, in the repository's root.

    That holds for an editable install (``make lab``, Binder's ``pip install -e .``) and for Colab, where the
    course is cloned to ``/content/course`` and put on ``sys.path``.
    """
    return Path(__file__).resolve().parent.parent / "data"


def tiny_shakespeare(path: str | Path | None = None) -> str:
    """The text of tiny Shakespeare (``data/tinyshakespeare.txt``, or ``path``), checked against its sha256.

    Raises ``FileNotFoundError`` when the file is missing and ``ValueError`` when its bytes are not the
    course's copy (edited, truncated, or saved with other line endings); both messages say what to do.
    """
    file = Path(path) if path is not None else data_dir() / FILENAME
    if not file.is_file():
        raise FileNotFoundError(
            f"{file.name} is not in {file.parent.name}/. It ships with the course's repository (data/{FILENAME}); "
            "clone the whole repository (or re-run the Colab setup cell) rather than copying one notebook.")
    raw = file.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SHA256:
        raise ValueError(
            f"{file.name} is not the course's copy: its sha256 is {digest[:12]}... instead of {SHA256[:12]}... "
            f"({len(raw):,d} bytes; the course's copy has {N_CHARACTERS:,d}). It was edited or re-saved (line "
            f"endings?); restore it, e.g. `git checkout -- data/{FILENAME}`.")
    return raw.decode("utf-8")


def split(data: np.ndarray | str, train_fraction: float = 0.9) -> tuple:
    """The first ``train_fraction`` of ``data`` for training, the rest for validation (the benchmark's cut).

    >>> split("abcdefghij")
    ('abcdefghi', 'j')
    """
    if not 0.0 < train_fraction < 1.0:
        raise ValueError(f"train_fraction must lie strictly between 0 and 1, got {train_fraction!r}")
    n = int(train_fraction * len(data))
    return data[:n], data[n:]


@dataclass(frozen=True)
class Vocabulary:
    """Characters to integers and back: ``encode`` gives a NumPy int64 array, ``decode`` a string.

    >>> v = Vocabulary.from_text("hello")
    >>> v.chars, v.encode("hole").tolist(), v.decode([3, 1])
    ('ehlo', [1, 3, 2, 0], 'oh')
    """

    chars: str

    @classmethod
    def from_text(cls, text: str) -> Vocabulary:
        """The sorted set of characters in ``text``."""
        return cls("".join(sorted(set(text))))

    @property
    def size(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        index = {c: i for i, c in enumerate(self.chars)}
        unknown = sorted(set(text) - index.keys())
        if unknown:
            raise ValueError(f"characters not in the vocabulary: {''.join(unknown)!r}")
        return np.array([index[c] for c in text], dtype=np.int64)

    def decode(self, ids: Iterable[int]) -> str:
        ids = [int(i) for i in np.asarray(ids).ravel()]
        bad = [i for i in ids if not 0 <= i < self.size]
        if bad:
            raise ValueError(f"ids outside 0..{self.size - 1}: {bad[:5]}")
        return "".join(self.chars[i] for i in ids)
