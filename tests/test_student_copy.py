"""The student copy keeps every exercise and drops every solution and output."""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    target = tmp_path_factory.mktemp("student")
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "student_copy.py"), str(target)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return target


def test_the_copy_can_run_the_course(copy):
    for name in ["helpers/__init__.py", "requirements.txt", "pyproject.toml", "README.md", "Makefile"]:
        assert (copy / name).exists(), name
    assert sorted(p.name for p in (copy / "notebooks").glob("*.ipynb")) == [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_solution_survives_and_exercises_remain(copy, path):
    original = nbformat.read(path, as_version=4)
    student = nbformat.read(copy / "notebooks" / path.name, as_version=4)
    nbformat.validate(student)
    solutions = [c.source for c in original.cells if "solution" in c.metadata.get("tags", [])]
    assert solutions, "the original has solutions to remove"
    text = "\n".join(c.source for c in student.cells)
    others = "\n".join(c.source for c in original.cells if "solution" not in c.metadata.get("tags", []))
    for source in solutions:
        # lines that only the solution has (not the shared check_answer call) must be gone
        distinctive = [ln for ln in source.splitlines() if ln.strip() and ln not in others]
        assert distinctive, f"a solution that only repeats the exercise cell:\n{source}"
        assert not [ln for ln in distinctive if ln in text], "solution text survived in the student copy"
    assert "# Solution" not in text
    exercises = sum("check_answer(" in c.source for c in original.cells
                    if c.cell_type == "code" and "solution" not in c.metadata.get("tags", []))
    assert sum("check_answer(" in c.source for c in student.cells) == exercises
    for cell in student.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert student.cells[0].source.startswith("> **Student copy:**")
