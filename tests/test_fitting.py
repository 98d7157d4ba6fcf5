"""fit: the general training loop, its losses, metrics and fused gradients."""

from __future__ import annotations

import numpy as np
import pytest

from scratchnet import (
    SGD,
    BinaryCrossEntropy,
    Identity,
    MeanSquaredError,
    NeuralNetwork,
    ReLU,
    Sigmoid,
    SoftmaxCrossEntropy,
    Tanh,
    accuracy,
    check_network,
    fit,
    softmax,
    train,
    xor,
)
from scratchnet.fitting import backpropagate, train_step

X, Y = xor()


def xor_net(activation=ReLU(), dtype=np.float64):
    return NeuralNetwork([2, 4, 1], [activation, Sigmoid()], rng=np.random.RandomState(42),
                         dtype=dtype)


def classifier():
    return NeuralNetwork([2, 4, 3], [ReLU(), Identity()], rng=0)


def blobs(n=120, k=3, seed=0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, n)
    centres = np.array([[0, 3], [3, 0], [-3, -3]])[:k]
    return centres[labels] + rng.normal(scale=0.7, size=(n, 2)), labels


# ------------------------------------------------------------------ losses


def test_softmax_cross_entropy_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    X, labels = blobs(10)
    net = NeuralNetwork([2, 5, 3], [Tanh(), Identity()], rng=rng, init="xavier")
    for target in (labels, np.eye(3)[labels]):
        errors = check_network(net, X, target, SoftmaxCrossEntropy())
        assert max(errors.values()) < 1e-7, errors


def test_mean_squared_error_gradient_matches_finite_differences():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(7, 3))
    target = rng.normal(size=(7, 2))
    net = NeuralNetwork([3, 4, 2], [Tanh(), Identity()], rng=rng, init="xavier")
    errors = check_network(net, X, target, MeanSquaredError())
    assert max(errors.values()) < 1e-7, errors


def test_softmax_cross_entropy_values():
    logits = np.array([[2.0, 0.0, -1.0], [0.0, 0.0, 0.0]])
    labels = np.array([0, 2])
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    expected = -(np.log(p[0, 0]) + np.log(p[1, 2])) / 2
    assert SoftmaxCrossEntropy().forward(logits, labels) == pytest.approx(expected, rel=1e-14)
    np.testing.assert_allclose(softmax(logits), p, rtol=1e-14)
    grad = SoftmaxCrossEntropy().backward(logits, labels)
    np.testing.assert_allclose(grad, (p - np.eye(3)[labels]) / 2, rtol=1e-13)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_cross_entropy_is_stable_at_extremes(dtype):
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]], dtype=dtype)
    loss = SoftmaxCrossEntropy()
    value = loss.forward(logits, np.array([1, 0]))
    grad = loss.backward(logits, np.array([1, 0]))
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    assert grad.dtype == dtype


def test_softmax_cross_entropy_rejects_bad_targets():
    logits = np.zeros((3, 4))
    with pytest.raises(ValueError, match=r"labels must be in \[0, 4\)"):
        SoftmaxCrossEntropy().forward(logits, np.array([0, 4, 1]))
    with pytest.raises(ValueError, match="one per row"):
        SoftmaxCrossEntropy().forward(logits, np.array([0, 1]))
    with pytest.raises(ValueError, match="same shape"):
        SoftmaxCrossEntropy().forward(logits, np.zeros((3, 3)))


def test_mean_squared_error_values_and_shape_check():
    out = np.array([[1.0], [3.0]])
    target = np.array([[0.0], [1.0]])
    assert MeanSquaredError().forward(out, target) == pytest.approx((1 + 4) / 2)
    np.testing.assert_allclose(MeanSquaredError().backward(out, target), [[1.0], [2.0]])
    with pytest.raises(ValueError, match="same shape"):
        MeanSquaredError().forward(out, target.ravel())


def test_accuracy_binary_and_multiclass():
    assert accuracy(np.array([[0.9], [0.2], [0.6]]), np.array([[1], [1], [0]])) == pytest.approx(1 / 3)
    scores = np.array([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]])
    assert accuracy(scores, np.array([0, 1, 1])) == pytest.approx(2 / 3)
    assert accuracy(scores, np.eye(2)[[0, 1, 1]]) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match=r"target must have the shape of output \(2, 1\)"):
        accuracy(np.array([[0.9], [0.2]]), np.array([1, 0]))


# ------------------------------------------------------------------ fit


def test_full_batch_fit_follows_the_chapter_loop():
    """Fused sigmoid + cross-entropy gradient, same trajectory as ``train``."""
    X, y = xor()
    history = fit(xor_net(), X, y, BinaryCrossEntropy(), SGD(0.1), epochs=3000)
    losses = train(xor_net(), X, y, epochs=3000, learning_rate=0.1)
    np.testing.assert_allclose(history.loss, losses, rtol=1e-10)
    assert len(history.accuracy) == len(history.seconds) == 3000
    assert np.all(np.diff(history.seconds) >= 0)


def test_fit_prints_progress_like_the_chapter(capsys):
    X, y = xor()
    history = fit(xor_net(), X, y, BinaryCrossEntropy(), SGD(0.1), epochs=30, print_every=10)
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"Epoch {e}, Loss: {history.loss[e]:.4f}, Accuracy: {history.accuracy[e]:.3f}"
                     for e in (0, 10, 20)]
    assert lines[0] == "Epoch 0, Loss: 0.6931, Accuracy: 0.500"  # log 2: tiny weights say 0.5


def test_fit_prints_the_validation_figures_after_the_training_ones(capsys):
    X, y = xor()
    history = fit(xor_net(), X, y, BinaryCrossEntropy(), SGD(0.1), epochs=4, print_every=3,
                  validation_data=(X[:2], y[:2]))
    expected = [f"Epoch {e}, Loss: {history.loss[e]:.4f}, Accuracy: {history.accuracy[e]:.3f}, "
                f"Val loss: {history.val_loss[e]:.4f}, Val accuracy: {history.val_accuracy[e]:.3f}"
                for e in (0, 3)]
    assert capsys.readouterr().out.splitlines() == expected


def test_fit_defaults_are_the_documented_ones():
    """Binary cross-entropy, SGD(0.01), 100 epochs, the whole data set as one batch."""
    X, y = xor()
    default, explicit = xor_net(), xor_net()
    history = fit(default, X, y)
    fit(explicit, X, y, BinaryCrossEntropy(), SGD(0.01), epochs=100, batch_size=4)
    assert len(history.loss) == 100 and history.val_loss == []
    for ours, theirs in zip(default.parameters(), explicit.parameters()):
        np.testing.assert_array_equal(ours, theirs)
    moved = xor_net()
    fit(moved, X, y, optimizer=SGD(0.02), epochs=100)
    assert not np.array_equal(moved.parameters()[0], default.parameters()[0])


def test_mini_batches_are_reproducible_from_the_rng():
    X, labels = blobs()
    def run(seed):
        net = NeuralNetwork([2, 8, 3], [ReLU(), Identity()], rng=0, init="he")
        return fit(net, X, labels, SoftmaxCrossEntropy(), SGD(0.05), epochs=5, batch_size=16,
                   rng=seed).loss
    assert run(1) == run(1)
    assert run(1) != run(2)


def test_labels_and_one_hot_targets_train_identically():
    X, labels = blobs()
    histories = []
    for target in (labels, np.eye(3)[labels]):
        net = NeuralNetwork([2, 8, 3], [ReLU(), Identity()], rng=0, init="he")
        histories.append(fit(net, X, target, SoftmaxCrossEntropy(), SGD(0.05), epochs=5,
                             batch_size=16, rng=3))
    np.testing.assert_allclose(histories[0].loss, histories[1].loss, rtol=1e-12)
    assert histories[0].accuracy == histories[1].accuracy


def test_softmax_classifier_learns_blobs_with_validation():
    X, labels = blobs(300)
    net = NeuralNetwork([2, 16, 3], [ReLU(), Identity()], rng=0, init="he")
    history = fit(net, X[:200], labels[:200], SoftmaxCrossEntropy(), SGD(0.1), epochs=40,
                  batch_size=20, rng=0, validation_data=(X[200:], labels[200:]))
    assert len(history.val_loss) == len(history.val_accuracy) == 40
    assert history.loss[-1] < history.loss[0] / 3
    assert history.val_accuracy[-1] > 0.9
    assert accuracy(net.forward(X[200:]), labels[200:]) == history.val_accuracy[-1]


def test_l2_step_adds_l2_times_weights_to_the_weight_gradients_only():
    X, y = xor()
    net, ref = xor_net(Tanh()), xor_net(Tanh())
    l2, lr = 0.3, 0.1
    fit(net, X, y, BinaryCrossEntropy(), SGD(lr), epochs=1, l2=l2)
    gradients, _ = ref.gradients(BinaryCrossEntropy().backward(ref.forward(X), y))
    for i, layer in enumerate(ref.layers):
        # fit folds the learning rate into dL/dz before summing over the batch, so the
        # roundings differ: compare to within rounding of the step's size
        step_w = lr * (gradients[2 * i] + l2 * layer.weights)
        np.testing.assert_allclose(net.layers[i].weights, layer.weights - step_w,
                                   rtol=1e-12, atol=1e-12 * np.abs(step_w).max())
        step_b = lr * gradients[2 * i + 1]
        np.testing.assert_allclose(net.layers[i].bias, layer.bias - step_b,
                                   rtol=1e-12, atol=1e-12 * np.abs(step_b).max())


def test_l2_shrinks_the_weights_and_is_in_the_reported_loss():
    X, labels = blobs()
    norms, first_losses = [], []
    for l2 in (0.0, 0.1):
        net = NeuralNetwork([2, 16, 3], [ReLU(), Identity()], rng=0, init="he")
        history = fit(net, X, labels, SoftmaxCrossEntropy(), SGD(0.05), epochs=30,
                      batch_size=30, rng=0, l2=l2)
        norms.append(net.l2_penalty())
        first_losses.append(history.loss[0])
    assert norms[1] < norms[0] / 2
    assert first_losses[1] > first_losses[0]


def test_mean_squared_error_regression_learns():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(200, 1))
    y = np.sin(3 * X)
    net = NeuralNetwork([1, 16, 1], [Tanh(), Identity()], rng=0, init="xavier")
    history = fit(net, X, y, MeanSquaredError(), SGD(0.1), epochs=300, batch_size=20, rng=0)
    assert history.loss[-1] < 0.05 < history.loss[0]


def test_float32_trains_in_float32_end_to_end():
    X, labels = blobs()
    X = X.astype(np.float32)
    net = NeuralNetwork([2, 8, 3], [ReLU(), Identity()], rng=0, init="he", dtype=np.float32)
    before = [p.copy() for p in net.parameters()]
    fit(net, X, labels, SoftmaxCrossEntropy(), SGD(0.05), epochs=2, batch_size=16, rng=0)
    for layer, old in zip(net.layers, before[::2]):
        assert layer.weights.dtype == layer.bias.dtype == np.float32
        assert not np.array_equal(layer.weights, old)
    # the arrays fit's step computes in (activations, dL/dz, gradients) stay float32
    net.forward(X[:16])
    value, delta = SoftmaxCrossEntropy().delta(net.layers[-1], labels[:16])
    assert delta.dtype == np.float32
    assert all(g.dtype == np.float32 for g in backpropagate(net.layers, delta))
    for layer in net.layers:
        layer.forward(X if layer is net.layers[0] else net.layers[0].output)
        assert layer.input.dtype == layer.activation_input.dtype == layer.output.dtype == np.float32
    gradients, _ = net.gradients(SoftmaxCrossEntropy().backward(net.forward(X), labels))
    assert all(g.dtype == np.float32 for g in gradients)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"epochs": 0}, ValueError, "epochs"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"batch_size": 5}, ValueError, "batch_size must be at most"),
        ({"l2": -1.0}, ValueError, "l2"),
        ({"print_every": 0}, ValueError, "print_every"),
    ],
)
def test_fit_rejects_bad_arguments(kwargs, error, match):
    X, y = xor()
    with pytest.raises(error, match=match):
        fit(xor_net(), X, y, **kwargs)


@pytest.mark.parametrize("validation_data, came", [
    ((X,), "tuple of length 1"),
    ([X, Y, Y], "list of length 3"),
    (X, "ndarray"),
])
def test_fit_says_what_came_instead_of_a_validation_pair(validation_data, came):
    with pytest.raises(TypeError) as error:
        fit(xor_net(), X, Y, epochs=1, validation_data=validation_data)
    assert str(error.value) == f"validation_data must be a pair (X_val, y_val), got {came}"


def test_train_step_without_l2_is_a_plain_optimizer_step():
    net, ref = xor_net(Tanh()), xor_net(Tanh())
    value, correct = train_step(net, BinaryCrossEntropy(), SGD(0.1), X, Y)  # l2 left out
    output = ref.forward(X)
    assert value == pytest.approx(BinaryCrossEntropy().value(output, Y), rel=1e-12)
    assert correct == int(((output > 0.5) == (Y > 0.5)).sum())
    gradients, _ = ref.gradients(BinaryCrossEntropy().backward(output, Y))
    for parameter, before, gradient in zip(net.parameters(), ref.parameters(), gradients):
        step = 0.1 * gradient
        np.testing.assert_allclose(parameter, before - step, rtol=1e-12,
                                   atol=1e-12 * np.abs(step).max())


def test_train_step_skips_the_update_and_counts_nothing_right_when_the_loss_is_not_finite():
    net = xor_net(Tanh())
    net.layers[-1].bias[...] = np.nan
    before = [p.copy() for p in net.parameters()]
    with np.errstate(all="ignore"):  # as inside fit
        value, correct = train_step(net, BinaryCrossEntropy(), SGD(0.1), X, Y)
    assert not np.isfinite(value)
    assert correct == 0
    for parameter, old in zip(net.parameters(), before):
        np.testing.assert_array_equal(parameter, old)


def test_fit_rejects_mismatched_targets():
    X, y = xor()
    with pytest.raises(ValueError, match=r"y must have shape \(4, 1\)"):
        fit(xor_net(), X, y.ravel())
    net = NeuralNetwork([2, 4, 3], [ReLU(), Identity()], rng=0)
    with pytest.raises(ValueError, match=r"labels must be in \[0, 3\)"):
        fit(net, X, np.array([0, 1, 2, 3]), SoftmaxCrossEntropy())
    with pytest.raises(ValueError, match="Identity"):
        fit(xor_net(), X, np.array([0, 1, 1, 0]), SoftmaxCrossEntropy())


def test_fit_refuses_boolean_targets():
    with pytest.raises(
        TypeError, match=r"^y must be an array of real numbers \(float or int\), got dtype bool$"
    ):
        fit(xor_net(), X, Y.astype(bool), epochs=1)


def test_fit_refuses_too_few_class_labels():
    with pytest.raises(ValueError, match=r"^y must hold 4 labels, one per row of X, got 3$"):
        fit(classifier(), X, np.array([0, 1, 2]), SoftmaxCrossEntropy(), epochs=1)


def test_fit_refuses_a_loss_that_is_not_a_scratchnet_loss():
    with pytest.raises(TypeError, match=r"^loss must be a scratchnet loss such as BinaryCrossEntropy\(\), got 'bce'$"):
        fit(xor_net(), X, Y, loss="bce", epochs=1)


def test_divergence_stops_training_with_a_clear_error_and_finite_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    y = X @ np.array([[1.0], [-2.0], [3.0]])
    net = NeuralNetwork([3, 16, 1], [ReLU(), Identity()], rng=0, init="he")
    with pytest.raises(FloatingPointError, match=r"diverged in epoch \d+, batch \d+.*learning rate.*still finite") as error:
        fit(net, X, y, MeanSquaredError(), SGD(5.0), epochs=100)
    assert str(error.value).endswith(
        " The weights are still finite: the update that would spread the NaN was not made.")
    for parameter in net.parameters():
        assert np.isfinite(parameter).all()


def test_divergence_error_says_when_the_weights_are_no_longer_finite():
    # weights that are already infinite give a NaN loss in the first batch, and the
    # error must not claim they are still finite
    network = xor_net()
    network.layers[0].weights[0, 0] = np.inf
    with pytest.raises(FloatingPointError) as error:
        fit(network, X, Y, epochs=3)
    message = str(error.value)
    assert message.startswith("training diverged in epoch 0, batch 0: the loss is nan.")
    assert "learning rate too large" in message
    assert message.endswith(" Some weights are no longer finite: retrain from a fresh network.")
    assert "still finite" not in message


def test_no_divergence_error_for_a_sane_learning_rate():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    y = X @ np.array([[1.0], [-2.0], [3.0]])
    net = NeuralNetwork([3, 16, 1], [ReLU(), Identity()], rng=0, init="he")
    history = fit(net, X, y, MeanSquaredError(), SGD(0.01), epochs=100)
    assert history.loss[-1] < history.loss[0]


def test_fused_sigmoid_cross_entropy_is_exact_for_huge_logits():
    # log(1 + exp(z)) overflows at z = 1000; the loss of a sure-but-wrong answer is
    # exactly z, and fit must report it, not diverge
    network = NeuralNetwork([1, 1], [Sigmoid()], rng=0)
    network.layers[0].weights[...] = 1000.0
    history = fit(network, np.array([[1.0]]), np.array([[0.0]]), optimizer=SGD(1e-6), epochs=1)
    assert history.loss == [1000.0]
    assert np.isfinite(network.layers[0].weights).all()


def test_fused_softmax_cross_entropy_is_stable_for_huge_scores():
    # exp(1000) overflows unless each row's maximum is subtracted first; fit's loss
    # must equal the stable loss of the same scores
    rng = np.random.default_rng(0)
    network = NeuralNetwork([2, 3], [Identity()], rng=0)
    network.layers[0].weights[...] = 1000.0 * rng.standard_normal((2, 3))
    labels = np.array([0, 1, 2, 0])
    expected = SoftmaxCrossEntropy().forward(network.forward(X), labels)
    assert np.isfinite(expected) and expected > 100
    history = fit(network, X, labels, SoftmaxCrossEntropy(), SGD(1e-9), epochs=1)
    assert history.loss[0] == pytest.approx(expected, rel=1e-12)


def test_fit_shuffles_with_an_rng_that_only_has_standard_normal():
    class NormalsOnly:
        def __init__(self):
            self.generator = np.random.default_rng(5)

        def standard_normal(self, size=None):
            return self.generator.standard_normal(size)

    X, labels = blobs(40)
    net = NeuralNetwork([2, 4, 3], [ReLU(), Identity()], rng=0, init="he")
    history = fit(net, X, labels, SoftmaxCrossEntropy(), SGD(0.05), epochs=3, batch_size=8,
                  rng=NormalsOnly())
    assert len(history.loss) == 3


# ------------------------------------------------------------------ the history fit keeps


def test_history_accuracy_and_loss_are_those_of_the_batches_before_each_update():
    """With mini-batches in a known order, each epoch's accuracy is the share of rows the
    network got right on its batch before that batch's update, and its loss the
    row-weighted mean of the batches' losses: recomputed here with forward passes."""
    X, labels = blobs()
    net = NeuralNetwork([2, 8, 3], [ReLU(), Identity()], rng=0, init="he")
    copy = NeuralNetwork([2, 8, 3], [ReLU(), Identity()], rng=0, init="he")
    loss = SoftmaxCrossEntropy()
    history = fit(net, X, labels, loss, SGD(0.05), epochs=3, batch_size=16, rng=5)
    order_rng = np.random.default_rng(5)
    for epoch in range(3):
        order = order_rng.permutation(len(X))
        correct, total = 0, 0.0
        for begin in range(0, len(X), 16):
            rows = order[begin:begin + 16]
            output = copy.forward(X[rows])
            correct += int(np.sum(output.argmax(axis=1) == labels[rows]))
            total += loss.forward(output, labels[rows]) * len(rows)
            gradients, _ = copy.gradients(loss.backward(output, labels[rows]))
            SGD(0.05).step(copy.parameters(), gradients)
        assert history.accuracy[epoch] == pytest.approx(correct / len(X), abs=1e-12)
        assert history.loss[epoch] == pytest.approx(total / len(X), rel=1e-9)
    assert 0 < history.accuracy[0] < 1  # not a trivial agreement


def test_history_validation_and_seconds():
    """val_loss and val_accuracy are the loss and accuracy of the validation data after
    each epoch; seconds grow from a small positive number, epoch by epoch."""
    X, labels = blobs()
    X_val, labels_val = X[:40], labels[:40]
    net = NeuralNetwork([2, 8, 3], [ReLU(), Identity()], rng=0, init="he")
    history = fit(net, X, labels, SoftmaxCrossEntropy(), SGD(0.05), epochs=2,
                  validation_data=(X_val, labels_val))
    output = net.forward(X_val)
    assert history.val_loss[-1] == pytest.approx(SoftmaxCrossEntropy().forward(output, labels_val))
    assert history.val_accuracy[-1] == accuracy(output, labels_val)
    assert 0 < history.seconds[0] <= history.seconds[1] < 60


def test_history_epochs_to_reach():
    """The first epoch (counting from 1) with a loss below the threshold, None if none."""
    from scratchnet.fitting import History

    history = History(loss=[0.9, 0.5, 0.3, 0.29, 0.1])
    assert history.epochs_to_reach(0.3) == 4
    assert history.epochs_to_reach(0.95) == 1
    assert history.epochs_to_reach(0.1) is None
    with pytest.raises(TypeError, match="threshold must be a number"):
        history.epochs_to_reach("0.3")


def test_divergence_seen_first_on_the_validation_data_is_a_divergence_error():
    """An update that makes the weights huge shows on the validation data before the
    next training batch: fit says training diverged (not that some ``output`` is not
    finite), with the learning rate, and that no NaN reached the weights."""
    X, y = xor()
    network = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(0))
    with pytest.raises(FloatingPointError) as caught:
        fit(network, X, y, optimizer=SGD(1e300), epochs=5, validation_data=(X, y))
    message = str(caught.value)
    assert message.startswith("training diverged in epoch 0, validation data: the loss is nan.")
    assert "learning_rate=1e+300" in message and "The weights are still finite" in message
    assert all(np.isfinite(p).all() for p in network.parameters())
    assert np.abs(network.parameters()[0]).max() > 1e100  # but far too large to use
