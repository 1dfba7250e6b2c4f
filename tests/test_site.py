"""The course website (`make site`): built once per test session from the stored notebooks, then checked as files
and in a real browser.

The build (tools/build_site.py, into a temporary folder) must give every notebook a page in course order, with
working links and images only, launch links to that very notebook on Binder and Colab, solutions collapsed, a note
where a slider would be, and nothing loaded from the internet. Headless Chromium (as in tests/test_browser.py) then
opens the landing page and a notebook page over a local HTTP server, with every request that leaves localhost
blocked, and checks that math is typeset, images load, previous/next work and the static search finds a page.
A screenshot goes to test-artifacts/site_*.png.

Needs requirements-site.txt (the browser tests also Chromium and requirements-browser.txt); without them the tests
are skipped with the reason, and in CI (T2A_CI=1) they fail instead.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import threading
import time
import tomllib
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from conftest import CHROMIUM, CHROMIUM_FLAGS, find_free_port, skip_unless

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
REPOSITORY = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
SLUG = REPOSITORY.removeprefix("https://github.com/")
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
FLAGS = CHROMIUM_FLAGS
PRE = re.compile(r"(<pre\b[^>]*>).*?(</pre>)", re.S)
BROWSER_PAGE = "02_operators_and_e"  # math, figures, a slider and solutions: the page the browser opens

try:
    import myst_nb  # noqa: F401
    import sphinx_book_theme  # noqa: F401
    from bs4 import BeautifulSoup
    HAVE_SITE_TOOLS = True
except ImportError:  # pragma: no cover - depends on the machine
    HAVE_SITE_TOOLS = False
try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

needs_site = skip_unless(HAVE_SITE_TOOLS, "the site needs its tools: pip install -r requirements-site.txt")
needs_browser = skip_unless(HAVE_SITE_TOOLS and sync_playwright is not None and os.access(CHROMIUM, os.X_OK),
                            "the site's browser test needs Chromium and Playwright: apt-get install chromium && "
                            "pip install -r requirements-site.txt -r requirements-browser.txt")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The whole site, built once for this module (what `make site` builds into build/site)."""
    out = tmp_path_factory.mktemp("site") / "site"
    start = time.perf_counter()
    done = build_site.build(out)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    print(f"site built in {time.perf_counter() - start:.0f} s, {build_site.size(out) / 2**20:.1f} MB")
    return out


def _pages(site: Path) -> list[Path]:
    """The site's pages (_static/ also holds the theme's HTML templates, which are no pages)."""
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)


@functools.cache
def _soup(path: Path) -> BeautifulSoup:
    """The page, parsed once, without what is inside its <pre> blocks (code and printed output: most of a page's
    elements, and no links, images or math in them), which makes parsing three times faster."""
    return BeautifulSoup(PRE.sub(r"\1\2", path.read_text(encoding="utf-8")), "html.parser")


@functools.cache
def _ids(path: Path) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8")))


def _page(site: Path, nb: Path) -> Path:
    return site / "notebooks" / f"{nb.stem}.html"


def _cells(nb: Path, site: Path | None = None) -> list[dict]:
    """The notebook's cells; with ``site``, as the build read them (its staged copy: a notebook being edited
    while the tests run cannot disagree with its page)."""
    path = site.with_name(site.name + "-src") / "notebooks" / nb.name if site else nb
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _is_interact(cell: dict) -> bool:
    return cell["cell_type"] == "code" and re.search(r"^\s*(?:\w+\s*=\s*)?interact(?:ive)?\(",
                                                     "".join(cell["source"]), re.M) is not None


@needs_site
def test_every_notebook_has_a_page_in_course_order_with_previous_and_next(site):
    assert NOTEBOOKS, "no notebooks found"
    order = ["index"] + [f"notebooks/{nb.stem}" for nb in NOTEBOOKS] + ["docs/INSTRUCTORS", "docs/AUTHORING"]
    for k, name in enumerate(order):
        page = site / f"{name}.html"
        assert page.exists(), f"{name} has no page"
        soup = _soup(page)
        prev, nxt = soup.select_one("a.left-prev"), soup.select_one("a.right-next")
        for link, want in ((prev, order[k - 1] if k else None), (nxt, order[k + 1] if k + 1 < len(order) else None)):
            got = (page.parent / link["href"]).resolve() if link else None
            assert got == ((site / f"{want}.html").resolve() if want else None), f"{name}: prev/next is {got}"
    title = _soup(_page(site, NOTEBOOKS[0])).select_one("article h1").get_text(" ", strip=True)
    assert title.startswith(NOTEBOOKS[0].name[:2]), title


@needs_site
def test_no_internal_link_or_image_is_broken(site):
    broken = []
    pages = _pages(site)
    for page in pages:
        for tag in _soup(page).find_all(["a", "img", "link", "script", "source"]):
            ref = tag.get("href") or tag.get("src")
            if not ref or re.match(r"[a-z][a-z0-9+.-]*:|//", ref) or ref.startswith("#") and len(ref) == 1:
                continue
            parts = urlsplit(ref)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {ref}")
            elif parts.fragment and target.suffix == ".html" and tag.name == "a":
                if unquote(parts.fragment) not in _ids(target):
                    broken.append(f"{page.relative_to(site)}: {ref} (no such anchor)")
    assert len(pages) >= len(NOTEBOOKS) + 3
    assert not broken, f"{len(broken)} broken links or images:\n" + "\n".join(broken[:40])


@needs_site
def test_every_notebook_page_launches_that_very_notebook_on_binder_and_colab(site):
    for nb in NOTEBOOKS:
        soup = _soup(_page(site, nb))
        launch = soup.select_one(".t2a-launch")
        assert launch, f"{nb.stem}: no launch links under the title"
        hrefs = {a.get_text(strip=True): a["href"] for a in launch.find_all("a")}
        assert hrefs["Open in Binder"] == f"https://mybinder.org/v2/gh/{SLUG}/HEAD?urlpath=lab/tree/notebooks/{nb.name}"
        assert hrefs["Open in Colab"] == \
            f"https://colab.research.google.com/github/{SLUG}/blob/main/notebooks/{nb.name}"
        # every Binder or Colab link on a notebook's page (the widget notes' too) opens that notebook of this repository
        for a in soup.select("article a[href]"):
            found = re.search(r"(?:mybinder\.org|colab\.research\.google\.com)/.*?notebooks/([^/?#]+\.ipynb)",
                              a["href"])
            assert not found or found.group(1) == nb.name, f"{nb.stem} launches {found.group(1)}"
            if "mybinder.org" in a["href"] or "colab.research" in a["href"]:
                assert SLUG in a["href"], f"{nb.stem}: launch link to another repository: {a['href']}"
    index = _soup(site / "index.html")
    for nb in NOTEBOOKS:
        row = next(tr for tr in index.select("table tr") if tr.find("a", href=f"notebooks/{nb.stem}.html"))
        links = [a["href"] for a in row.find_all("a")]
        assert f"https://mybinder.org/v2/gh/{SLUG}/HEAD?urlpath=lab/tree/notebooks/{nb.name}" in links
        assert f"https://colab.research.google.com/github/{SLUG}/blob/main/notebooks/{nb.name}" in links


@needs_site
def test_no_page_loads_anything_from_the_internet(site):
    """Scripts, styles, fonts, images: all from the site itself (links to other sites are fine)."""
    external = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)
    found = []
    for page in _pages(site):
        soup = _soup(page)
        for tag in soup.find_all(["script", "img", "iframe", "source", "video", "audio", "embed", "object", "link"]):
            if tag.name == "link" and not set(tag.get("rel", [])) & {"stylesheet", "preload", "icon", "modulepreload",
                                                                      "prefetch", "manifest"}:
                continue
            ref = tag.get("src") or tag.get("href") or tag.get("data") or ""
            if external.match(ref):
                found.append(f"{page.relative_to(site)}: <{tag.name}> {ref}")
        for style in soup.find_all("style"):
            found += [f"{page.relative_to(site)}: <style> {u}" for u in re.findall(r"url\(['\"]?(?:https?:)?//[^)]+",
                                                                                  style.get_text())]
    for css in site.rglob("*.css"):
        found += [f"{css.relative_to(site)}: {u}" for u in re.findall(
            r"(?:url\(\s*['\"]?|@import\s+['\"])(?:https?:)?//[^)'\"]+", css.read_text(encoding="utf-8"))]
    assert not found, "\n".join(found[:40])
    scripts = {s.get("src") for s in _soup(_page(site, NOTEBOOKS[0])).find_all("script") if s.get("src")}
    assert "../_static/mathjax/tex-chtml.js" in scripts, "MathJax must come from the site itself"
    assert (site / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir(), "MathJax's fonts"


@needs_site
def test_outputs_are_shown_as_stored_solutions_collapsed_and_sliders_explained(site):
    for nb in NOTEBOOKS:
        cells, soup = _cells(nb, site), _soup(_page(site, nb))
        images = sum("image/png" in o.get("data", {}) for c in cells if c["cell_type"] == "code" for o in c["outputs"])
        assert len(soup.select(".cell_output img")) == images, f"{nb.stem}: not every stored figure is on the page"
        solutions = [c for c in cells if "solution" in c["metadata"].get("tags", [])]
        hidden = soup.select("div.cell.tag_solution")
        assert len(hidden) == len(solutions), f"{nb.stem}: {len(solutions)} solutions, {len(hidden)} on the page"
        for cell in hidden:
            assert cell.select_one("details.hide:not([open])"), f"{nb.stem}: a solution is not collapsed"
            assert "Show the worked solution" in cell.get_text()
        sliders = sum(map(_is_interact, cells))
        assert len(soup.select(".t2a-widget-note")) == sliders, f"{nb.stem}: a note for each of its {sliders} sliders"
        assert "widget-view+json" not in _page(site, nb).read_text(encoding="utf-8"), f"{nb.stem}: a widget's view"
        assert not soup.select("script[src*='widget'], script[type*='widget']"), f"{nb.stem}: a widget manager"


@needs_site
def test_math_is_left_to_mathjax_and_no_dollar_sign_remains(site):
    pages = [*(_page(site, nb) for nb in NOTEBOOKS), site / "docs" / "INSTRUCTORS.html",
             site / "docs" / "AUTHORING.html"]
    for page in pages:
        article = _soup(page).select_one("article")
        skip = {id(t) for t in article.select("pre, code, .cell_output, script, style, .math")}
        text = " ".join(t for t in article.find_all(string=True)
                        if not any(id(p) in skip for p in t.parents))
        left = re.findall(r"\$[^$\n]+\$", text)
        assert not left, f"{page.name}: math not converted: {left[:5]}"
    with_math = [nb for nb in NOTEBOOKS if re.search(r"\$[^$\n]+\$", "".join(
        "".join(c["source"]) for c in _cells(nb, site) if c["cell_type"] == "markdown"))]
    for nb in with_math:
        assert _soup(_page(site, nb)).select(".math"), f"{nb.stem}: its math did not reach the page"


@needs_site
def test_landing_page_has_every_notebook_with_topics_and_time_the_ways_to_run_and_the_gallery(site):
    soup = _soup(site / "index.html")
    text = soup.get_text(" ", strip=True)
    for what in ("Three ways to run it", "Binder", "Colab", "Gallery", "programmers"):
        assert what in text, f"landing page lacks {what!r}"
    assert "make lab" in re.sub(r"<[^>]+>", "", (site / "index.html").read_text(encoding="utf-8")), "run it locally"
    for nb in NOTEBOOKS:
        row = next(tr for tr in soup.select("table tr") if tr.find("a", href=f"notebooks/{nb.stem}.html"))
        cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
        opening = "".join(_cells(nb, site)[0]["source"])
        seconds = re.search(r"about (\d+) s to run all", opening)
        assert not seconds or f"{seconds.group(1)} s" in cells, f"{nb.stem}: its measured time is not {cells}"
        assert len(cells[2]) > 20, f"{nb.stem}: no topics in {cells}"
    gallery = soup.select(".t2a-gallery img")
    assert len(gallery) == len(build_site.gallery()) >= 6, "the README's gallery"
    for guide in ("docs/INSTRUCTORS.html", "docs/AUTHORING.html"):
        assert soup.find("a", href=guide), f"the landing page does not link {guide}"


@needs_site
def test_the_guides_are_pages_and_their_notebook_links_go_to_the_notebook_pages(site):
    guide = _soup(site / "docs" / "INSTRUCTORS.html")
    linked = {a["href"] for a in guide.select("article a[href]")}
    source = (ROOT / "docs" / "INSTRUCTORS.md").read_text(encoding="utf-8")
    for name in re.findall(r"\]\(\.\./notebooks/([^)#]+)\.ipynb\)", source):
        assert f"../notebooks/{name}.html" in linked, f"the instructor guide's link to {name} is not a site page"
    assert not any(h.endswith(".ipynb") and not h.startswith("http") for h in linked)


def test_the_publish_workflow_builds_with_make_site_and_deploys_to_github_pages():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "push" in triggers and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages" and workflow["concurrency"]["cancel-in-progress"] is False
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = "\n".join(s.get("run", "") for s in build["steps"])
    assert re.search(r"^make site\b", runs, re.M), "the workflow builds with `make site`"
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "build/site"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    assert "${{ steps." in deploy["environment"]["url"]


# ---------------------------------------------------------------------------------------------------- in a browser

@pytest.fixture(scope="module")
def served(site):
    """The built site over HTTP on localhost (what GitHub Pages does), as a base URL."""
    handler = functools.partial(type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *a: None}),
                                directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", find_free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser_page(served):
    """A Chromium page whose requests outside localhost are blocked and recorded (``page.outside``)."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        outside: list[str] = []

        def route(r):
            if r.request.url.startswith(served):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.outside = outside
        yield page
        context.close()
        browser.close()


def _typeset(page) -> dict:
    page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=30_000)
    page.evaluate("MathJax.startup.promise")
    return page.evaluate("""() => {
        const math = [...document.querySelectorAll('article .math')];
        const raw = [];
        const walk = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT, {
            acceptNode: n => n.parentElement.closest('pre, code, script, style, mjx-container, .cell_output')
                ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
        while (walk.nextNode()) raw.push(walk.currentNode.textContent);
        return {math: math.length, typeset: math.filter(m => m.querySelector('mjx-container')).length,
                errors: document.querySelectorAll('mjx-merror').length,
                raw: raw.join(' ').match(/\\$[^$\\n]+\\$|\\\\\\(|\\\\\\[/g) || []};
    }""")


def _images_loaded(page) -> tuple[int, list[str]]:
    page.evaluate("Promise.all([...document.images].map(i => i.decode().catch(() => null)))")
    return page.evaluate("""() => [document.images.length,
        [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)]""")


@needs_browser
def test_in_chromium_math_is_typeset_images_load_and_previous_next_work(served, browser_page):
    page = browser_page
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    page.goto(f"{served}/index.html")
    count, broken = _images_loaded(page)
    assert count >= len(build_site.gallery()) and not broken, f"landing page: images that did not load: {broken}"
    page.screenshot(path=str(artifacts / "site_landing.png"), full_page=False)

    # from the landing page to a notebook page through the contents, as a reader goes
    page.locator("article table").get_by_role("link", name=re.compile("Operators and the number e")).click()
    page.wait_for_url(f"**/notebooks/{BROWSER_PAGE}.html")
    maths = _typeset(page)
    assert maths["math"] > 10 and maths["typeset"] == maths["math"], f"not all math typeset: {maths}"
    assert not maths["errors"] and not maths["raw"], f"raw TeX left on the page: {maths}"
    count, broken = _images_loaded(page)
    assert count > 3 and not broken, f"images that did not load: {broken}"
    expect(page.locator(".t2a-widget-note").first).to_be_visible()
    solution = page.locator("div.cell.tag_solution details").first
    expect(solution.locator("pre").first).to_be_hidden()
    solution.locator("summary").click()
    expect(solution.locator("pre").first).to_be_visible()
    page.locator(".t2a-launch").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"site_{BROWSER_PAGE}.png"), full_page=False)

    k = [nb.stem for nb in NOTEBOOKS].index(BROWSER_PAGE)
    page.locator("a.right-next").click()
    page.wait_for_url(f"**/notebooks/{NOTEBOOKS[k + 1].stem}.html")
    expect(page.locator("article h1").first).to_contain_text(NOTEBOOKS[k + 1].name[:2])
    page.locator("a.left-prev").click()
    page.wait_for_url(f"**/notebooks/{BROWSER_PAGE}.html")
    assert not page.outside, f"requests outside the site: {page.outside}"


def _term_in_one_notebook(site: Path) -> tuple[str, str]:
    """A word that occurs in the markdown of exactly one notebook and on no other page (longest first)."""
    from sphinx.search.en import SearchEnglish

    index = json.loads(re.search(r"Search\.setIndex\((.*)\)\s*$", (site / "searchindex.js").read_text(), re.S)[1])
    docs, terms = index["docnames"], index["terms"]
    stem = SearchEnglish({}).stem
    target = docs.index(f"notebooks/{BROWSER_PAGE}")
    others = " ".join(p.read_text(encoding="utf-8").lower() for p in _pages(site)
                      if p.name not in (f"{BROWSER_PAGE}.html", "search.html", "genindex.html"))
    markdown = " ".join("".join(c["source"]) for c in _cells(ROOT / "notebooks" / f"{BROWSER_PAGE}.ipynb", site)
                        if c["cell_type"] == "markdown")
    for word in sorted(set(re.findall(r"\b[a-z]{8,}\b", markdown)), key=lambda w: (-len(w), w)):
        hits = terms.get(stem(word))
        if word not in others and stem(word) not in others and hits in (target, [target]):
            return word, f"notebooks/{BROWSER_PAGE}.html"
    pytest.fail(f"no word occurs in {BROWSER_PAGE} alone")


@needs_browser
def test_in_chromium_the_static_search_finds_the_one_notebook_with_a_term(site, served, browser_page):
    page = browser_page
    word, want = _term_in_one_notebook(site)
    page.goto(f"{served}/index.html")
    page.locator("button.search-button-field:visible").first.click()  # the theme's search box
    box = page.locator("input[name='q']:visible").first
    box.fill(word)
    box.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    results = page.locator("#search-results ul.search li a")
    expect(results.first).to_be_visible(timeout=30_000)
    found = {urlsplit(h).path.lstrip("/") for h in results.evaluate_all("els => els.map(a => a.href)")}
    assert found == {want}, f"searching {word!r} found {found}, expected only {want}"
    assert not page.outside, f"requests outside the site: {page.outside}"


def test_the_readme_links_the_published_site_of_the_one_repository():
    owner, name = SLUG.split("/")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"https://{owner}.github.io/{name}/" in readme, "the README links the site GitHub Pages publishes"
    assert "make site" in readme
