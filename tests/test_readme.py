"""The README is the front door: every notebook is listed, and every link points where it should."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from nbrun import repository_url  # noqa: E402

README = (ROOT / "README.md").read_text()
SLUG = repository_url().removeprefix("https://github.com/")
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_readme_starts_with_the_two_commands():
    block = README.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make lab", "make test"]


def test_every_notebook_is_in_the_contents_with_binder_and_colab_links():
    for name in NOTEBOOKS:
        row = next((line for line in README.splitlines() if f"(notebooks/{name})" in line), None)
        assert row, f"{name} is missing from the README's contents table"
        assert f"https://mybinder.org/v2/gh/{SLUG}/HEAD?urlpath=lab/tree/notebooks/{name}" in row
        assert f"https://colab.research.google.com/github/{SLUG}/blob/main/notebooks/{name}" in row
        assert re.search(r"\| \d+ s \|", row), f"{name}: give its measured time on a 2-core CPU"


def test_links_use_the_one_repository_url_and_local_links_exist():
    for url in re.findall(r"https://(?:github\.com|mybinder\.org/v2/gh|colab\.research\.google\.com/github)/([^)\s]+)", README):
        assert url.startswith(SLUG + "/"), f"link to another repository: {url}"
    for target in re.findall(r"\]\((?!https?://)([^)#]+)", README):
        assert (ROOT / target).exists(), f"README links to a missing file: {target}"


def test_binder_badge_opens_notebook_00_in_jupyterlab():
    badge = re.search(r"\[!\[Binder\]\([^)]*\)\]\(([^)]+)\)", README).group(1)
    assert badge.endswith("?urlpath=lab/tree/notebooks/00_setup_and_frameworks.ipynb")
    assert (ROOT / "notebooks" / "00_setup_and_frameworks.ipynb").exists()


def test_run_times_agree_between_the_notebooks_the_readme_and_the_instructor_guide():
    """One measurement (`make bench`), written in three places: they must not drift apart."""
    import json
    instructors = (ROOT / "docs" / "INSTRUCTORS.md").read_text()
    for name in NOTEBOOKS:
        opening = "".join(json.loads((ROOT / "notebooks" / name).read_text())["cells"][0]["source"])
        in_notebook = re.search(r"\*\*Time on a 2-core CPU:\*\* about (\d+) s to run all", opening).group(1)
        in_readme = re.search(rf"\(notebooks/{re.escape(name)}\) \|[^|]*\| (\d+) s \|", README).group(1)
        in_guide = re.search(rf"\(\.\./notebooks/{re.escape(name)}\) \| (\d+) s \|", instructors).group(1)
        assert in_notebook == in_readme == in_guide, f"{name}: {in_notebook} s, README {in_readme} s, guide {in_guide} s"


def test_the_instructor_guides_whole_course_row_is_the_sum_of_its_rows():
    instructors = (ROOT / "docs" / "INSTRUCTORS.md").read_text()
    rows = re.findall(r"^\| \[\d\d · [^|]*\]\(\.\./notebooks/[^)]+\) \| (\d+) s \| (\d+) min \|", instructors, re.M)
    assert len(rows) == len(NOTEBOOKS), "every notebook has one row in the running order"
    run_s, study_h = re.search(r"^\| \*\*whole course\*\* \| \*\*(\d+) s\*\* \| \*\*([\d.]+) h\*\* \|", instructors,
                               re.M).groups()
    assert int(run_s) == sum(int(s) for s, _ in rows), "whole-course run time: the sum of the notebooks' times"
    assert abs(float(study_h) - sum(int(m) for _, m in rows) / 60) < 0.06, "whole-course study time in hours"
