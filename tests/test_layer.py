"""Layer: shapes, initialization, forward, backward, gradient checks and errors."""

import math
import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scratchnet import Layer, ReLU, Sigmoid, Tanh, check_layer

ACTIVATIONS = [ReLU(), Sigmoid(), Tanh()]
IDS = ["ReLU", "Sigmoid", "Tanh"]


@pytest.fixture
def batch():
    rng = np.random.default_rng(7)
    return rng.standard_normal((5, 3))


# --------------------------------------------------------------------------- construction


@pytest.mark.parametrize("sizes", [(1, 1), (2, 4), (4, 1), (7, 3)])
def test_shapes(sizes):
    i, o = sizes
    layer = Layer(i, o, ReLU(), rng=0)
    assert layer.weights.shape == (i, o)
    assert layer.bias.shape == (1, o)
    assert (layer.input_size, layer.output_size) == (i, o)


@pytest.mark.parametrize("seed", [0, 42, 123])
def test_default_init_is_the_chapters_randn_times_0_01(seed):
    layer = Layer(3, 5, Sigmoid(), rng=np.random.RandomState(seed))
    expected = np.random.RandomState(seed).standard_normal((3, 5)) * 0.01
    np.testing.assert_array_equal(layer.weights, expected)
    np.testing.assert_array_equal(layer.bias, np.zeros((1, 5)))
    assert layer.weights.dtype == np.float64 and layer.bias.dtype == np.float64


def test_int_seed_and_generator_are_reproducible():
    a = Layer(4, 3, ReLU(), rng=5)
    b = Layer(4, 3, ReLU(), rng=np.random.default_rng(5))
    c = Layer(4, 3, ReLU(), rng=6)
    np.testing.assert_array_equal(a.weights, b.weights)
    assert not np.array_equal(a.weights, c.weights)


def test_construction_does_not_touch_global_random_state():
    state = np.random.get_state()
    try:
        np.random.seed(3)
        before = np.random.get_state()[1].copy()
        Layer(10, 10, ReLU(), rng=np.random.RandomState(1))
        Layer(10, 10, ReLU())
        np.testing.assert_array_equal(np.random.get_state()[1], before)
    finally:
        np.random.set_state(state)


@pytest.mark.parametrize(
    "init, fan_in, fan_out, expected_std",
    [
        ("seed", 600, 400, 0.01),
        ("xavier", 600, 400, math.sqrt(2.0 / (600 + 400))),
        ("he", 600, 400, math.sqrt(2.0 / 600)),
        ("he", 50, 4000, math.sqrt(2.0 / 50)),
        (0.5, 600, 400, 0.5),
        (3, 300, 300, 3.0),
    ],
)
def test_init_standard_deviation(init, fan_in, fan_out, expected_std):
    layer = Layer(fan_in, fan_out, Tanh(), rng=np.random.default_rng(11), init=init)
    w = layer.weights
    # 200_000+ samples: the sample std is within ~0.2% of the true one; 3% can still fail
    assert w.std() == pytest.approx(expected_std, rel=0.03)
    assert abs(w.mean()) < 0.02 * expected_std
    np.testing.assert_array_equal(layer.bias, 0.0)


def test_xavier_and_he_differ_and_scale_with_fan_in():
    xavier = Layer(400, 100, Tanh(), rng=1, init="xavier").weights.std()
    he = Layer(400, 100, ReLU(), rng=1, init="he").weights.std()
    he_wide = Layer(1600, 100, ReLU(), rng=1, init="he").weights.std()
    assert he / xavier == pytest.approx(math.sqrt(2 / 400) / math.sqrt(2 / 500), rel=0.03)
    assert he / he_wide == pytest.approx(2.0, rel=0.03)


# --------------------------------------------------------------------------- forward


@pytest.mark.parametrize("act", ACTIVATIONS, ids=IDS)
def test_forward_equals_activation_of_affine(act, batch):
    layer = Layer(3, 4, act, rng=1, init="xavier")
    layer.bias[...] = np.array([[0.1, -0.2, 0.3, -0.4]])
    out = layer.forward(batch)
    z = batch @ layer.weights + layer.bias
    np.testing.assert_array_equal(out, act.forward(z))
    assert out.shape == (5, 4)
    # the cache backward needs
    assert layer.input is batch
    np.testing.assert_array_equal(layer.activation_input, z)
    np.testing.assert_array_equal(layer.output, out)


def test_forward_by_hand():
    layer = Layer(2, 2, ReLU(), rng=0)
    layer.weights[...] = [[1.0, -1.0], [2.0, 0.5]]
    layer.bias[...] = [[0.5, -3.0]]
    x = np.array([[1.0, 1.0], [-2.0, 0.0]])
    # z = [[3.5, -3.5], [-1.5, -1.0]]
    np.testing.assert_array_equal(layer.forward(x), [[3.5, 0.0], [0.0, 0.0]])


# --------------------------------------------------------------------------- backward


def test_backward_by_hand():
    layer = Layer(2, 2, Tanh(), rng=0)
    layer.weights[...] = [[0.3, -0.1], [0.2, 0.4]]
    layer.bias[...] = [[0.1, 0.0]]
    x = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, -1.0]])
    g = np.array([[1.0, -1.0], [0.5, 2.0], [-0.3, 0.7]])
    layer.forward(x)
    grad_input, grad_weights, grad_bias = layer.backward(g)

    z = x @ np.array([[0.3, -0.1], [0.2, 0.4]]) + np.array([[0.1, 0.0]])
    dz = g * (1 - np.tanh(z) ** 2)
    np.testing.assert_allclose(grad_weights, x.T @ dz, rtol=1e-14)
    np.testing.assert_allclose(grad_bias, dz.sum(axis=0, keepdims=True), rtol=1e-14)
    np.testing.assert_allclose(grad_input, dz @ np.array([[0.3, 0.2], [-0.1, 0.4]]), rtol=1e-14)


@pytest.mark.parametrize("act", ACTIVATIONS, ids=IDS)
def test_backward_shapes_and_no_update(act, batch):
    layer = Layer(3, 4, act, rng=2, init="xavier")
    weights, bias = layer.weights, layer.bias
    w0, b0 = weights.copy(), bias.copy()
    layer.forward(batch)
    grad_input, grad_weights, grad_bias = layer.backward(np.ones((5, 4)))
    assert grad_input.shape == (5, 3)
    assert grad_weights.shape == (3, 4)
    assert grad_bias.shape == (1, 4)
    # backward only computes gradients: same arrays, same values
    assert layer.weights is weights and layer.bias is bias
    np.testing.assert_array_equal(layer.weights, w0)
    np.testing.assert_array_equal(layer.bias, b0)


@pytest.mark.parametrize("act", ACTIVATIONS, ids=IDS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_check_layer(act, seed):
    rng = np.random.default_rng(seed)
    layer = Layer(4, 3, act, rng=rng, init="xavier")
    layer.bias[...] = rng.standard_normal((1, 3)) * 0.1
    x = rng.standard_normal((6, 4))
    # keep every pre-activation away from ReLU's kink, where the derivative jumps
    assert np.abs(x @ layer.weights + layer.bias).min() > 1e-3
    errors = check_layer(layer, x, rng.standard_normal((6, 3)))
    assert set(errors) == {"input", "weights", "bias"}
    assert max(errors.values()) < 1e-7, errors


@settings(deadline=None, max_examples=25, database=None)
@given(
    n=st.integers(1, 6),
    i=st.integers(1, 5),
    o=st.integers(1, 5),
    act_index=st.integers(0, 2),
    seed=st.integers(0, 2**32 - 1),
)
def test_backward_matches_numerical_gradient_property(n, i, o, act_index, seed):
    rng = np.random.default_rng(seed)
    layer = Layer(i, o, ACTIVATIONS[act_index], rng=rng, init="xavier")
    x = rng.standard_normal((n, i))
    g = rng.standard_normal((n, o))
    assume(np.abs(x @ layer.weights).min() > 1e-3)  # away from ReLU's kink
    layer.forward(x)
    grads = layer.backward(g)

    h = 1e-5
    for array, grad in zip((x, layer.weights, layer.bias), grads):
        numeric = np.zeros_like(array)
        for idx in np.ndindex(array.shape):
            orig = array[idx]
            array[idx] = orig + h
            up = np.sum(layer.forward(x) * g)
            array[idx] = orig - h
            down = np.sum(layer.forward(x) * g)
            array[idx] = orig
            numeric[idx] = (up - down) / (2 * h)
        # elements that are 0 up to rounding make a pure relative error meaningless
        np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


# --------------------------------------------------------------------------- dtype


@pytest.mark.parametrize("act", ACTIVATIONS, ids=IDS)
def test_float32_kept_through_forward_and_backward(act):
    layer = Layer(3, 2, act, rng=0, init="xavier", dtype=np.float32)
    assert layer.weights.dtype == np.float32 and layer.bias.dtype == np.float32
    x = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
    out = layer.forward(x)
    assert out.dtype == np.float32
    grads = layer.backward(np.ones((4, 2), dtype=np.float32))
    assert [g.dtype for g in grads] == [np.float32] * 3


def test_float32_init_matches_float64_init():
    w64 = Layer(3, 4, ReLU(), rng=np.random.RandomState(0)).weights
    w32 = Layer(3, 4, ReLU(), rng=np.random.RandomState(0), dtype=np.float32).weights
    np.testing.assert_array_equal(w32, w64.astype(np.float32))


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "bad, error",
    [(0, ValueError), (-1, ValueError), (2.5, TypeError), (True, TypeError), ("3", TypeError)],
)
def test_bad_sizes(bad, error):
    with pytest.raises(error, match="input_size must be a positive integer"):
        Layer(bad, 3, ReLU())
    with pytest.raises(error, match="output_size must be a positive integer"):
        Layer(3, bad, ReLU())


def test_numpy_integer_sizes_are_accepted():
    layer = Layer(np.int64(2), np.int32(3), ReLU(), rng=0)
    assert layer.weights.shape == (2, 3)
    assert type(layer.input_size) is int


def test_activation_class_instead_of_instance():
    with pytest.raises(TypeError, match=r"activation .*class ReLU.*ReLU\(\) with parentheses"):
        Layer(2, 3, ReLU)


@pytest.mark.parametrize("bad", ["relu", None, np.tanh, 3])
def test_non_activation(bad):
    with pytest.raises(TypeError, match=r"^activation must be an Activation instance such as "
                       rf"ReLU\(\), got {re.escape(repr(bad))}$"):
        Layer(2, 3, bad)


def test_wrong_input_width():
    layer = Layer(3, 2, ReLU(), rng=0)
    with pytest.raises(ValueError, match=r"x must have 3 columns.*\(4, 2\)"):
        layer.forward(np.ones((4, 2)))


def test_one_dimensional_input():
    layer = Layer(3, 2, ReLU(), rng=0)
    with pytest.raises(ValueError, match=r"x must be 2-D.*reshape\(1, -1\)"):
        layer.forward(np.ones(3))


def test_empty_batch():
    layer = Layer(3, 2, ReLU(), rng=0)
    with pytest.raises(ValueError, match="x is an empty batch"):
        layer.forward(np.ones((0, 3)))


def test_layer_forward_refuses_boolean_input():
    # Layer.forward, not only NeuralNetwork.forward, refuses arrays that are not real
    # numbers
    layer = Layer(2, 3, ReLU(), rng=0)
    with pytest.raises(
        TypeError, match=r"^x must be an array of real numbers \(float or int\), got dtype bool$"
    ):
        layer.forward(np.array([[True, False]]))


def test_backward_before_forward():
    layer = Layer(3, 2, ReLU(), rng=0)
    assert (layer.input, layer.activation_input, layer.output) == (None, None, None)
    with pytest.raises(RuntimeError, match="backward called before forward"):
        layer.backward(np.ones((1, 2)))


@pytest.mark.parametrize("shape", [(4, 3), (3, 2), (4,), (4, 2, 1)])
def test_grad_output_of_wrong_shape(shape):
    layer = Layer(3, 2, ReLU(), rng=0)
    layer.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"grad_output must have shape \(4, 2\)"):
        layer.backward(np.ones(shape))


def test_unknown_init_name():
    with pytest.raises(ValueError, match=r"init must be one of .*'glorot'"):
        Layer(2, 3, ReLU(), init="glorot")


@pytest.mark.parametrize("bad, error", [(0.0, ValueError), (-0.1, ValueError),
                                        (float("nan"), ValueError), (True, TypeError),
                                        (None, TypeError)])
def test_bad_init_value(bad, error):
    with pytest.raises(error, match="init must be one of"):
        Layer(2, 3, ReLU(), init=bad)


@pytest.mark.parametrize("bad", ["42", 4.2, True, [1, 2]])
def test_bad_rng_type(bad):
    with pytest.raises(TypeError, match="rng must be None, an int seed"):
        Layer(2, 3, ReLU(), rng=bad)


@pytest.mark.parametrize("bad", [np.int64, np.float16, "complex128"])
def test_bad_dtype(bad):
    with pytest.raises(TypeError, match="dtype must be float32 or float64"):
        Layer(2, 3, ReLU(), dtype=bad)


def test_repr():
    assert repr(Layer(2, 3, Sigmoid(), rng=0)) == "Layer(2, 3, Sigmoid())"


@pytest.mark.parametrize("dtype, other", [(np.float64, np.float32), (np.float32, np.float64)])
def test_forward_converts_its_input_to_the_weights_dtype(dtype, other):
    layer = Layer(2, 3, ReLU(), rng=0, dtype=dtype)
    x = np.array([[0.1, -0.2], [0.3, 0.4]], dtype=other)
    assert layer.forward(x).dtype == dtype
    assert layer.input.dtype == dtype and layer.activation_input.dtype == dtype
