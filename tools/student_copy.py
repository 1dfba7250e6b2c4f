"""``make student-copy``: a copy of the course to hand out, without solutions or outputs.

Writes build/student/ (or the folder given as the first argument): the notebooks with every
cell tagged ``solution`` removed and all outputs cleared, plus what a learner needs to run them
(helpers/, figures/, the environment files, README, Makefile). Instructors keep the full repository.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
COPIED = ["README.md", "Makefile", "requirements.txt", "environment.yml", "pyproject.toml",
          "helpers", "figures", "binder", "docs"]
NOTE = ("> **Student copy:** the worked solutions are removed and the outputs cleared. "
        "Run each cell yourself; `check_answer` tells you when an exercise is solved.\n\n")


def student_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove solution cells and outputs; say at the top that this is a student copy."""
    nb.cells = [c for c in nb.cells if "solution" not in c.metadata.get("tags", [])]
    for cell in nb.cells:
        cell.metadata.pop("jupyter", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.cells[0].source = NOTE + nb.cells[0].source
    return nb


def main(target: str = "build/student") -> int:
    out = Path(target)
    if out.exists():
        shutil.rmtree(out)
    (out / "notebooks").mkdir(parents=True)
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, out / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif src.exists():
            shutil.copy2(src, out / name)
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in notebooks:
        nb = student_notebook(nbformat.read(path, as_version=4))
        nbformat.validate(nb)
        nbformat.write(nb, out / "notebooks" / path.name)
    print(f"wrote {len(notebooks)} student notebooks to {out}/ (solutions removed, outputs cleared)")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
