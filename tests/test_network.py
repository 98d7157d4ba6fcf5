"""NeuralNetwork: construction, forward, gradients, the SGD step and input checks."""

import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scratchnet import (
    BinaryCrossEntropy,
    Layer,
    NeuralNetwork,
    ReLU,
    Sigmoid,
    Tanh,
    check_network,
    count_parameters,
    xor,
)


def make_net(sizes=(2, 4, 1), acts=None, seed=0, init="seed", dtype=np.float64):
    acts = acts or [ReLU()] * (len(sizes) - 2) + [Sigmoid()]
    return NeuralNetwork(list(sizes), acts, rng=np.random.RandomState(seed), init=init, dtype=dtype)


@pytest.fixture
def data():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((6, 3))
    y = (rng.random((6, 2)) > 0.5).astype(np.float64)
    return x, y


# --------------------------------------------------------------------------- construction


@pytest.mark.parametrize("sizes", [[2, 1], [2, 4, 1], [3, 5, 4, 2], [1, 1, 1, 1, 1]])
def test_layer_count_and_shapes(sizes):
    net = NeuralNetwork(sizes, [Tanh()] * (len(sizes) - 1), rng=0)
    assert len(net.layers) == len(sizes) - 1
    for layer, (i, o) in zip(net.layers, zip(sizes[:-1], sizes[1:])):
        assert isinstance(layer, Layer)
        assert layer.weights.shape == (i, o)
        assert layer.bias.shape == (1, o)
    assert net.layer_sizes == sizes


def test_tuple_layer_sizes_are_accepted():
    assert make_net(sizes=(3, 2, 1)).layer_sizes == [3, 2, 1]


def test_activations_are_assigned_in_order():
    acts = [Tanh(), ReLU(), Sigmoid()]
    net = NeuralNetwork([2, 3, 3, 1], acts, rng=0)
    assert [layer.activation for layer in net.layers] == acts


def test_weights_replay_the_chapters_seed():
    # The chapter: np.random.seed(42); Layer(2, 4) draws randn(2, 4) * 0.01, then Layer(4, 1).
    net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(42))
    reference = np.random.RandomState(42)  # same stream as np.random.seed(42)
    w1 = reference.randn(2, 4) * 0.01
    w2 = reference.randn(4, 1) * 0.01
    np.testing.assert_array_equal(net.layers[0].weights, w1)
    np.testing.assert_array_equal(net.layers[1].weights, w2)
    np.testing.assert_array_equal(net.layers[0].bias, np.zeros((1, 4)))
    np.testing.assert_array_equal(net.layers[1].bias, np.zeros((1, 1)))


def test_all_layers_draw_from_one_rng_in_order():
    net = NeuralNetwork([3, 5, 2, 4], [Tanh()] * 3, rng=np.random.default_rng(9), init="xavier")
    rng = np.random.default_rng(9)
    for layer in net.layers:
        i, o = layer.weights.shape
        expected = rng.standard_normal((i, o)) * np.sqrt(2.0 / (i + o))
        np.testing.assert_array_equal(layer.weights, expected)
    # distinct layers, not one block reused
    assert not np.array_equal(net.layers[0].weights[:2, :2], net.layers[1].weights[:2, :2])


def test_float32_network():
    net = make_net(sizes=(2, 3, 1), dtype=np.float32)
    assert all(p.dtype == np.float32 for p in net.parameters())
    out = net.forward(np.array([[0.5, -1.0]]))  # float64 input is converted
    assert out.dtype == np.float32
    grads, grad_input = net.gradients(np.ones_like(out))
    assert all(g.dtype == np.float32 for g in grads) and grad_input.dtype == np.float32


# --------------------------------------------------------------------------- forward


def test_forward_chains_the_layers(data):
    x, _ = data
    net = NeuralNetwork([3, 4, 2], [Tanh(), Sigmoid()], rng=1, init="xavier")
    (w1, b1, w2, b2) = net.parameters()
    expected = 1 / (1 + np.exp(-(np.tanh(x @ w1 + b1) @ w2 + b2)))
    np.testing.assert_allclose(net.forward(x), expected, rtol=1e-14)


def test_integer_input_is_converted_to_float():
    net = make_net()
    X_int = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    out = net.forward(X_int)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, net.forward(X_int.astype(np.float64)))
    assert net.layers[0].input.dtype == np.float64


def test_list_input_is_accepted():
    net = make_net()
    np.testing.assert_array_equal(net.forward([[0.0, 1.0]]), net.forward(np.array([[0.0, 1.0]])))


@pytest.mark.parametrize(
    "bad", [np.array([[True, False]]), np.array([["0", "1"]]), np.array([[1 + 0j, 0j]])]
)
def test_non_real_input_raises_type_error(bad):
    with pytest.raises(TypeError, match=f"x must be an array of real numbers.*{bad.dtype}"):
        make_net().forward(bad)


@pytest.mark.parametrize("bad_value", [np.nan, np.inf, -np.inf])
def test_non_finite_input_raises_value_error(bad_value):
    x = np.array([[0.0, 1.0], [bad_value, 0.0]])
    with pytest.raises(ValueError, match=r"x must be finite, got 1 NaN or infinite"):
        make_net().forward(x)


def test_input_shape_errors():
    net = make_net()
    with pytest.raises(ValueError, match=r"x must be 2-D.*reshape"):
        net.forward(np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"x must have 2 columns"):
        net.forward(np.ones((4, 3)))


# --------------------------------------------------------------------------- gradients


# (layer_sizes, activations, seeds). The seeds give a well-conditioned check (see below).
ARCHITECTURES = [
    ([2, 1], [Sigmoid()], [0, 1]),
    ([2, 4, 1], [ReLU(), Sigmoid()], [2, 3]),
    ([2, 4, 1], [Tanh(), Sigmoid()], [0, 3]),
    ([3, 5, 2], [Sigmoid(), Sigmoid()], [6, 20]),
    ([3, 4, 4, 2], [Tanh(), ReLU(), Sigmoid()], [10, 16]),
    ([4, 6, 3, 5, 1], [ReLU(), Tanh(), ReLU(), Sigmoid()], [157]),
]
CASES = [(sizes, acts, seed) for sizes, acts, seeds in ARCHITECTURES for seed in seeds]


def random_problem(sizes, acts, seed, n=5):
    rng = np.random.default_rng(seed)
    net = NeuralNetwork(sizes, acts, rng=rng, init="xavier")
    for layer in net.layers:
        layer.bias[...] = rng.standard_normal(layer.bias.shape) * 0.1
    x = rng.standard_normal((n, sizes[0]))
    y = (rng.random((n, sizes[-1])) > 0.5).astype(np.float64)
    return net, x, y


@pytest.mark.parametrize("sizes, acts, seed", CASES, ids=lambda v: str(v))
def test_gradients_match_finite_differences(sizes, acts, seed):
    net, x, y = random_problem(sizes, acts, seed)
    out = net.forward(x)
    grads, grad_input = net.gradients(BinaryCrossEntropy().backward(out, y))
    # Preconditions for a relative error of 1e-7 to mean something: no pre-activation
    # within 1e-3 of ReLU's kink, and no gradient entry so small (but not exactly 0)
    # that the ~1e-11 rounding error of central differences dominates it.
    assert min(np.abs(layer.activation_input).min() for layer in net.layers) > 1e-3
    assert all(((g == 0) | (np.abs(g) > 1e-3)).all() for g in grads + [grad_input])

    errors = check_network(net, x, y)
    expected_keys = {f"layers[{i}].{p}" for i in range(len(net.layers)) for p in ("weights", "bias")}
    assert set(errors) == expected_keys | {"input"}
    assert max(errors.values()) < 1e-7, errors


def test_relu_kink_is_where_finite_differences_disagree():
    # The chapter's XOR batch contains [0, 0]: with zero biases its hidden pre-activations
    # are exactly 0, where ReLU'(0) = 0 by convention but central differences see 1/2.
    # This is why the checks above keep pre-activations away from 0.
    net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(42))
    X, y = xor()
    net.forward(X)
    assert (net.layers[0].activation_input[0] == 0).all()
    errors = check_network(net, X, y)
    assert errors["layers[0].bias"] > 0.1
    # moving the biases off the kink makes the bias gradient agree again (up to the
    # rounding error of central differences on gradients of only ~1e-7 here)
    net.layers[0].bias[...] = 0.05
    assert check_network(net, X, y)["layers[0].bias"] < 1e-4


@settings(deadline=None, max_examples=20, database=None)
@given(
    sizes=st.lists(st.integers(1, 4), min_size=2, max_size=4),
    n=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_gradients_property(sizes, n, seed):
    rng = np.random.default_rng(seed)
    acts = [Tanh()] * (len(sizes) - 2) + [Sigmoid()]
    net = NeuralNetwork(sizes, acts, rng=rng, init="xavier")
    x = rng.standard_normal((n, sizes[0]))
    y = (rng.random((n, sizes[-1])) > 0.5).astype(np.float64)
    loss = BinaryCrossEntropy()
    out = net.forward(x)
    assume(((out > 1e-3) & (out < 1 - 1e-3)).all())
    grads, _ = net.gradients(loss.backward(out, y))

    h = 1e-5
    for param, grad in zip(net.parameters(), grads):
        numeric = np.zeros_like(param)
        for idx in np.ndindex(param.shape):
            orig = param[idx]
            param[idx] = orig + h
            up = loss.forward(net.forward(x), y)
            param[idx] = orig - h
            down = loss.forward(net.forward(x), y)
            param[idx] = orig
            numeric[idx] = (up - down) / (2 * h)
        np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-9)


def test_gradients_do_not_update(data):
    x, y = data
    net = NeuralNetwork([3, 4, 2], [ReLU(), Sigmoid()], rng=0, init="he")
    before = [p.copy() for p in net.parameters()]
    out = net.forward(x)
    grads, grad_input = net.gradients(BinaryCrossEntropy().backward(out, y))
    assert [g.shape for g in grads] == [p.shape for p in net.parameters()]
    assert grad_input.shape == x.shape
    for p, b in zip(net.parameters(), before):
        np.testing.assert_array_equal(p, b)


# --------------------------------------------------------------------------- backward = SGD step


@pytest.mark.parametrize("lr", [0.01, 0.5])
def test_backward_is_gradients_plus_sgd_step(data, lr):
    x, y = data
    net = NeuralNetwork([3, 4, 2], [Tanh(), Sigmoid()], rng=4, init="xavier")
    loss = BinaryCrossEntropy()

    out = net.forward(x)
    grad_output = loss.backward(out, y)

    # manual backpropagation, written out for two layers
    l1, l2 = net.layers
    z1, z2 = l1.activation_input, l2.activation_input
    dz2 = grad_output * Sigmoid.backward(z2)
    dw2, db2 = l1.output.T @ dz2, dz2.sum(axis=0, keepdims=True)
    dz1 = (dz2 @ l2.weights.T) * Tanh.backward(z1)
    dw1, db1 = x.T @ dz1, dz1.sum(axis=0, keepdims=True)
    expected = [p - lr * g for p, g in zip(net.parameters(), [dw1, db1, dw2, db2])]

    arrays = net.parameters()
    before = [a.copy() for a in arrays]
    net.backward(grad_output, lr)

    for new, old, exp in zip(net.parameters(), arrays, expected):
        assert new is old  # updated in place, same objects
        np.testing.assert_allclose(new, exp, rtol=1e-13, atol=1e-16)
    # the step moved every parameter
    for new, old in zip(net.parameters(), before):
        assert not np.array_equal(new, old)


def test_backward_default_learning_rate_is_0_01(data):
    x, y = data
    a = NeuralNetwork([3, 2], [Sigmoid()], rng=1)
    b = NeuralNetwork([3, 2], [Sigmoid()], rng=1)
    g = BinaryCrossEntropy().backward(a.forward(x), y)
    b.forward(x)
    a.backward(g)
    b.backward(g, 0.01)
    for pa, pb in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(pa, pb)


@pytest.mark.parametrize("bad, error", [(0, ValueError), (-0.1, ValueError),
                                        (np.nan, ValueError), ("0.1", TypeError)])
def test_backward_rejects_bad_learning_rate(data, bad, error):
    x, y = data
    net = NeuralNetwork([3, 2], [Sigmoid()], rng=1)
    g = BinaryCrossEntropy().backward(net.forward(x), y)
    with pytest.raises(error, match="learning_rate must be a positive"):
        net.backward(g, bad)


# --------------------------------------------------------------------------- construction errors


@pytest.mark.parametrize("sizes", [[], [3]])
def test_too_few_layer_sizes(sizes):
    with pytest.raises(ValueError, match=r"^layer_sizes needs at least input and output layers "
                       rf"\(2 entries\), got {len(sizes)}: {re.escape(str(sizes))}$"):
        NeuralNetwork(sizes, [])


def test_an_rng_of_the_wrong_kind_is_named_by_its_type():
    with pytest.raises(TypeError, match=r"^rng must be None, .* \(such as "
                       r"numpy\.random\.RandomState\), got str$"):
        NeuralNetwork([2, 1], [Sigmoid()], rng="42")


def test_an_initial_scale_that_overflows_is_refused():
    with pytest.raises(ValueError, match=r"^init=1e\+39 is too large a scale for float32: the "
                       r"initial weights overflow$"):
        NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], init=1e39, rng=0, dtype=np.float32)


@pytest.mark.parametrize("sizes", ["241", 3, None])
def test_layer_sizes_not_a_list(sizes):
    with pytest.raises(TypeError, match="layer_sizes must be a list of positive integers"):
        NeuralNetwork(sizes, [ReLU(), Sigmoid()])


@pytest.mark.parametrize(
    "sizes, error, index",
    [([2, 0, 1], ValueError, 1), ([2, 4, -1], ValueError, 2),
     ([2.0, 4, 1], TypeError, 0), ([2, True, 1], TypeError, 1)],
)
def test_bad_layer_size_entries(sizes, error, index):
    with pytest.raises(error, match=rf"layer_sizes\[{index}\] must be a positive integer"):
        NeuralNetwork(sizes, [ReLU(), Sigmoid()])


@pytest.mark.parametrize("acts", [[ReLU()], [ReLU(), ReLU(), Sigmoid()]])
def test_wrong_number_of_activations(acts):
    with pytest.raises(ValueError, match=rf"activations needs one entry .*: 2 .*got {len(acts)}"):
        NeuralNetwork([2, 4, 1], acts)


def test_activations_not_a_list():
    with pytest.raises(TypeError, match="activations must be a list of Activation instances"):
        NeuralNetwork([2, 1], Sigmoid())


def test_activation_class_in_list():
    with pytest.raises(TypeError, match=r"activations\[1\] .*Sigmoid\(\) with parentheses"):
        NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid])


def test_non_activation_in_list():
    with pytest.raises(TypeError, match=r"^activations\[0\] must be an Activation instance "
                       r"such as ReLU\(\), got 'relu'$"):
        NeuralNetwork([2, 4, 1], ["relu", Sigmoid()])


def test_a_single_sample_gets_the_reshape_hint_and_only_it():
    net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=0)
    with pytest.raises(ValueError, match=r"^x must be 2-D with shape \(n_samples, 2\), got shape "
                       r"\(2,\) \(use x\.reshape\(1, -1\) for a single sample\)$"):
        net.forward(np.ones(2))
    with pytest.raises(ValueError, match=r"^x must be 2-D with shape \(n_samples, 2\), got shape "
                       r"\(1, 4, 2\)$"):
        net.forward(np.ones((1, 4, 2)))


def test_bad_dtype_and_rng():
    with pytest.raises(TypeError, match="dtype must be float32 or float64"):
        NeuralNetwork([2, 1], [Sigmoid()], dtype=np.int32)
    with pytest.raises(TypeError, match="rng must be None"):
        NeuralNetwork([2, 1], [Sigmoid()], rng="42")


# --------------------------------------------------------------------------- helpers


def test_parameters_order():
    net = make_net(sizes=(3, 4, 2, 1), acts=[ReLU(), Tanh(), Sigmoid()])
    params = net.parameters()
    expected = [a for layer in net.layers for a in (layer.weights, layer.bias)]
    assert len(params) == 6
    assert all(p is e for p, e in zip(params, expected))
    assert [p.shape for p in params] == [(3, 4), (1, 4), (4, 2), (1, 2), (2, 1), (1, 1)]


def test_predict():
    net = NeuralNetwork([1, 1], [Sigmoid()], rng=0)
    net.layers[0].weights[...] = 1.0
    x = np.array([[-2.0], [-0.1], [0.1], [2.0]])
    pred = net.predict(x)
    np.testing.assert_array_equal(pred, [[0], [0], [1], [1]])
    assert pred.dtype == np.int64
    # sigmoid(2) ~ 0.88: a higher threshold flips it
    np.testing.assert_array_equal(net.predict(x, threshold=0.9), [[0], [0], [0], [0]])
    np.testing.assert_array_equal(net.predict(x, threshold=0.2), [[0], [1], [1], [1]])


@pytest.mark.parametrize(
    "sizes, expected",
    [([2, 4, 1], 2 * 4 + 4 + 4 * 1 + 1), ([3, 1], 4), ([5, 10, 10, 2], 60 + 110 + 22)],
)
def test_count_parameters(sizes, expected):
    net = NeuralNetwork(sizes, [Tanh()] * (len(sizes) - 1), rng=0)
    assert count_parameters(net) == expected


def test_repr():
    net = make_net()
    assert repr(net) == "NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()])"


# ------------------------------------------------------------------ predict and the L2 term


def test_predict_is_one_only_above_the_threshold():
    """predict says 1 where the output exceeds the threshold, 0 where it equals it."""
    net = NeuralNetwork([1, 1], [Sigmoid()], rng=0)
    net.layers[0].weights[...] = 1.0
    X = np.array([[0.0], [1e-9], [-1e-9]])  # sigmoid(0) = 0.5 exactly
    assert net.predict(X).ravel().tolist() == [0, 1, 0]
    assert net.predict(X, threshold=0.2).ravel().tolist() == [1, 1, 1]


def test_l2_penalty_is_half_the_sum_of_squared_weights_without_biases():
    """0.5 * sum of W**2 over the layers; the biases do not count."""
    net = NeuralNetwork([2, 3, 1], [ReLU(), Sigmoid()], rng=0)
    for layer in net.layers:
        layer.bias[...] = 100.0
    expected = 0.5 * sum(float((layer.weights ** 2).sum()) for layer in net.layers)
    assert net.l2_penalty() == pytest.approx(expected, rel=1e-15)
    assert expected > 0
