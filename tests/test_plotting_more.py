"""The chapter-page plotting helpers: decision boundary, hidden activations, per-input
lines and success-rate bars carry the right artists and data."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.container import BarContainer, ErrorbarContainer  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.image import AxesImage  # noqa: E402

from scratchnet import NeuralNetwork, ReLU, Sigmoid, success_rate, train, xor  # noqa: E402
from scratchnet.plotting import (  # noqa: E402
    COLORS,
    plot_decision_boundary,
    plot_hidden_activations,
    plot_per_input,
    plot_rates,
)

XOR_NAMES = ["(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"]


@pytest.fixture(autouse=True)
def close_figures():
    before = set(plt.get_fignums())
    yield
    for num in set(plt.get_fignums()) - before:
        plt.close(num)


class GridSpy:
    """A stand-in network: output = sigmoid(x1 - x2), and it remembers the grid it saw."""

    def __init__(self):
        self.grids = []

    def forward(self, grid):
        self.grids.append(grid.copy())
        return 1 / (1 + np.exp(-(grid[:, :1] - grid[:, 1:])))


def contour_sets(ax):
    return [c for c in ax.get_children() if isinstance(c, ContourSet)]


def scatter_points(ax):
    return [
        c for c in ax.collections
        if isinstance(c, PathCollection) and not isinstance(c, ContourSet)
    ]


# --------------------------------------------------------------------------- decision boundary


def test_decision_boundary_artists():
    X, y = xor()
    net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(0), init="he")
    train(net, X, y, epochs=300, learning_rate=0.5)
    fig = plot_decision_boundary(net, X, y, title="XOR", resolution=41)
    assert isinstance(fig, Figure)
    ax, colorbar_ax = fig.axes  # the plot and its colour bar
    assert ax.get_title() == "XOR"
    filled, boundary = contour_sets(ax)
    assert filled.filled and not boundary.filled
    np.testing.assert_allclose(filled.levels, np.linspace(0, 1, 11))
    np.testing.assert_array_equal(boundary.levels, [0.5])
    assert colorbar_ax.get_ylabel() == "network output"

    scatters = scatter_points(ax)
    assert len(scatters) == 2
    points = np.concatenate([s.get_offsets() for s in scatters])
    assert points.shape == (4, 2)
    labels = [s.get_label() for s in scatters]
    assert labels == ["target 0", "target 1"]
    for scatter, target in zip(scatters, (0, 1)):
        expected = X[y.ravel() == target]
        np.testing.assert_array_equal(np.asarray(scatter.get_offsets()), expected)


def test_decision_boundary_evaluates_the_network_on_the_padded_grid():
    X, y = xor()
    spy = GridSpy()
    fig = plot_decision_boundary(spy, X, y, resolution=21, margin=0.25)
    (grid,) = spy.grids
    assert grid.shape == (21 * 21, 2)
    assert grid.dtype == X.dtype
    np.testing.assert_allclose(grid.min(axis=0), X.min(axis=0) - 0.25)
    np.testing.assert_allclose(grid.max(axis=0), X.max(axis=0) + 0.25)
    assert len(np.unique(grid[:, 0])) == 21 and len(np.unique(grid[:, 1])) == 21
    assert fig.axes[0].get_title() == ""  # no title given


def test_decision_boundary_on_given_axes():
    X, y = xor()
    fig, (left, right) = plt.subplots(1, 2)
    returned = plot_decision_boundary(GridSpy(), X, y, ax=right, resolution=11)
    assert returned is fig
    assert contour_sets(left) == [] and len(contour_sets(right)) == 2
    assert len(scatter_points(right)) == 2


# --------------------------------------------------------------------------- hidden activations


@pytest.mark.parametrize("units", [1, 4, 6])
def test_hidden_activations_heat_map(units):
    rng = np.random.default_rng(units)
    activations = rng.random((4, units)) * 3
    fig = plot_hidden_activations(activations, XOR_NAMES, title="hidden layer")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "hidden layer"
    (image,) = [c for c in ax.get_children() if isinstance(c, AxesImage)]
    np.testing.assert_array_equal(image.get_array(), activations)

    texts = ax.texts
    assert len(texts) == 4 * units
    for text in texts:
        col, row = text.get_position()
        assert text.get_text() == f"{activations[int(row), int(col)]:.2f}"
    assert sorted(text.get_position() for text in texts) == sorted(
        (j, i) for i in range(4) for j in range(units)
    )
    assert [t.get_text() for t in ax.get_yticklabels()] == XOR_NAMES
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"unit {j}" for j in range(units)]


def test_hidden_activations_of_a_real_network():
    X, _ = xor()
    net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(1), init="he")
    net.forward(X)
    fig = plot_hidden_activations(net.layers[0].output, XOR_NAMES)
    assert len(fig.axes[0].texts) == 16


@pytest.mark.parametrize("shape", [(3, 4), (5, 4), (1, 4)])
def test_hidden_activations_rows_must_match_inputs(shape):
    with pytest.raises(ValueError, match="one row per input"):
        plot_hidden_activations(np.zeros(shape), XOR_NAMES)


@pytest.mark.parametrize("shape", [(4,), (4, 2, 2)])
def test_hidden_activations_must_be_2d(shape):
    with pytest.raises(ValueError, match="shape"):
        plot_hidden_activations(np.zeros(shape), XOR_NAMES)


# --------------------------------------------------------------------------- per input


def test_per_input_draws_one_line_per_input():
    epochs = np.arange(0, 500, 50)
    values = np.random.default_rng(0).random((len(epochs), 4))
    fig = plot_per_input(epochs, values, XOR_NAMES, title="output", ylabel="sigmoid output")
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    lines = ax.get_lines()
    assert len(lines) == 4
    for i, (line, name) in enumerate(zip(lines, XOR_NAMES)):
        assert line.get_label() == name
        assert line.get_color() == COLORS[i]
        np.testing.assert_array_equal(line.get_xdata(), epochs)
        np.testing.assert_array_equal(line.get_ydata(), values[:, i])
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "input"
    assert [t.get_text() for t in legend.get_texts()] == XOR_NAMES
    assert ax.get_xlabel() == "Epoch"
    assert ax.get_ylabel() == "sigmoid output"
    assert ax.get_title() == "output"


def test_per_input_with_more_inputs_than_colours_and_given_axes():
    names = [f"x{i}" for i in range(len(COLORS) + 2)]
    values = np.arange(3 * len(names), dtype=float).reshape(3, -1)
    fig, ax = plt.subplots()
    assert plot_per_input(np.arange(3), values, names, ax=ax) is fig
    lines = ax.get_lines()
    assert len(lines) == len(names)
    assert lines[len(COLORS)].get_color() == COLORS[0]  # the palette wraps around
    assert ax.get_ylabel() == "value"


# --------------------------------------------------------------------------- rates


def test_rates_bars_with_error_bars():
    names = ["seed init", "Xavier", "He"]
    rates = [success_rate(np.arange(n) < k) for k, n in ((3, 20), (10, 20), (19, 20))]
    fig = plot_rates(names, rates, title="How often XOR is learned")
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert ax.get_title() == "How often XOR is learned"

    (bars,) = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert len(bars.patches) == 3
    widths = [patch.get_width() for patch in bars.patches]
    np.testing.assert_allclose(widths, [r.value for r in rates])
    centres = [patch.get_y() + patch.get_height() / 2 for patch in bars.patches]

    # the first name is at the top
    ticks = dict(zip((t.get_text() for t in ax.get_yticklabels()), ax.get_yticks()))
    assert list(ticks) == names
    np.testing.assert_allclose(centres, [ticks[name] for name in names])
    assert ticks[names[0]] > ticks[names[1]] > ticks[names[2]]

    # one error bar per rate, spanning exactly its 95% interval
    (errorbars,) = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    (segments,) = [lc.get_segments() for lc in errorbars.lines[2]]
    assert len(segments) == 3
    for segment, rate, centre in zip(segments, rates, centres):
        (x0, y0), (x1, y1) = segment
        assert y0 == y1 == pytest.approx(centre)
        assert (min(x0, x1), max(x0, x1)) == pytest.approx((rate.low, rate.high))

    # one percentage label per bar
    assert [t.get_text() for t in ax.texts] == [f"{r.value:.0%}" for r in rates]
    assert ax.get_xlim() == pytest.approx((0, 1.05))


def test_rates_on_given_axes_with_a_single_rate():
    fig, ax = plt.subplots()
    rate = success_rate([True] * 10)
    assert plot_rates(["all"], [rate], ax=ax) is fig
    (bars,) = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert len(bars.patches) == 1 and bars.patches[0].get_width() == pytest.approx(1.0)
    assert len(ax.texts) == 1
    assert ax.get_title() == ""


def test_decision_boundary_grid_is_float_for_integer_inputs():
    class Spy:
        def forward(self, grid):
            self.grid = grid
            return np.full((len(grid), 1), 0.5)

    spy = Spy()
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    y = np.array([[0], [1], [1], [0]])
    fig = plot_decision_boundary(spy, X, y, resolution=11)
    plt.close(fig)
    assert spy.grid.dtype.kind == "f"
    assert spy.grid.min() == pytest.approx(-0.5) and spy.grid.max() == pytest.approx(1.5)
    assert len(np.unique(spy.grid[:, 0])) == 11
