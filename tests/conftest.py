"""Shared test plumbing: free ports, and tests that need extra tools skip here but never in CI."""

import os
import shutil
import socket

import pytest

# .ci/run sets T2A_CI=1: there a missing tool fails its tests instead of skipping them.
IN_CI = os.environ.get("T2A_CI") == "1"


def skip_unless(available: bool, reason: str) -> pytest.MarkDecorator:
    """A skip mark for a module's tests when ``available`` is false; in CI, an error at collection."""
    if not available and IN_CI:
        raise RuntimeError(f"T2A_CI=1, so this must not be skipped: {reason}")
    return pytest.mark.skipif(not available, reason=reason)


def find_free_port() -> int:
    """A localhost TCP port that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def free_port() -> int:
    return find_free_port()


# Headless Chromium for the real-browser tests (tests/test_browser.py, tests/test_site.py)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
