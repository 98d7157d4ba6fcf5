"""Plotting helpers: the figures carry the right data and labels."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from scratchnet import ReLU, Sigmoid, Tanh  # noqa: E402
from scratchnet.plotting import COLORS, STYLE, plot_activation, plot_losses, use_book_style  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    before = set(plt.get_fignums())
    yield
    for num in set(plt.get_fignums()) - before:
        plt.close(num)


def labelled_lines(ax):
    """The lines with a legend label (axhline/axvline guides have none)."""
    return [line for line in ax.get_lines() if not line.get_label().startswith("_")]


@pytest.mark.parametrize("act", [ReLU(), Sigmoid(), Tanh()], ids=["ReLU", "Sigmoid", "Tanh"])
def test_plot_activation(act):
    fig = plot_activation(act)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    name = type(act).__name__
    assert ax.get_title() == name
    assert ax.get_xlabel() == "pre-activation x"

    function, derivative = labelled_lines(ax)
    assert function.get_label() == f"{name}(x)"
    assert derivative.get_label() == f"{name}'(x)"
    x = function.get_xdata()
    assert x[0] == -5 and x[-1] == 5 and len(x) == 401
    np.testing.assert_array_equal(function.get_ydata(), act.forward(x))
    np.testing.assert_array_equal(derivative.get_ydata(), act.backward(x))
    assert derivative.get_linestyle() == "--"

    legend = ax.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == [f"{name}(x)", f"{name}'(x)"]


def test_plot_activation_on_given_axes_and_x():
    fig, (left, right) = plt.subplots(1, 2)
    x = np.linspace(-2, 2, 9)
    returned = plot_activation(Tanh(), ax=right, x=x)
    assert returned is fig
    assert left.get_lines() == [] and len(labelled_lines(right)) == 2
    np.testing.assert_array_equal(labelled_lines(right)[0].get_xdata(), x)
    np.testing.assert_array_equal(labelled_lines(right)[0].get_ydata(), np.tanh(x))


def test_plot_losses():
    losses = np.array([0.7, 0.5, 0.42, 0.3, 0.31, 0.2])
    fig = plot_losses(losses)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), np.arange(6))
    np.testing.assert_array_equal(line.get_ydata(), losses)
    assert ax.get_title() == "Training loss over time"
    assert ax.get_xlabel() == "Epoch"
    assert ax.get_ylabel() == "Loss"
    assert ax.get_legend() is None  # no label, no legend


def test_plot_losses_with_label_title_and_list():
    fig, ax = plt.subplots()
    returned = plot_losses([0.6, 0.4], ax=ax, label="lr = 0.1", title="XOR", color="red")
    assert returned is fig
    (line,) = ax.get_lines()
    assert line.get_label() == "lr = 0.1"
    assert line.get_color() == "red"
    assert ax.get_title() == "XOR"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["lr = 0.1"]


def test_two_curves_on_one_axes():
    fig, ax = plt.subplots()
    plot_losses([0.7, 0.6, 0.5], ax=ax, label="a")
    plot_losses([0.7, 0.4], ax=ax, label="b")
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]


def test_use_book_style():
    with plt.rc_context():
        use_book_style()
        assert plt.rcParams["axes.grid"] is True
        assert tuple(plt.rcParams["figure.figsize"]) == STYLE["figure.figsize"]
        fig, ax = plt.subplots()
        (line,) = ax.plot([0, 1])
        assert line.get_color() == COLORS[0]
