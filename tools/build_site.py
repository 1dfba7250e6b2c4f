"""``make site``: the course as a static website in build/site/, built offline from the stored notebooks.

Sphinx with MyST-NB renders every ``notebooks/NN_*.ipynb`` (found by glob) with the outputs it has stored, never
executing it; docs/INSTRUCTORS.md and docs/AUTHORING.md become pages, and site/index.md.in the landing page.
The sources are staged first (a copy in ``<out>-src/``), so that the pages can show what a notebook in JupyterLab
shows in another way, without touching the notebooks themselves:

- launch links to the very notebook on Binder and on Colab, made from the repository URL in pyproject.toml
  (the same links as the README's contents table);
- solution cells (tagged ``solution``, collapsed in JupyterLab by tools/nbrun.py) are collapsed: MyST-NB's
  ``hide-cell`` tag;
- an ``interact`` cell (a slider) has nothing to show without a kernel: a note says that the slider works in a
  live session and that the figure above it is its static version (any stored widget view is dropped);
- the landing page's contents come from the notebooks' opening cells (title, topics, measured time) and the
  README's contents table, its gallery from the README's gallery, so neither can drift from them.

Usage: python tools/build_site.py [OUT]   (default build/site; prints the build time and the site's size)
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from nbrun import repository_url  # noqa: E402

SITE = ROOT / "site"
DOCS = ["docs/INSTRUCTORS.md", "docs/AUTHORING.md"]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ("```{admonition} A slider in a live session\n:class: t2a-widget-note\n"
               "In JupyterLab, on Binder or on Colab this cell shows a slider (ipywidgets' `interact`) that recomputes "
               "its output as you move it. A static page has no kernel to do that: the output above, made with the "
               "values in the text, stands in for it. Open the notebook ({launch}) to move the slider.\n```")


def notebooks(root: Path = ROOT) -> list[Path]:
    """Every notebook of the course, in course order."""
    return sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def launch_links(name: str, url: str | None = None) -> dict[str, str]:
    """Binder (JupyterLab) and Colab links that open notebooks/<name>, as in the README's contents table."""
    slug = (url or repository_url()).removeprefix("https://github.com/").rstrip("/")
    return {"Binder": f"https://mybinder.org/v2/gh/{slug}/HEAD?urlpath=lab/tree/notebooks/{name}",
            "Colab": f"https://colab.research.google.com/github/{slug}/blob/main/notebooks/{name}"}


@dataclass
class Entry:
    """What the landing page's contents say about one notebook."""
    path: Path
    number: str
    title: str
    topics: str
    run_s: str
    study: str


def _readme_topics(name: str, readme: str) -> str | None:
    row = re.search(rf"^\|[^|\n]*\| \[[^]]*\]\(notebooks/{re.escape(name)}\) \|([^|\n]*)\|", readme, re.M)
    return row.group(1).strip() if row else None


def outline(root: Path = ROOT) -> list[Entry]:
    """Title, topics and measured times of every notebook, read from its opening cell (topics from the README's
    contents table when the notebook is listed there, else the opening's "After this notebook you can" list)."""
    readme = (root / "README.md").read_text(encoding="utf-8")
    entries = []
    for path in notebooks(root):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        opening = "".join(cells[0]["source"]) if cells else ""
        title = re.search(r"^# (.+)$", opening, re.M)
        title = re.sub(r"^\d+\s*·\s*", "", title.group(1).strip()) if title else path.stem
        topics = _readme_topics(path.name, readme)
        if topics is None:
            goals = re.findall(r"^- (.+)$", opening.split("can:**", 1)[-1].split("\n\n", 1)[0], re.M)
            topics = "; ".join(g.rstrip(";.") for g in goals)
        run = re.search(r"about (\d+) s to run all", opening)
        study = re.search(r"(\d+(?:\.\d+)? (?:min|hours?)) to study", opening)
        entries.append(Entry(path, path.name[:2], title, topics, run.group(1) + " s" if run else "–",
                             study.group(1) if study else "–"))
    return entries


def gallery(root: Path = ROOT) -> list[tuple[str, str, str]]:
    """(image path, alt text, caption) of each figure in the README's gallery, in order."""
    section = (root / "README.md").read_text(encoding="utf-8").split("## Gallery", 1)[-1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|") and not re.fullmatch(r"[|\s:-]*", line)]
    figures = []
    for images, captions in zip(rows, rows[1:]):
        found = re.findall(r"!\[([^]]*)\]\(([^)]+)\)", images)
        if not found:
            continue
        texts = [c.strip() for c in captions.strip().strip("|").split("|")]
        figures += [(src, alt, texts[k] if k < len(texts) else alt) for k, (alt, src) in enumerate(found)]
    return figures


def _md_cell(source: str, cell_id: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": source}


def _launch_html(name: str) -> str:
    links = launch_links(name)
    items = "".join(f'<a class="t2a-launch-{k.lower()}" href="{v}">Open in {k}</a>' for k, v in links.items())
    github = f"{repository_url().rstrip('/')}/blob/main/notebooks/{name}"
    return f'<div class="t2a-launch">{items}<a class="t2a-launch-github" href="{github}">View on GitHub</a></div>'


def stage_notebook(src: Path, dst: Path) -> None:
    """The notebook as the site shows it (see the module's docstring); the file itself is not changed."""
    nb = json.loads(src.read_text(encoding="utf-8"))
    nb["metadata"].pop("widgets", None)  # MyST-NB would load the widget manager from a CDN for it
    name = src.name
    links = launch_links(name)
    launch = f"[Binder]({links['Binder']}) or [Colab]({links['Colab']})"
    cells = []
    for k, cell in enumerate(nb["cells"]):
        source = "".join(cell["source"])
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if k == 0 and cell["cell_type"] == "markdown":  # the launch links right under the title
            lines = source.split("\n")
            head = next((i for i, line in enumerate(lines) if line.startswith("# ")), -1)
            lines.insert(head + 1, "\n" + _launch_html(name) + "\n")
            cell["source"] = "\n".join(lines)
        cells.append(cell)
        if cell["cell_type"] != "code":
            continue
        if "solution" in tags and "hide-cell" not in tags:
            tags.append("hide-cell")
        widgets = [o for o in cell.get("outputs", []) if WIDGET_VIEW in o.get("data", {})]
        if widgets or re.search(r"^\s*(?:\w+\s*=\s*)?interact(?:ive)?\(", source, re.M):
            cell["outputs"] = [o for o in cell["outputs"] if WIDGET_VIEW not in o.get("data", {})]
            cells.append(_md_cell(WIDGET_NOTE.replace("{launch}", launch), f"t2a-widget-note-{k}"))
    nb["cells"] = cells
    dst.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


def stage_doc(src: Path, dst: Path, rel: str) -> None:
    """A guide as a page; a relative link to a file the site does not have goes to that file on GitHub."""
    url = repository_url().rstrip("/")
    text = src.read_text(encoding="utf-8")

    def fix(match: re.Match) -> str:
        target = match.group(2)
        if re.match(r"[a-z]+:|#", target):
            return match.group(0)
        path = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target.split("#")[0]))
        if re.fullmatch(r"notebooks/\d\d_[^/]+\.ipynb|docs/[^/]+\.md|figures/[^/]+", path) and (ROOT / path).exists():
            return match.group(0)
        return f"{match.group(1)}({url}/blob/main/{path})"

    dst.write_text(re.sub(r"(\]\s?)\(([^)\s]+)\)", fix, text), encoding="utf-8")


def landing(entries: list[Entry]) -> str:
    """site/index.md.in filled in: the README's introduction, the contents, the ways to run it, the gallery."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    intro = readme.split("\n", 1)[1].split("[![Binder]", 1)[0].strip()
    rows = ["| # | notebook | what you learn | run | study | open |", "|---|---|---|---|---|---|"]
    for e in entries:
        links = " · ".join(f"[{k}]({v})" for k, v in launch_links(e.path.name).items())
        rows.append(f"| {e.number} | [{e.title}](notebooks/{e.path.name}) | {e.topics} | {e.run_s} | {e.study} "
                    f"| {links} |")
    pages = {e.number: f"notebooks/{e.path.stem}.html" for e in entries}
    cards = []
    for src, alt, caption in gallery():  # a figure links to its notebook's page (figures are named NN_*.png)
        target = f":target: {pages[Path(src).name[:2]]}\n" if Path(src).name[:2] in pages else ""
        cards.append(f"```{{figure}} {src}\n:alt: {alt}\n{target}\n{caption}\n```\n")
    toc = "\n".join(f"notebooks/{e.path.stem}" for e in entries)
    first = entries[0].path.name if entries else "00_setup_and_frameworks.ipynb"
    url = repository_url().rstrip("/")
    fields = {"intro": intro, "contents": "\n".join(rows), "gallery": "\n".join(cards), "notebook_toc": toc,
              "guides_toc": "\n".join(d.removesuffix(".md") for d in DOCS), "repository": url,
              "repository_name": url.rsplit("/", 1)[-1],
              "binder": launch_links(first)["Binder"], "colab": launch_links(first)["Colab"],
              "first": first, "count": str(len(entries))}
    text = (SITE / "index.md.in").read_text(encoding="utf-8")
    return re.sub(r"\{\{ (\w+) \}\}", lambda m: fields[m.group(1)], text)


def stage(src_dir: Path) -> None:
    """Write the site's sources into src_dir (replacing what was there)."""
    if src_dir.exists():
        shutil.rmtree(src_dir)
    (src_dir / "notebooks").mkdir(parents=True)
    (src_dir / "docs").mkdir()
    entries = outline()
    for e in entries:
        stage_notebook(e.path, src_dir / "notebooks" / e.path.name)
    for doc in DOCS:
        stage_doc(ROOT / doc, src_dir / doc, doc)
    shutil.copytree(ROOT / "figures", src_dir / "figures")
    (src_dir / "index.md").write_text(landing(entries), encoding="utf-8")


def build(out: Path, quiet: bool = True) -> subprocess.CompletedProcess:
    """Stage the sources next to ``out`` and build the HTML site into ``out``."""
    out = out.resolve()
    src_dir = out.with_name(out.name + "-src")
    stage(src_dir)
    if out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(SITE), "-d", str(src_dir / ".doctrees"),
           "-j", "auto", "-q" if quiet else "-v", str(src_dir), str(out)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)


def size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "site"
    start = time.perf_counter()
    done = build(out)
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    if done.returncode:
        return done.returncode
    files = sum(1 for _ in out.rglob("*.html"))
    print(f"site: {len(notebooks())} notebooks, {files} pages in {out} ({size(out) / 2**20:.1f} MB), built in "
          f"{time.perf_counter() - start:.0f} s; open {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
