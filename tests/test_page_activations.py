"""The activations page: it runs cleanly, its claims hold on independent evidence, and its
prose describes the code it shows."""

from __future__ import annotations

import ast
import inspect
import math
import re
import textwrap

import numpy as np
import pytest

from conftest import ROOT
from scratchnet import NeuralNetwork, ReLU, Sigmoid, Tanh, train, xor

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
