"""Bad input at the public boundary: each case gets a clear error naming the argument.

One test per case of issue 6. Each asserts the exception type and that the message
names the argument and says what was expected; none of them may compute anything.
"""

from __future__ import annotations

import numpy as np
import pytest

from scratchnet import (
    SGD,
    Adam,
    BinaryCrossEntropy,
    Identity,
    Layer,
    MeanSquaredError,
    NeuralNetwork,
    ReLU,
    Sigmoid,
    SoftmaxCrossEntropy,
    fit,
    train,
    xor,
)


def net():
    return NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=0)


def classifier():
    return NeuralNetwork([2, 4, 3], [ReLU(), Identity()], rng=0)


X, Y = xor()

CASES = {
    "layer_sizes too short": (lambda: NeuralNetwork([2], []), ValueError, "layer_sizes needs at least"),
    "layer size zero": (lambda: NeuralNetwork([2, 0, 1], [ReLU(), Sigmoid()]), ValueError, r"layer_sizes\[1\]"),
    "layer size float": (lambda: NeuralNetwork([2, 2.5, 1], [ReLU(), Sigmoid()]), TypeError, r"layer_sizes\[1\]"),
    "layer sizes a string": (lambda: NeuralNetwork("241", [ReLU(), Sigmoid()]), TypeError, "layer_sizes"),
    "too few activations": (lambda: NeuralNetwork([2, 4, 1], [ReLU()]), ValueError, "activations needs one entry per layer"),
    "activation class, not instance": (lambda: NeuralNetwork([2, 4, 1], [ReLU, Sigmoid()]), TypeError, r"ReLU\(\) with parentheses"),
    "non-activation object": (lambda: Layer(2, 3, "relu"), TypeError, "activation must be an Activation"),
    "input width mismatch": (lambda: net().forward(np.zeros((4, 3))), ValueError, "x must have 2 columns"),
    "1-D input": (lambda: net().forward(np.zeros(2)), ValueError, r"reshape\(1, -1\)"),
    "empty batch": (lambda: net().forward(np.zeros((0, 2))), ValueError, "empty batch"),
    "NaN input": (lambda: net().forward(np.array([[np.nan, 0.0]])), ValueError, "x must be finite"),
    "infinite input": (lambda: net().forward(np.array([[np.inf, 0.0]])), ValueError, "x must be finite"),
    "bool input": (lambda: net().forward(np.array([[True, False]])), TypeError, "x must be an array of real numbers"),
    "string input": (lambda: net().forward(np.array([["a", "b"]])), TypeError, "x must be an array of real numbers"),
    "object input": (lambda: net().forward(np.array([[None, 1]], dtype=object)), TypeError, "x must be an array of real numbers"),
    "(4,) target vs (4, 1) output in the loss": (lambda: BinaryCrossEntropy().forward(np.full((4, 1), 0.5), np.zeros(4)), ValueError, r"target must have the same shape as output \(4, 1\)"),
    "(4,) target in MSE": (lambda: MeanSquaredError().forward(np.zeros((4, 1)), np.zeros(4)), ValueError, "same shape"),
    "(4,) target in train": (lambda: train(net(), X, Y.ravel(), epochs=1), ValueError, r"y must have shape \(4, 1\)"),
    "(4,) target in fit": (lambda: fit(net(), X, Y.ravel(), epochs=1), ValueError, r"y must have shape \(4, 1\)"),
    "NaN target": (lambda: fit(net(), X, np.full((4, 1), np.nan), epochs=1), ValueError, "y must be finite"),
    "learning rate zero": (lambda: train(net(), X, Y, epochs=1, learning_rate=0.0), ValueError, "learning_rate must be a positive"),
    "learning rate negative (optimizer)": (lambda: Adam(-0.1), ValueError, "learning_rate"),
    "epochs zero": (lambda: fit(net(), X, Y, epochs=0), ValueError, "epochs must be a positive integer"),
    "epochs float": (lambda: fit(net(), X, Y, epochs=2.5), TypeError, "epochs must be a positive integer"),
    "batch size zero": (lambda: fit(net(), X, Y, batch_size=0), ValueError, "batch_size"),
    "batch size larger than the data": (lambda: fit(net(), X, Y, batch_size=5), ValueError, "batch_size must be at most the number of samples"),
    "class label out of range in fit": (lambda: fit(classifier(), X, np.array([0, 1, 2, 3]), SoftmaxCrossEntropy()), ValueError, r"y labels must be in \[0, 3\)"),
    "negative class label in the loss": (lambda: SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.array([0, -1])), ValueError, r"target labels must be in \[0, 3\)"),
    "softmax loss on a sigmoid network": (lambda: fit(net(), X, np.array([0, 1, 1, 0]), SoftmaxCrossEntropy()), ValueError, "last activation must be Identity"),
    "validation data of the wrong width": (lambda: fit(net(), X, Y, validation_data=(np.zeros((2, 3)), np.zeros((2, 1)))), ValueError, "X_val must have 2 columns"),
    "gradients of the wrong shape": (lambda: SGD(0.1).step([np.zeros((2, 2))], [np.zeros((1, 2))]), ValueError, r"gradients\[0\] must have the shape"),
    "unknown init": (lambda: NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], init="glorot"), ValueError, "init must be one of"),
    "bad rng": (lambda: NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng="seed"), TypeError, "rng must be"),
    "unsupported dtype": (lambda: NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], dtype=np.int32), TypeError, "dtype must be float32 or float64"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gets_a_clear_error(case):
    call, error, message = CASES[case]
    with pytest.raises(error, match=message):
        call()


def test_integers_are_converted_once_not_refused():
    network = net()
    as_float = network.forward(X)
    assert np.array_equal(network.forward(X.astype(int)), as_float)
    history = fit(net(), X.astype(int), Y.astype(int), epochs=2)
    assert len(history.loss) == 2


def test_a_refused_call_changes_nothing():
    network = net()
    before = [p.copy() for p in network.parameters()]
    with pytest.raises(ValueError):
        fit(network, X, Y.ravel(), epochs=5)
    assert all(np.array_equal(a, b) for a, b in zip(before, network.parameters()))
