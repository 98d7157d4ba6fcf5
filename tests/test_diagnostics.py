"""Diagnostics: the Recorder callback, dead ReLU units and fresh layer outputs."""

from __future__ import annotations

import numpy as np
import pytest

from scratchnet import (
    BinaryCrossEntropy,
    NeuralNetwork,
    Recorder,
    ReLU,
    Sigmoid,
    Tanh,
    dead_units,
    layer_outputs,
    train,
    xor,
)


def chapter_network(seed=42):
    return NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(seed))


def deep_network(seed=3):
    return NeuralNetwork(
        [2, 5, 3, 1], [Tanh(), ReLU(), Sigmoid()], rng=np.random.RandomState(seed), init="xavier"
    )


def manual_snapshots(network, X, y, epochs, learning_rate):
    """The chapter's loop written out, keeping every layer's z and output of every epoch."""
    loss = BinaryCrossEntropy()
    zs, outs, losses = [], [], []
    for _ in range(epochs):
        output = network.forward(X)
        losses.append(loss.forward(output, y))
        zs.append([layer.activation_input.copy() for layer in network.layers])
        outs.append([layer.output.copy() for layer in network.layers])
        network.backward(loss.backward(output, y), learning_rate)
    return zs, outs, np.array(losses)


# --------------------------------------------------------------------------- Recorder


@pytest.mark.parametrize(
    "every, epochs, expected",
    [(1, 5, [0, 1, 2, 3, 4]), (3, 10, [0, 3, 6, 9]), (3, 9, [0, 3, 6]), (10, 10, [0]),
     (4, 1, [0]), (25, 100, [0, 25, 50, 75])],
)
def test_recorded_epochs(every, epochs, expected):
    X, y = xor()
    recorder = Recorder(every=every)
    train(chapter_network(), X, y, epochs=epochs, learning_rate=0.1, callback=recorder)
    np.testing.assert_array_equal(recorder.epochs, expected)
    assert recorder.epochs.dtype.kind == "i"


def test_default_every_is_ten():
    X, y = xor()
    recorder = Recorder()
    train(chapter_network(), X, y, epochs=35, learning_rate=0.1, callback=recorder)
    np.testing.assert_array_equal(recorder.epochs, [0, 10, 20, 30])


@pytest.mark.parametrize("make", [chapter_network, deep_network], ids=["2-4-1", "2-5-3-1"])
def test_snapshot_shapes(make):
    X, y = xor()
    net = make()
    recorder = Recorder(every=7)
    train(net, X, y, epochs=30, learning_rate=0.1, callback=recorder)
    T = len(recorder.epochs)
    assert T == 5  # epochs 0, 7, 14, 21, 28
    units = net.layer_sizes[1:]
    assert len(recorder.pre_activations) == len(recorder.activations) == len(units)
    for z, a, k in zip(recorder.pre_activations, recorder.activations, units):
        assert z.shape == (T, X.shape[0], k)
        assert a.shape == (T, X.shape[0], k)


@pytest.mark.parametrize("make", [chapter_network, deep_network], ids=["2-4-1", "2-5-3-1"])
def test_snapshots_equal_a_manual_rerun(make):
    X, y = xor()
    recorder = Recorder(every=1)
    losses = train(make(), X, y, epochs=5, learning_rate=0.5, callback=recorder)
    zs, outs, manual_losses = manual_snapshots(make(), X, y, epochs=5, learning_rate=0.5)
    np.testing.assert_array_equal(losses, manual_losses)
    for t in range(5):
        for layer in range(len(zs[t])):
            np.testing.assert_array_equal(recorder.pre_activations[layer][t], zs[t][layer])
            np.testing.assert_array_equal(recorder.activations[layer][t], outs[t][layer])
    # snapshots are copies: they differ from epoch to epoch while training changes the network
    assert not np.array_equal(recorder.activations[-1][0], recorder.activations[-1][4])


def test_snapshots_at_sparse_epochs_equal_a_manual_rerun():
    X, y = xor()
    recorder = Recorder(every=4)
    train(deep_network(), X, y, epochs=13, learning_rate=0.5, callback=recorder)
    zs, outs, _ = manual_snapshots(deep_network(), X, y, epochs=13, learning_rate=0.5)
    for t, epoch in enumerate(recorder.epochs):
        for layer in range(3):
            np.testing.assert_array_equal(recorder.pre_activations[layer][t], zs[epoch][layer])
            np.testing.assert_array_equal(recorder.activations[layer][t], outs[epoch][layer])


def test_first_snapshot_is_the_untrained_network():
    X, y = xor()
    untrained = deep_network()
    untrained.forward(X)
    recorder = Recorder(every=1)
    net = deep_network()
    train(net, X, y, epochs=3, learning_rate=1.0, callback=recorder)
    for layer, fresh in enumerate(untrained.layers):
        np.testing.assert_array_equal(recorder.pre_activations[layer][0], fresh.activation_input)
        np.testing.assert_array_equal(recorder.activations[layer][0], fresh.output)
    # ...and not the trained one
    net.forward(X)
    assert not np.array_equal(recorder.activations[-1][0], net.layers[-1].output)


def test_callback_sees_the_state_before_the_update():
    X, y = xor()
    net = chapter_network()
    seen = []

    def callback(epoch, network):
        assert network is net
        # the weights have not moved yet: a forward pass now gives what the layers hold
        cached = network.layers[-1].output.copy()
        seen.append((epoch, [p.copy() for p in network.parameters()]))
        np.testing.assert_array_equal(NeuralNetwork.forward(network, X), cached)

    twin = chapter_network()
    train(net, X, y, epochs=4, learning_rate=0.5, callback=callback)
    assert [epoch for epoch, _ in seen] == [0, 1, 2, 3]
    loss = BinaryCrossEntropy()
    for _, params in seen:
        for p, q in zip(params, twin.parameters()):
            np.testing.assert_array_equal(p, q)
        output = twin.forward(X)
        twin.backward(loss.backward(output, y), 0.5)


def test_empty_recorder():
    recorder = Recorder(every=5)
    assert recorder.epochs.shape == (0,)
    assert recorder.pre_activations == []
    assert recorder.activations == []


# --------------------------------------------------------------------------- dead_units


def test_dead_units_on_hand_made_pre_activations():
    z = np.array(
        [
            # dead   zero   alive  alive   mixed-0
            [-1.0, 0.0, -2.0, 3.0, 0.0],
            [-0.5, 0.0, 0.1, 1.0, -1.0],
            [-3.0, 0.0, -1.0, 2.0, 0.0],
        ]
    )
    dead = dead_units(z)
    assert dead.dtype == np.bool_
    np.testing.assert_array_equal(dead, [True, True, False, False, True])


def test_dead_units_needs_every_input():
    z = -np.ones((6, 3))
    np.testing.assert_array_equal(dead_units(z), [True, True, True])
    for i in range(6):
        revived = z.copy()
        revived[i, 1] = 1e-300  # one input is enough to keep a unit alive
        np.testing.assert_array_equal(dead_units(revived), [True, False, True])


def test_dead_units_on_stacks():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((3, 2, 5, 4))
    z[0, 1, :, 2] = -abs(z[0, 1, :, 2])
    z[2, 0, :, 0] = 0.0
    dead = dead_units(z)
    assert dead.shape == (3, 2, 4)
    expected = np.array([[[np.all(z[a, b, :, u] <= 0) for u in range(4)] for b in range(2)]
                         for a in range(3)])
    np.testing.assert_array_equal(dead, expected)
    assert dead[0, 1, 2] and dead[2, 0, 0]


def test_the_chapters_xor_network_starts_with_one_dead_unit():
    X, _ = xor()
    net = chapter_network(42)
    net.forward(X)
    dead = dead_units(net.layers[0].activation_input)
    np.testing.assert_array_equal(np.flatnonzero(dead), [1])
    # independently: with zero biases and inputs in {0, 1}, a unit is dead on all four
    # inputs exactly when both of its incoming weights are <= 0
    weights = net.layers[0].weights
    np.testing.assert_array_equal(dead, (weights <= 0).all(axis=0))


def test_a_dead_unit_stays_dead_through_training():
    X, y = xor()
    net = chapter_network(42)
    before = net.layers[0].weights.copy(), net.layers[0].bias.copy()
    recorder = Recorder(every=50)
    train(net, X, y, epochs=500, learning_rate=0.5, callback=recorder)
    dead_over_time = dead_units(recorder.pre_activations[0])
    assert dead_over_time.shape == (len(recorder.epochs), 4)
    assert dead_over_time[:, 1].all()
    # no gradient reached it: its incoming weights and bias never moved...
    np.testing.assert_array_equal(net.layers[0].weights[:, 1], before[0][:, 1])
    np.testing.assert_array_equal(net.layers[0].bias[:, 1], before[1][:, 1])
    # ...while the live units did learn
    assert not np.array_equal(net.layers[0].weights[:, 0], before[0][:, 0])


# --------------------------------------------------------------------------- layer_outputs


def test_layer_outputs_is_a_fresh_forward():
    X, _ = xor()
    other = np.random.default_rng(1).standard_normal((7, 2))
    net = deep_network()
    reference = deep_network()
    reference.forward(X)
    net.forward(other)  # the caches now hold another batch
    for layer in range(3):
        out = layer_outputs(net, X, layer)
        assert out.shape == (4, net.layer_sizes[layer + 1])
        np.testing.assert_array_equal(out, reference.layers[layer].output)
        net.forward(other)


def test_layer_outputs_default_is_the_first_layer_and_negative_index_works():
    X, _ = xor()
    net = deep_network()
    np.testing.assert_array_equal(layer_outputs(net, X), np.tanh(X @ net.layers[0].weights))
    np.testing.assert_array_equal(layer_outputs(net, X, -1), net.forward(X))
    # -count is the first layer, as for a list
    count = len(net.layers)
    np.testing.assert_array_equal(layer_outputs(net, X, -count), layer_outputs(net, X, 0))


def test_layer_outputs_returns_a_copy_and_leaves_weights_alone():
    X, _ = xor()
    net = chapter_network()
    params = [p.copy() for p in net.parameters()]
    out = layer_outputs(net, X, 0)
    cached = net.layers[0].output.copy()
    out += 100.0
    np.testing.assert_array_equal(net.layers[0].output, cached)
    for p, q in zip(net.parameters(), params):
        np.testing.assert_array_equal(p, q)


def test_layer_outputs_validates_input():
    with pytest.raises(ValueError):
        layer_outputs(chapter_network(), np.ones((4, 3)))


@pytest.mark.parametrize("every", [0, -3])
def test_recorder_rejects_non_positive_every(every):
    with pytest.raises(ValueError, match="every"):
        Recorder(every=every)


def test_recorder_rejects_non_integer_every():
    with pytest.raises(TypeError, match="every"):
        Recorder(every=2.5)


@pytest.mark.parametrize("layer, error, message", [
    (5, ValueError, r"layer must be in \[0, 2\) for a network of 2 layers .* got 5"),
    (-3, ValueError, r"layer must be in \[0, 2\) .* got -3"),
    (1.0, TypeError, r"layer must be an integer index, got 1\.0"),
    (True, TypeError, r"layer must be an integer index, got True"),
    ("0", TypeError, r"layer must be an integer index"),
])
def test_layer_outputs_refuses_a_layer_that_is_not_there(layer, error, message):
    X, _ = xor()
    with pytest.raises(error, match=message):
        layer_outputs(chapter_network(), X, layer=layer)


def test_layer_outputs_counts_negative_layers_from_the_end():
    X, _ = xor()
    net = chapter_network()
    np.testing.assert_array_equal(layer_outputs(net, X, layer=-1), net.forward(X))


def test_layer_outputs_wants_a_network():
    X, _ = xor()
    with pytest.raises(TypeError, match="network must be"):
        layer_outputs("net", X)


@pytest.mark.parametrize("z, error, message", [
    (np.array([1.0, -1.0]), ValueError, r"pre_activation must be \(\.\.\., n, units\) .* got shape \(2,\)"),
    (np.zeros((0, 3)), ValueError, r"pre_activation must be .* got shape \(0, 3\)"),
    (np.array([["a"]]), TypeError, r"pre_activation must be an array of real numbers"),
])
def test_dead_units_needs_inputs_by_units(z, error, message):
    with pytest.raises(error, match=message):
        dead_units(z)
