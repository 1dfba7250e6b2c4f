"""Sphinx configuration of the course website (`make site`, tools/build_site.py stages the sources it reads).

MyST-NB renders the notebooks with their stored outputs and never executes them; sphinx-book-theme gives the
left-hand contents, previous/next links and the static search. Nothing is fetched from the internet: MathJax
comes from the sphinx-mathjax-offline wheel and is served from the site's own _static/mathjax/.
"""

import shutil
import sys
import tomllib
from importlib.metadata import distribution
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]

project = "Tensors to Attention"
author = "the Tensors to Attention authors"
copyright = "the Tensors to Attention authors"
html_title = "Tensors to Attention"

extensions = ["myst_nb", "sphinx.ext.mathjax"]
root_doc = "index"
exclude_patterns = [".doctrees", "**/.ipynb_checkpoints"]
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type"]

# MyST-NB: the stored outputs are the ones the tests verified, so nothing is executed.
nb_execution_mode = "off"
nb_merge_streams = True
nb_ipywidgets_js = {}  # widgets need a kernel; tools/build_site.py puts a note where a slider would be
nb_code_prompt_show = "Show the worked solution"
nb_code_prompt_hide = "Hide the worked solution"
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "html_image"]
myst_heading_anchors = 3
myst_dmath_double_inline = True  # $$...$$ inside a paragraph, as JupyterLab renders it

# MathJax 3 from the wheel (no CDN): the TeX-to-HTML bundle, its fonts and its autoloaded TeX extensions.
mathjax_path = "mathjax/tex-chtml.js"
MATHJAX = Path(str(distribution("sphinx-mathjax-offline").locate_file("sphinx-mathjax-offline/static/mathjax")))
MATHJAX_PARTS = ["tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions"]

html_theme = "sphinx_book_theme"
html_static_path = ["_static"]
html_css_files = ["t2a.css"]
html_copy_source = False  # the notebooks are linked on GitHub, Binder and Colab instead
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "repository_url": REPOSITORY,
    "repository_branch": "main",
    "use_repository_button": True,
    "use_download_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 1,
    "navigation_with_keys": True,
    "pygments_light_style": "tango",
}


def copy_mathjax(app, exc):
    """After the build: MathJax into _static/mathjax/; the theme's source maps (2 MB, for debugging it) out."""
    if exc is not None or app.builder.format != "html":
        return
    for source_map in (Path(app.outdir) / "_static").rglob("*.js.map"):
        source_map.unlink()
    target = Path(app.outdir) / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        src, dst = MATHJAX / part, target / part
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)


def setup(app):
    app.connect("build-finished", copy_mathjax)
    sys.dont_write_bytecode = True
