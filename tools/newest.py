"""`make test-newest`: every notebook under strict nbval on the newest release of every dependency.

Run with the Python of that environment (build/newest). Reports two lists:
- cells that FAIL (an error, a timeout): there must be none; the exit status is 1 if there are any;
- cells whose output DIFFERS from the stored one (error-message wording, printed versions): for information.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "build" / "newest-nbval.xml"
PACKAGES = ["torch", "tensorflow-cpu", "tensorflow", "keras", "numpy", "matplotlib", "scikit-learn", "ipywidgets",
            "jupyterlab", "ipykernel", "nbval", "triton"]


def versions() -> str:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return f"Python {sys.version.split()[0]}; " + ", ".join(found)


def classify(xml: Path) -> tuple[list[str], list[str], int]:
    """(failing cells, differing cells, number of cells) from pytest's JUnit XML."""
    failed, differ, total = [], [], 0
    for case in ET.parse(xml).getroot().iter("testcase"):
        total += 1
        where = f"{Path(case.get('file') or case.get('classname', '')).name}::{case.get('name')}"
        for problem in list(case.findall("failure")) + list(case.findall("error")):
            text = (problem.get("message") or "") + "\n" + (problem.text or "")
            if "Cell outputs differ" in text:
                first = next((ln.strip() for ln in text.splitlines() if ln.strip().startswith(("-", "+"))
                              and not ln.strip().startswith(("---", "+++"))), "")
                differ.append(f"{where}  {first[:150]}")
            else:
                reason = next((ln.strip() for ln in text.splitlines() if "Error" in ln or "Timeout" in ln), "")
                failed.append(f"{where}  {reason[:150]}")
    return failed, differ, total


def main() -> int:
    REPORT.parent.mkdir(exist_ok=True)
    cmd = [sys.executable, "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider", "-n", "2",
           "--dist", "loadfile", "--nbval", "--nbval-current-env", "--nbval-cell-timeout", "240",
           "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", f"--junitxml={REPORT}", "notebooks"]
    subprocess.run(cmd, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    failed, differ, total = classify(REPORT)
    print(f"Newest releases: {versions()}")
    print(f"{total} notebook cells: {len(failed)} fail, {len(differ)} differ from the stored output.")
    for title, rows in (("FAIL (must be none):", failed), ("DIFFER (for information):", differ)):
        if rows:
            print(title, *rows, sep="\n  ")
    return 1 if failed or not total else 0


if __name__ == "__main__":
    sys.exit(main())
