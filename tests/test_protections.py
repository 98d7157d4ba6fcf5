"""One test per protection that no other test noticed missing (tools/mutation_audit.py).

Each test here kills one mutation of the audit: with that protection disabled, the
test fails. Error cases assert the exact exception type and that the message names
the argument, what was expected and what came; numerical cases assert the property
the protection exists for.
"""

from __future__ import annotations

import inspect
import os

import numpy as np
import pytest

from scratchnet import (
    SGD,
    Activation,
    Identity,
    Layer,
    LeakyReLU,
    MeanSquaredError,
    NeuralNetwork,
    ReLU,
    Sigmoid,
    SoftmaxCrossEntropy,
    fit,
    load,
    save,
    train,
    xor,
)
from scratchnet import serialization
from scratchnet._validation import check_finite

X, Y = xor()


def xor_net(dtype=np.float64):
    return NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=0, dtype=dtype)


def classifier():
    return NeuralNetwork([2, 4, 3], [ReLU(), Identity()], rng=0)


def rewritten(path, drop=(), **changes):
    """Rewrite the saved network at ``path`` with some arrays changed or dropped."""
    with np.load(path) as data:
        arrays = {key: data[key] for key in data.files if key not in drop}
    arrays.update(changes)
    np.savez(path, **arrays)
    return path


# ------------------------------------------------------------ _validation.py


def test_integer_input_is_converted_to_the_network_dtype():
    # mutation float-converts-int: integers kept as int64 turn a float32 network's
    # output into float64 (int64 @ float32 -> float64)
    network = xor_net(np.float32)
    checked = network.check_input(X.astype(np.int64))
    assert checked.dtype == np.float32
    output = network.forward(X.astype(np.int64))
    assert output.dtype == np.float32
    assert np.array_equal(output, network.forward(X.astype(np.float32)))


def test_a_nan_beyond_the_first_checked_block_is_found():
    # mutation finite-every-block: check_finite works through large arrays block by
    # block; a NaN in the last block must still be refused
    block = inspect.signature(check_finite).parameters["block"].default
    network = NeuralNetwork([1, 1], [Sigmoid()], rng=0)
    x = np.zeros((block + 10, 1))
    x[-1, 0] = np.nan
    with pytest.raises(ValueError, match=r"^x must be finite, got 1 NaN or infinite value\(s\)$"):
        network.forward(x)


def test_learning_rate_true_is_not_the_number_one():
    # mutation positive-float-bool
    with pytest.raises(TypeError, match=r"^learning_rate must be a positive number, got True$"):
        SGD(learning_rate=True)


# ------------------------------------------------------------ layer.py, activations.py


def test_layer_forward_refuses_boolean_input():
    # mutation layer-forward-float: Layer.forward, not only NeuralNetwork.forward,
    # refuses arrays that are not real numbers
    layer = Layer(2, 3, ReLU(), rng=0)
    with pytest.raises(
        TypeError, match=r"^x must be an array of real numbers \(float or int\), got dtype bool$"
    ):
        layer.forward(np.array([[True, False]]))


def test_leaky_relu_alpha_true_is_a_type_error():
    # mutation leaky-alpha-bool: True is refused as a type, not as an out-of-range value
    with pytest.raises(TypeError, match=r"^alpha must be a number in \[0, 1\), got True$"):
        LeakyReLU(alpha=True)


# ------------------------------------------------------------ losses.py


def test_mean_squared_error_backward_refuses_a_target_of_another_shape():
    # mutation mse-backward-checked: a (4,) target would broadcast to a (4, 4) gradient
    with pytest.raises(
        ValueError, match=r"^target must have the same shape as output \(4, 1\), got shape \(4,\)$"
    ):
        MeanSquaredError().backward(np.zeros((4, 1)), np.zeros(4))


def test_softmax_cross_entropy_refuses_scores_that_are_not_2d():
    # mutation sce-output-2d
    with pytest.raises(
        ValueError, match=r"^output must be 2-D scores \(n, classes\), got shape \(3,\)$"
    ):
        SoftmaxCrossEntropy().forward(np.zeros(3), np.array([0]))


# ------------------------------------------------------------ fitting.py, training.py


def test_fit_refuses_boolean_targets():
    # mutation fit-target-float
    with pytest.raises(
        TypeError, match=r"^y must be an array of real numbers \(float or int\), got dtype bool$"
    ):
        fit(xor_net(), X, Y.astype(bool), epochs=1)


def test_fit_refuses_too_few_class_labels():
    # mutation fit-label-count
    with pytest.raises(ValueError, match=r"^y must hold 4 labels, one per row of X, got 3$"):
        fit(classifier(), X, np.array([0, 1, 2]), SoftmaxCrossEntropy(), epochs=1)


def test_fit_refuses_a_loss_that_is_not_a_scratchnet_loss():
    # mutation fit-loss-type
    with pytest.raises(TypeError, match=r"^loss must be a scratchnet loss such as BinaryCrossEntropy\(\), got 'bce'$"):
        fit(xor_net(), X, Y, loss="bce", epochs=1)


def test_divergence_error_says_when_the_weights_are_no_longer_finite():
    # mutation fit-divergence-weights: weights that are already infinite give a NaN
    # loss in the first batch, and the error must not claim they are still finite
    network = xor_net()
    network.layers[0].weights[0, 0] = np.inf
    with pytest.raises(FloatingPointError) as error:
        fit(network, X, Y, epochs=3)
    message = str(error.value)
    assert message.startswith("training diverged in epoch 0, batch 0: the loss is nan.")
    assert "learning rate too large" in message
    assert "Some weights are no longer finite: retrain from a fresh network." in message
    assert "still finite" not in message


def test_fused_sigmoid_cross_entropy_is_exact_for_huge_logits():
    # mutation trainstep-bce-logaddexp: log(1 + exp(z)) overflows at z = 1000; the
    # loss of a sure-but-wrong answer is exactly z, and fit must report it, not diverge
    network = NeuralNetwork([1, 1], [Sigmoid()], rng=0)
    network.layers[0].weights[...] = 1000.0
    history = fit(network, np.array([[1.0]]), np.array([[0.0]]), optimizer=SGD(1e-6), epochs=1)
    assert history.loss == [1000.0]
    assert np.isfinite(network.layers[0].weights).all()


def test_fused_softmax_cross_entropy_is_stable_for_huge_scores():
    # mutation trainstep-softmax-max: exp(1000) overflows unless each row's maximum is
    # subtracted first; fit's loss must equal the stable loss of the same scores
    rng = np.random.default_rng(0)
    network = NeuralNetwork([2, 3], [Identity()], rng=0)
    network.layers[0].weights[...] = 1000.0 * rng.standard_normal((2, 3))
    labels = np.array([0, 1, 2, 0])
    expected = SoftmaxCrossEntropy().forward(network.forward(X), labels)
    assert np.isfinite(expected) and expected > 100
    history = fit(network, X, labels, SoftmaxCrossEntropy(), SGD(1e-9), epochs=1)
    assert history.loss[0] == pytest.approx(expected, rel=1e-12)


def test_train_checks_the_learning_rate_before_computing_anything():
    # mutation train-learning-rate: without train's own check, SGD would only refuse
    # the learning rate after the first forward pass (and callback) had run
    epochs_seen = []
    network = xor_net()
    before = [p.copy() for p in network.parameters()]
    with pytest.raises(
        ValueError, match=r"^learning_rate must be a positive finite number, got 0\.0$"
    ):
        train(network, X, Y, epochs=3, learning_rate=0.0,
              callback=lambda epoch, net: epochs_seen.append(epoch))
    assert epochs_seen == []
    assert all(np.array_equal(a, b) for a, b in zip(before, network.parameters()))


# ------------------------------------------------------------ serialization.py


class Square(Activation):
    @staticmethod
    def forward(x):
        return x * x

    @staticmethod
    def backward(x):
        return 2 * x


def test_save_refuses_an_activation_load_could_not_read(tmp_path):
    # mutation save-activation-known
    network = NeuralNetwork([2, 3, 1], [Square(), Sigmoid()], rng=0)
    with pytest.raises(TypeError) as error:
        save(network, tmp_path / "model.npz")
    assert str(error.value) == (
        "cannot save activation Square(): saving supports "
        "['Identity', 'LeakyReLU', 'ReLU', 'Sigmoid', 'Tanh']"
    )
    assert list(tmp_path.iterdir()) == []


def test_save_flushes_the_temporary_file_to_disk_before_renaming_it(tmp_path, monkeypatch):
    # mutation save-fsync: without fsync, a crash after the rename can leave an empty
    # or partial file under the target's name
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append("fsync")
        real_fsync(fd)

    def replace(source, target):
        events.append("replace")
        real_replace(source, target)

    monkeypatch.setattr(serialization.os, "fsync", fsync)
    monkeypatch.setattr(serialization.os, "replace", replace)
    save(xor_net(), tmp_path / "model.npz")
    assert events == ["fsync", "replace"]


def test_load_refuses_layer_sizes_and_activations_that_disagree(tmp_path):
    # mutation load-layer-count
    path = rewritten(save(xor_net(), tmp_path / "model.npz"),
                     activations=np.array(["ReLU"]), activation_params=np.array([np.nan]))
    with pytest.raises(
        ValueError, match=r"model\.npz' is corrupted: 3 layer sizes but 1 activations$"
    ):
        load(path)


def test_load_refuses_an_unknown_activation_name(tmp_path):
    # mutation load-unknown-activation: a clear ValueError, not a KeyError
    path = rewritten(save(xor_net(), tmp_path / "model.npz"),
                     activations=np.array(["ReLU", "Softplus"]))
    with pytest.raises(ValueError, match=r"model\.npz' uses unknown activations \['Softplus'\]$"):
        load(path)


def test_load_refuses_a_file_with_missing_weights(tmp_path):
    # mutation load-missing-weights: a clear ValueError, not a KeyError
    path = rewritten(save(xor_net(), tmp_path / "model.npz"), drop=("weights_1",))
    with pytest.raises(ValueError, match=r"model\.npz' is corrupted: weights_1 is missing$"):
        load(path)
