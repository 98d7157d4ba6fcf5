"""Numerical stress: extreme inputs give finite numbers and no NumPy warnings.

Warnings are errors in this test suite, so any overflow, division by zero or invalid
operation inside these calls fails the test.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratchnet import (
    BinaryCrossEntropy,
    Identity,
    Layer,
    MeanSquaredError,
    NeuralNetwork,
    Sigmoid,
    SoftmaxCrossEntropy,
    Tanh,
    numerical_gradient,
    softmax,
)

EXTREMES = [-1e4, -710.0, -50.0, 0.0, 50.0, 710.0, 1e4]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_and_tanh_at_extremes(dtype):
    x = np.array(EXTREMES, dtype=dtype)
    for activation in (Sigmoid, Tanh):
        for values in (activation.forward(x), activation.backward(x)):
            assert values.dtype == dtype and np.all(np.isfinite(values))
    s = Sigmoid.forward(x)
    assert s[0] == 0.0 and s[-1] == 1.0 and np.all((s >= 0) & (s <= 1))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_and_its_loss_at_extremes(dtype):
    logits = np.array([EXTREMES, EXTREMES[::-1]], dtype=dtype)
    p = softmax(logits)
    assert p.dtype == dtype and np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-6)
    loss = SoftmaxCrossEntropy()
    for labels in (np.array([0, 0]), np.array([6, 3])):
        assert np.isfinite(loss.forward(logits, labels))
        assert np.all(np.isfinite(loss.backward(logits, labels)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_binary_cross_entropy_at_extremes(dtype):
    z = np.array(EXTREMES, dtype=dtype).reshape(-1, 1)
    p = Sigmoid.forward(z)
    for target in (np.zeros_like(p), np.ones_like(p)):
        loss = BinaryCrossEntropy()
        assert np.isfinite(loss.forward(p, target))
        grad = loss.backward(p, target)
        assert grad.dtype == dtype and np.all(np.isfinite(grad))
        layer = Layer(1, 1, Sigmoid())  # holds z and p as if its forward pass had made them
        layer.activation_input, layer.output = z, p
        value, grad_z = loss.delta(layer, target)
        assert np.isfinite(value) and np.all(np.isfinite(grad_z))
        assert np.all(np.abs(grad_z) <= 1.0 / len(z) + 1e-12)


def test_mean_squared_error_at_large_values():
    out = np.array([[1e4], [-1e4]])
    assert np.isfinite(MeanSquaredError().forward(out, np.zeros_like(out)))


def assert_gradients_match(network, X, target, loss):
    """Backprop against central differences, element by element.

    An absolute floor ``atol`` stands in for the relative error where a gradient is
    so close to 0 that the rounding of the loss dominates its finite difference.
    """
    gradients, _ = network.gradients(loss.backward(network.forward(X), target))
    for parameter, gradient in zip(network.parameters(), gradients):
        numeric = numerical_gradient(lambda: loss.forward(network.forward(X), target), parameter)
        np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-8)


@settings(max_examples=25, deadline=None)
@given(
    n_in=st.integers(1, 4),
    hidden=st.integers(1, 6),
    n_out=st.integers(2, 4),
    batch=st.integers(1, 7),
    seed=st.integers(0, 2**31 - 1),
    scale=st.sampled_from([0.3, 1.0, 3.0]),
)
def test_softmax_network_gradients_property(n_in, hidden, n_out, batch, seed, scale):
    """Backprop agrees with finite differences for random shapes, batches and values."""
    rng = np.random.default_rng(seed)
    network = NeuralNetwork([n_in, hidden, n_out], [Tanh(), Identity()], rng=rng, init=scale)
    X = rng.normal(scale=scale, size=(batch, n_in))
    labels = rng.integers(0, n_out, batch)
    assert_gradients_match(network, X, labels, SoftmaxCrossEntropy())


@settings(max_examples=25, deadline=None)
@given(
    n_in=st.integers(1, 4),
    hidden=st.integers(1, 6),
    batch=st.integers(1, 7),
    seed=st.integers(0, 2**31 - 1),
)
def test_mse_network_gradients_property(n_in, hidden, batch, seed):
    rng = np.random.default_rng(seed)
    network = NeuralNetwork([n_in, hidden, 2], [Sigmoid(), Identity()], rng=rng, init=1.0)
    X = rng.normal(size=(batch, n_in))
    assert_gradients_match(network, X, rng.normal(size=(batch, 2)), MeanSquaredError())
