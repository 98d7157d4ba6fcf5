"""train(): the chapter's loop as a function."""

import re

import numpy as np
import pytest

from scratchnet import BinaryCrossEntropy, NeuralNetwork, ReLU, Sigmoid, Tanh, train, xor

AND_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
AND_Y = np.array([[0.0], [0.0], [0.0], [1.0]])


def and_network(seed=0):
    return NeuralNetwork([2, 3, 1], [Tanh(), Sigmoid()], rng=seed, init="xavier")


def test_returns_one_loss_per_epoch():
    losses = train(and_network(), AND_X, AND_Y, epochs=37, learning_rate=0.1)
    assert isinstance(losses, np.ndarray)
    assert losses.shape == (37,)
    assert losses.dtype == np.float64
    assert np.isfinite(losses).all()


def test_loss_decreases_and_learns_and():
    net = and_network()
    losses = train(net, AND_X, AND_Y, epochs=2000, learning_rate=0.5)
    assert losses[0] > 0.5  # starts near chance...
    assert losses[-1] < 0.1 * losses[0]  # ...and ends far below it
    # full-batch gradient descent with a modest step: the loss never goes up by much
    assert (np.diff(losses) < 1e-6).all()
    np.testing.assert_array_equal(net.predict(AND_X), AND_Y.astype(np.int64))


def test_first_loss_is_measured_before_the_first_update():
    net, twin = and_network(3), and_network(3)
    expected = BinaryCrossEntropy().forward(twin.forward(AND_X), AND_Y)
    losses = train(net, AND_X, AND_Y, epochs=3, learning_rate=0.1)
    assert losses[0] == expected
    # and the network was updated three times afterwards
    assert not np.array_equal(net.layers[0].weights, twin.layers[0].weights)


def test_train_equals_the_chapters_loop():
    # forward, loss, gradient of the loss, network.backward: epoch by epoch
    net, twin = and_network(5), and_network(5)
    loss = BinaryCrossEntropy()
    manual = []
    for _ in range(20):
        out = twin.forward(AND_X)
        manual.append(loss.forward(out, AND_Y))
        twin.backward(loss.backward(out, AND_Y), 0.3)
    losses = train(net, AND_X, AND_Y, epochs=20, learning_rate=0.3)
    np.testing.assert_array_equal(losses, manual)
    for p, q in zip(net.parameters(), twin.parameters()):
        np.testing.assert_array_equal(p, q)


def test_integer_data_is_accepted():
    X, y = AND_X.astype(int), AND_Y.astype(int)
    a = train(and_network(1), X, y, epochs=5, learning_rate=0.1)
    b = train(and_network(1), AND_X, AND_Y, epochs=5, learning_rate=0.1)
    np.testing.assert_array_equal(a, b)


def test_print_every_format(capsys):
    losses = train(and_network(), AND_X, AND_Y, epochs=7, learning_rate=0.1, print_every=3)
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"Epoch {e}, Loss: {losses[e]:.4f}" for e in (0, 3, 6)]
    assert all(re.fullmatch(r"Epoch \d+, Loss: \d+\.\d{4}", line) for line in lines)


def test_silent_by_default(capsys):
    train(and_network(), AND_X, AND_Y, epochs=5, learning_rate=0.1)
    assert capsys.readouterr().out == ""


def test_xor_with_the_chapters_settings_prints_like_the_chapter(capsys):
    X, y = xor()
    net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(42))
    losses = train(net, X, y, epochs=2001, learning_rate=0.1, print_every=1000)
    out = capsys.readouterr().out
    assert out == "".join(f"Epoch {e}, Loss: {losses[e]:.4f}\n" for e in (0, 1000, 2000))
    assert out.startswith("Epoch 0, Loss: 0.6931\n")  # log 2: a 0.01-initialised net says 0.5


# --------------------------------------------------------------------------- validation


def test_float64_targets_train_a_float32_network_as_float32_targets_do():
    # y is converted to the network's dtype once: the same losses and weights, bit for bit
    X32, y = AND_X.astype(np.float32), AND_Y.astype(np.float64)
    net64y = NeuralNetwork([2, 3, 1], [Tanh(), Sigmoid()], rng=0, dtype=np.float32)
    net32y = NeuralNetwork([2, 3, 1], [Tanh(), Sigmoid()], rng=0, dtype=np.float32)
    a = train(net64y, X32, y, epochs=20, learning_rate=0.5)
    b = train(net32y, X32, y.astype(np.float32), epochs=20, learning_rate=0.5)
    np.testing.assert_array_equal(a, b)
    for ours, theirs in zip(net64y.parameters(), net32y.parameters()):
        assert ours.dtype == np.float32
        np.testing.assert_array_equal(ours, theirs)


def test_default_is_10000_epochs():
    assert len(train(and_network(), AND_X, AND_Y)) == 10000


@pytest.mark.parametrize("epochs, error", [(0, ValueError), (-5, ValueError),
                                           (2.0, TypeError), (True, TypeError)])
def test_bad_epochs(epochs, error):
    with pytest.raises(error, match="epochs must be a positive integer"):
        train(and_network(), AND_X, AND_Y, epochs=epochs)


@pytest.mark.parametrize("lr, error", [(0, ValueError), (0.0, ValueError), (-0.1, ValueError),
                                       (float("inf"), ValueError), ("0.1", TypeError)])
def test_bad_learning_rate(lr, error):
    with pytest.raises(error, match="learning_rate must be a positive"):
        train(and_network(), AND_X, AND_Y, epochs=3, learning_rate=lr)


def test_train_checks_the_learning_rate_before_computing_anything():
    # without train's own check, SGD would only refuse the learning rate after the
    # first forward pass (and callback) had run
    epochs_seen = []
    network = and_network()
    before = [p.copy() for p in network.parameters()]
    with pytest.raises(
        ValueError, match=r"^learning_rate must be a positive finite number, got 0\.0$"
    ):
        train(network, AND_X, AND_Y, epochs=3, learning_rate=0.0,
              callback=lambda epoch, net: epochs_seen.append(epoch))
    assert epochs_seen == []
    assert all(np.array_equal(a, b) for a, b in zip(before, network.parameters()))


@pytest.mark.parametrize("bad, error", [(0, ValueError), (1.5, TypeError)])
def test_bad_print_every(bad, error):
    with pytest.raises(error, match="print_every must be a positive integer"):
        train(and_network(), AND_X, AND_Y, epochs=3, print_every=bad)


def test_target_shape_must_match_output():
    net = and_network()
    before = [p.copy() for p in net.parameters()]
    with pytest.raises(ValueError, match=r"y must have shape \(4, 1\).*got shape \(4,\)"):
        train(net, AND_X, AND_Y.ravel(), epochs=3)
    # refused before any update
    for p, b in zip(net.parameters(), before):
        np.testing.assert_array_equal(p, b)


def test_target_rows_must_match_inputs():
    with pytest.raises(ValueError, match=r"y must have shape \(4, 1\).*got shape \(3, 1\)"):
        train(and_network(), AND_X, AND_Y[:3], epochs=3)


def test_bad_inputs_are_named_X():
    with pytest.raises(ValueError, match=r"X must have 2 columns"):
        train(and_network(), np.ones((4, 3)), AND_Y, epochs=3)
    with pytest.raises(ValueError, match=r"X must be finite"):
        train(and_network(), np.full((4, 2), np.nan), AND_Y, epochs=3)
    with pytest.raises(TypeError, match=r"X must be an array of real numbers"):
        train(and_network(), AND_X.astype(bool), AND_Y, epochs=3)


def test_non_finite_targets():
    y = AND_Y.copy()
    y[2, 0] = np.nan
    with pytest.raises(ValueError, match=r"y must be finite"):
        train(and_network(), AND_X, y, epochs=3)


@pytest.mark.parametrize("learning_rate", [10.0, 1e3])
def test_train_reports_divergence_with_the_epoch_and_the_cause(learning_rate):
    from scratchnet import Identity, MeanSquaredError

    X, y = xor()
    network = NeuralNetwork([2, 4, 1], [ReLU(), Identity()], rng=np.random.RandomState(42), init="he")
    with pytest.raises(FloatingPointError, match=r"training diverged in epoch \d+: .*finite.*"
                       r"learning rate too large"):
        train(network, X, y, epochs=500, learning_rate=learning_rate, loss=MeanSquaredError())


def test_train_reports_an_output_that_is_no_longer_finite():
    from scratchnet import Identity, MeanSquaredError

    X, y = xor()
    network = NeuralNetwork([2, 4, 1], [ReLU(), Identity()], rng=np.random.RandomState(42))
    network.layers[0].weights[...] = 1.0
    network.layers[1].weights[...] = 1e308  # 4 units of 1 or 2 times 1e308 overflow
    with pytest.raises(FloatingPointError,
                       match="training diverged in epoch 0: the network's output is no longer finite"):
        train(network, X, y, epochs=5, learning_rate=0.1, loss=MeanSquaredError())


def test_train_refuses_a_falsy_loss_instead_of_falling_back():
    X, y = xor()
    network = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=0)
    with pytest.raises(TypeError, match=r"loss must be a scratchnet loss such as BinaryCrossEntropy\(\), got 0"):
        train(network, X, y, epochs=1, loss=0)
