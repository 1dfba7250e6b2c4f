"""The Colab setup cell, run as Colab would run it (with `google.colab` present), without a network."""

import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from nbrun import colab_setup_source, repository_url  # noqa: E402


@pytest.fixture
def on_colab(monkeypatch):
    monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(sys, "path", list(sys.path))
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda cmd, check: calls.append(cmd))
    return calls


def test_first_run_clones_the_one_repository_and_makes_helpers_importable(on_colab, monkeypatch):
    monkeypatch.setattr("os.path.isdir", lambda path: False)
    exec(colab_setup_source(), {})
    assert on_colab == [["git", "clone", "--depth", "1", repository_url(), "/content/course"]]
    assert sys.path[0] == "/content/course"


def test_running_the_cell_again_does_not_clone_again(on_colab, monkeypatch):
    monkeypatch.setattr("os.path.isdir", lambda path: path == "/content/course")
    exec(colab_setup_source(), {})
    assert on_colab == [] and sys.path[0] == "/content/course"


def test_outside_colab_the_cell_does_nothing(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr(sys, "path", list(sys.path))
    before = list(sys.path)
    exec(colab_setup_source(), {})
    assert sys.path == before
