"""Animated figures of training, for pages that have no kernel behind them.

A reader of the published book cannot re-run anything, so the motion of training has
to be in the page itself. :class:`Snapshots` keeps the network as it was every few
epochs of :func:`~scratchnet.training.train` (a :class:`~scratchnet.diagnostics.Recorder`
that also copies the weights), and :func:`fit_snapshots` does the same for
:func:`~scratchnet.fitting.fit`. :func:`frame_indices` chooses which snapshots to show,
and :func:`animate_xor_run` and :func:`animate_training` draw them, one frame each, as a
matplotlib ``FuncAnimation``. :func:`player` renders that with matplotlib's own
``to_jshtml`` player (play and pause, step buttons, a slider over the frames) and makes
the result fit a static, offline site: nothing is requested from another origin (the
buttons get text labels instead of icons from a web font), the ids are stable, the
image has an alt text and the slider an accessible name, and the first frame is in the
page before any script runs.

Drawing a whole figure takes a good part of a second, so the frames are not drawn that
way: what stays the same is drawn once, and each frame draws again only what changes
(blitting); the animation then plays the finished images.

Needs matplotlib, like :mod:`scratchnet.plotting`.

Example
-------
>>> import numpy as np
>>> from scratchnet import NeuralNetwork, ReLU, Sigmoid, train, xor
>>> from scratchnet.animation import (
...     Snapshots, animate_xor_run, frame_indices, player)
>>> X, y = xor()
>>> net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()],
...                     rng=np.random.RandomState(42))
>>> snapshots = Snapshots(every=10)
>>> losses = train(net, X, y, epochs=300, callback=snapshots)
>>> frames = frame_indices(len(snapshots.epochs), 3)
>>> snapshots.epochs[frames]
array([  0,  70, 290])
>>> anim = animate_xor_run(snapshots, X, y, frames, losses=losses, dpi=40)
>>> shown = player(anim, name="xor_run", alt="The chapter's run.")
>>> shown.frames, "https:" in shown.html
(3, False)
"""

from __future__ import annotations

import base64
import html as html_escape
import io
import re
from dataclasses import dataclass
from typing import Any, Callable, List, Mapping, Sequence, Tuple

import matplotlib
import numpy as np
from matplotlib import colormaps
from matplotlib.animation import Animation, FuncAnimation
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm, ListedColormap, LogNorm, to_rgb
from matplotlib.figure import Figure

from ._validation import (
    as_float_array, check_finite, check_instance, check_integer, check_positive_float,
    check_positive_int,
)
from .diagnostics import Recorder, dead_units
from .fitting import History, fit
from .init import as_rng
from .network import NeuralNetwork
from .optimizers import SGD
from .plotting import COLORS, _input_grid

# ----------------------------------------------------------------------------- recording


class Snapshots(Recorder):
    """A :class:`~scratchnet.diagnostics.Recorder` that also copies every layer's weights and bias.

    It keeps what a Recorder keeps (``epochs``, and each layer's ``pre_activations`` and
    ``activations`` on the training inputs), and with them the parameters the recorded
    forward pass used, so :meth:`network_at` can rebuild the network as it was at any
    snapshot and evaluate it anywhere, such as over the whole input plane.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import NeuralNetwork, ReLU, Sigmoid, train, xor
    >>> from scratchnet.animation import Snapshots
    >>> X, y = xor()
    >>> net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=0)
    >>> snapshots = Snapshots(every=10)
    >>> losses = train(net, X, y, epochs=100, callback=snapshots)
    >>> then = snapshots.network_at(5)  # as it was at epoch 50
    >>> bool(np.array_equal(then.forward(X), snapshots.activations[-1][5]))
    True
    """

    def __init__(self, every: int = 10) -> None:
        super().__init__(every)
        self._parameters: List[List[np.ndarray]] = []
        self._layout: Tuple[List[int], list, Any] | None = None  # sizes, activations, dtype

    def __call__(self, epoch: int, network: NeuralNetwork) -> None:
        super().__call__(epoch, network)  # checks the arguments, records z and outputs
        if epoch % self.every == 0:
            if self._layout is None:
                self._layout = (network.layer_sizes,
                                [layer.activation for layer in network.layers], network.dtype)
            self._parameters.append([p.copy() for p in network.parameters()])

    def network_at(self, index: int) -> NeuralNetwork:
        """The network as it was at snapshot ``index`` (negative counts from the end): a
        new :class:`~scratchnet.network.NeuralNetwork` holding copies of its parameters."""
        count = len(self._parameters)
        index = check_integer(index, "index", "an integer index")
        if not -count <= index < count:
            raise ValueError(f"index must be in [0, {count}) for {count} snapshots "
                             f"(or negative, from the end), got {index}")
        sizes, activations, dtype = self._layout
        network = NeuralNetwork(sizes, activations, rng=0, dtype=dtype)
        for parameter, saved in zip(network.parameters(), self._parameters[index]):
            parameter[...] = saved
        return network


def fit_snapshots(
    network: NeuralNetwork,
    X: np.ndarray,
    y: np.ndarray,
    epochs: Sequence[int],
    loss: Any = None,
    optimizer: Any = None,
    batch_size: int | None = None,
    rng: Any = None,
    l2: float = 0.0,
) -> Tuple[History, Snapshots]:
    """Train ``network`` with :func:`~scratchnet.fitting.fit`, with a snapshot after each
    number of epochs in ``epochs``.

    ``epochs`` is increasing, ``0`` meaning before training; training stops at the
    last. ``fit`` runs once between two snapshots, with one random generator (made once
    from ``rng``) and one optimizer throughout, so the batches, the updates and the
    final network are those of a single ``fit`` call for the last number of epochs.
    The snapshots record a forward pass over ``X``. The other arguments are ``fit``'s.
    Returns the :class:`~scratchnet.fitting.History` of the whole run (its ``seconds``
    count from the start of the first call) and the :class:`Snapshots`.

    Example
    -------
    >>> from scratchnet import Adam, NeuralNetwork, Sigmoid, Tanh, xor
    >>> from scratchnet.animation import fit_snapshots
    >>> X, y = xor()
    >>> net = NeuralNetwork([2, 4, 1], [Tanh(), Sigmoid()], init="xavier",
    ...                     rng=0)
    >>> history, snapshots = fit_snapshots(net, X, y, [0, 10, 100],
    ...                                    optimizer=Adam(0.05))
    >>> len(history.loss), snapshots.epochs
    (100, array([  0,  10, 100]))
    """
    check_instance(network, NeuralNetwork, "network")
    stops = _increasing_ints(epochs, "epochs")
    if stops[0] < 0 or stops[-1] < 1:
        raise ValueError(f"epochs must start at 0 or later and end at 1 or later, "
                         f"got {stops.tolist()}")
    rng = as_rng(rng)  # one generator for every call: the batches of a single fit call
    optimizer = SGD(0.01) if optimizer is None else optimizer  # fit's default, kept
    history, snapshots = History(), Snapshots(every=1)
    done, seconds = 0, 0.0
    for stop in stops:
        if stop > done:
            part = fit(network, X, y, loss=loss, optimizer=optimizer, epochs=stop - done,
                       batch_size=batch_size, rng=rng, l2=l2)
            history.loss += part.loss
            history.accuracy += part.accuracy
            history.seconds += [seconds + s for s in part.seconds]
            seconds, done = history.seconds[-1], stop
        network.forward(network.check_input(X, "X"))
        snapshots(stop, network)
    return history, snapshots


def frame_indices(snapshots: int, frames: int, power: float = 2.0) -> np.ndarray:
    """Which of ``snapshots`` snapshots to show as ``frames`` frames, in order.

    The first and the last are always shown. Frame ``k`` shows the snapshot
    ``(k / (frames - 1)) ** power`` of the way through (rounded, and moved on where
    rounding would show a snapshot twice): ``power=1`` spaces the frames evenly, and a
    larger ``power`` puts more of them near the start, where training changes fastest.

    Example
    -------
    >>> from scratchnet.animation import frame_indices
    >>> frame_indices(1000, 6)
    array([  0,  40, 160, 360, 639, 999])
    >>> frame_indices(11, 6, power=1)
    array([ 0,  2,  4,  6,  8, 10])
    """
    snapshots = check_positive_int(snapshots, "snapshots")
    frames = check_positive_int(frames, "frames")
    if frames > snapshots:
        raise ValueError(f"frames must be at most the number of snapshots ({snapshots}), "
                         f"got {frames}")
    power = check_positive_float(power, "power")
    where = np.linspace(0.0, 1.0, frames) ** power * (snapshots - 1)
    index = np.round(where).astype(int)
    for k in range(1, frames):  # no snapshot twice ...
        index[k] = max(index[k], index[k - 1] + 1)
    return np.minimum(index, snapshots - frames + np.arange(frames))  # ... none past the end


# ----------------------------------------------------------------------------- drawing


def _light(color: str, amount: float = 0.3) -> Tuple[float, float, float]:
    """``color`` at ``amount`` opacity over white (a region's background)."""
    return tuple(float(c) for c in amount * np.array(to_rgb(color)) + (1 - amount))


class _Plane:
    """The input plane, coloured by what a network computes there, with the points on top.

    One output: the output, shaded as in :func:`~scratchnet.plotting.plot_decision_boundary`
    with its 0.5 contour. Several: the predicted class, as in
    :func:`~scratchnet.plotting.plot_decision_regions`.
    """

    def __init__(self, ax: Axes, X: np.ndarray, y: np.ndarray, outputs: int,
                 resolution: int, margin: float) -> None:
        self.ax, self.outputs, self.boundary = ax, outputs, None
        self.u, self.v, self.grid = _input_grid(X, margin, resolution)
        extent = (self.u[0, 0], self.u[0, -1], self.v[0, 0], self.v[-1, 0])
        labels = np.asarray(y).ravel()
        if outputs == 1:
            self.image = ax.imshow(np.full(self.u.shape, 0.5), origin="lower", extent=extent,
                                   cmap="RdBu_r", alpha=0.8,
                                   norm=BoundaryNorm(np.linspace(0, 1, 11), 256))
            self.points = [
                ax.scatter(X[labels == label, 0], X[labels == label, 1], s=70, marker=marker,
                           c=fill, edgecolors="black", linewidths=1.5, zorder=3)
                for label, marker, fill in ((0, "o", "white"), (1, "s", "black"))]
        else:
            classes = max(outputs, int(labels.max()) + 1)
            self.image = ax.imshow(np.zeros(self.u.shape), origin="lower", extent=extent,
                                   cmap=ListedColormap([_light(c) for c in COLORS[:classes]]),
                                   vmin=-0.5, vmax=classes - 0.5, interpolation="nearest")
            self.points = [ax.scatter(X[:, 0], X[:, 1], c=labels, s=12, linewidths=0.5,
                                      edgecolors="black", cmap=ListedColormap(COLORS[:classes]),
                                      vmin=-0.5, vmax=classes - 0.5, zorder=3)]
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.set_aspect("equal")
        ax.grid(False)

    def show(self, network: NeuralNetwork) -> List[Artist]:
        """Draw ``network`` over the plane; returns the artists that changed."""
        out = network.forward(self.grid)
        if self.outputs > 1:
            self.image.set_data(out.argmax(axis=1).reshape(self.u.shape))
            return [self.image, *self.points]
        out = out[:, 0].reshape(self.u.shape)
        self.image.set_data(out)
        if self.boundary is not None:
            self.boundary.remove()
            self.boundary = None
        if out.min() < 0.5 < out.max():  # else there is no 0.5 contour to draw
            self.boundary = self.ax.contour(self.u, self.v, out, levels=[0.5],
                                            colors="black", linewidths=1.5)
        return [self.image, *self.points] + ([self.boundary] if self.boundary else [])


class _Curves:
    """Curves against the epoch: each whole run faint, and bold up to the epoch shown."""

    def __init__(self, ax: Axes, x: np.ndarray, curves: Mapping[str, np.ndarray]) -> None:
        self.x = np.asarray(x)
        self.curves = [np.asarray(c, dtype=float) for c in curves.values()]
        self.bold = []
        for k, (name, curve) in enumerate(zip(curves, self.curves)):
            color = COLORS[k % len(COLORS)]
            ax.plot(self.x[:len(curve)], curve, color=color, lw=1.5, alpha=0.3)
            self.bold.append(ax.plot(self.x[:1], curve[:1], color=color, lw=2.2,
                                     label=name)[0])
        self.cursor = ax.axvline(self.x[0], color="0.3", lw=1)
        ax.set_xlabel("Epoch")

    def show(self, epoch: int) -> List[Artist]:
        """Draw the curves up to ``epoch``; returns the artists that changed."""
        upto = int(np.searchsorted(self.x, epoch, side="right"))
        for line, curve in zip(self.bold, self.curves):
            line.set_data(self.x[:upto], curve[:upto])
        self.cursor.set_xdata([epoch, epoch])
        return [*self.bold, self.cursor]


Drawing = Tuple[Figure, Callable[[int], List[Artist]]]  # a figure and its show(i)


def _xor_run_figure(snapshots: Snapshots, X: np.ndarray, y: np.ndarray,
                    losses: np.ndarray | None, inputs: Sequence[str], resolution: int,
                    size: Tuple[float, float]) -> Drawing:
    """The figure of :func:`animate_xor_run`, and ``show(i)`` that draws snapshot ``i`` on
    it and returns the artists that changed."""
    epochs = snapshots.epochs
    outputs = snapshots.activations[-1][:, :, 0]   # (T, inputs)
    z = snapshots.pre_activations[0]                # (T, inputs, units)
    hidden = snapshots.activations[0]
    fig = Figure(figsize=size)
    plane_ax, out_ax, hidden_ax = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1.3, 1.1]})
    plane = _Plane(plane_ax, X, y, 1, resolution, 0.5)
    curves = _Curves(out_ax, epochs, dict(zip(inputs, outputs.T)))
    out_ax.axhline(0.5, color="0.4", lw=1, ls=":")
    out_ax.set_ylim(-0.03, 1.03)
    out_ax.set_ylabel("network output")
    out_ax.set_title("output for each input")
    out_ax.legend(title="input", loc="center right", bbox_to_anchor=(1, 0.3), fontsize=8,
                  title_fontsize=8)
    units = hidden.shape[2]
    # a ReLU outputs exactly 0 where z <= 0: grey; any output above 0 gets a colour,
    # on a log scale, so that the small outputs of the first epochs show too
    active = hidden[hidden > 0]
    top = float(active.max()) if active.size else 1.0
    colours = colormaps["viridis"].with_extremes(bad="0.82")
    heat = hidden_ax.imshow(np.ma.masked_equal(hidden[0], 0), cmap=colours, aspect="auto",
                            norm=LogNorm(max(float(active.min()) if active.size else 1.0,
                                             top * 1e-6), top))
    hidden_ax.set_xticks(range(units), [f"unit {j}" for j in range(units)])
    hidden_ax.set_yticks(range(len(inputs)), inputs)
    hidden_ax.set_xlabel(" ")
    hidden_ax.set_title("hidden ReLU outputs (grey: 0)")
    hidden_ax.grid(False)
    fig.colorbar(heat, ax=hidden_ax, shrink=0.85, label="output (log scale)")

    def show(i: int) -> List[Artist]:
        changed = plane.show(snapshots.network_at(i))
        loss = "" if losses is None else f", loss {losses[epochs[i]]:.4f}"
        plane_ax.set_title(f"epoch {epochs[i]}{loss}")
        heat.set_data(np.ma.masked_equal(hidden[i], 0))
        dead = np.flatnonzero(dead_units(z[i]))
        hidden_ax.set_xlabel("dead: " + ", ".join(f"unit {j}" for j in dead) if dead.size
                             else "no unit dead")
        return [*changed, plane_ax.title, *curves.show(epochs[i]), heat, hidden_ax.xaxis.label]

    fig.tight_layout()
    return fig, show


def _training_figure(runs: Mapping[str, Snapshots], X: np.ndarray, y: np.ndarray,
                     losses: Mapping[str, Sequence[float]], losses_from: int,
                     resolution: int, size: Tuple[float, float]) -> Drawing:
    """The figure of :func:`animate_training`, and ``show(i)`` that draws snapshot ``i`` on
    it and returns the artists that changed."""
    names = list(runs)
    epochs = runs[names[0]].epochs
    outputs = runs[names[0]].network_at(0).layer_sizes[-1]
    fig = Figure(figsize=size)
    axes = fig.subplots(1, len(runs) + 1)
    planes = [_Plane(ax, X, y, outputs, resolution, 0.5 if outputs == 1 else 0.3)
              for ax in axes[:-1]]
    longest = max(len(losses[name]) for name in names)
    curves = _Curves(axes[-1], losses_from + np.arange(longest),
                     {name: losses[name] for name in names})
    axes[-1].set_ylabel("Loss")
    axes[-1].set_title("training loss")
    if len(names) > 1:
        axes[-1].legend(fontsize=8)

    def show(i: int) -> List[Artist]:
        changed = []
        for ax, name, plane in zip(axes, names, planes):
            changed += plane.show(runs[name].network_at(i))
            ax.set_title(f"{name}\nepoch {epochs[i]}", fontsize=9)
            changed.append(ax.title)
        return changed + curves.show(epochs[i])

    fig.tight_layout()
    return fig, show


def _render(fig: Figure, show: Callable[[int], List[Artist]], frames: np.ndarray,
            dpi: float) -> List[np.ndarray]:
    """Every frame as an RGBA image: what does not change is drawn once, and for each
    frame only the artists ``show`` returns are drawn again on top of it (blitting)."""
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    for artist in show(int(frames[0])):
        artist.set_animated(True)  # left out of the full draw below
    canvas.draw()
    background = canvas.copy_from_bbox(fig.bbox)
    images = []
    for i in frames:
        changed = show(int(i))
        canvas.restore_region(background)
        for artist in sorted(changed, key=lambda a: a.get_zorder()):
            artist.set_animated(True)
            fig.draw_artist(artist)
        images.append(np.array(canvas.buffer_rgba()))
    return images


class _SavingCanvas(FigureCanvasAgg):
    """An Agg canvas that draws when saved only: FuncAnimation asks for a draw after
    every frame, and saving the frame draws it again."""

    def draw_idle(self, *args: Any, **kwargs: Any) -> None:
        pass


def _flipbook(images: List[np.ndarray], dpi: float) -> FuncAnimation:
    """A FuncAnimation whose frames are ``images``, pixel for pixel at ``dpi``."""
    height, width = images[0].shape[:2]
    fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    _SavingCanvas(fig)
    shown = fig.figimage(images[0], origin="upper")
    return FuncAnimation(fig, lambda k: [shown.set_data(images[k])], frames=len(images),
                         interval=250, repeat=False, cache_frame_data=False)


def _check_frames(frames: Any, snapshots: int) -> np.ndarray:
    index = _increasing_ints(frames, "frames")
    if index[0] < 0 or index[-1] >= snapshots:
        raise ValueError(f"frames must be snapshot indices in [0, {snapshots}), "
                         f"got {index[0]} to {index[-1]}")
    return index


def _increasing_ints(values: Any, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1 or array.size == 0 or array.dtype.kind not in "iu":
        raise TypeError(f"{name} must be a non-empty sequence of integers, got {values!r}")
    if np.any(np.diff(array) <= 0):
        raise ValueError(f"{name} must be strictly increasing, got {array.tolist()}")
    return array.astype(int)


def _check_snapshots(snapshots: Any, name: str) -> Snapshots:
    check_instance(snapshots, Snapshots, name, "Snapshots(every=10) given to train")
    if len(snapshots.epochs) == 0:
        raise ValueError(f"{name} holds no snapshot: give it to train as its callback first")
    return snapshots


def _check_losses(losses: Any, name: str, at_least: int) -> np.ndarray:
    losses = as_float_array(losses, name)
    if losses.ndim != 1 or len(losses) < at_least:
        raise ValueError(f"{name} must hold one loss per epoch, at least {at_least}, "
                         f"got shape {losses.shape}")
    check_finite(losses, name)
    return losses


def _check_size(size: Any) -> Tuple[float, float]:
    if not (isinstance(size, (tuple, list)) and len(size) == 2):
        raise TypeError(f"size must be (width, height) in inches, got {size!r}")
    return check_positive_float(size[0], "size[0]"), check_positive_float(size[1], "size[1]")


def animate_xor_run(
    snapshots: Snapshots,
    X: np.ndarray,
    y: np.ndarray,
    frames: Sequence[int],
    losses: np.ndarray | None = None,
    inputs: Sequence[str] = ("(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"),
    resolution: int = 121,
    size: Tuple[float, float] = (11.5, 3.5),
    dpi: float = 80.0,
) -> FuncAnimation:
    """One run on a two-input problem, snapshot by snapshot, in three panels.

    Left, the network's output over the input plane (shaded as in
    :func:`~scratchnet.plotting.plot_decision_boundary`, the 0.5 contour in black, the
    points of ``X`` filled by their target ``y``); middle, the output for each input
    against the epoch, the whole run faint and bold up to the snapshot shown; right,
    the first hidden layer's outputs for each input (the heat map of
    :func:`~scratchnet.plotting.plot_hidden_activations`, on one colour scale for the
    whole run), with the units that are dead at that snapshot
    (:func:`~scratchnet.diagnostics.dead_units`) named under it.

    ``snapshots`` were taken while training on ``X`` (one row per name in ``inputs``);
    ``frames`` lists the snapshots to show, in order (see :func:`frame_indices`);
    ``losses``, one per epoch as :func:`~scratchnet.training.train` returns them, adds
    the loss to each frame's title. The plane is sampled on a ``resolution`` x
    ``resolution`` grid; the figure is ``size`` inches at ``dpi``. Every frame is drawn
    here; :func:`player` puts them in a page.

    Example
    -------
    >>> from scratchnet import NeuralNetwork, ReLU, Sigmoid, train, xor
    >>> from scratchnet.animation import Snapshots, animate_xor_run, player
    >>> X, y = xor()
    >>> net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=0)
    >>> snapshots = Snapshots(every=10)
    >>> losses = train(net, X, y, epochs=50, callback=snapshots)
    >>> anim = animate_xor_run(snapshots, X, y, [0, 2, 4], losses=losses,
    ...                        dpi=40)
    >>> player(anim, name="run", alt="A network during training.").frames
    3
    """
    snapshots = _check_snapshots(snapshots, "snapshots")
    index = _check_frames(frames, len(snapshots.epochs))
    resolution = check_positive_int(resolution, "resolution")
    size, dpi = _check_size(size), check_positive_float(dpi, "dpi")
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] != len(inputs):
        raise ValueError(f"X must have shape ({len(inputs)}, 2), one row per name in inputs, "
                         f"got shape {X.shape}")
    if snapshots.activations[0].shape[1] != X.shape[0]:
        raise ValueError(f"snapshots recorded {snapshots.activations[0].shape[1]} inputs, "
                         f"but X has {X.shape[0]} rows")
    if losses is not None:
        losses = _check_losses(losses, "losses", int(snapshots.epochs[-1]) + 1)
    fig, show = _xor_run_figure(snapshots, X, y, losses, inputs, resolution, size)
    return _flipbook(_render(fig, show, index, dpi), dpi)


def animate_training(
    runs: Mapping[str, Snapshots],
    X: np.ndarray,
    y: np.ndarray,
    frames: Sequence[int],
    losses: Mapping[str, Sequence[float]],
    losses_from: int = 0,
    resolution: int = 121,
    size: Tuple[float, float] | None = None,
    dpi: float = 80.0,
) -> FuncAnimation:
    """Runs side by side, snapshot by snapshot, with their loss curves.

    One panel per run shows its network over the input plane, the points of ``X`` on
    top (filled by ``y``): for one output, the output with its 0.5 contour, as in
    :func:`~scratchnet.plotting.plot_decision_boundary`; for several, the predicted
    class, as in :func:`~scratchnet.plotting.plot_decision_regions`. The last panel
    shows each run's ``losses[name]``, one per epoch from epoch ``losses_from`` on
    (0 for the losses :func:`~scratchnet.training.train` returns, each measured before
    its epoch's update; 1 for a :class:`~scratchnet.fitting.History`, whose ``loss[e]``
    is known at the end of epoch ``e + 1``), faint for the whole run and bold up to the
    snapshot shown.

    ``runs`` maps a name to its :class:`Snapshots`, all taken at the same epochs;
    ``frames`` lists the snapshots to show, in order (see :func:`frame_indices`). The
    plane is sampled on a ``resolution`` x ``resolution`` grid; the figure is ``size``
    inches (by default 4 per panel) at ``dpi``. Every frame is drawn here;
    :func:`player` puts them in a page.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import NeuralNetwork, ReLU, Sigmoid, Tanh, train, xor
    >>> from scratchnet.animation import Snapshots, animate_training, player
    >>> X, y = xor()
    >>> runs, losses = {}, {}
    >>> for name, f in [("ReLU", ReLU()), ("tanh", Tanh())]:
    ...     runs[name] = Snapshots(every=10)
    ...     net = NeuralNetwork([2, 4, 1], [f, Sigmoid()],
    ...                         rng=np.random.RandomState(42))
    ...     losses[name] = train(net, X, y, epochs=50, callback=runs[name])
    >>> anim = animate_training(runs, X, y, [0, 4], losses, dpi=40)
    >>> player(anim, name="pair", alt="Two networks during training.").frames
    2
    """
    if not isinstance(runs, Mapping) or not runs:
        raise TypeError(f"runs must be a non-empty dict of name: Snapshots, got {runs!r}")
    names = list(runs)
    for name in names:
        _check_snapshots(runs[name], f"runs[{name!r}]")
    epochs = runs[names[0]].epochs
    for name in names[1:]:
        if not np.array_equal(runs[name].epochs, epochs):
            raise ValueError(f"runs must be recorded at the same epochs: runs[{name!r}] was "
                             f"not recorded at the epochs of runs[{names[0]!r}]")
    if not isinstance(losses, Mapping) or set(losses) != set(names):
        raise TypeError(f"losses must be a dict with the keys of runs ({names}), "
                        f"got {type(losses).__name__} with keys {list(losses)[:5]}"
                        if isinstance(losses, Mapping) else
                        f"losses must be a dict with the keys of runs ({names}), "
                        f"got {type(losses).__name__}")
    losses_from = check_integer(losses_from, "losses_from")
    if losses_from < 0:
        raise ValueError(f"losses_from must be an epoch, 0 or later, got {losses_from}")
    losses = {name: _check_losses(losses[name], f"losses[{name!r}]", 1) for name in names}
    index = _check_frames(frames, len(epochs))
    resolution = check_positive_int(resolution, "resolution")
    size = (4.0 * (len(runs) + 1), 3.6) if size is None else _check_size(size)
    dpi = check_positive_float(dpi, "dpi")
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), points of the input plane, "
                         f"got shape {X.shape}")
    fig, show = _training_figure(runs, X, y, losses, losses_from, resolution, size)
    return _flipbook(_render(fig, show, index, dpi), dpi)


# ----------------------------------------------------------------------------- the player

#: The text label of each button of matplotlib's player, by the Font Awesome icon it
#: replaces (so the page loads no web font from another origin); U+FE0E asks for the
#: text form of a glyph, not the emoji.
BUTTON_LABELS = {
    "fa-minus": "\u2212",
    "fa-fast-backward": "|\u25c0\ufe0e\u25c0\ufe0e",
    "fa-step-backward": "|\u25c0\ufe0e",
    "fa-play fa-flip-horizontal": "\u25c0\ufe0e",
    "fa-pause": "\u275a\u275a",
    "fa-play": "\u25b6\ufe0e",
    "fa-step-forward": "\u25b6\ufe0e|",
    "fa-fast-forward": "\u25b6\ufe0e\u25b6\ufe0e|",
    "fa-plus": "+",
}

# The template's style, adapted: the image scales down with the page, the buttons
# fit their text labels.
PLAYER_STYLE = """<style>
.animation { max-width: 100%; }
.animation img { max-width: 100%; height: auto; }
input[type=range].anim-slider { max-width: 100%; }
.anim-buttons button { width: auto; min-width: 2.4em; padding: 0.1em 0.3em; }
</style>"""

FRAME = re.compile(r'frames\[(\d+)\] = "data:image/png;base64,([^"]*)"')


@dataclass(frozen=True)
class Player:
    """An animation ready for a page: matplotlib's player with its frames, as HTML.

    ``html`` is the player, ``frames`` the number of frames it plays, ``first_frame``
    the first of them as PNG bytes (what a page shows without the player, such as a
    printed one). In a notebook or a book page the player displays itself; glued with
    ``myst_nb.glue``, a ``{glue:figure}`` gives it a number and a caption.
    """

    html: str
    frames: int
    first_frame: bytes

    def _repr_html_(self) -> str:
        return self.html

    def _repr_png_(self) -> bytes:
        return self.first_frame


def _palette_png(png: bytes, colors: int) -> bytes:
    """``png`` again with at most ``colors`` colours, one byte per pixel: a plot has few
    colours, and a palette PNG of one is about a third of the size of the RGBA one."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    octree = getattr(getattr(Image, "Quantize", Image), "FASTOCTREE")
    no_dither = getattr(getattr(Image, "Dither", Image), "NONE")
    quantized = image.quantize(colors, method=octree, dither=no_dither)
    # the octree's colours are a little off (white comes out 254): move each to the
    # mean of the pixels it stands for
    index = np.asarray(quantized).ravel()
    pixels = np.asarray(image).reshape(-1, 3)
    count = np.bincount(index, minlength=256)[:, None]
    total = np.stack([np.bincount(index, pixels[:, c], minlength=256) for c in range(3)], 1)
    quantized.putpalette(np.round(total / np.maximum(count, 1)).astype(np.uint8).ravel().tolist())
    out = io.BytesIO()
    quantized.save(out, format="PNG")
    return out.getvalue()


def player(anim: Animation, name: str, alt: str, fps: float = 4.0,
           colors: int | None = 128) -> Player:
    """Render ``anim`` with matplotlib's ``to_jshtml`` player, ready for a static page.

    Every frame becomes a PNG (at the figure's own dpi) embedded in the HTML, played at
    ``fps`` frames per second, once through (the player's buttons switch to looping).
    Then:

    * each frame is stored again with at most ``colors`` colours (``None`` keeps
      matplotlib's PNGs), which makes the page about three times lighter;
    * the link to the Font Awesome stylesheet on a CDN goes, and each button gets a
      text label instead of its icon (it keeps its ``title`` and ``aria-label``);
    * the random id matplotlib gives the player's elements becomes ``name`` (letters,
      digits and ``_``, unique on the page), so two builds write the same page;
    * the image gets ``alt`` (what is drawn) and the first frame as its ``src``, so a
      reader sees it before any script runs, and the slider an ``aria-label``.

    Example
    -------
    >>> from matplotlib.animation import FuncAnimation
    >>> from matplotlib.figure import Figure
    >>> from scratchnet.animation import player
    >>> fig = Figure(figsize=(2, 2), dpi=30)
    >>> dot, = fig.subplots().plot([0], [0], "o")
    >>> anim = FuncAnimation(fig, lambda i: dot.set_data([i], [i]), frames=3)
    >>> shown = player(anim, name="dot", alt="A dot moving up a diagonal.")
    >>> shown.frames, shown.html.count("<button")
    (3, 9)
    >>> 'id="_anim_slider_dot"' in shown.html, "https:" in shown.html
    (True, False)
    """
    check_instance(anim, Animation, "anim", "FuncAnimation(fig, update, frames=10)")
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {name!r}")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"name must be letters, digits and '_', not starting with a digit "
                         f"(it names the player's elements and script variable), got {name!r}")
    if not isinstance(alt, str):
        raise TypeError(f"alt must be a str describing what the animation draws, got {alt!r}")
    if not alt.strip():
        raise ValueError("alt must describe what the animation draws, got an empty text")
    fps = check_positive_float(fps, "fps")
    if colors is not None:
        colors = check_positive_int(colors, "colors")
        if not 2 <= colors <= 256:
            raise ValueError(f"colors must be from 2 to 256 (or None), got {colors}")

    with matplotlib.rc_context({"animation.frame_format": "png", "savefig.dpi": "figure"}):
        html = anim.to_jshtml(fps=fps, default_mode="once")
    count = re.search(r"var frames = new Array\((\d+)\);", html)
    pngs = [base64.b64decode(m.group(2).replace("\\\n", "")) for m in FRAME.finditer(html)]
    if count is None or not pngs or len(pngs) != int(count.group(1)):
        raise RuntimeError("player() does not recognize matplotlib's to_jshtml output "
                           "(or matplotlib dropped frames over animation.embed_limit)")
    if colors is not None:
        pngs = [_palette_png(png, colors) for png in pngs]
    uris = [f"data:image/png;base64,{base64.b64encode(png).decode('ascii')}" for png in pngs]
    frames = iter(uris)
    html = FRAME.sub(lambda m: f'frames[{m.group(1)}] = "{next(frames)}"', html)

    alt = html_escape.escape(" ".join(alt.split()))
    html = re.sub(r"<link[^>]*font-awesome[^>]*>\s*", "", html)
    for icon, label in BUTTON_LABELS.items():
        html = html.replace(f'<i class="fa {icon}"></i>', label)
    html = re.sub(r'<button title="([^"]*)"(?! aria-label)', r'<button title="\1" aria-label="\1"',
                  html)  # (in case a matplotlib gives a button a title only)
    uid = re.search(r'id="_anim_img(\w+)"', html).group(1)
    html = html.replace(uid, f"_{name}")
    html = html.replace(f'<img id="_anim_img_{name}">',
                        f'<img id="_anim_img_{name}" alt="{alt}" src="{uris[0]}">')
    html = html.replace('type="range"', 'type="range" aria-label="Frame" title="Frame"', 1)
    html = html.replace("</style>", "</style>\n" + PLAYER_STYLE, 1)
    left = re.findall(r"https?:|class=\"fa |<i ", html)
    if left or f'alt="{alt}"' not in html or 'aria-label="Frame"' not in html:
        raise RuntimeError(f"player() could not adapt matplotlib's player: {left}")
    return Player(html=html, frames=len(pngs), first_frame=pngs[0])
