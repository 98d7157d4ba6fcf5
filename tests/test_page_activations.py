"""The activations page: it runs cleanly, its claims hold on independent evidence, and its
prose describes the code it shows."""

from __future__ import annotations

import ast
import decimal
import inspect
import math
import re
import textwrap
import warnings
from fractions import Fraction

import numpy as np
import pytest

from conftest import ROOT
from scratchnet import Layer, LeakyReLU, NeuralNetwork, ReLU, Sigmoid, Tanh, train, xor

from independent import claim_block, exact_sigmoid

PAGE = ROOT / "book" / "activations.md"


# ----------------------------------------------------------------------------- the page


@pytest.mark.book
def test_page_runs_without_stderr(run_page):
    assert run_page("activations").stream_text("stderr") == ""


@pytest.mark.book
def test_activations_figure_is_glued(run_page):
    fig = run_page("activations").glued["act_fig"]
    assert "image/png" in fig


# ----------------------------------------------------------------------------- claims


@pytest.mark.book
@pytest.mark.claim("activations-sigmoid-grad-max")
def test_sigmoid_derivative_is_at_most_a_quarter(run_page):
    """The closed form: sigma' = s(1 - s) with s in (0, 1) is at most 1/4, reached only at
    s = 1/2, that is x = 0; Sigmoid.backward stays at or below 1/4 on 100,000 random inputs,
    and sigma'(5) equals e^-5 / (1 + e^-5)^2 computed with Python's math module."""
    g = run_page("activations").glued
    assert g["act_sigmoid_grad_max"] == 0.25
    assert g["act_sigmoid_grad_argmax"] == 0.0
    x = np.random.default_rng(7).uniform(-40, 40, 100_000)
    derivative = Sigmoid.backward(x)
    assert derivative.max() <= 0.25
    assert np.all(derivative[np.abs(x) > 1e-3] < 0.25)
    closed_form = math.exp(-5) / (1 + math.exp(-5)) ** 2
    assert g["act_sigmoid_grad_at_5"] == pytest.approx(closed_form, rel=1e-12)
    assert closed_form < 0.01  # "almost nothing": under a hundredth of the input gradient


@pytest.mark.book
@pytest.mark.claim("activations-tanh-grad-max")
def test_tanh_derivative_is_one_at_the_origin(run_page):
    """The closed form 1 - tanh(x)^2 is at most 1, reached only at x = 0; Tanh.backward on
    100,000 random inputs stays at or below 1, and within 1e-6 of 1 for |x| < 1e-3."""
    g = run_page("activations").glued
    assert g["act_tanh_grad_max"] == 1.0
    assert g["act_tanh_grad_argmax"] == 0.0
    x = np.random.default_rng(8).uniform(-10, 10, 100_000)
    derivative = Tanh.backward(x)
    assert derivative.max() <= 1.0
    near = np.random.default_rng(9).uniform(-1e-3, 1e-3, 1000)
    assert np.all(Tanh.backward(near) > 1 - 1e-6)


@pytest.mark.book
@pytest.mark.claim("activations-relu-grad-step")
def test_relu_derivative_is_a_step(run_page):
    """ReLU.backward is exactly 1 on positive inputs from the smallest subnormal to the
    largest float, and exactly 0 at 0 and on negative inputs, in float64 and float32."""
    assert run_page("activations").glued["act_relu_grad_at_0"] == 0.0
    for dtype in (np.float64, np.float32):
        info = np.finfo(dtype)
        rng = np.random.default_rng(10)
        positive = np.concatenate([
            [info.smallest_subnormal, info.tiny, info.eps, 1.0, info.max],
            10.0 ** rng.uniform(-30, 30, 1000),
        ]).astype(dtype)
        derivative = ReLU.backward(positive)
        assert derivative.dtype == dtype and np.all(derivative == 1)
        assert np.all(ReLU.backward(np.concatenate([[0.0, -0.0], -positive]).astype(dtype)) == 0)


@pytest.mark.claim("activations-relu-dead-unit")
def test_a_dead_relu_unit_stays_dead():
    """Training the chapter's network with one hidden unit switched off (bias -1) for
    1,000 epochs of the chapter's loop, on four seeds: the unit's weights and bias never
    change (bit for bit), while the other weights do; and in a network with two hidden
    layers, a dead unit of the second keeps its weights as long as it stays dead."""
    X, y = xor()
    for seed in (42, 0, 1, 2):
        net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(seed))
        hidden = net.layers[0]
        hidden.bias[0, 1] = -1.0
        w_before, b_before = hidden.weights[:, 1].copy(), hidden.bias[0, 1]
        others_before = hidden.weights[:, [0, 2, 3]].copy()

        def still_dead(epoch, network):
            assert np.all(network.layers[0].activation_input[:, 1] <= 0)

        train(net, X, y, epochs=1000, learning_rate=0.1, callback=still_dead)
        assert np.array_equal(hidden.weights[:, 1], w_before)
        assert hidden.bias[0, 1] == b_before
        assert not np.array_equal(hidden.weights[:, [0, 2, 3]], others_before)

    net = NeuralNetwork([2, 4, 4, 1], [ReLU(), ReLU(), Sigmoid()], rng=3, init="he")
    second = net.layers[1]
    second.bias[0, 2] = -50.0
    w_before = second.weights[:, 2].copy()

    def frozen_while_dead(epoch, network):
        if np.all(network.layers[1].activation_input[:, 2] <= 0):
            assert np.array_equal(network.layers[1].weights[:, 2], w_before)

    train(net, X, y, epochs=300, learning_rate=0.1, callback=frozen_while_dead)
    assert np.all(second.activation_input[:, 2] <= 0)
    assert np.array_equal(second.weights[:, 2], w_before)


@pytest.mark.book
@pytest.mark.claim("activations-exp-limit")
def test_exp_overflows_just_past_the_glued_limit(run_page):
    """Behaviour, not the formula the page used: with overflow made an error, np.exp is
    finite just below the page's m and overflows just above it, so the chapter's
    1 / (1 + np.exp(-x)) overflows for x just below -m and not just above."""
    m = run_page("activations").glued["act_exp_limit"]
    with np.errstate(over="raise"):
        assert np.isfinite(np.exp(m - 1e-9))
        with pytest.raises(FloatingPointError):
            np.exp(m + 1e-9)
        x = np.array(-(m - 1e-9))
        assert 1 / (1 + np.exp(-x)) > 0
        with pytest.raises(FloatingPointError):
            1 / (1 + np.exp(-np.array(-(m + 1e-9))))


@pytest.mark.book
@pytest.mark.claim("activations-sigmoid-no-overflow")
def test_sigmoid_has_no_overflow_and_the_chapter_formula_has(run_page):
    """The page's three values equal 1 / (1 + e^-x) computed in 50-digit decimal arithmetic
    and rounded once; Sigmoid.forward matches that exact value to 1e-12 (relative) on 200
    random inputs in [-740, 740], raises nothing on inputs up to the largest float and
    infinity, while the chapter's formula raises an overflow at x = -1000."""
    page = run_page("activations")
    g = page.glued
    assert g["act_stable_at_minus_1000"] == exact_sigmoid(-1000.0) == 0.0
    assert g["act_stable_at_0"] == exact_sigmoid(0.0) == 0.5
    assert g["act_stable_at_1000"] == exact_sigmoid(1000.0) == 1.0
    assert g["act_chapter_overflows"] is True
    assert "overflow encountered in exp" in page.stream_text()

    x = np.random.default_rng(11).uniform(-740, 740, 200)
    exact = np.array([exact_sigmoid(float(v)) for v in x])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert np.allclose(Sigmoid.forward(x), exact, rtol=1e-12, atol=0)
        huge = np.array([-np.inf, -np.finfo(np.float64).max, -1e300, 1e300,
                         np.finfo(np.float64).max, np.inf])
        assert np.array_equal(Sigmoid.forward(huge), [0, 0, 0, 1, 1, 1])
        with pytest.raises(FloatingPointError):
            1 / (1 + np.exp(-np.array(-1000.0)))


@pytest.mark.claim("activations-sigmoid-code-described")
def test_the_page_describes_the_sigmoid_code_it_shows():
    """The prose is checked against the source the page includes (inspect.getsource of
    Sigmoid.forward): it names exactly the NumPy functions the code calls and quotes the
    code's own call; it speaks of branches only if the code branches; and the bounds it
    argues (the logarithm is at least max(0, -x), so the outer exp gets a number <= 0)
    hold on 100,000 inputs spread over the whole float range, with no overflow."""
    source = inspect.getsource(Sigmoid.forward)
    tree = ast.parse(textwrap.dedent(source))
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    numpy_calls = {
        node.func.attr for node in calls
        if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "np"
    }
    branches = any(isinstance(node, (ast.If, ast.IfExp)) for node in ast.walk(tree)) or bool(
        numpy_calls & {"where", "piecewise", "select"})

    block = claim_block(PAGE, "activations-sigmoid-code-described")
    spans = re.findall(r"`([^`]+)`", block)
    named = {name for span in spans for name in re.findall(r"\bnp\.(\w+)", span)}
    assert named == numpy_calls, (named, numpy_calls)
    unparsed = {ast.unparse(node) for node in calls}
    assert any(span in unparsed for span in spans), (spans, unparsed)

    page = PAGE.read_text(encoding="utf-8")
    assert bool(re.search(r"\bbranch", page, re.IGNORECASE)) == branches
    assert ("logaddexp" in page) == ("logaddexp" in numpy_calls)

    rng = np.random.default_rng(12)
    x = rng.choice([-1.0, 1.0], 100_000) * 10.0 ** rng.uniform(-3, 308, 100_000)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        log_term = np.logaddexp(0, -x)
        assert np.all(log_term >= np.maximum(0, -x))
        assert np.all(-log_term <= 0)
        s = Sigmoid.forward(x)
    assert np.all((s >= 0) & (s <= 1))


# ------------------------------------------------------------------- exercises' claims


@pytest.mark.book
@pytest.mark.claim("activations-logaddexp-at-1000")
def test_logaddexp_at_1000_is_1000_and_does_not_overflow(run_page):
    """1000 + ln(1 + e^-1000), computed in 60-digit decimal arithmetic and rounded once to
    a double, is 1000.0, the page's value; and with overflow, division by zero and
    invalid operations raised, np.logaddexp(0, t) returns t for t from 1000 up to the
    largest float without raising."""
    assert run_page("activations").glued["act_ex_logaddexp_1000"] == 1000.0
    with decimal.localcontext() as context:
        context.prec = 60
        exact = 1000 + (1 + decimal.Decimal(-1000).exp()).ln()
    assert float(exact) == 1000.0
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        big = np.array([1000.0, 1e5, 1e300, np.finfo(np.float64).max])
        assert np.array_equal(np.logaddexp(0, big), big)


@pytest.mark.book
@pytest.mark.claim("activations-sigmoid-float32")
def test_sigmoid_keeps_float32_without_any_warning(run_page):
    """The page printed a float32 result and no error; on 2,000 float32 inputs from -1 down
    to the most negative float32, with every warning an error and overflow, division by
    zero and invalid operations raised, Sigmoid.forward returns float32 values within
    1e-6 (relative) of the 50-digit sigmoid, or within 1e-44 where that is below float32's
    normal range; at -100 the result is subnormal (between 0 and float32's smallest normal
    number) and at -1000 it is 0."""
    page = run_page("activations")
    assert "float32" in page.stream_text() and page.stream_text("stderr") == ""
    rng = np.random.default_rng(15)
    x = np.concatenate([-(10.0 ** rng.uniform(0, 38, 2000)), [-100.0, -1000.0]])
    x = x.astype(np.float32)
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        s = Sigmoid.forward(x)
    assert s.dtype == np.float32
    exact = np.array([exact_sigmoid(float(v)) for v in x])
    tiny = np.finfo(np.float32).tiny
    normal = exact >= tiny
    assert np.allclose(s[normal], exact[normal], rtol=1e-6, atol=0)
    assert np.all(np.abs(s[~normal] - exact[~normal]) <= 1e-44)
    assert 0 < s[-2] < tiny and s[-1] == 0


@pytest.mark.book
@pytest.mark.claim("activations-sigmoid-symmetry-rounding")
def test_one_minus_sigmoid_loses_what_the_direct_side_keeps(run_page):
    """The page's count (one of five inputs equal) and its two values at x = 40 against
    the 50-digit sigmoid: sigma(-40) agrees with it to 1e-15 (relative), while the exact
    sigma(40) rounds to 1.0, so 1 - sigma(40) is 0; on the page's five inputs the direct
    side is within 1e-15 of the exact value every time, and 1 - sigma(x), rounded from the
    exact sigma(x), is off by a relative error that grows with x."""
    g = run_page("activations").glued
    assert g["act_ex_sym_equal"] == 1
    assert g["act_ex_sym_right_40"] == 0.0
    assert g["act_ex_sym_left_40"] == pytest.approx(exact_sigmoid(-40.0), rel=1e-15)
    assert exact_sigmoid(40.0) == 1.0
    x = np.array([0.5, 2.0, 10.0, 20.0, 40.0])
    exact = np.array([exact_sigmoid(-v) for v in x])
    assert np.allclose(Sigmoid.forward(-x), exact, rtol=1e-15, atol=0)
    subtracted = np.array([1 - exact_sigmoid(v) for v in x])
    errors = np.abs(subtracted - exact) / exact
    assert np.all(np.diff(errors[1:]) > 0) and errors[-1] == 1.0


@pytest.mark.book
@pytest.mark.claim("activations-tanh-is-scaled-sigmoid")
def test_a_tanh_layer_is_a_rescaled_sigmoid_layer(run_page):
    """The page's difference is below 1e-12; with Python's math.tanh and math.exp,
    tanh(x) = 2 / (1 + e^(-2x)) - 1 to 1e-15 on 1,000 inputs in [-15, 15]; and 20 random
    2-4-1 networks, computed with math.tanh for the hidden layer and again with
    1 / (1 + e^-z) hidden units of doubled weights and bias and the output layer's weights
    doubled and bias b - (column sums of W2), give the same outputs to 1e-12."""
    assert run_page("activations").glued["act_ex_tanh_sigmoid_diff"] < 1e-12
    rng = np.random.default_rng(16)
    for v in rng.uniform(-15, 15, 1000):
        assert abs(math.tanh(v) - (2 / (1 + math.exp(-2 * v)) - 1)) < 1e-15

    def sigmoid(z):
        return 1 / (1 + math.exp(-z))

    for _ in range(300):
        W1, b1 = rng.standard_normal((2, 4)), rng.standard_normal(4)
        W2, b2 = rng.standard_normal(4), float(rng.standard_normal())
        for x in rng.standard_normal((8, 2)):
            z = [x[0] * W1[0, k] + x[1] * W1[1, k] + b1[k] for k in range(4)]
            tanh_out = sigmoid(sum(math.tanh(z[k]) * W2[k] for k in range(4)) + b2)
            sigmoid_out = sigmoid(sum(sigmoid(2 * z[k]) * 2 * W2[k] for k in range(4))
                                  + b2 - sum(W2))
            assert abs(tanh_out - sigmoid_out) < 1e-12


@pytest.mark.book
@pytest.mark.claim("activations-ten-sigmoids-bound")
def test_ten_sigmoids_shrink_a_gradient_by_at_least_4_to_the_10(run_page):
    """The page's value is exactly (1/4)^10 (a fraction, 1 / 1,048,576) and its inverse
    4^10; sigma'(0) = 1/4 exactly; and the product of Sigmoid.backward at ten random
    pre-activations, over 20,000 draws of ten from [-6, 6], never exceeds (1/4)^10. The
    weights are not part of the bound: it is the activations' factor alone."""
    g = run_page("activations").glued
    assert g["act_ex_ten_sigmoids"] == float(Fraction(1, 4) ** 10)
    assert g["act_ex_ten_sigmoids_inverse"] == 4 ** 10
    assert Sigmoid.backward(np.array(0.0)) == 0.25
    z = np.random.default_rng(17).uniform(-6, 6, (20_000, 10))
    assert np.prod(Sigmoid.backward(z), axis=1).max() <= float(Fraction(1, 4) ** 10)


@pytest.mark.book
@pytest.mark.claim("activations-leaky-unit-gets-gradient")
def test_a_leaky_unit_that_is_off_still_gets_a_gradient_and_comes_back(run_page):
    """The page's bias gradient is alpha * 4 (four XOR inputs, grad_output 1, alpha = 0.01).
    By hand, for a unit off on every input, ReLU's gradients are 0 and the leaky ReLU's
    alpha * x.T @ g and alpha * sum(g). Training the chapter's 2-4-1 network with a
    LeakyReLU(0.01) hidden layer on XOR for 500 epochs, one hidden unit pushed off (bias -1)
    on five seeds: that unit's weights and bias change every time. And with the loss
    -sum(output), which is lower with the unit on, 300 gradient steps of 0.1 switch a leaky
    unit with bias -1 back on, while the same ReLU unit's weights never move."""
    assert run_page("activations").glued["act_ex_leaky_grad_bias"] == pytest.approx(0.04)
    X, y = xor()
    g = np.ones((4, 1))
    for activation, slope in ((ReLU(), 0.0), (LeakyReLU(0.01), 0.01)):
        layer = Layer(2, 1, activation, rng=0, init=1.0)
        layer.bias[...] = -5.0
        layer.forward(X)
        assert np.all(layer.activation_input < 0)
        _, grad_weights, grad_bias = layer.backward(g)
        assert np.allclose(grad_weights, slope * X.T @ g, rtol=1e-15, atol=0)
        assert np.allclose(grad_bias, slope * g.sum(), rtol=1e-15, atol=0)

    for seed in range(5):
        net = NeuralNetwork([2, 4, 1], [LeakyReLU(0.01), Sigmoid()],
                            rng=np.random.RandomState(seed))
        hidden = net.layers[0]
        hidden.bias[0, 1] = -1.0
        net.forward(X)
        assert np.all(hidden.activation_input[:, 1] < 0)
        w_before, b_before = hidden.weights[:, 1].copy(), hidden.bias[0, 1]
        train(net, X, y, epochs=500, learning_rate=0.1)
        assert not np.array_equal(hidden.weights[:, 1], w_before)
        assert hidden.bias[0, 1] != b_before

    for activation, comes_back in ((LeakyReLU(0.01), True), (ReLU(), False)):
        layer = Layer(2, 1, activation, rng=0, init=1.0)
        layer.bias[...] = -1.0
        w_before = layer.weights.copy()
        for _ in range(300):
            layer.forward(X)
            _, grad_weights, grad_bias = layer.backward(-g)  # d(-sum(output))/d(output)
            layer.weights -= 0.1 * grad_weights
            layer.bias -= 0.1 * grad_bias
        on = bool(np.any(layer.forward(X) > 0))
        assert on == comes_back
        assert np.array_equal(layer.weights, w_before) == (not comes_back)
