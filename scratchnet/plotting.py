"""Plotting helpers for the book (needs matplotlib, which the core package does not).

Every helper draws on an ``ax`` you pass (or a new figure) and returns the
figure, so a page can show it or glue it. The look is shared through
:data:`STYLE`, which reads well on light and dark backgrounds.
"""

from __future__ import annotations

from typing import Any, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .activations import Activation

#: One palette for the whole book (colour-blind safe, from Okabe & Ito).
COLORS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")

STYLE = {
    "figure.figsize": (7.0, 4.0),
    "figure.dpi": 110,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": plt.cycler(color=COLORS),
    "font.size": 10,
    "legend.frameon": False,
    "savefig.bbox": "tight",
}


def use_book_style() -> None:
    """Apply :data:`STYLE` to every figure drawn after this call."""
    plt.rcParams.update(STYLE)


def _axes(ax: Axes | None, **subplot_kw: Any) -> tuple[Figure, Axes]:
    if ax is None:
        fig, ax = plt.subplots(**subplot_kw)
        return fig, ax
    return ax.figure, ax


def plot_activation(
    activation: Activation, ax: Axes | None = None, x: np.ndarray | None = None
) -> Figure:
    """Draw an activation function and its derivative over ``x`` (default -5..5)."""
    fig, ax = _axes(ax)
    x = np.linspace(-5, 5, 401) if x is None else x
    name = type(activation).__name__
    ax.plot(x, activation.forward(x), label=f"{name}(x)", color=COLORS[0], lw=2)
    ax.plot(x, activation.backward(x), label=f"{name}'(x)", color=COLORS[1], lw=2, ls="--")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.axvline(0, color="0.5", lw=0.8)
    ax.set_title(name)
    ax.set_xlabel("pre-activation x")
    ax.legend(loc="upper left")
    return fig


def plot_losses(
    losses: np.ndarray | Sequence[float],
    ax: Axes | None = None,
    label: str | None = None,
    title: str = "Training loss over time",
    **line_kw: Any,
) -> Figure:
    """Draw a loss curve against the epoch."""
    fig, ax = _axes(ax)
    ax.plot(np.arange(len(losses)), losses, label=label, lw=2, **line_kw)
    ax.set_title(title)
    ax.set_xlabel("Epoch")
    ax.set_ylabel("Loss")
    if label is not None:
        ax.legend()
    return fig
