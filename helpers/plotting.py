"""The course's figure style (Okabe-Ito colours, safe for common colour blindness), a few plots, and
``save(fig, "02_e_tangent")``, which writes ``figures/02_e_tangent.png`` only if it changed. The test suite sets
``T2A_FIGURES_DIR`` to a temporary folder, so that a test run never rewrites the committed figures."""

import io
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

__all__ = ["PALETTE", "use_course_style", "plot_tangent", "plot_curves", "heatmap", "image_grid", "save"]

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
FIGURES = Path(__file__).resolve().parent.parent / "figures"


def use_course_style() -> None:
    """Set matplotlib's defaults for the course: palette, sizes, grid, stable SVGs."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    mpl.rcParams.update({
        "axes.prop_cycle": mpl.cycler(color=PALETTE),
        "figure.figsize": (6.4, 4.0), "figure.dpi": 90, "savefig.dpi": 110,
        "font.size": 11, "axes.titlesize": 12, "axes.labelsize": 11, "legend.fontsize": 10,
        "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False,
        "image.cmap": "viridis", "svg.hashsalt": "tensors-to-attention", "figure.autolayout": True,
    })


def _axes(ax: plt.Axes | None) -> plt.Axes:
    return ax if ax is not None else plt.subplots()[1]


def plot_tangent(f: Callable[[np.ndarray], np.ndarray], slope: float, x0: float,
                 x_range: tuple[float, float] = (-2.0, 2.0), *, ax: plt.Axes | None = None,
                 label: str = "f(x)") -> plt.Axes:
    """Plot ``f`` and its tangent at ``x0``. The slope is yours to compute (by hand, numerically, by autograd)."""
    if not x_range[0] < x0 < x_range[1]:
        raise ValueError(f"x0={x0} must lie inside x_range={x_range}")
    ax = _axes(ax)
    x = np.linspace(*x_range, 400)
    y0 = float(f(np.array(x0)))
    ax.plot(x, f(x), label=label)
    ax.plot(x, y0 + slope * (x - x0), "--", label=f"tangent at x={x0:g}, slope {slope:.4g}")
    ax.plot([x0], [y0], "o", color=PALETTE[3])
    ax.set(xlabel="x", ylabel="y")
    ax.legend()
    return ax


def plot_curves(curves: Mapping[str, Sequence[float]], *, ax: plt.Axes | None = None,
                xlabel: str = "step", ylabel: str = "loss", logy: bool = False,
                title: str | None = None) -> plt.Axes:
    """Plot one line per named curve, e.g. training losses: ``{"torch": [...], "tf": [...]}``."""
    if not curves:
        raise ValueError("curves is empty: pass a mapping such as {'train': losses}")
    ax = _axes(ax)
    for name, values in curves.items():
        ax.plot(np.arange(len(values)), np.asarray(values, dtype=float), label=name)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title or "", yscale="log" if logy else "linear")
    ax.legend()
    return ax


def heatmap(matrix: np.ndarray, *, ax: plt.Axes | None = None, xlabels: Sequence[str] | None = None,
            ylabels: Sequence[str] | None = None, annotate: bool = True, fmt: str = ".2f",
            cmap: str = "viridis", title: str | None = None) -> plt.Axes:
    """Draw a 2-D array as coloured cells (optionally with values), e.g. attention weights."""
    m = np.asarray(matrix, dtype=float)
    if m.ndim != 2:
        raise ValueError(f"heatmap needs a 2-D array, got shape {m.shape}")
    ax = _axes(ax)
    im = ax.imshow(m, cmap=cmap)
    ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    ax.grid(False)
    for labels, setter in ((xlabels, ax.set_xticks), (ylabels, ax.set_yticks)):
        if labels is not None:
            setter(range(len(labels)), labels)
    if annotate:
        mid = (np.nanmax(m) + np.nanmin(m)) / 2
        for (i, j), v in np.ndenumerate(m):
            ax.text(j, i, format(v, fmt), ha="center", va="center", fontsize=9,
                    color="black" if v > mid else "white")
    ax.set_title(title or "")
    return ax


def image_grid(images: Sequence[np.ndarray], *, titles: Sequence[str] | None = None,
               ncols: int = 8, cmap: str = "gray", size: float = 1.3) -> plt.Figure:
    """Show small images (e.g. digits, filters, feature maps) in a grid; return the figure."""
    n = len(images)
    if n == 0:
        raise ValueError("image_grid needs at least one image")
    ncols, nrows = min(ncols, n), -(-n // min(ncols, n))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.3 * bool(titles)),
                             squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k < n:
            ax.imshow(np.asarray(images[k]), cmap=cmap)
            ax.set_title("" if titles is None else str(titles[k]), fontsize=9)
    return fig


def save(fig: plt.Figure, name: str, *, formats: Sequence[str] = ("png",)) -> list[Path]:
    """Save ``fig`` as ``figures/<name>.<fmt>`` with fixed metadata (no dates, stable SVG ids); a file whose
    bytes would not change is not rewritten. Returns the paths relative to the repository (``figures/...``),
    also when ``T2A_FIGURES_DIR`` sends the files elsewhere."""
    if not name or "/" in name or "." in name:
        raise ValueError(f"name must be a plain file stem such as '02_e_tangent', got {name!r}")
    folder = Path(os.environ.get("T2A_FIGURES_DIR") or FIGURES)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        if fmt not in ("png", "svg"):
            raise ValueError(f"format {fmt!r} is not supported; use 'png' or 'svg'")
        buf = io.BytesIO()
        meta = {"Date": None} if fmt == "svg" else {"Software": None}
        with mpl.rc_context({"svg.hashsalt": "tensors-to-attention"}):
            fig.savefig(buf, format=fmt, metadata=meta)
        path = folder / f"{name}.{fmt}"
        if not path.exists() or path.read_bytes() != buf.getvalue():
            path.write_bytes(buf.getvalue())
        paths.append(Path(FIGURES.name) / path.name)
    return paths
