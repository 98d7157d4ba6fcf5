"""The questions page: every claim of its answers, checked against what it glued."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scratchnet import NeuralNetwork, ReLU, Sigmoid, Tanh, xor
from scratchnet.experiments import Config, run_experiment

pytestmark = pytest.mark.book

ACTIVATIONS = ["ReLU", "LeakyReLU", "Tanh", "Sigmoid"]
SCALES = ["0.001", "0.01", "0.1", "1", "10"]


@pytest.fixture(scope="module")
def q(run_page):
    page = run_page("questions")
    assert page.stream_text("stderr") == ""
    return page.glued


def test_protocol_numbers(q):
    assert q["n_seeds"] >= 100
    assert q["n_settings"] == 4 * 8 + 2 * 5


def test_q1_activation_answer(q):
    # tanh and sigmoid learn reliably; sigmoid is much slower than tanh
    assert q["q1_rate_Tanh"] >= 0.95
    assert q["q1_rate_Sigmoid"] >= 0.95
    assert q["q1_median_Sigmoid"] > 3 * q["q1_median_Tanh"]
    # "the ReLU runs that do learn are faster than tanh", and so are the leaky ReLU's
    assert q["q1_median_ReLU"] < q["q1_median_Tanh"]
    assert q["q1_median_LeakyReLU"] < q["q1_median_Tanh"]
    # ReLU learns in only part of the runs; the leaky ReLU does better, not as well as tanh
    assert q["q1_rate_ReLU"] < 0.9
    assert q["q1_rate_ReLU"] < q["q1_rate_LeakyReLU"] < q["q1_rate_Tanh"]


def test_q1_table_and_figure_are_glued(q):
    table = q["q1_table"]["text/markdown"]
    assert all(f"| {name} |" in table for name in ACTIVATIONS)
    assert "image/png" in q["q1_loss_fig"]


def test_q2_two_units_represent_xor(q):
    assert q["hand_correct"] == 4
    assert q["hand_margin"] > 0.4


def test_q2_gradient_descent_answer(q):
    assert q["q2_width1_max"] == 0.0
    for name in ACTIVATIONS:
        assert q[f"q2_w2_{name}"] < 0.9, name  # "only ... of the runs"
    # "the smallest width at which the lower end of the interval reaches 90%"
    order = {name: q[f"q2_reliable_{name}"] for name in ACTIVATIONS}
    numeric = {k: v for k, v in order.items() if isinstance(v, int)}
    assert all(2 <= v <= 8 for v in numeric.values())
    assert "Tanh" in numeric and "Sigmoid" in numeric
    table = q["q2_table"]["text/markdown"]
    assert table.count("\n| ") == 8  # one row per width


def test_q3_initialization_answer(q):
    r = {(name, s): q[f"q3_rate_{name}_{s}"] for name in ["ReLU", "Tanh"] for s in SCALES}
    # too small: tanh stuck at ln 2, tiny first gradient
    assert r["Tanh", "0.001"] < 0.1 and r["Tanh", "0.01"] < 0.1
    assert q["q3_tanh_tiny_loss"] == pytest.approx(math.log(2), abs=0.01)
    assert q["q3_grad_0.001"] < q["q3_grad_1"] / 100
    # in between: tanh learns reliably, as with Xavier
    assert r["Tanh", "0.1"] >= 0.9 and r["Tanh", "1"] >= 0.9
    assert q["q3_tanh_xavier"] >= 0.95
    assert q["q3_speed_Tanh_1"] < q["q3_speed_Tanh_0.1"] / 2  # "the scale also sets the speed"
    # ReLU barely depends on the scale up to 1
    relu_small = [r["ReLU", s] for s in SCALES[:4]]
    assert max(relu_small) - min(relu_small) < 0.15
    # too large: saturation and explosion cost successes
    assert q["q3_saturated_10"] > 0.5
    assert r["Tanh", "10"] < r["Tanh", "1"] - 0.2
    assert q["q3_relu_first_loss_10"] > 10 * q["q3_relu_first_loss_0.01"]
    assert r["ReLU", "10"] < r["ReLU", "1"] - 0.2


def test_one_hidden_unit_never_learns_on_other_seeds():
    """The impossibility argument, checked on seeds the page did not use."""
    X, y = xor()
    for hidden, init in [(ReLU(), "he"), (Tanh(), "xavier")]:
        result = run_experiment(Config((2, 1, 1), (hidden, Sigmoid()), init), X, y,
                                range(500, 550), loss_every=10000)
        assert not result.learned.any()


def test_hand_built_network_independently():
    X, y = xor()
    net = NeuralNetwork([2, 2, 1], [ReLU(), Sigmoid()], rng=0)
    net.layers[0].weights[...] = [[1, 1], [1, 1]]
    net.layers[0].bias[...] = [[0, -1]]
    net.layers[1].weights[...] = [[10.0], [-20.0]]
    net.layers[1].bias[...] = [[-5.0]]
    assert np.array_equal(net.forward(X) > 0.5, y == 1)
