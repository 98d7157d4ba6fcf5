"""The gradient checker itself: it must measure correctly, and it must be able to fail."""

import numpy as np
import pytest

from scratchnet import (
    Layer,
    MeanSquaredError,
    NetworkBatch,
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


def test_relative_error_of_nothing_is_an_error_not_a_pass():
    """Two empty arrays are no evidence that a gradient is right (it used to say 0.0)."""
    with pytest.raises(ValueError, match="analytic and numeric are empty"):
        relative_error(np.zeros((0, 3)), np.zeros((0, 3)))


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


# ----------------------------------------------------------------------- fails closed
#
# Hostile arguments: each must raise TypeError or ValueError whose message names the
# argument (never AttributeError, ZeroDivisionError, a NumPy casting error, a warning
# or, worst of all, a small error that reads as a pass).

def gradient_at_1_2(f_of_x, h=1e-5):
    """numerical_gradient of ``f_of_x(x)`` at a fresh ``x = [1, 2]`` (a failing call may
    leave the entry it was nudging nudged, so no two calls share an array)."""
    x = np.array([1.0, 2.0])
    return numerical_gradient(lambda: f_of_x(x), x, h)


def sum_of_squares(x):
    return float(np.sum(x**2))


def small_layer():
    return Layer(3, 2, Tanh(), rng=0, init="xavier")


def small_network():
    return NeuralNetwork([2, 3, 1], [Tanh(), Sigmoid()], rng=0, init="xavier")


XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])

HOSTILE = {
    # relative_error
    "relative_error: NaN in analytic": (
        lambda: relative_error([1.0, np.nan], [1.0, 2.0]), ValueError, r"^analytic must be finite"),
    "relative_error: NaN in numeric": (
        lambda: relative_error([1.0, 2.0], [1.0, np.nan]), ValueError, r"^numeric must be finite"),
    "relative_error: NaN on both sides": (
        lambda: relative_error([np.nan], [np.nan]), ValueError, r"^analytic must be finite"),
    "relative_error: inf in numeric": (
        lambda: relative_error([1.0, 2.0], [np.inf, 2.0]), ValueError, r"^numeric must be finite"),
    "relative_error: inf and -inf (sum is NaN)": (
        lambda: relative_error([np.inf, -np.inf], [1.0, 2.0]), ValueError,
        r"^analytic must be finite, got 2 NaN or infinite"),
    "relative_error: (2, 1) against (2,)": (
        lambda: relative_error(np.ones((2, 1)), np.ones(2)), ValueError,
        r"^analytic and numeric must have the same shape, got \(2, 1\) and \(2,\)$"),
    "relative_error: (2,) against (1,)": (
        lambda: relative_error([1.0, 2.0], [1.0]), ValueError,
        r"^analytic and numeric must have the same shape, got \(2,\) and \(1,\)$"),
    "relative_error: string array": (
        lambda: relative_error(np.array(["1.0", "2.0"]), [1.0, 2.0]), TypeError,
        r"^analytic must be an array of real numbers .* got dtype <U3"),
    "relative_error: object array": (
        lambda: relative_error([1.0, 2.0], np.array([1.0, None])), TypeError,
        r"^numeric must be an array of real numbers .* got dtype object"),
    "relative_error: complex array": (
        lambda: relative_error([1.0 + 1j, 2.0], [1.0, 2.0]), TypeError,
        r"^analytic must be an array of real numbers .* got dtype complex128"),
    "relative_error: bool array": (
        lambda: relative_error([1.0, 0.0], [True, False]), TypeError,
        r"^numeric must be an array of real numbers .* got dtype bool"),
    "relative_error: ragged list": (
        lambda: relative_error([[1.0], [1.0, 2.0]], [1.0, 2.0]), ValueError,
        r"^analytic must be a rectangular array"),
    # numerical_gradient: x
    "numerical_gradient: int array x": (
        lambda: numerical_gradient(lambda: 0.0, np.array([1, 2])), TypeError,
        r"^x must be a floating-point NumPy array \(it is nudged in place\), got int64 array"),
    "numerical_gradient: list x": (
        lambda: numerical_gradient(lambda: 0.0, [1.0, 2.0]), TypeError,
        r"^x must be a floating-point NumPy array \(it is nudged in place\), got list"),
    "numerical_gradient: scalar x": (
        lambda: numerical_gradient(lambda: 0.0, 1.5), TypeError,
        r"^x must be a floating-point NumPy array .* got float"),
    "numerical_gradient: complex array x": (
        lambda: numerical_gradient(lambda: 0.0, np.array([1j])), TypeError,
        r"^x must be a floating-point NumPy array .* got complex128 array"),
    "numerical_gradient: read-only x": (
        lambda: numerical_gradient(lambda: 0.0, np.broadcast_to(np.ones(1), (3,))), ValueError,
        r"^x must be writable \(it is nudged in place\), got a read-only array"),
    "numerical_gradient: NaN in x": (
        lambda: numerical_gradient(lambda: 0.0, np.array([np.nan, 1.0])), ValueError,
        r"^x must be finite, got 1 NaN"),
    "numerical_gradient: float16 x, h lost to rounding": (
        lambda: numerical_gradient(lambda: 0.0, np.array([1.0, 2.0], dtype=np.float16)),
        ValueError, r"^h must be large enough to change every entry of x, got h=1e-05: .*float16"),
    "numerical_gradient: x too large for h": (
        lambda: numerical_gradient(lambda: 0.0, np.array([1e12, 1.0])), ValueError,
        r"^h must be large enough to change every entry of x, .* 1 of 2 entries"),
    # numerical_gradient: h
    "numerical_gradient: h=0": (
        lambda: gradient_at_1_2(sum_of_squares, 0), ValueError,
        r"^h must be a positive finite number, got 0$"),
    "numerical_gradient: h=-1": (
        lambda: gradient_at_1_2(sum_of_squares, -1), ValueError,
        r"^h must be a positive finite number, got -1$"),
    "numerical_gradient: h=nan": (
        lambda: gradient_at_1_2(sum_of_squares, float("nan")), ValueError,
        r"^h must be a positive finite number, got nan$"),
    "numerical_gradient: h=inf": (
        lambda: gradient_at_1_2(sum_of_squares, float("inf")), ValueError,
        r"^h must be a positive finite number, got inf$"),
    "numerical_gradient: h=True": (
        lambda: gradient_at_1_2(sum_of_squares, True), TypeError,
        r"^h must be a positive finite number, got True$"),
    "numerical_gradient: h a string": (
        lambda: gradient_at_1_2(sum_of_squares, "1e-5"), TypeError,
        r"^h must be a positive finite number, got '1e-5'$"),
    "numerical_gradient: h None": (
        lambda: gradient_at_1_2(sum_of_squares, None), TypeError,
        r"^h must be a positive finite number, got None$"),
    # here and for "f returns a bool": NumPy 2's repr of a scalar, or NumPy 1's
    "numerical_gradient: h a complex NumPy scalar": (
        lambda: gradient_at_1_2(sum_of_squares, np.complex128(1e-5)), TypeError,
        r"^h must be a positive finite number, got (np\.complex128\(1e-05\+0j\)|\(1e-05\+0j\))$"),
    # numerical_gradient: f
    "numerical_gradient: f returns nan": (
        lambda: gradient_at_1_2(lambda x: float("nan")), ValueError,
        r"^f must return a finite number, got nan$"),
    "numerical_gradient: f returns inf": (
        lambda: gradient_at_1_2(lambda x: np.float64(np.inf)), ValueError,
        r"^f must return a finite number, got inf$"),
    "numerical_gradient: f returns an array": (
        lambda: gradient_at_1_2(lambda x: x**2), TypeError,
        r"^f must return one real number \(a scalar\), got an array of shape \(2,\)$"),
    "numerical_gradient: f returns None": (
        lambda: gradient_at_1_2(lambda x: None), TypeError,
        r"^f must return one real number \(a scalar\), got None$"),
    "numerical_gradient: f returns a bool": (
        lambda: gradient_at_1_2(lambda x: x[0] > 0), TypeError,
        r"^f must return one real number \(a scalar\), got (np\.True_|True)$"),
    "numerical_gradient: f not callable": (
        lambda: numerical_gradient(3.0, np.array([1.0, 2.0])), TypeError,
        r"^f must be a function of no arguments returning a number, got 3.0$"),
    "numerical_gradient: f takes an argument": (
        lambda: numerical_gradient(sum_of_squares, np.array([1.0, 2.0])), TypeError,
        r"^f must take no arguments .* got a function with parameters \(x\)$"),
    # check_layer
    "check_layer: the class Layer": (
        lambda: check_layer(Layer, np.ones((2, 3)), np.ones((2, 2))), TypeError,
        r"^layer must be a Layer instance, got the class Layer; write Layer\(3, 2, Tanh\(\)\)"),
    "check_layer: a network as layer": (
        lambda: check_layer(small_network(), np.ones((2, 2)), np.ones((2, 1))), TypeError,
        r"^layer must be a Layer instance such as Layer\(3, 2, Tanh\(\)\), got NeuralNetwork"),
    "check_layer: x with the wrong columns": (
        lambda: check_layer(small_layer(), np.ones((2, 4)), np.ones((2, 2))), ValueError,
        r"^x must have 3 columns .* got shape \(2, 4\)"),
    "check_layer: x 1-D": (
        lambda: check_layer(small_layer(), np.ones(3), np.ones((1, 2))), ValueError,
        r"^x must be 2-D with shape \(n_samples, 3\), got shape \(3,\)"),
    "check_layer: x strings": (
        lambda: check_layer(small_layer(), np.full((2, 3), "a"), np.ones((2, 2))), TypeError,
        r"^x must be an array of real numbers .* got dtype <U1"),
    "check_layer: NaN in x": (
        lambda: check_layer(small_layer(), np.full((2, 3), np.nan), np.ones((2, 2))), ValueError,
        r"^x must be finite, got 6 NaN"),
    "check_layer: grad_output of the wrong shape": (
        lambda: check_layer(small_layer(), np.ones((2, 3)), np.ones((2,))), ValueError,
        r"^grad_output must have shape \(2, 2\) .* got \(2,\)$"),
    "check_layer: grad_output that would broadcast": (
        lambda: check_layer(small_layer(), np.ones((2, 3)), np.ones((1, 2))), ValueError,
        r"^grad_output must have shape \(2, 2\) .* got \(1, 2\)$"),
    "check_layer: grad_output complex": (
        lambda: check_layer(small_layer(), np.ones((2, 3)), np.ones((2, 2)) * 1j), TypeError,
        r"^grad_output must be an array of real numbers .* got dtype complex128"),
    "check_layer: inf in grad_output": (
        lambda: check_layer(small_layer(), np.ones((2, 3)), np.full((2, 2), np.inf)), ValueError,
        r"^grad_output must be finite, got 4 NaN"),
    "check_layer: h=0": (
        lambda: check_layer(small_layer(), np.ones((2, 3)), np.ones((2, 2)), h=0), ValueError,
        r"^h must be a positive finite number, got 0$"),
    "check_layer: h=True": (
        lambda: check_layer(small_layer(), np.ones((2, 3)), np.ones((2, 2)), h=True), TypeError,
        r"^h must be a positive finite number, got True$"),
    # check_network
    "check_network: the class NeuralNetwork": (
        lambda: check_network(NeuralNetwork, XOR_X, XOR_Y), TypeError,
        r"^network must be a NeuralNetwork instance, got the class NeuralNetwork; write "
        r"NeuralNetwork\(layer_sizes, activations\) with parentheses$"),
    "check_network: a layer as network": (
        lambda: check_network(small_layer(), XOR_X, XOR_Y), TypeError,
        r"^network must be a NeuralNetwork instance such as NeuralNetwork\("),
    "check_network: a NetworkBatch": (
        lambda: check_network(NetworkBatch([2, 3, 1], [Tanh(), Sigmoid()], rngs=[0, 1]),
                              XOR_X, XOR_Y), TypeError,
        r"^network must be one NeuralNetwork, got a NetworkBatch of 2 runs \(its loss is one "
        r"number per run\); check a run with batch\.network\(i\)$"),
    "check_network: loss a string": (
        lambda: check_network(small_network(), XOR_X, XOR_Y, loss="mse"), TypeError,
        r"^loss must be a Loss instance such as MeanSquaredError\(\), got 'mse'$"),
    "check_network: loss 0 (falsy, not silently replaced)": (
        lambda: check_network(small_network(), XOR_X, XOR_Y, loss=0), TypeError,
        r"^loss must be a Loss instance .* got 0$"),
    "check_network: loss the class": (
        lambda: check_network(small_network(), XOR_X, XOR_Y, loss=MeanSquaredError), TypeError,
        r"^loss must be a Loss instance, got the class MeanSquaredError; write MeanSquared"),
    "check_network: x with the wrong columns": (
        lambda: check_network(small_network(), np.ones((4, 3)), XOR_Y), ValueError,
        r"^x must have 2 columns .* got shape \(4, 3\)"),
    "check_network: x strings": (
        lambda: check_network(small_network(), np.full((4, 2), "a"), XOR_Y), TypeError,
        r"^x must be an array of real numbers .* got dtype <U1"),
    "check_network: NaN in x": (
        lambda: check_network(small_network(), np.full((4, 2), np.nan), XOR_Y), ValueError,
        r"^x must be finite, got 8 NaN"),
    "check_network: y that would broadcast": (
        lambda: check_network(small_network(), XOR_X, XOR_Y.ravel()), ValueError,
        r"^y must have shape \(4, 1\) \(one row per sample of x, one column per output\), got shape \(4,\)$"),
    "numerical_gradient: x + h rounds back to x": (
        lambda: numerical_gradient(lambda: 0.0, np.array([1.0]), h=1.1e-16), ValueError,
        r"^h must be large enough to change every entry of x, got h=1\.1e-16: x \+ h or x - h "
        r"rounds back to x in 1 of 1 entries"),
    "numerical_gradient: x - h rounds back to x": (
        lambda: numerical_gradient(lambda: 0.0, np.array([-1.0]), h=1.1e-16), ValueError,
        r"^h must be large enough to change every entry of x, got h=1\.1e-16: x \+ h or x - h "
        r"rounds back to x in 1 of 1 entries"),
    "numerical_gradient: x + h overflows": (
        lambda: numerical_gradient(lambda: 0.0, np.array([1.0, np.finfo(float).max]), h=1e300),
        ValueError,
        r"^h must be small enough that x \+ h and x - h stay finite, got h=1e\+300: they "
        r"overflow to infinity in 1 of 2 entries \(float64, largest magnitude 1\.79769e\+308\)"),
    "numerical_gradient: x - h overflows": (
        lambda: numerical_gradient(lambda: 0.0, np.array([-np.finfo(np.float32).max], np.float32),
                                   h=1e37),
        ValueError, r"^h must be small enough .* in 1 of 1 entries \(float32"),
    "check_network: h=-1": (
        lambda: check_network(small_network(), XOR_X, XOR_Y, h=-1), ValueError,
        r"^h must be a positive finite number, got -1$"),
}


@pytest.mark.parametrize("call, error, message", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_arguments_raise_a_clear_error(call, error, message):
    with pytest.raises(error, match=message) as raised:
        call()
    assert type(raised.value) in (TypeError, ValueError)  # not a NumPy subclass of either


def test_numerical_gradient_refuses_the_int_array_it_used_to_truncate():
    # x + h truncated to int made [50000, 150000] out of the gradient [2, 4]
    x = np.array([1, 2])
    with pytest.raises(TypeError, match="got int64 array"):
        numerical_gradient(lambda: float(np.sum(x**2)), x)
    x = x.astype(np.float64)
    np.testing.assert_allclose(numerical_gradient(lambda: float(np.sum(x**2)), x), [2.0, 4.0])


def test_numerical_gradient_stops_at_the_first_bad_value_of_f():
    x = np.array([0.1, 1 / 3, -2.7])
    x0 = x.copy()

    def f():
        if x[1] != x0[1]:
            return float("nan")  # a NaN while the second entry is nudged
        return float(np.sum(x))

    with pytest.raises(ValueError, match="^f must return a finite number"):
        numerical_gradient(f, x)
    # the entries before and after the failing one are untouched (the loop has no
    # try/finally, so the entry being nudged when f failed is not restored)
    np.testing.assert_array_equal(x[[0, 2]], x0[[0, 2]])


def test_checks_do_not_reject_what_the_book_and_tests_pass():
    # lists, ints and scalars of the same shape stay fine for relative_error
    assert relative_error([1, 2], [1.0, 2.0]) == 0.0
    assert relative_error(1.0, 3) == pytest.approx(2 / 3)
    assert relative_error(np.float32([1.0]), np.array([1.0])) == 0.0
    # 0-d arrays and NumPy scalars from f, float32 and 0-d x
    x = np.array(1.5)
    assert numerical_gradient(lambda: np.sum(x**2), x) == pytest.approx(3.0)
    x32 = np.array([1.0, 2.0], dtype=np.float32)
    np.testing.assert_allclose(
        numerical_gradient(lambda: np.float32(np.sum(x32**2)), x32, 1e-2), [2.0, 4.0], rtol=1e-3
    )
    # int inputs and a list grad_output for check_layer; a list x for check_network
    errors = check_layer(small_layer(), np.ones((2, 3), dtype=int), [[1, 2], [3, 4]])
    assert max(errors.values()) < 1e-7
    errors = check_network(small_network(), XOR_X.astype(int).tolist(), XOR_Y)
    assert max(errors.values()) < 1e-6


def test_relative_error_of_huge_opposite_values_does_not_overflow():
    # |a - n| would overflow to inf (and warn); dividing by the scale first does not
    assert relative_error([1e308], [-1e308]) == pytest.approx(2.0)
    assert relative_error([1e308, 1e308], [1e308, 1e308]) == 0.0  # no overflow warning either


# ----------------------------------------------------------------------- wrong never passes

RIGHT = np.array([2.0, 4.0])  # the gradient of sum_of_squares at [1, 2]

WRONG = {
    "off by a factor 2": 2 * RIGHT,
    "half of it": 0.5 * RIGHT,
    "sign flipped": -RIGHT,
    "zero": np.zeros(2),
    "one entry wrong": np.array([2.0, 5.0]),
    "swapped": RIGHT[::-1],
    "column instead of row": RIGHT.reshape(2, 1),
    "NaN": np.full(2, np.nan),
    "one NaN": np.array([2.0, np.nan]),
    "inf": np.array([np.inf, 4.0]),
}


@pytest.mark.parametrize("wrong", WRONG.values(), ids=WRONG.keys())
def test_a_wrong_gradient_is_never_reported_as_a_small_error(wrong):
    numeric = gradient_at_1_2(sum_of_squares)
    assert relative_error(RIGHT, numeric) < 1e-9  # the check itself is sound
    for analytic, numerical in ((wrong, numeric), (numeric, wrong)):  # on either side
        try:
            error = relative_error(analytic, numerical)
        except ValueError:
            continue  # refused: fails closed
        assert error > 1e-2, (wrong, error)


class NaNTanh(Tanh):
    """tanh whose derivative is NaN: a backward pass poisoned by 0/0."""

    @staticmethod
    def backward(x):
        return np.full_like(x, np.nan)


def test_check_layer_refuses_a_nan_backward_instead_of_passing_it():
    layer, x, g = layer_problem(NaNTanh())
    with pytest.raises(ValueError, match="^analytic must be finite"):
        check_layer(layer, x, g)


def test_check_layer_does_not_nudge_the_callers_x():
    layer, x, g = layer_problem(Tanh())
    seen = []
    original = layer.forward

    def forward(inputs):
        seen.append(inputs is x)
        return original(inputs)

    layer.forward = forward
    check_layer(layer, x, g)
    assert seen and not any(seen)


# ----------------------------------------------------------------------- documented details


def test_numerical_gradient_is_float64_even_for_float32_x():
    x = np.array([1.0, 2.0], dtype=np.float32)
    gradient = numerical_gradient(lambda: float(np.sum(x.astype(np.float64) ** 2)), x, 1e-2)
    assert gradient.dtype == np.float64
    np.testing.assert_allclose(gradient, [2.0, 4.0], rtol=1e-6)


def test_numerical_gradient_accepts_a_zero_dimensional_array_from_f():
    x = np.array([1.0, 2.0])
    gradient = numerical_gradient(lambda: np.array(float(np.sum(x**2))), x)
    assert gradient.shape == (2,)
    np.testing.assert_allclose(gradient, [2.0, 4.0], rtol=1e-8)


def test_relative_error_is_computed_in_float64_for_float32_input():
    a, n = np.float32([1.0]), np.float32([1.0 + 2**-23])  # neighbours in float32
    expected = 2**-23 / (1.0 + 2**-23)  # |a - n| / max(|a|, |n|), in float64
    assert relative_error(a, n) == pytest.approx(expected, rel=1e-12)


def test_check_layer_and_check_network_nudge_by_the_given_h():
    # a central difference is off by about h**2 * f''' / 6: a coarse h shows in every
    # error, the default h=1e-5 in none
    layer = small_layer()
    rng = np.random.default_rng(1)
    x, grad_output = rng.standard_normal((4, 3)), rng.standard_normal((4, 2))
    assert all(error > 1e-3 for error in check_layer(layer, x, grad_output, h=0.3).values())
    assert all(error < 1e-8 for error in check_layer(layer, x, grad_output).values())
    coarse = check_network(small_network(), XOR_X, XOR_Y, h=0.3)
    assert all(error > 1e-4 for error in coarse.values()), coarse
    assert all(error < 1e-8 for error in check_network(small_network(), XOR_X, XOR_Y).values())


def test_check_layer_depends_on_the_values_of_grad_output_not_their_container():
    # the same values as float32, float64 or a list of Python floats: the same errors
    layer = Layer(3, 2, Tanh(), rng=0, init="xavier", dtype=np.float32)
    x = np.arange(12, dtype=np.float32).reshape(4, 3) / 8
    values = [[0.25, -0.5], [1.0, 0.75], [-1.5, 2.0], [0.125, -0.25]]  # exact in float32
    reference = check_layer(layer, x, np.array(values, dtype=np.float32), h=1e-2)
    for given in (np.array(values), values):
        assert check_layer(layer, x, given, h=1e-2) == reference


def test_numerical_gradient_accepts_a_built_in_without_a_signature():
    # inspect.signature(int) fails: such an f is not refused, it is just called
    np.testing.assert_array_equal(numerical_gradient(int, np.array([1.0, 2.0])), [0.0, 0.0])
