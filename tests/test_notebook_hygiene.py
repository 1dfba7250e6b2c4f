"""Notebook hygiene: stored outputs are part of the course and of the tests.

Each check reads the committed .ipynb (no kernel). nbval, run by the same
pytest command, then re-executes every notebook and compares outputs.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from nbrun import MACHINE_PATH, colab_setup_source  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MARKERS = {"# NBVAL_IGNORE_OUTPUT", "# NBVAL_SKIP", "# NBVAL_CHECK_OUTPUT"}
MAX_BYTES = 2_000_000


def test_the_course_has_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no NN_topic.ipynb notebook"
    assert NOTEBOOKS[0].name == "00_setup_and_frameworks.ipynb"
    assert sorted({p.name for p in (ROOT / "notebooks").glob("*.ipynb")}) == [p.name for p in NOTEBOOKS], \
        "every notebook is named NN_topic.ipynb"


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def path(request):
    return request.param


@pytest.fixture
def nb(path):
    return nbformat.read(path, as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def texts(output):
    """Every string a reader sees in one stored output."""
    if output.output_type == "stream":
        yield output.text
    elif output.output_type == "error":
        yield output.evalue
        yield from output.traceback
    else:
        for key, value in output.get("data", {}).items():
            if key.startswith("text/"):
                yield value if isinstance(value, str) else "".join(value)


def test_valid_nbformat_with_a_kernelspec(nb):
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"


def test_executed_top_to_bottom(nb):
    counts = [c.execution_count for c in code_cells(nb)]
    assert None not in counts, "some code cells were never run: `make execute NB=...`"
    assert counts == list(range(1, len(counts) + 1)), "restart the kernel and run all (`make execute`)"


def error_demos(nb):
    return [c for c in code_cells(nb) if "expect_error(" in c.source]


def test_errors_are_shown_with_expect_error_so_run_all_completes_everywhere(nb):
    """Front ends that ignore the raises-exception tag (Positron; Colab is not known to honour it) stop Run All
    at a raised error, so a cell that demonstrates one catches it with ``helpers.checks.expect_error``."""
    for cell in code_cells(nb):
        assert "raises-exception" not in cell.metadata.get("tags", []) and "NBVAL_RAISES_EXCEPTION" not in cell.source, \
            f"show the error with `with expect_error(...)`, not by raising it:\n{cell.source[:300]}"
        assert not [o for o in cell.outputs if o.output_type == "error"], f"a stored error in:\n{cell.source[:300]}"
    for cell in error_demos(nb):
        shown = "".join(t for o in cell.outputs for t in texts(o))
        assert "🛑 " in shown, f"an error demo whose stored output shows no error:\n{cell.source[:300]}"


SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp, ast.SetComp,
          ast.DictComp, ast.GeneratorExp)


def _names(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Names a cell binds at its own level (not inside functions it defines), and names it reads anywhere."""
    read = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    bound, todo = set(), [tree]
    while todo:
        for child in ast.iter_child_nodes(todo.pop()):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound.add(child.name)
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                bound |= {(a.asname or a.name).split(".")[0] for a in child.names}
            elif isinstance(child, ast.Name) and not isinstance(child.ctx, ast.Load):
                bound.add(child.id)
            if not isinstance(child, SCOPES):
                todo.append(child)
    return bound, read


def parse(source: str) -> ast.AST:
    return ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))))


def test_no_later_cell_depends_on_an_error_demo(nb):
    """A learner may skip an error demo, or the error may stop happening: no later cell may read a name that
    an error demo binds, unless a cell in between binds it again."""
    cells = code_cells(nb)
    for i, cell in enumerate(cells):
        if "expect_error(" not in cell.source:
            continue
        pending = _names(parse(cell.source))[0] - {"_"}
        for later in cells[i + 1:]:
            bound, read = _names(parse(later.source))
            used = pending & read
            assert not used, (f"a later cell reads {sorted(used)}, which an error demo binds; bind them in a "
                              f"normal cell:\n{cell.source[:300]}\n--- later cell:\n{later.source[:300]}")
            pending -= bound


def exercise_cells(nb):
    return [c for c in code_cells(nb) if "check_answer(" in c.source and "solution" not in c.metadata.get("tags", [])]


def test_exercises_wait_for_the_learner(nb):
    for cell in exercise_cells(nb):
        shown = "".join(t for o in cell.outputs for t in texts(o))
        assert "⏳" in shown, f"an exercise cell must ask for the answer before it is given:\n{cell.source[:300]}"


def test_a_code_exercise_checks_the_learners_function_against_both_frameworks(nb):
    """At least one exercise has the learner write a function, which the check runs and compares with
    PyTorch and TensorFlow."""
    found = []
    for cell in exercise_cells(nb):
        for name in re.findall(r"^def (\w+)\(", cell.source, re.M):
            if re.search(rf"check_answer\(\s*[^,]+,\s*{name}\s*,", cell.source) \
                    and re.search(r"\btorch\.", cell.source) and re.search(r"\btf\.", cell.source):
                found.append(name)
    assert found, ("no exercise where the learner writes code: define a stub `def f(...): ...` in an exercise "
                   "cell, pass it to check_answer with a check that compares it with torch.* and tf.*")


def test_no_stderr_and_no_machine_paths(nb):
    for cell in code_cells(nb):
        for out in cell.outputs:
            assert out.get("name") != "stderr", f"stderr stored (fix the warning's cause):\n{out.text[:500]}"
            for text in texts(out):
                assert not MACHINE_PATH.search(text), f"a machine path in an output:\n{text[:500]}"


def test_markers_are_exact(nb):
    """nbval silently ignores a marker line with extra text, so only exact markers may appear."""
    for cell in code_cells(nb):
        for line in cell.source.splitlines():
            if line.lstrip().startswith("# NBVAL"):
                assert line.strip() in MARKERS, f"inexact nbval marker {line!r}"


def test_widgets_have_ignored_output(nb):
    for cell in code_cells(nb):
        if re.search(r"\binteract(ive)?\(", cell.source):
            assert cell.source.startswith("# NBVAL_IGNORE_OUTPUT"), \
                f"an interact cell must start with # NBVAL_IGNORE_OUTPUT, after a static figure:\n{cell.source[:200]}"


def test_fixed_opening(nb, path):
    first = nb.cells[0]
    number = path.name[:2]
    assert first.cell_type == "markdown"
    assert re.match(rf"# {number} · \S", first.source), f"title must start '# {number} · '"
    goals = first.source.split("**After this notebook you can:**")
    assert len(goals) == 2, "state what the learner will be able to do"
    bullets = re.findall(r"^- \S", goals[1].split("**Prerequisites:**")[0], re.M)
    assert 2 <= len(bullets) <= 4, "two to four goals"
    for part in ("**Prerequisites:**", "**Time on a 2-core CPU:**", "**How to read it:**"):
        assert part in first.source, f"the opening needs {part}"
    assert code_cells(nb)[0].source == colab_setup_source(), "first code cell: the Colab setup (make execute)"


def test_fixed_closing_with_self_checked_exercises(nb):
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    headings = re.findall(r"^## .*$", markdown, re.M)
    assert "## Summary" in headings and "## Exercises" in headings
    assert headings.index("## Summary") < headings.index("## Exercises")
    summary = markdown.split("\n## Summary\n")[1].split("\n## ")[0]
    assert 3 <= len(re.findall(r"^- \S", summary, re.M)) <= 6, "3–6 summary bullets"
    cells = code_cells(nb)
    exercises = [i for i, c in enumerate(cells)
                 if "check_answer(" in c.source and "solution" not in c.metadata.get("tags", [])]
    assert exercises, "at least one exercise with a check_answer self-check"
    for i in exercises:
        solution = cells[i + 1] if i + 1 < len(cells) else None
        assert solution is not None and "solution" in solution.metadata.get("tags", []), \
            f"exercise cell without a solution cell after it:\n{cells[i].source[:200]}"


def test_solutions_are_hidden_and_pass_their_check(nb):
    solutions = [c for c in code_cells(nb) if "solution" in c.metadata.get("tags", [])]
    for cell in solutions:
        assert cell.source.startswith("# Solution") and "check_answer(" in cell.source
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
        shown = "".join(t for o in cell.outputs for t in texts(o))
        assert "✅" in shown and "❌" not in shown, f"a solution that does not pass:\n{cell.source[:300]}"


def test_size_limits(nb, path):
    assert path.stat().st_size <= MAX_BYTES, "outputs too large: smaller figures or fewer prints"


def test_saved_figures_are_named_after_the_notebook_and_exist(nb, path):
    number = path.name[:2]
    for cell in code_cells(nb):
        for name in re.findall(r"\bsave\(\s*\w+\s*,\s*[\"']([^\"']+)[\"']", cell.source):
            assert name.startswith(f"{number}_"), f"figure {name!r} should be named {number}_..."
            assert (ROOT / "figures" / f"{name}.png").exists(), f"figures/{name}.png is missing"


def test_no_local_paths_that_colab_or_binder_lack(nb):
    """Files are reached through helpers (e.g. save) or temporary folders, never ../ or machine paths."""
    for cell in code_cells(nb):
        found = re.search(r"""["'](\.\./|~/|/(home|root|work|Users|tmp|content)/)""", cell.source)
        if found and cell is not code_cells(nb)[0]:  # the Colab setup cell may name /content
            pytest.fail(f"a local path {found.group(0)!r} in:\n{cell.source[:300]}")


def test_no_markdown_swallowed_into_code(nb):
    """A '# ## Heading' comment in a code cell is a markdown cell that lost its cell break."""
    for cell in code_cells(nb):
        stray = [line for line in cell.source.splitlines() if re.match(r"#\s+#{1,4} \S", line)]
        assert not stray, f"markdown heading inside a code cell: {stray[0]!r}"


def test_markdown_has_no_control_characters(nb):
    r"""A Python string escape written into markdown (``"\ln(\text{...})"`` without ``r``) leaves a literal tab,
    backspace or form feed, and the formula renders wrongly (MathJax reads ``\t`` as a tab, not ``\text``)."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            bad = sorted({f"U+{ord(ch):04X}" for ch in cell.source if ord(ch) < 32 and ch != "\n"})
            assert not bad, f"cell {i}: control characters {bad} in markdown:\n{cell.source[:300]}"
