"""tools/newest.py (make test-newest): how it sorts nbval's results into failing and differing cells."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import newest  # noqa: E402

XML = """<?xml version="1.0"?><testsuites><testsuite>
<testcase classname="notebooks.01_tensors.ipynb" name="Cell 3" file="notebooks/01_tensors.ipynb"/>
<testcase classname="notebooks.01_tensors.ipynb" name="Cell 4" file="notebooks/01_tensors.ipynb">
  <failure message="Cell outputs differ">Cell outputs differ
- torch 2.13.0
+ torch 2.15.0</failure></testcase>
<testcase classname="notebooks.02_operators_and_e.ipynb" name="Cell 9" file="notebooks/02_operators_and_e.ipynb">
  <failure message="Cell execution caused an exception">AssertionError: expected TypeError, but the block ran
  </failure></testcase>
</testsuite></testsuites>"""


def test_failures_and_differences_are_told_apart(tmp_path):
    (tmp_path / "r.xml").write_text(XML)
    failed, differ, total = newest.classify(tmp_path / "r.xml")
    assert total == 3
    assert failed == ["02_operators_and_e.ipynb::Cell 9  AssertionError: expected TypeError, but the block ran"]
    assert differ == ["01_tensors.ipynb::Cell 4  - torch 2.13.0"]


def test_the_make_target_installs_unpinned_releases_and_runs_the_report():
    recipe = (ROOT / "Makefile").read_text().split("\ntest-newest:")[1].split("\n\n")[0]
    assert "sed -E 's/==[^ ;]*//' requirements.txt" in recipe and "--upgrade" in recipe
    assert "tools/newest.py" in recipe
