"""Activation functions: values, derivatives, dtypes and extreme inputs.

pyproject.toml turns every warning into an error, so an overflow in ``exp``
(the chapter's sigmoid warns for x < -709) fails these tests by itself.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scratchnet import Activation, ReLU, Sigmoid, Tanh

ACTIVATIONS = [ReLU(), Sigmoid(), Tanh()]
IDS = ["ReLU", "Sigmoid", "Tanh"]

X = np.array([-3.0, -1.5, -0.5, -1e-3, 0.0, 1e-3, 0.5, 1.5, 3.0])


def sigmoid_reference(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# --------------------------------------------------------------------------- forward


def test_relu_forward_values():
    np.testing.assert_array_equal(
        ReLU.forward(X), [0.0, 0.0, 0.0, 0.0, 0.0, 1e-3, 0.5, 1.5, 3.0]
    )


def test_sigmoid_forward_values():
    expected = [sigmoid_reference(v) for v in X]
    np.testing.assert_allclose(Sigmoid.forward(X), expected, rtol=1e-15, atol=0)
    assert Sigmoid.forward(np.array(0.0)) == 0.5


def test_sigmoid_forward_is_symmetric():
    # sigmoid(-x) = 1 - sigmoid(x): both branches of the stable formula agree
    x = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(Sigmoid.forward(-x), 1 - Sigmoid.forward(x), rtol=0, atol=1e-15)


def test_tanh_forward_values():
    np.testing.assert_allclose(Tanh.forward(X), [math.tanh(v) for v in X], rtol=1e-15)
    assert Tanh.forward(np.array(0.0)) == 0.0


@pytest.mark.parametrize("act", ACTIVATIONS, ids=IDS)
def test_forward_keeps_shape(act):
    x = np.arange(24, dtype=np.float64).reshape(2, 3, 4) - 12
    assert act.forward(x).shape == (2, 3, 4)
    assert act.backward(x).shape == (2, 3, 4)


# --------------------------------------------------------------------------- backward


def test_relu_backward_values():
    # derivative 1 where x > 0, and 0 elsewhere, including at x = 0 (as in the chapter)
    np.testing.assert_array_equal(ReLU.backward(X), [0, 0, 0, 0, 0, 1, 1, 1, 1])


def test_sigmoid_backward_values():
    # sigma'(x) = exp(-x) / (1 + exp(-x))**2, written independently of s * (1 - s)
    expected = [math.exp(-v) / (1 + math.exp(-v)) ** 2 for v in X]
    np.testing.assert_allclose(Sigmoid.backward(X), expected, rtol=1e-12)
    assert Sigmoid.backward(np.array(0.0)) == 0.25


def test_tanh_backward_values():
    expected = [1 / math.cosh(v) ** 2 for v in X]
    np.testing.assert_allclose(Tanh.backward(X), expected, rtol=1e-12)
    assert Tanh.backward(np.array(0.0)) == 1.0


def test_backward_is_evaluated_at_the_pre_activation():
    # backward(z) is f'(z), not f'(f(z)): the two differ for every x != 0
    z = np.array([2.0])
    s = 1 / (1 + math.exp(-2.0))
    assert Sigmoid.backward(z)[0] == pytest.approx(s * (1 - s), rel=1e-14)
    t = math.tanh(2.0)
    assert Tanh.backward(z)[0] == pytest.approx(1 - t * t, rel=1e-14)


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def relative_error(a, n):
    a, n = np.asarray(a, np.float64), np.asarray(n, np.float64)
    scale = np.maximum(np.abs(a), np.abs(n))
    return float(np.max(np.divide(np.abs(a - n), scale, out=np.zeros_like(a), where=scale > 0)))


# Points away from ReLU's kink at 0 (|x| >> h), and where sigmoid/tanh are not flat.
GRAD_POINTS = np.array([-3.0, -2.2, -1.0, -0.3, -0.05, 0.05, 0.3, 1.0, 2.2, 3.0])


@pytest.mark.parametrize("act", ACTIVATIONS, ids=IDS)
def test_backward_matches_central_differences(act):
    numeric = central_difference(act.forward, GRAD_POINTS)
    assert relative_error(act.backward(GRAD_POINTS), numeric) < 1e-7


@settings(deadline=None, max_examples=40, database=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=2, max_side=6),
        elements=st.floats(-4, 4).filter(lambda v: abs(v) > 1e-3),
    )
)
def test_backward_matches_central_differences_property(x):
    for act in ACTIVATIONS:
        numeric = central_difference(act.forward, x)
        np.testing.assert_allclose(act.backward(x), numeric, rtol=1e-6, atol=1e-9)


# --------------------------------------------------------------------------- dtypes


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("act", ACTIVATIONS, ids=IDS)
def test_dtype_is_preserved(act, dtype):
    x = np.linspace(-3, 3, 13).astype(dtype)
    assert act.forward(x).dtype == dtype
    assert act.backward(x).dtype == dtype


# --------------------------------------------------------------------------- extremes


def test_sigmoid_saturates_without_warning():
    # The chapter's 1 / (1 + exp(-x)) overflows in exp(1000) and warns; warnings are errors here.
    assert Sigmoid.forward(-1000.0) == 0.0
    assert Sigmoid.forward(1000.0) == 1.0
    assert Sigmoid.forward(np.array([-1000.0, 1000.0])).tolist() == [0.0, 1.0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("act", ACTIVATIONS, ids=IDS)
def test_extreme_inputs_stay_finite(act, dtype):
    x = np.array([-1e4, -800.0, -100.0, 100.0, 800.0, 1e4], dtype=dtype)
    out, grad = act.forward(x), act.backward(x)
    assert np.isfinite(out).all()
    assert np.isfinite(grad).all()
    assert out.dtype == dtype and grad.dtype == dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_and_tanh_limits(dtype):
    x = np.array([-1e4, 1e4], dtype=dtype)
    np.testing.assert_array_equal(Sigmoid.forward(x), [0.0, 1.0])
    np.testing.assert_array_equal(Tanh.forward(x), [-1.0, 1.0])
    np.testing.assert_array_equal(Sigmoid.backward(x), [0.0, 0.0])
    np.testing.assert_array_equal(Tanh.backward(x), [0.0, 0.0])
    np.testing.assert_array_equal(ReLU.forward(x), [0.0, 1e4])


@settings(deadline=None, max_examples=60, database=None)
@given(hnp.arrays(np.float64, st.integers(1, 20), elements=st.floats(-1e6, 1e6)))
def test_sigmoid_range_and_symmetry_property(x):
    s = Sigmoid.forward(x)
    assert ((s >= 0) & (s <= 1)).all()
    np.testing.assert_allclose(s + Sigmoid.forward(-x), 1.0, rtol=0, atol=1e-15)
    d = Sigmoid.backward(x)
    assert ((d >= 0) & (d <= 0.25)).all()


# --------------------------------------------------------------------------- base class


def test_base_activation_is_abstract():
    with pytest.raises(NotImplementedError):
        Activation.forward(np.zeros(2))
    with pytest.raises(NotImplementedError):
        Activation.backward(np.zeros(2))
    with pytest.raises(NotImplementedError):
        Activation().forward(np.zeros(2))


def test_subclasses_and_repr():
    for act, name in zip(ACTIVATIONS, IDS):
        assert isinstance(act, Activation)
        assert repr(act) == f"{name}()"


def test_activations_compare_by_kind():
    from scratchnet import ReLU, Sigmoid, Tanh

    assert ReLU() == ReLU() and hash(ReLU()) == hash(ReLU())
    assert ReLU() != Sigmoid() and Sigmoid() != Tanh()
    assert {ReLU(), ReLU(), Tanh()} == {ReLU(), Tanh()}


# --------------------------------------------------------------------- LeakyReLU


def test_leaky_relu_values_and_derivative():
    from scratchnet import LeakyReLU

    act = LeakyReLU(alpha=0.1)
    x = np.array([-3.0, -0.5, 0.0, 0.5, 2.0])
    np.testing.assert_allclose(act.forward(x), [-0.3, -0.05, 0.0, 0.5, 2.0], rtol=1e-15)
    np.testing.assert_array_equal(act.backward(x), [0.1, 0.1, 0.1, 1.0, 1.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_leaky_relu_keeps_dtype(dtype):
    from scratchnet import LeakyReLU

    x = np.linspace(-2, 2, 7, dtype=dtype)
    assert LeakyReLU().forward(x).dtype == dtype
    assert LeakyReLU().backward(x).dtype == dtype


def test_leaky_relu_gradient_matches_central_differences():
    from scratchnet import LeakyReLU, numerical_gradient, relative_error

    act = LeakyReLU(alpha=0.05)
    x = np.array([-2.3, -0.7, 0.4, 1.9])  # away from the kink at 0
    numeric = numerical_gradient(lambda: float(act.forward(x).sum()), x)
    assert relative_error(act.backward(x), numeric) < 1e-7


def test_leaky_relu_network_gradient_check():
    from scratchnet import LeakyReLU, NeuralNetwork, Sigmoid, check_network

    rng = np.random.default_rng(3)
    net = NeuralNetwork([3, 5, 1], [LeakyReLU(0.1), Sigmoid()], rng=rng, init="he")
    X = rng.normal(size=(8, 3))
    y = (rng.random((8, 1)) > 0.5).astype(float)
    errors = check_network(net, X, y)
    assert max(errors.values()) < 1e-7, errors


def test_leaky_relu_parameter_is_validated_and_compared():
    from scratchnet import LeakyReLU, ReLU

    with pytest.raises(ValueError, match="alpha"):
        LeakyReLU(alpha=1.5)
    with pytest.raises(ValueError, match="alpha"):
        LeakyReLU(alpha=-0.1)
    with pytest.raises(TypeError, match="alpha"):
        LeakyReLU(alpha="0.1")
    assert LeakyReLU(0.1) == LeakyReLU(0.1) and LeakyReLU(0.1) != LeakyReLU(0.2)
    assert LeakyReLU() != ReLU()
    assert repr(LeakyReLU(0.2)) == "LeakyReLU(alpha=0.2)"


def test_leaky_relu_alpha_true_is_a_type_error():
    from scratchnet import LeakyReLU

    # True is refused as a type, not as an out-of-range value
    with pytest.raises(TypeError, match=r"^alpha must be a number in \[0, 1\), got True$"):
        LeakyReLU(alpha=True)
