"""The layer page: it runs cleanly and its claims hold on independent evidence."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from scratchnet import Layer, LeakyReLU, NeuralNetwork, ReLU, Sigmoid, Tanh, check_layer, train, xor
from independent import central_difference, worst_relative_error


class ForgetfulSigmoid(Sigmoid):
    """The page's deliberate bug: sigma(x) instead of sigma(x) * (1 - sigma(x))."""

    @staticmethod
    def backward(x):
        return Sigmoid.forward(x)


# ----------------------------------------------------------------------------- the page


@pytest.mark.book
def test_page_runs_without_stderr(run_page):
    assert run_page("layer").stream_text("stderr") == ""


# ----------------------------------------------------------------------------- claims


@pytest.mark.book
@pytest.mark.claim("layer-gradcheck-passes")
def test_layer_backward_matches_an_independent_numerical_derivative(run_page):
    """Each of the page's nine errors is below 1e-7; and on 40 other random layers (four
    activations, random sizes, batches and seeds), Layer.backward agrees with a central
    difference written in the test, not scratchnet's gradcheck, to within 1e-5 relative
    error for the input, the weights and the bias (a bug gives 1e-2 or more)."""
    g = run_page("layer").glued
    for act in ("relu", "sigmoid", "tanh"):
        for part in ("input", "weights", "bias"):
            assert g[f"layer_err_{act}_{part}"] < 1e-7, (act, part)
    assert g["layer_err_worst"] < 1e-7

    rng = np.random.default_rng(2024)
    for trial in range(40):
        activation = [ReLU(), Sigmoid(), Tanh(), LeakyReLU(0.1)][trial % 4]
        n_in, n_out, n = (int(v) for v in rng.integers(1, 7, size=3))
        layer = Layer(n_in, n_out, activation, rng=rng, init=1.0)
        layer.bias[...] = rng.standard_normal((1, n_out))
        x = rng.standard_normal((n, n_in))
        weight = rng.standard_normal((n, n_out))  # the scalar checked: sum(output * weight)

        layer.forward(x)
        grad_x, grad_w, grad_b = layer.backward(weight)

        def f():
            return float(np.sum(layer.forward(x) * weight))

        for analytic, array in ((grad_x, x), (grad_w, layer.weights), (grad_b, layer.bias)):
            assert worst_relative_error(analytic, central_difference(f, array)) < 1e-5, trial


@pytest.mark.book
@pytest.mark.claim("layer-gradcheck-catches-bug")
def test_the_check_catches_the_forgetful_sigmoid_which_runs_silently(run_page):
    """The page's worst error for the buggy layer is above 1e-2; on 20 other seeds and
    sizes, check_layer reports more than 1e-2 for it every time; and a network with the
    buggy layer trains 1,000 epochs on XOR with every floating-point error raised and
    warnings as errors, producing finite outputs: nothing but the check shows the bug."""
    assert run_page("layer").glued["layer_bug_err_worst"] > 1e-2

    rng = np.random.default_rng(99)
    for trial in range(20):
        n_in, n_out, n = (int(v) for v in rng.integers(1, 6, size=3))
        layer = Layer(n_in, n_out, ForgetfulSigmoid(), rng=rng, init=1.0)
        errors = check_layer(layer, rng.standard_normal((n, n_in)), rng.standard_normal((n, n_out)))
        assert max(errors.values()) > 1e-2, trial

    X, y = xor()
    net = NeuralNetwork([2, 4, 1], [Tanh(), ForgetfulSigmoid()], rng=0, init="xavier")
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        losses = train(net, X, y, epochs=1000, learning_rate=0.1)
    assert np.all(np.isfinite(losses)) and np.all(np.isfinite(net.forward(X)))
