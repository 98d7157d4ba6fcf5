"""Plotting helpers for the book (needs matplotlib, which the core package does not).

Every helper draws on an ``ax`` you pass (or a new figure) and returns the
figure, so a page can show it or glue it. The look is shared through
:data:`STYLE`, which reads well on light and dark backgrounds.

Example
-------
>>> from scratchnet import ReLU
>>> from scratchnet.plotting import plot_activation, use_book_style
>>> use_book_style()
>>> fig = plot_activation(ReLU())
>>> fig.savefig("relu.png")  # doctest: +SKIP
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

#: matplotlib rcParams for every figure of the book (applied by :func:`use_book_style`).
#: The book's matplotlib settings (``rcParams``), applied by :func:`use_book_style`.
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
    """Apply :data:`STYLE` to every figure drawn after this call.

    Example
    -------
    >>> import matplotlib.pyplot as plt
    >>> from scratchnet.plotting import use_book_style
    >>> use_book_style()
    >>> plt.rcParams["figure.figsize"]
    [7.0, 4.0]
    """
    plt.rcParams.update(STYLE)


def _axes(ax: Axes | None, **subplot_kw: Any) -> tuple[Figure, Axes]:
    if ax is None:
        fig, ax = plt.subplots(**subplot_kw)
        return fig, ax
    return ax.figure, ax


def _input_grid(X: np.ndarray, margin: float, resolution: int):
    """A ``resolution`` x ``resolution`` grid over the inputs' range, as ``(u, v, points)``."""
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    u, v = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    dtype = X.dtype if X.dtype.kind == "f" else np.float64  # an int grid would be all 0s and 1s
    return u, v, np.column_stack([u.ravel(), v.ravel()]).astype(dtype)


def _interval_errors(rates: Sequence[Any]) -> np.ndarray:
    """Error-bar lengths ``(2, n)`` below and above each rate, from its 95% interval."""
    return np.array([[r.value - r.low, r.high - r.value] for r in rates]).T


def plot_activation(
    activation: Activation, ax: Axes | None = None, x: np.ndarray | None = None
) -> Figure:
    """Draw an activation function and its derivative over ``x`` (default -5..5).

    Example
    -------
    >>> from scratchnet import ReLU
    >>> from scratchnet.plotting import plot_activation
    >>> fig = plot_activation(ReLU())
    >>> fig.axes[0].get_title()
    'ReLU'
    """
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
    """Draw a loss curve against the epoch.

    ``losses`` holds one loss per epoch, as :func:`~scratchnet.training.train`
    returns them; ``line_kw`` goes to matplotlib's ``plot``.

    Example
    -------
    >>> from scratchnet.plotting import plot_losses
    >>> fig = plot_losses([0.69, 0.52, 0.31, 0.12], label="run 1")
    >>> fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()
    ('Epoch', 'Loss')
    """
    fig, ax = _axes(ax)
    ax.plot(np.arange(len(losses)), losses, label=label, lw=2, **line_kw)
    ax.set_title(title)
    ax.set_xlabel("Epoch")
    ax.set_ylabel("Loss")
    if label is not None:
        ax.legend()
    return fig


def plot_decision_boundary(
    network: Any,
    X: np.ndarray,
    y: np.ndarray,
    ax: Axes | None = None,
    title: str | None = None,
    resolution: int = 201,
    margin: float = 0.5,
) -> Figure:
    """Shade the network's output over the input plane, with the 0.5 contour.

    ``network`` is anything with ``forward`` mapping ``(n, 2)`` inputs to ``(n, 1)``
    outputs in [0, 1]. The points of ``X`` are drawn on top, filled by their target.
    The plane is sampled on a ``resolution`` x ``resolution`` grid reaching
    ``margin`` beyond the points.

    Example
    -------
    >>> from scratchnet import NeuralNetwork, Sigmoid, Tanh, xor
    >>> from scratchnet.plotting import plot_decision_boundary
    >>> X, y = xor()
    >>> net = NeuralNetwork([2, 4, 1], [Tanh(), Sigmoid()], rng=0)
    >>> fig = plot_decision_boundary(net, X, y, title="Before training")
    >>> fig.axes[1].get_ylabel()  # the colour bar
    'network output'
    """
    fig, ax = _axes(ax)
    u, v, grid = _input_grid(X, margin, resolution)
    out = network.forward(grid)[:, 0].reshape(u.shape)
    shading = ax.contourf(u, v, out, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.8)
    ax.contour(u, v, out, levels=[0.5], colors="black", linewidths=1.5)
    labels = np.asarray(y).ravel()
    for label, marker, fill in ((0, "o", "white"), (1, "s", "black")):
        pts = X[labels == label]
        ax.scatter(pts[:, 0], pts[:, 1], s=90, marker=marker, c=fill,
                   edgecolors="black", linewidths=1.5, label=f"target {label}", zorder=3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
    ax.grid(False)
    if title:
        ax.set_title(title)
    fig.colorbar(shading, ax=ax, label="network output", shrink=0.85)
    return fig


def plot_hidden_activations(
    activations: np.ndarray,
    inputs: Sequence[str],
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """A heat map of a hidden layer: one row per input, one column per unit, values written in.

    ``activations`` has shape ``(len(inputs), units)``, such as the output of
    :func:`~scratchnet.diagnostics.layer_outputs`; ``inputs`` names the rows.

    Example
    -------
    >>> from scratchnet import NeuralNetwork, ReLU, Sigmoid, xor
    >>> from scratchnet import layer_outputs
    >>> from scratchnet.plotting import plot_hidden_activations
    >>> X, y = xor()
    >>> net = NeuralNetwork([2, 2, 1], [ReLU(), Sigmoid()], rng=0)
    >>> hidden = layer_outputs(net, X)  # (4 inputs, 2 units)
    >>> inputs = ["(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"]
    >>> fig = plot_hidden_activations(hidden, inputs)
    >>> [label.get_text() for label in fig.axes[0].get_xticklabels()]
    ['unit 0', 'unit 1']
    """
    activations = np.asarray(activations)
    if activations.ndim != 2 or activations.shape[0] != len(inputs):
        raise ValueError(
            f"activations must have shape ({len(inputs)}, units), one row per input name, "
            f"got shape {activations.shape}"
        )
    fig, ax = _axes(ax)
    image = ax.imshow(activations, cmap="viridis", aspect="auto")
    for (i, j), value in np.ndenumerate(activations):
        color = "white" if value < activations.max() * 0.6 else "black"
        ax.text(j, i, f"{value:.2f}", ha="center", va="center", color=color, fontsize=9)
    ax.set_yticks(range(len(inputs)), inputs)
    ax.set_xticks(range(activations.shape[1]), [f"unit {j}" for j in range(activations.shape[1])])
    ax.set_ylabel("input")
    ax.grid(False)
    if title:
        ax.set_title(title)
    fig.colorbar(image, ax=ax, label="activation", shrink=0.85)
    return fig


def plot_per_input(
    epochs: np.ndarray,
    values: np.ndarray,
    inputs: Sequence[str],
    ax: Axes | None = None,
    title: str | None = None,
    ylabel: str = "value",
) -> Figure:
    """Lines over training, one per input: ``values`` has shape ``(T, n_inputs)``.

    ``epochs`` has shape ``(T,)``, as :attr:`~scratchnet.diagnostics.Recorder.epochs`.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet.plotting import plot_per_input
    >>> epochs = np.array([0, 10, 20])
    >>> outputs = np.array([[0.5, 0.5, 0.5, 0.5],   # one row per epoch,
    ...                     [0.4, 0.6, 0.6, 0.5],   # one column per input
    ...                     [0.2, 0.8, 0.8, 0.5]])
    >>> inputs = ["(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"]
    >>> fig = plot_per_input(epochs, outputs, inputs)
    >>> len(fig.axes[0].get_lines())
    4
    """
    fig, ax = _axes(ax)
    for i, name in enumerate(inputs):
        ax.plot(epochs, values[:, i], lw=2, label=name, color=COLORS[i % len(COLORS)])
    ax.set_xlabel("Epoch")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(title="input")
    return fig


def plot_rates(
    names: Sequence[str], rates: Sequence[Any], ax: Axes | None = None, title: str | None = None
) -> Figure:
    """Horizontal bars of success rates with their 95% intervals (:class:`scratchnet.stats.Rate`).

    ``names[i]`` labels the bar of ``rates[i]``; the first is drawn at the top.

    Example
    -------
    >>> from scratchnet import success_rate
    >>> from scratchnet.plotting import plot_rates
    >>> rates = [success_rate([True, True, True, False]),
    ...          success_rate([True, False])]
    >>> fig = plot_rates(["he", "seed"], rates)
    >>> len(fig.axes[0].patches)  # one bar per rate
    2
    """
    fig, ax = _axes(ax)
    values = np.array([r.value for r in rates])
    errors = _interval_errors(rates)
    positions = np.arange(len(names))[::-1]
    ax.barh(positions, values, color=COLORS[0], height=0.6)
    # error bars drawn on their own: barh(xerr=...) warns for a single bar on some
    # matplotlib/NumPy pairs (3.10 with NumPy 2.2)
    ax.errorbar(values, positions, xerr=errors, fmt="none", ecolor="black", capsize=4)
    for pos, rate in zip(positions, rates):
        ax.text(min(rate.high + 0.02, 0.9), pos, f"{rate.value:.0%}", va="center")
    ax.set_yticks(positions, names)
    ax.set_xlim(0, 1.05)
    ax.set_xlabel("fraction of runs that learn XOR (95% interval)")
    ax.grid(axis="y", visible=False)
    if title:
        ax.set_title(title)
    return fig


def plot_loss_bands(
    epochs: np.ndarray,
    losses: dict,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Median loss over runs (line) and its middle half (band) for each named experiment.

    ``losses[name]`` has shape ``(len(epochs), runs)``, as the ``losses`` of a
    :class:`~scratchnet.experiments.Result` (below: 5 epochs, 20 runs).

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet.plotting import plot_loss_bands
    >>> epochs = np.arange(0, 500, 100)
    >>> losses = {"he": np.random.default_rng(0).random((5, 20))}
    >>> fig = plot_loss_bands(epochs, losses)
    >>> len(fig.axes[0].get_lines())  # one median line per experiment
    1
    """
    fig, ax = _axes(ax)
    for i, (name, values) in enumerate(losses.items()):
        low, median, high = np.percentile(values, [25, 50, 75], axis=1)
        color = COLORS[i % len(COLORS)]
        ax.plot(epochs, median, lw=2, color=color, label=name)
        ax.fill_between(epochs, low, high, color=color, alpha=0.2, lw=0)
    ax.set_xlabel("Epoch")
    ax.set_ylabel("Loss (median, 25th to 75th percentile)")
    ax.legend()
    if title:
        ax.set_title(title)
    return fig


def plot_rate_curves(
    x: Sequence[float],
    rates: dict,
    ax: Axes | None = None,
    xlabel: str = "",
    title: str | None = None,
    log_x: bool = False,
) -> Figure:
    """Success rate against a setting, one line per named series, with 95% intervals.

    ``rates[name]`` is a sequence of :class:`scratchnet.stats.Rate`, one per ``x``.

    Example
    -------
    >>> from scratchnet import success_rate
    >>> from scratchnet.plotting import plot_rate_curves
    >>> rates = {"ReLU": [success_rate([True, False]),
    ...                   success_rate([True, True])]}
    >>> fig = plot_rate_curves([0.1, 0.5], rates, xlabel="learning rate")
    >>> fig.axes[0].get_xlabel()
    'learning rate'
    """
    fig, ax = _axes(ax)
    markers = "osD^v<>"
    for i, (name, series) in enumerate(rates.items()):
        values = np.array([r.value for r in series])
        errors = _interval_errors(series)
        ax.errorbar(x, values, yerr=errors, marker=markers[i % len(markers)], capsize=3,
                    lw=2, color=COLORS[i % len(COLORS)], label=name)
    if log_x:
        ax.set_xscale("log")
    ax.set_ylim(-0.03, 1.05)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("fraction of runs that learn XOR")
    ax.legend()
    if title:
        ax.set_title(title)
    return fig


def plot_decision_regions(
    network: Any,
    X: np.ndarray,
    labels: np.ndarray,
    ax: Axes | None = None,
    title: str | None = None,
    resolution: int = 200,
    margin: float = 0.3,
) -> Figure:
    """Colour the input plane by the class a multi-class network predicts there.

    ``network.forward`` maps ``(n, 2)`` inputs to ``(n, classes)`` scores; the points of
    ``X`` are drawn on top in the colour of their true ``labels``, shape ``(n,)``.

    Example
    -------
    >>> from scratchnet import Identity, NeuralNetwork, ReLU, spirals
    >>> from scratchnet.plotting import plot_decision_regions
    >>> X, labels = spirals(n_samples=90, n_classes=3, rng=0)
    >>> net = NeuralNetwork([2, 8, 3], [ReLU(), Identity()], rng=0)
    >>> fig = plot_decision_regions(net, X, labels, title="Before training")
    >>> fig.axes[0].get_title()
    'Before training'
    """
    from matplotlib.colors import ListedColormap

    fig, ax = _axes(ax)
    labels = np.asarray(labels)
    u, v, grid = _input_grid(X, margin, resolution)
    predicted = network.forward(grid).argmax(axis=1).reshape(u.shape)
    n_classes = int(max(labels.max(), predicted.max())) + 1
    cmap = ListedColormap(COLORS[:n_classes])
    ax.contourf(u, v, predicted, levels=np.arange(n_classes + 1) - 0.5, cmap=cmap, alpha=0.3)
    ax.scatter(X[:, 0], X[:, 1], c=labels, cmap=cmap, vmin=-0.5, vmax=n_classes - 0.5,
               s=18, edgecolors="black", linewidths=0.5, zorder=3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return fig
