"""The gradient checker itself: it must measure correctly, and it must be able to fail."""

import numpy as np
import pytest

from scratchnet import (
    Layer,
    NeuralNetwork,
    ReLU,
    Sigmoid,
    Tanh,
    check_layer,
    check_network,
    numerical_gradient,
    relative_error,
)

# ----------------------------------------------------------------------- numerical_gradient


def test_numerical_gradient_of_sum_of_squares():
    x = np.array([[0.1, -2.0, 3.5], [1 / 3, 0.0, -0.7]])
    grad = numerical_gradient(lambda: float(np.sum(x**2)), x)
    np.testing.assert_allclose(grad, 2 * x, rtol=1e-9, atol=1e-9)
    assert grad.shape == x.shape


def test_numerical_gradient_of_nonlinear_functions():
    x = np.array([0.3, -1.2, 2.0, 0.7])
    np.testing.assert_allclose(
        numerical_gradient(lambda: float(np.sum(np.sin(x))), x), np.cos(x), rtol=1e-9
    )
    np.testing.assert_allclose(
        numerical_gradient(lambda: float(np.sum(x**3)), x), 3 * x**2, rtol=1e-9
    )
    # a function coupling the entries: f = x0 * x1 * x2 * x3
    np.testing.assert_allclose(
        numerical_gradient(lambda: float(np.prod(x)), x), np.prod(x) / x, rtol=1e-9
    )


def test_numerical_gradient_error_shrinks_like_h_squared():
    x = np.array([1.0])
    f = lambda: float(np.exp(x[0]))  # noqa: E731
    err_big = abs(numerical_gradient(f, x, h=1e-2)[0] - np.e)
    err_small = abs(numerical_gradient(f, x, h=1e-3)[0] - np.e)
    # central differences: error ~ e * h**2 / 6, so 10x smaller h gives ~100x smaller error
    assert err_big == pytest.approx(np.e * 1e-4 / 6, rel=0.01)
    assert 50 < err_big / err_small < 200


def test_numerical_gradient_restores_x_exactly():
    # values where x + h - h != x in floating point, so only restoring the saved value works
    x = np.array([[0.1, 1 / 3, -2.7], [1e-8, 123.456, np.pi]])
    x0 = x.copy()
    calls = []

    def f():
        calls.append(x.copy())
        return float(np.sum(np.sin(x)))

    numerical_gradient(f, x)
    np.testing.assert_array_equal(x, x0)
    assert x.tobytes() == x0.tobytes()
    assert len(calls) == 2 * x.size
    # each call saw exactly one entry nudged
    assert all(np.count_nonzero(c != x0) == 1 for c in calls)


def test_numerical_gradient_restores_x_when_values_are_views():
    # the layer's weights are edited in place through the array the network holds
    layer = Layer(2, 2, Tanh(), rng=0, init="xavier")
    w = layer.weights
    w0 = w.copy()
    x = np.ones((1, 2))
    numerical_gradient(lambda: float(np.sum(layer.forward(x))), layer.weights)
    assert layer.weights is w
    np.testing.assert_array_equal(layer.weights, w0)


# ----------------------------------------------------------------------- relative_error


def test_relative_error_equal_arrays_is_zero():
    a = np.array([[1.5, -2.0], [3.0, 1e-12]])
    assert relative_error(a, a.copy()) == 0.0


def test_relative_error_both_zero_is_zero_without_warning():
    # 0/0 would warn (and warnings are errors); the checker defines it as 0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.array([0.0, 2.0]), np.array([0.0, 2.0])) == 0.0


def test_relative_error_values():
    assert relative_error(np.array([1.0]), np.array([3.0])) == pytest.approx(2 / 3)
    assert relative_error(np.array([3.0]), np.array([1.0])) == pytest.approx(2 / 3)
    # opposite signs: the maximum, 2
    assert relative_error(np.array([1.0]), np.array([-1.0])) == pytest.approx(2.0)
    # one side zero: 1
    assert relative_error(np.array([0.0]), np.array([5.0])) == pytest.approx(1.0)
    # the largest element-wise error is reported, not an average
    a = np.array([1.0, 1.0, 1.0, 1.0])
    n = np.array([1.0, 1.0, 1.0, 1.1])
    assert relative_error(a, n) == pytest.approx(0.1 / 1.1)


def test_relative_error_is_scale_invariant():
    a = np.array([1.0, -2.0, 3.0])
    n = a * (1 + 1e-6)
    assert relative_error(a, n) == pytest.approx(relative_error(a * 1e-8, n * 1e-8), rel=1e-6)


def test_relative_error_empty_is_zero():
    assert relative_error(np.zeros((0, 3)), np.zeros((0, 3))) == 0.0


# ----------------------------------------------------------------------- the checker can fail


class WrongTanh(Tanh):
    """tanh with a deliberately wrong derivative: 1 - tanh(x) instead of 1 - tanh(x)**2."""

    @staticmethod
    def backward(x):
        return 1 - np.tanh(x)


class HalfSigmoid(Sigmoid):
    """sigmoid whose derivative is off by a factor of 2, a typical chain-rule slip."""

    @staticmethod
    def backward(x):
        return 0.5 * Sigmoid.backward(x)


def layer_problem(activation, seed=0):
    rng = np.random.default_rng(seed)
    layer = Layer(3, 2, activation, rng=rng, init="xavier")
    return layer, rng.standard_normal((4, 3)), rng.standard_normal((4, 2))


def test_check_layer_passes_for_a_correct_layer():
    layer, x, g = layer_problem(Tanh())
    assert max(check_layer(layer, x, g).values()) < 1e-7


@pytest.mark.parametrize("activation", [WrongTanh(), HalfSigmoid()], ids=["WrongTanh", "HalfSigmoid"])
def test_check_layer_detects_a_wrong_activation_derivative(activation):
    layer, x, g = layer_problem(activation)
    errors = check_layer(layer, x, g)
    assert min(errors.values()) > 1e-2, errors


def test_check_layer_detects_a_corrupted_backward(monkeypatch):
    layer, x, g = layer_problem(Sigmoid())
    original = Layer.backward

    def transposed_bug(self, grad_output):
        # forgets the activation's derivative for the weights
        grad_input, _, grad_bias = original(self, grad_output)
        return grad_input, self.input.T @ grad_output, grad_bias

    monkeypatch.setattr(Layer, "backward", transposed_bug)
    errors = check_layer(layer, x, g)
    assert errors["weights"] > 1e-2
    assert errors["input"] < 1e-7 and errors["bias"] < 1e-7  # the bug is localised


def test_check_network_detects_a_corrupted_layer():
    rng = np.random.default_rng(1)
    net = NeuralNetwork([3, 4, 1], [ReLU(), Sigmoid()], rng=rng, init="he")
    for layer in net.layers:
        layer.bias[...] = 0.1
    x = rng.standard_normal((5, 3))
    y = np.array([[0.0], [1.0], [1.0], [0.0], [1.0]])
    assert max(check_network(net, x, y).values()) < 1e-6  # sanity: correct as built

    net.layers[1].activation = HalfSigmoid()
    errors = check_network(net, x, y)
    # every gradient passes through the output layer, so every one is wrong
    assert min(errors.values()) > 1e-2, errors


def test_check_layer_leaves_parameters_unchanged():
    layer, x, g = layer_problem(Tanh())
    w, b, x0 = layer.weights.copy(), layer.bias.copy(), x.copy()
    check_layer(layer, x, g)
    np.testing.assert_array_equal(layer.weights, w)
    np.testing.assert_array_equal(layer.bias, b)
    np.testing.assert_array_equal(x, x0)
