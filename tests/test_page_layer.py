"""The layer page: it runs cleanly and its claims hold on independent evidence."""

from __future__ import annotations

import math
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


# ------------------------------------------------------------------- exercises' claims


def _f(layer, x, weight):
    """The page's scalar: sum(layer.forward(x) * weight)."""
    return float(np.sum(layer.forward(x) * weight))


def _page_layers(init, activations=("ReLU", "Sigmoid", "Tanh")):
    """The page's three layers (rng 0, in the page's order), with their x and grad_output."""
    rng = np.random.default_rng(0)
    made = {}
    for activation in (ReLU(), Sigmoid(), Tanh()):
        layer = Layer(3, 4, activation, rng=rng, init=init)
        x, weight = rng.standard_normal((5, 3)), rng.standard_normal((5, 4))
        if type(activation).__name__ in activations:
            made[type(activation).__name__] = (layer, x, weight)
    return made


def _independent_errors(layer, x, weight, h):
    """The relative errors of Layer.backward against independent.central_difference."""
    layer.forward(x)
    analytic = layer.backward(weight)
    x = x.copy()

    def f():
        return _f(layer, x, weight)

    return {part: worst_relative_error(a, central_difference(f, array, h))
            for part, a, array in zip(("input", "weights", "bias"), analytic,
                                      (x, layer.weights, layer.bias))}


@pytest.mark.book
@pytest.mark.claim("layer-loops-are-the-products")
def test_the_entry_by_entry_sums_are_layer_backward(run_page):
    """The page's largest difference is below 1e-14; and on 10 random layers of random
    sizes, the sums of the derivation, written as Python loops with math.fsum (no NumPy
    product), agree with Layer.backward's weight and input gradients to 1e-12."""
    assert run_page("layer").glued["layer_ex_loop_diff"] < 1e-14
    rng = np.random.default_rng(15)
    for _ in range(10):
        n_in, n_out, n = (int(v) for v in rng.integers(1, 6, size=3))
        layer = Layer(n_in, n_out, Tanh(), rng=rng, init=1.0)
        x, g = rng.standard_normal((n, n_in)), rng.standard_normal((n, n_out))
        layer.forward(x)
        grad_x, grad_w, _ = layer.backward(g)
        z = [[math.fsum(x[i, j] * layer.weights[j, k] for j in range(n_in)) + layer.bias[0, k]
              for k in range(n_out)] for i in range(n)]
        dz = [[g[i][k] * (1 - math.tanh(z[i][k]) ** 2) for k in range(n_out)] for i in range(n)]
        for j in range(n_in):
            for k in range(n_out):
                assert abs(math.fsum(dz[i][k] * x[i, j] for i in range(n)) - grad_w[j, k]) < 1e-12
        for i in range(n):
            for j in range(n_in):
                expected = math.fsum(dz[i][k] * layer.weights[j, k] for k in range(n_out))
                assert abs(expected - grad_x[i, j]) < 1e-12


@pytest.mark.book
@pytest.mark.claim("layer-input-step-lowers-f")
def test_a_step_of_the_input_against_its_gradient_lowers_f(run_page):
    """The page's layer rebuilt (rng 1, Tanh, init=1.0), its f computed with np.tanh in
    the test and its input gradient by independent central differences: f and f after
    one step of 0.01 against that gradient match the page's two values to 1e-8, and the
    second is lower."""
    g = run_page("layer").glued
    assert g["layer_ex_f_after"] < g["layer_ex_f_before"]
    rng = np.random.default_rng(1)
    layer = Layer(3, 4, Tanh(), rng=rng, init=1.0)
    x, weight = rng.standard_normal((5, 3)), rng.standard_normal((5, 4))

    def f(inputs):
        return float(np.sum(np.tanh(inputs @ layer.weights + layer.bias) * weight))

    grad_x = central_difference(lambda: f(x), x)
    assert f(x) == pytest.approx(g["layer_ex_f_before"], abs=1e-8)
    assert f(x - 0.01 * grad_x) == pytest.approx(g["layer_ex_f_after"], abs=1e-8)


@pytest.mark.book
@pytest.mark.claim("layer-slope-from-output")
def test_the_slope_can_be_read_from_the_output_for_these_three(run_page):
    """The page printed True for each of its three activations and no False. In the test:
    the three slopes written in terms of the output agree with central differences of
    1 / (1 + e^-z), math.tanh and max(0, z) to 1e-8 on 1,000 inputs away from 0; they equal
    backward(z) bit for bit on 10,000 inputs including 0, -0.0 and +-40; and z**2 takes the
    same value at -1.5 and 1.5 with slopes -3 and 3, so its output cannot give its slope."""
    out = run_page("layer").stream_text()
    assert out.count("equal to backward(z): True") == 3 and "False" not in out
    formulas = {
        "Sigmoid": (lambda v: 1 / (1 + math.exp(-v)), Sigmoid(), lambda a: a * (1 - a)),
        "Tanh": (math.tanh, Tanh(), lambda a: 1 - a * a),
        "ReLU": (lambda v: max(0.0, v), ReLU(), lambda a: (a > 0).astype(a.dtype)),
    }
    rng = np.random.default_rng(16)
    z = rng.uniform(-8, 8, 1000)
    z = z[np.abs(z) > 1e-3]
    for name, (scalar, activation, slope) in formulas.items():
        h = 1e-6
        numeric = np.array([(scalar(v + h) - scalar(v - h)) / (2 * h) for v in z])
        assert np.allclose(slope(activation.forward(z)), numeric, rtol=0, atol=1e-8), name
        many = np.concatenate([rng.standard_normal(9996) * 5, [0.0, -0.0, 40.0, -40.0]])
        assert np.array_equal(slope(activation.forward(many)), activation.backward(many)), name
    assert (-1.5) ** 2 == 1.5 ** 2 and 2 * -1.5 != 2 * 1.5


@pytest.mark.book
@pytest.mark.claim("layer-gradcheck-step-size")
def test_the_check_error_is_smallest_between_truncation_and_rounding(run_page):
    """The page's values: at h = 1e-3 the sigmoid's and tanh's worst error is over 100
    times the worst at 1e-5, ReLU's below 1e-10; at 1e-7 the worst is over 10 times the
    worst at 1e-5. Recomputed on the page's layers with independent.central_difference:
    the same three orderings; and the truncation error shrinks like h^2: for the sigmoid
    and tanh layers, the error at h = 1e-3 is 30 to 300 times the error at 1e-4."""
    g = run_page("layer").glued
    assert g["layer_ex_h3_smooth"] > 100 * g["layer_ex_h5"]
    assert g["layer_ex_h3_relu"] < 1e-10
    assert g["layer_ex_h7"] > 10 * g["layer_ex_h5"]

    def worst(h, names=("ReLU", "Sigmoid", "Tanh")):
        return max(max(_independent_errors(*case, h).values())
                   for case in _page_layers(1.0, names).values())

    at_5 = worst(1e-5)
    assert worst(1e-3, ("Sigmoid", "Tanh")) > 100 * at_5
    assert worst(1e-3, ("ReLU",)) < 1e-10
    assert worst(1e-7) > 10 * at_5
    for name, case in _page_layers(1.0, ("Sigmoid", "Tanh")).items():
        coarse, fine = (_independent_errors(*case, h)["weights"] for h in (1e-3, 1e-4))
        ratio = coarse / fine
        assert 30 < ratio < 300, (name, ratio)


@pytest.mark.book
@pytest.mark.claim("layer-gradcheck-small-weights")
def test_small_weights_raise_the_sigmoid_input_error_only(run_page):
    """init="seed" gives exactly 0.01 times the init=1.0 weights of the same draws. The
    page's values: at h = 1e-5 the sigmoid's input error with scale-0.01 weights is over 10
    times the one with scale 1, and ReLU's and tanh's worst with scale 0.01 is no larger
    than the page's worst with scale 1. Recomputed on the page's layers with
    independent.central_difference: the sigmoid's input error grows over 10 times, tanh's
    and ReLU's worst does not grow; and the mechanism: with the small weights every
    layer's input gradient is less than 1/20 of what it was, and so are the terms
    |a_ik g_ik| of f (summed) for tanh and ReLU, while the sigmoid's keep their size
    (within a factor 2)."""
    g = run_page("layer").glued
    assert g["layer_ex_sigmoid_input_seed"] > 10 * g["layer_ex_sigmoid_input_1"]
    assert g["layer_ex_other_h5_seed"] <= g["layer_ex_h5"]

    big, small = _page_layers(1.0), _page_layers("seed")
    for name in big:
        assert np.array_equal(small[name][0].weights, 0.01 * big[name][0].weights)
    sig_big = _independent_errors(*big["Sigmoid"], 1e-5)["input"]
    sig_small = _independent_errors(*small["Sigmoid"], 1e-5)["input"]
    assert sig_small > 10 * sig_big
    for name in ("ReLU", "Tanh"):
        assert max(_independent_errors(*small[name], 1e-5).values()) <= \
            max(_independent_errors(*big[name], 1e-5).values())

    def terms_and_gradient(layer, x, weight):
        layer.forward(x)
        return (np.abs(layer.output * weight).sum(),
                np.linalg.norm(layer.backward(weight)[0]))

    for name in big:
        terms_big, grad_big = terms_and_gradient(*big[name])
        terms_small, grad_small = terms_and_gradient(*small[name])
        assert grad_small < 0.05 * grad_big, name
        if name == "Sigmoid":
            assert 0.5 < terms_small / terms_big < 2
        else:
            assert terms_small < 0.05 * terms_big, name


@pytest.mark.book
@pytest.mark.claim("layer-kink-check-fails")
def test_at_the_kink_the_central_difference_takes_the_average_slope(run_page):
    """The page's errors: input and bias above 0.5, weights below 1e-7. The page's layer
    rebuilt (rng 3, ReLU, a zero first row): by independent central differences, the zero
    row's input gradient is exactly half of g_0 @ W.T (to 1e-9), where Layer.backward gives
    0; the bias gradient differs from Layer.backward's by g_0 / 2; the weight gradient
    agrees (to 1e-7 relative)."""
    g = run_page("layer").glued
    assert g["layer_ex_kink_input"] > 0.5 and g["layer_ex_kink_bias"] > 0.5
    assert g["layer_ex_kink_weights"] < 1e-7
    rng = np.random.default_rng(3)
    layer = Layer(3, 4, ReLU(), rng=rng, init=1.0)
    x, weight = rng.standard_normal((5, 3)), rng.standard_normal((5, 4))
    x[0] = 0.0
    layer.forward(x)
    z = layer.activation_input
    assert np.all(z[0] == 0) and np.abs(z[1:]).min() > 1e-3
    grad_x, grad_w, grad_b = layer.backward(weight)

    def f():
        return _f(layer, x, weight)

    numeric_x = central_difference(f, x)
    assert np.all(grad_x[0] == 0)
    assert np.allclose(numeric_x[0], 0.5 * weight[0] @ layer.weights.T, rtol=0, atol=1e-9)
    assert np.allclose(central_difference(f, layer.bias) - grad_b, 0.5 * weight[0], rtol=0,
                       atol=1e-9)
    assert worst_relative_error(grad_w, central_difference(f, layer.weights)) < 1e-7


@pytest.mark.book
@pytest.mark.claim("layer-kink-halfway-passes")
def test_with_half_at_the_kink_the_check_agrees(run_page):
    """The page's worst error with the halfway ReLU is below 1e-7. In the test, the three
    gradients written by hand with the slope 1/2 at z = 0 (dz = g * slope, x.T @ dz, column
    sums, dz @ W.T) agree with independent central differences of max(0, x @ W + b) on the
    page's kink layer to 1e-7 (relative)."""
    assert run_page("layer").glued["layer_ex_halfway_worst"] < 1e-7
    rng = np.random.default_rng(3)
    layer = Layer(3, 4, ReLU(), rng=rng, init=1.0)
    x, weight = rng.standard_normal((5, 3)), rng.standard_normal((5, 4))
    x[0] = 0.0
    W, b = layer.weights, layer.bias

    def f():
        return float(np.sum(np.maximum(x @ W + b, 0) * weight))

    z = x @ W + b
    dz = weight * np.where(z > 0, 1.0, np.where(z == 0, 0.5, 0.0))
    for analytic, array in ((dz @ W.T, x), (x.T @ dz, W), (dz.sum(axis=0, keepdims=True), b)):
        assert worst_relative_error(analytic, central_difference(f, array)) < 1e-7
