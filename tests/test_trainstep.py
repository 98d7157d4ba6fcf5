"""TrainStep, fit's fast batch step, against the plain path it replaces.

The plain path is what the earlier pages teach: ``network.forward``, the loss's
``value_and_gradient``, ``network.gradients`` and ``optimizer.step``. The step must
give the same loss, the same count of right answers and the same updated weights,
for every kind of layer, loss, optimizer and batch it handles differently.
"""

from __future__ import annotations

import numpy as np
import pytest

from scratchnet import (
    SGD,
    Adam,
    BinaryCrossEntropy,
    Identity,
    LeakyReLU,
    MeanSquaredError,
    NeuralNetwork,
    ReLU,
    RMSProp,
    Sigmoid,
    SoftmaxCrossEntropy,
    Tanh,
    accuracy,
    one_hot,
)
from scratchnet.losses import logits_value_and_gradient_bce
from scratchnet.trainstep import TrainStep

CASES = {
    # name: (hidden activations, output activation, loss, target kind)
    "relu-sigmoid-bce": ([ReLU(), ReLU()], Sigmoid(), BinaryCrossEntropy(), "binary"),
    "tanh-sigmoid-bce": ([Tanh(), Sigmoid()], Sigmoid(), BinaryCrossEntropy(), "binary"),
    "leaky-softmax-labels": ([LeakyReLU(0.1), ReLU()], Identity(), SoftmaxCrossEntropy(), "labels"),
    "relu-softmax-onehot": ([ReLU(), Tanh()], Identity(), SoftmaxCrossEntropy(), "onehot"),
    "tanh-identity-mse": ([Tanh(), ReLU()], Identity(), MeanSquaredError(), "real"),
    "relu-tanh-mse": ([ReLU(), Identity()], Tanh(), MeanSquaredError(), "real"),
    "relu-sigmoid-mse": ([ReLU(), LeakyReLU()], Sigmoid(), MeanSquaredError(), "binary"),
}
OPTIMIZERS = {
    "sgd": lambda: SGD(0.1),
    "momentum": lambda: SGD(0.1, momentum=0.9, nesterov=True),
    "rmsprop": lambda: RMSProp(0.01),
    "adam": lambda: Adam(0.01),
}


def problem(case: str, n: int = 13, seed: int = 0):
    hidden, output, loss, kind = CASES[case]
    rng = np.random.default_rng(seed)
    k = 1 if kind == "binary" else 3
    net = NeuralNetwork([4, 6, 5, k], [*hidden, output], rng=seed, init="he")
    X = rng.standard_normal((n, 4))
    if kind == "binary":
        y = (rng.random((n, 1)) > 0.5).astype(float)
    elif kind == "labels":
        y = rng.integers(0, k, n)
    elif kind == "onehot":
        y = one_hot(rng.integers(0, k, n), k)
    else:
        y = rng.standard_normal((n, k))
    return net, X, y, loss


def reference_step(net, X, y, loss, optimizer, l2):
    """The plain path: what fit did before it had a TrainStep."""
    output = net.forward(X)
    last = net.layers[-1]
    if isinstance(loss, BinaryCrossEntropy) and isinstance(last.activation, Sigmoid):
        value, grad_z = logits_value_and_gradient_bce(output, last.activation_input, y)
        gradients = net.gradients(grad_z, from_logits=True)[0]
    elif isinstance(loss, SoftmaxCrossEntropy):
        value, grad_z = loss.value_and_gradient(output, y)
        gradients = net.gradients(grad_z, from_logits=True)[0]
    else:
        value, grad_output = loss.value_and_gradient(output, y)
        gradients = net.gradients(grad_output)[0]
    if l2:
        value += l2 * net.l2_penalty()
        for layer, grad_weights in zip(net.layers, gradients[::2]):
            grad_weights += l2 * layer.weights
    correct = round(accuracy(output, y) * X.shape[0])
    optimizer.step(net.parameters(), gradients)
    return value, correct


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("l2", [0.0, 0.05])
def test_step_matches_the_plain_path_on_mini_batches(case, optimizer, l2):
    net, X, y, loss = problem(case)
    ref, _, _, _ = problem(case)
    step = TrainStep(net, loss, OPTIMIZERS[optimizer](), X, y, batch_size=8, l2=l2)
    ref_optimizer = OPTIMIZERS[optimizer]()
    # batches of 8, then 5: the short batch uses the leading rows of the step's arrays
    order = np.random.default_rng(1).permutation(13)
    for rows in [order[:8], order[8:], order[8:], order[:8]]:
        value, correct = step(rows)
        ref_value, ref_correct = reference_step(ref, X[rows], y[rows], loss, ref_optimizer, l2)
        assert value == pytest.approx(ref_value, rel=1e-12)
        assert correct == ref_correct
        for p, q in zip(net.parameters(), ref.parameters()):
            np.testing.assert_allclose(p, q, rtol=1e-9, atol=1e-13)


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_step_matches_the_plain_path_on_the_full_batch(case, optimizer):
    net, X, y, loss = problem(case)
    ref, _, _, _ = problem(case)
    step = TrainStep(net, loss, OPTIMIZERS[optimizer](), X, y, batch_size=13)
    ref_optimizer = OPTIMIZERS[optimizer]()
    for _ in range(3):
        value, correct = step()
        ref_value, ref_correct = reference_step(ref, X, y, loss, ref_optimizer, 0.0)
        assert value == pytest.approx(ref_value, rel=1e-12)
        assert correct == ref_correct
        for p, q in zip(net.parameters(), ref.parameters()):
            np.testing.assert_allclose(p, q, rtol=1e-9, atol=1e-13)


def test_a_replaced_weight_array_is_packed_again_and_trained():
    net, X, y, loss = problem("relu-sigmoid-bce")
    ref, _, _, _ = problem("relu-sigmoid-bce")
    replacement = net.layers[1].weights * 2.0
    net.layers[1].weights = replacement
    ref.layers[1].weights[...] *= 2.0
    step = TrainStep(net, loss, SGD(0.1), X, y, batch_size=13)
    step()
    reference_step(ref, X, y, loss, SGD(0.1), 0.0)
    assert np.shares_memory(net.layers[1].weights, net.packed()[0])
    for p, q in zip(net.parameters(), ref.parameters()):
        np.testing.assert_allclose(p, q, rtol=1e-9, atol=1e-13)


def test_a_non_finite_loss_leaves_the_weights_alone():
    net, X, y, loss = problem("leaky-softmax-labels")
    X[0] = 1e300
    net.layers[0].weights *= 1e10  # z of the first layer overflows to +-inf
    before = [p.copy() for p in net.parameters()]
    step = TrainStep(net, loss, SGD(0.1), X, y, batch_size=13)
    with np.errstate(all="ignore"):
        value, _ = step()
    assert not np.isfinite(value)
    for p, q in zip(net.parameters(), before):
        np.testing.assert_array_equal(p, q)


def test_plain_sgd_folds_its_learning_rate_and_nothing_else_does():
    assert SGD(0.3).fold() == 0.3
    for optimizer in (SGD(0.3, momentum=0.5), RMSProp(0.3), Adam(0.3)):
        assert optimizer.fold() == 1.0


def test_folded_sgd_update_equals_its_step():
    rng = np.random.default_rng(0)
    params = [rng.standard_normal((3, 2)), rng.standard_normal((1, 2))]
    grads = [rng.standard_normal((3, 2)), rng.standard_normal((1, 2))]
    a, b = [p.copy() for p in params], [p.copy() for p in params]
    sgd = SGD(0.25)
    sgd.step(a, grads)
    sgd.update(b, [sgd.fold() * g for g in grads])
    for p, q in zip(a, b):
        np.testing.assert_array_equal(p, q)  # 0.25 is a power of two: no rounding
