"""Losses: values, gradients, shapes, dtypes, outputs of exactly 0 or 1, and refused shapes."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scratchnet import (
    BinaryCrossEntropy,
    MeanSquaredError,
    SoftmaxCrossEntropy,
    numerical_gradient,
    relative_error,
)

bce = BinaryCrossEntropy()


def test_value_by_hand():
    p = np.array([[0.9], [0.2], [0.6], [0.3]])
    y = np.array([[1.0], [0.0], [1.0], [0.0]])
    expected = -(math.log(0.9) + math.log(0.8) + math.log(0.6) + math.log(0.7)) / 4
    assert bce.forward(p, y) == pytest.approx(expected, rel=1e-14)
    assert bce(p, y) == bce.forward(p, y)
    assert isinstance(bce.forward(p, y), float)


def test_value_is_mean_over_all_outputs():
    p = np.array([[0.9, 0.5], [0.2, 0.7]])
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    expected = -(math.log(0.9) + math.log(0.5) + math.log(0.8) + math.log(0.7)) / 4
    assert bce.forward(p, y) == pytest.approx(expected, rel=1e-14)


def test_chance_level_is_log_2():
    p = np.full((4, 1), 0.5)
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    assert bce.forward(p, y) == pytest.approx(math.log(2), rel=1e-15)


def test_gradient_by_hand():
    p = np.array([[0.9], [0.2], [0.6], [0.3]])
    y = np.array([[1.0], [0.0], [1.0], [0.0]])
    expected = np.array([[-1 / 0.9], [1 / 0.8], [-1 / 0.6], [1 / 0.7]]) / 4
    np.testing.assert_allclose(bce.backward(p, y), expected, rtol=1e-14)


@pytest.mark.parametrize("shape", [(4, 1), (3, 2), (1, 5)])
def test_gradient_matches_finite_differences(shape):
    rng = np.random.default_rng(sum(shape))
    p = rng.uniform(0.05, 0.95, shape)
    y = (rng.random(shape) > 0.5).astype(np.float64)
    numeric = numerical_gradient(lambda: bce.forward(p, y), p)
    assert relative_error(bce.backward(p, y), numeric) < 1e-7


def test_soft_targets_gradient_matches_finite_differences():
    p = np.array([[0.3, 0.8], [0.55, 0.1]])
    y = np.array([[0.25, 0.9], [0.5, 0.0]])
    numeric = numerical_gradient(lambda: bce.forward(p, y), p)
    assert relative_error(bce.backward(p, y), numeric) < 1e-7


@settings(deadline=None, max_examples=30, database=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, max_side=5),
        elements=st.floats(0.01, 0.99),
    ),
    st.data(),
)
def test_gradient_property(p, data):
    y = data.draw(hnp.arrays(np.float64, p.shape, elements=st.sampled_from([0.0, 1.0])))
    numeric = numerical_gradient(lambda: bce.forward(p, y), p)
    np.testing.assert_allclose(bce.backward(p, y), numeric, rtol=1e-6)
    assert bce.forward(p, y) > 0


@pytest.mark.parametrize("target_shape", [(4,), (1, 4), (4, 2), (2, 2)])
def test_shape_mismatch_raises(target_shape):
    output = np.full((4, 1), 0.5)
    with pytest.raises(ValueError, match=r"same shape as output \(4, 1\).*" + re.escape(str(target_shape))):
        bce.forward(output, np.zeros(target_shape))
    with pytest.raises(ValueError, match=r"same shape as output \(4, 1\)"):
        bce.backward(output, np.zeros(target_shape))


def test_shape_mismatch_never_broadcasts_to_4x4():
    # the bug this guards against: (4, 1) - (4,) broadcasts to (4, 4) and the mean is wrong
    output = np.array([[0.9], [0.1], [0.8], [0.2]])
    with pytest.raises(ValueError):
        bce.backward(output, np.array([1.0, 0.0, 1.0, 0.0]))


def test_integer_targets_are_accepted():
    p = np.array([[0.9], [0.2]])
    assert bce.forward(p, np.array([[1], [0]])) == bce.forward(p, np.array([[1.0], [0.0]]))


@pytest.mark.parametrize("bad", [np.array([[True], [False]]), np.array([["1"], ["0"]])])
def test_non_numeric_targets_raise(bad):
    with pytest.raises(TypeError, match="target must be an array of real numbers"):
        bce.forward(np.array([[0.9], [0.2]]), bad)


def test_non_numeric_output_raises():
    with pytest.raises(TypeError, match="output must be an array of real numbers"):
        bce.forward(np.array([[True], [False]]), np.array([[1.0], [0.0]]))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_outputs_exactly_0_and_1_are_finite(dtype):
    # All four combinations, including the confidently wrong ones (p=0, y=1 and p=1, y=0),
    # where an unclipped log(0) would give inf and warn (warnings are errors here).
    p = np.array([[0.0], [1.0], [0.0], [1.0]], dtype=dtype)
    y = np.array([[0.0], [1.0], [1.0], [0.0]], dtype=dtype)
    loss = bce.forward(p, y)
    grad = bce.backward(p, y)
    assert math.isfinite(loss)
    assert np.isfinite(grad).all()
    assert grad.dtype == dtype
    # confidently wrong costs a lot; right costs almost nothing
    assert loss > 5
    assert bce.forward(p[:2], y[:2]) < 1e-5
    # the gradient pushes the wrong outputs the right way
    assert grad[2, 0] < 0 < grad[3, 0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_loss_for_exactly_right_and_wrong(dtype):
    eps = np.finfo(dtype).eps
    right = bce.forward(np.array([[1.0]], dtype=dtype), np.array([[1.0]]))
    wrong = bce.forward(np.array([[0.0]], dtype=dtype), np.array([[1.0]]))
    assert 0 <= right < 10 * eps
    # clipping to eps bounds the cost of a confident mistake by -log(eps)
    assert wrong == pytest.approx(-math.log(eps), rel=1e-6)


def test_float32_gradient_stays_float32():
    p = np.array([[0.9], [0.2], [0.6]], dtype=np.float32)
    y = np.array([[1.0], [0.0], [1.0]])  # float64 target: the output's dtype wins
    grad = bce.backward(p, y)
    assert grad.dtype == np.float32
    expected = bce.backward(p.astype(np.float64), y)
    np.testing.assert_allclose(grad, expected, rtol=1e-6)


def test_does_not_modify_its_inputs():
    p = np.array([[0.0], [1.0]])
    y = np.array([[1.0], [0.0]])
    p0, y0 = p.copy(), y.copy()
    bce.forward(p, y)
    bce.backward(p, y)
    np.testing.assert_array_equal(p, p0)
    np.testing.assert_array_equal(y, y0)


def test_repr():
    assert repr(bce) == "BinaryCrossEntropy()"


# ------------------------------------------- MeanSquaredError, SoftmaxCrossEntropy: shapes


def test_mean_squared_error_backward_refuses_a_target_of_another_shape():
    # a (4,) target would broadcast to a (4, 4) gradient
    with pytest.raises(
        ValueError, match=r"^target must have the same shape as output \(4, 1\), got shape \(4,\)$"
    ):
        MeanSquaredError().backward(np.zeros((4, 1)), np.zeros(4))


def test_softmax_cross_entropy_refuses_scores_that_are_not_2d():
    with pytest.raises(
        ValueError, match=r"^output must be 2-D scores \(n, classes\), got shape \(3,\)$"
    ):
        SoftmaxCrossEntropy().forward(np.zeros(3), np.array([0]))


# --- delta: dL/dz of the output layer


def test_delta_after_another_activation_is_the_chain_rule():
    """Binary cross-entropy after an activation other than the sigmoid: delta is the
    gradient with respect to the output times the activation's derivative; after a
    sigmoid it is (p - y) / n, the same up to rounding."""
    from scratchnet import Layer, Sigmoid, Tanh

    class HalfTanh(Tanh):
        """(tanh + 1) / 2: outputs in (0, 1), but not a Sigmoid."""

        @staticmethod
        def forward(x):
            return (np.tanh(x) + 1) / 2

        @staticmethod
        def backward(x):
            return (1 - np.tanh(x) ** 2) / 2

    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((6, 3)), (rng.random((6, 2)) > 0.5).astype(float)
    for activation in (HalfTanh(), Sigmoid()):
        layer = Layer(3, 2, activation, rng=1, init="he")
        p = layer.forward(x)
        value, delta = bce.delta(layer, y)
        chain = bce.backward(p, y) * activation.backward(layer.activation_input)
        assert value == pytest.approx(bce.forward(p, y), rel=1e-12)
        np.testing.assert_allclose(delta, chain, rtol=1e-9, atol=1e-15)
    assert not isinstance(HalfTanh(), Sigmoid)


@pytest.mark.parametrize("target, message", [
    (-np.eye(3)[:2], r"target must hold probabilities in \[0, 1\]"),
    (np.array([[0.5, 0.5, 0.5], [1.0, 0.0, 0.0]]), r"target rows must each add up to 1 .* row 0 adding up to 1\.5"),
    (np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]]), r"target rows must each add up to 1 .* row 0 adding up to 0"),
    (2 * np.eye(3)[:2], r"target must hold probabilities in \[0, 1\]"),
])
def test_softmax_targets_must_be_probability_rows(target, message):
    """A negative one-hot row gave a negative loss, and training went on: targets that
    are not one distribution per row are refused, by the loss and by fit."""
    from scratchnet import Identity, NeuralNetwork, SGD, fit

    with pytest.raises(ValueError, match=message):
        SoftmaxCrossEntropy().forward(np.zeros((2, 3)), target)
    with pytest.raises(ValueError, match=message.replace("target", "y")):
        fit(NeuralNetwork([2, 3], [Identity()], rng=0), np.zeros((2, 2)), target,
            SoftmaxCrossEntropy(), SGD(0.1), epochs=1)


def test_soft_probability_rows_are_accepted():
    target = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
    assert np.isfinite(SoftmaxCrossEntropy().forward(np.zeros((2, 3)), target))


def test_float32_probability_rows_of_many_classes_are_accepted():
    # a float32 softmax over 1000 classes adds up to 1 only to within float32 rounding
    scores = np.random.default_rng(0).standard_normal((4, 1000)).astype(np.float32)
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    target = exp / exp.sum(axis=1, keepdims=True)
    assert np.abs(target.sum(axis=1, dtype=np.float32) - 1).max() > 0  # not exactly 1
    loss = SoftmaxCrossEntropy().forward(np.zeros((4, 1000), np.float32), target)
    assert loss == pytest.approx(math.log(1000), rel=1e-5)  # uniform scores: log k


def test_softmax_cross_entropy_gradient_of_float32_scores_is_float32_for_float64_targets():
    output = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], np.float32)
    for target in (np.eye(3)[[0, 2]], np.array([0, 2])):  # one-hot rows and labels
        gradient = SoftmaxCrossEntropy().backward(output, target)
        assert gradient.dtype == np.float32
        exp = np.exp(output.astype(np.float64))
        expected = (exp / exp.sum(axis=1, keepdims=True) - np.eye(3)[[0, 2]]) / 2
        np.testing.assert_allclose(gradient, expected, rtol=1e-6, atol=1e-7)


def test_softmax_cross_entropy_says_how_many_labels_it_wanted():
    with pytest.raises(ValueError) as error:
        SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.array([0, 1, 2]))
    assert str(error.value) == "target must hold 2 labels, one per row of output, got 3"
