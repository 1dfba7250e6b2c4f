"""helpers.data: the tiny Shakespeare file, its checksum, the benchmark split and the vocabulary."""

import hashlib

import numpy as np
import pytest

from helpers import data


def test_the_committed_file_is_the_courses_copy():
    path = data.data_dir() / data.FILENAME
    assert path.is_file(), "data/tinyshakespeare.txt is missing"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == data.SHA256


def test_text_length_and_vocabulary():
    text = data.tiny_shakespeare()
    assert len(text) == data.N_CHARACTERS == 1_115_394
    vocab = data.Vocabulary.from_text(text)
    assert vocab.size == 65
    assert vocab.chars[:3] == "\n !" and vocab.chars[-1] == "z"


def test_split_is_the_benchmarks_90_10_cut():
    ids = data.Vocabulary.from_text(data.tiny_shakespeare()).encode(data.tiny_shakespeare())
    train, val = data.split(ids)
    assert (len(train), len(val)) == (1_003_854, 111_540)
    assert np.array_equal(np.concatenate([train, val]), ids)


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, 1.5])
def test_split_rejects_fractions_outside_0_1(fraction):
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        data.split("abc", fraction)


def test_encode_decode_round_trip_and_dtype():
    vocab = data.Vocabulary.from_text("hello world")
    ids = vocab.encode("hold")
    assert ids.dtype == np.int64
    assert vocab.decode(ids) == "hold"
    assert vocab.decode([0]) == " "


def test_encode_names_unknown_characters():
    with pytest.raises(ValueError, match=r"not in the vocabulary: 'xz'"):
        data.Vocabulary.from_text("abc").encode("axz")


def test_decode_rejects_ids_out_of_range():
    with pytest.raises(ValueError, match=r"outside 0\.\.2"):
        data.Vocabulary.from_text("abc").decode([0, 3])


def test_missing_file_says_where_it_should_be(tmp_path):
    with pytest.raises(FileNotFoundError, match="clone the whole repository"):
        data.tiny_shakespeare(tmp_path / "tinyshakespeare.txt")


def test_altered_file_is_refused(tmp_path):
    original = (data.data_dir() / data.FILENAME).read_bytes()
    for altered in (original[:-1], original.replace(b"\n", b"\r\n", 1)):
        path = tmp_path / "tinyshakespeare.txt"
        path.write_bytes(altered)
        with pytest.raises(ValueError, match="not the course's copy.*git checkout"):
            data.tiny_shakespeare(path)
