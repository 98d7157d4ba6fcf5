"""A table of hostile calls across scratchnet's public API (issue 14, item 7).

Every row of ``TABLE`` is one call that a careless or malicious caller could make:
a string, ``None``, a list or a class where an array, a number or an instance is
expected; ``True`` where a number is expected; NaN and infinity; zero and negative
sizes; shapes that NumPy would silently broadcast (a ``(4,)`` target against a
``(4, 1)`` output); strings, complex numbers and objects as data; empty and ragged
arrays; probabilities outside [0, 1], labels ``>= n_classes``, a momentum ``>= 1``;
arrays of mismatched lengths; missing files and folders.

A row is ``(id, call, error, argument)``: ``call`` takes no arguments and makes the
hostile call, ``error`` is the exception the package documents for it (TypeError,
ValueError, FloatingPointError, FileNotFoundError or IsADirectoryError), and
``argument`` is a regular expression that the message must match as a whole word (not
inside a longer name) and that names the offending argument (for a file that cannot be
read or written, the path it was given). So every row checks two things: the call fails
with the right kind of error rather than with an AttributeError from deep inside NumPy
or a silently wrong number, and the message tells the caller which argument to fix.

Every row was tried by hand first; calls that did not fail this way are not in the
table. Networks are tiny and training runs at most three epochs, so the whole table
takes a few seconds. Files are written only inside a temporary folder that
``in_tmp`` removes again.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest

from scratchnet import (
    SGD, Adam, BinaryCrossEntropy, History, Identity, Layer, LeakyReLU, MeanSquaredError,
    NetworkBatch, NeuralNetwork, Optimizer, RMSProp, Recorder, ReLU, Sigmoid,
    SoftmaxCrossEntropy, Tanh, accuracy, check_layer, check_network, circles,
    count_parameters, dead_units, fit, layer_outputs, learned, load, moons, numerical_gradient,
    one_hot, relative_error, save, softmax, spirals, success_rate, train, train_batch,
    train_test_split, weight_std, xor,
)
from scratchnet.experiments import Config, run_experiment, run_experiments

X, Y = xor()  # X (4, 2), Y (4, 1)
LABELS = np.array([0, 1, 1, 0])  # Y as integer class labels
NAN, INF = np.nan, np.inf
P = np.full((4, 1), 0.5)  # a sigmoid output for the 4 XOR points
S = np.zeros((2, 3))  # scores of 2 samples over 3 classes
V = np.array([1.0, 2.0])  # an array to differentiate with respect to (copied per row)
G = np.zeros(2)  # a gradient for a parameter of shape (2,)


def net(dtype=np.float64):
    """A tiny network with a sigmoid output: 2 inputs, 3 hidden units, 1 output."""
    return NeuralNetwork([2, 3, 1], [Tanh(), Sigmoid()], rng=0, dtype=dtype)


def relu_net():
    """A ReLU network that diverges within two epochs at a learning rate of 1e300."""
    return NeuralNetwork([2, 8, 1], [ReLU(), Sigmoid()], rng=0, init="he")


def classifier():
    """A network that outputs 3 class scores (for softmax cross-entropy)."""
    return NeuralNetwork([2, 3, 3], [ReLU(), Identity()], rng=0)


def forwarded():
    """``net()`` after one forward pass over X, so its backward pass has a cache."""
    network = net()
    network.forward(X)
    return network


def layer():
    return Layer(2, 3, Tanh(), rng=0)


def forwarded_layer():
    """``layer()`` after one forward pass over X: its output is (4, 3)."""
    fresh = layer()
    fresh.forward(X)
    return fresh


def batch(runs=2, dtype=np.float64, sizes=(2, 3, 1), last=None):
    return NetworkBatch(list(sizes), [Tanh(), last or Sigmoid()], rngs=range(runs), dtype=dtype)


def config(**changes):
    """A Config that trains for 2 epochs, with ``changes`` applied."""
    fields = dict(layer_sizes=(2, 3, 1), activations=(Tanh(), Sigmoid()), epochs=2)
    fields.update(changes)
    return Config(**fields)


def with_nan_weights():
    network = net()
    network.layers[0].weights[0, 0] = np.nan
    return network


def with_nan(layer, name, value=NAN):
    """``layer`` with ``value`` written into the first entry of its ``weights`` or ``bias``."""
    getattr(layer, name).flat[0] = value
    return layer


def with_nan_bias():
    """``net()`` with a NaN in the bias of its second layer."""
    network = net()
    with_nan(network.layers[1], "bias")
    return network


def stepped_twice(optimizer, first, second):
    """Two optimizer steps, each with its own ``(parameters, gradients)``."""
    optimizer.step(*first)
    optimizer.step(*second)


def readonly(array):
    array.flags.writeable = False
    return array


def in_tmp(use):
    """``use(folder)`` with a fresh temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        return use(Path(folder))


def written(path, content):
    path.write_bytes(content)
    return path


def folder(path):
    path.mkdir()
    return path


def npy_file(path):
    np.save(path, np.zeros(3))
    return path


TABLE = [
    # ---- NeuralNetwork()
    ("NeuralNetwork layer_sizes None", lambda: NeuralNetwork(None, [Tanh(), Sigmoid()]), TypeError, r"layer_sizes"),
    ("NeuralNetwork layer_sizes str", lambda: NeuralNetwork("231", [Tanh(), Sigmoid()]), TypeError, r"layer_sizes"),
    ("NeuralNetwork layer_sizes int", lambda: NeuralNetwork(3, [Tanh(), Sigmoid()]), TypeError, r"layer_sizes"),
    ("NeuralNetwork layer_sizes set", lambda: NeuralNetwork({2, 3, 1}, [Tanh(), Sigmoid()]), TypeError, r"layer_sizes"),
    ("NeuralNetwork layer_sizes one entry", lambda: NeuralNetwork([2], []), ValueError, r"layer_sizes"),
    ("NeuralNetwork layer_sizes empty", lambda: NeuralNetwork([], []), ValueError, r"layer_sizes"),
    ("NeuralNetwork layer size zero", lambda: NeuralNetwork([2, 0, 1], [Tanh(), Sigmoid()]), ValueError, r"layer_sizes\[1\]"),
    ("NeuralNetwork layer size negative", lambda: NeuralNetwork([2, -3, 1], [Tanh(), Sigmoid()]), ValueError, r"layer_sizes\[1\]"),
    ("NeuralNetwork layer size bool", lambda: NeuralNetwork([2, True, 1], [Tanh(), Sigmoid()]), TypeError, r"layer_sizes\[1\]"),
    ("NeuralNetwork layer size float", lambda: NeuralNetwork([2, 2.5, 1], [Tanh(), Sigmoid()]), TypeError, r"layer_sizes\[1\]"),
    ("NeuralNetwork layer size nan", lambda: NeuralNetwork([2, NAN, 1], [Tanh(), Sigmoid()]), TypeError, r"layer_sizes\[1\]"),
    ("NeuralNetwork layer sizes float array", lambda: NeuralNetwork(np.array([2.0, 3.0, 1.0]), [Tanh(), Sigmoid()]), TypeError, r"layer_sizes\[0\]"),
    ("NeuralNetwork activations None", lambda: NeuralNetwork([2, 3, 1], None), TypeError, r"activations"),
    ("NeuralNetwork activations one instance", lambda: NeuralNetwork([2, 1], Sigmoid()), TypeError, r"activations"),
    ("NeuralNetwork activations too many", lambda: NeuralNetwork([2, 3, 1], [Tanh(), Tanh(), Sigmoid()]), ValueError, r"activations"),
    ("NeuralNetwork activations too few", lambda: NeuralNetwork([2, 3, 1], [Sigmoid()]), ValueError, r"activations"),
    ("NeuralNetwork activation class", lambda: NeuralNetwork([2, 3, 1], [Tanh, Sigmoid()]), TypeError, r"activations\[0\]"),
    ("NeuralNetwork activation str", lambda: NeuralNetwork([2, 3, 1], ["tanh", "sigmoid"]), TypeError, r"activations\[0\]"),
    ("NeuralNetwork activations str", lambda: NeuralNetwork([2, 3, 1], "ts"), TypeError, r"activations"),
    ("NeuralNetwork rng str", lambda: NeuralNetwork([2, 1], [Sigmoid()], rng="seed"), TypeError, r"\brng\b"),
    ("NeuralNetwork rng float", lambda: NeuralNetwork([2, 1], [Sigmoid()], rng=1.5), TypeError, r"\brng\b"),
    ("NeuralNetwork rng bool", lambda: NeuralNetwork([2, 1], [Sigmoid()], rng=True), TypeError, r"\brng\b"),
    ("NeuralNetwork init unknown", lambda: NeuralNetwork([2, 1], [Sigmoid()], init="glorot"), ValueError, r"\binit\b"),
    ("NeuralNetwork init negative", lambda: NeuralNetwork([2, 1], [Sigmoid()], init=-1.0), ValueError, r"\binit\b"),
    ("NeuralNetwork init zero", lambda: NeuralNetwork([2, 1], [Sigmoid()], init=0), ValueError, r"\binit\b"),
    ("NeuralNetwork init nan", lambda: NeuralNetwork([2, 1], [Sigmoid()], init=NAN), ValueError, r"\binit\b"),
    ("NeuralNetwork init bool", lambda: NeuralNetwork([2, 1], [Sigmoid()], init=True), TypeError, r"\binit\b"),
    ("NeuralNetwork init None", lambda: NeuralNetwork([2, 1], [Sigmoid()], init=None), TypeError, r"\binit\b"),
    ("NeuralNetwork init overflowing", lambda: NeuralNetwork([2, 1], [Sigmoid()], init=1e308, dtype=np.float32), ValueError, r"\binit\b"),
    ("NeuralNetwork dtype int", lambda: NeuralNetwork([2, 1], [Sigmoid()], dtype=np.int32), TypeError, r"\bdtype\b"),
    ("NeuralNetwork dtype float16", lambda: NeuralNetwork([2, 1], [Sigmoid()], dtype="float16"), TypeError, r"\bdtype\b"),
    ("NeuralNetwork dtype complex", lambda: NeuralNetwork([2, 1], [Sigmoid()], dtype=complex), TypeError, r"\bdtype\b"),
    ("NeuralNetwork dtype nonsense", lambda: NeuralNetwork([2, 1], [Sigmoid()], dtype="banana"), TypeError, r"\bdtype\b"),

    # ---- NeuralNetwork methods
    ("forward x None", lambda: net().forward(None), TypeError, r"\bx\b"),
    ("forward x str", lambda: net().forward("01"), TypeError, r"\bx\b"),
    ("forward x str list", lambda: net().forward([["0", "1"]]), TypeError, r"\bx\b"),
    ("forward x ragged", lambda: net().forward([[0.0, 1.0], [1.0]]), ValueError, r"\bx\b"),
    ("forward x wrong width", lambda: net().forward(np.zeros((4, 3))), ValueError, r"\bx\b"),
    ("forward x 1-D", lambda: net().forward(np.zeros(2)), ValueError, r"\bx\b"),
    ("forward x 3-D", lambda: net().forward(np.zeros((2, 4, 2))), ValueError, r"\bx\b"),
    ("forward x scalar", lambda: net().forward(1.0), ValueError, r"\bx\b"),
    ("forward x empty", lambda: net().forward(np.zeros((0, 2))), ValueError, r"\bx\b"),
    ("forward x nan", lambda: net().forward([[NAN, 0.0]]), ValueError, r"\bx\b"),
    ("forward x inf", lambda: net().forward([[INF, 0.0]]), ValueError, r"\bx\b"),
    ("forward x bool", lambda: net().forward(X > 0), TypeError, r"\bx\b"),
    ("forward x complex", lambda: net().forward(X + 0j), TypeError, r"\bx\b"),
    ("forward x object", lambda: net().forward(X.astype(object)), TypeError, r"\bx\b"),
    ("check_input custom name", lambda: net().check_input(np.zeros((4, 3)), "inputs"), ValueError, r"\binputs\b"),
    ("check_input None", lambda: net().check_input(None), TypeError, r"\bx\b"),
    ("check_input nan", lambda: net().check_input([[NAN, NAN]]), ValueError, r"\bx\b"),
    ("check_input empty list", lambda: net().check_input([]), ValueError, r"\bx\b"),
    ("predict x None", lambda: net().predict(None), TypeError, r"\bx\b"),
    ("predict x wrong width", lambda: net().predict(np.zeros((4, 3))), ValueError, r"\bx\b"),
    ("predict threshold str", lambda: net().predict(X, threshold="0.5"), TypeError, r"threshold"),
    ("predict threshold nan", lambda: net().predict(X, threshold=NAN), ValueError, r"threshold"),
    ("predict threshold None", lambda: net().predict(X, threshold=None), TypeError, r"threshold"),
    ("backward learning_rate zero", lambda: forwarded().backward(np.zeros((4, 1)), 0.0), ValueError, r"learning_rate"),
    ("backward learning_rate negative", lambda: forwarded().backward(np.zeros((4, 1)), -0.1), ValueError, r"learning_rate"),
    ("backward learning_rate bool", lambda: forwarded().backward(np.zeros((4, 1)), True), TypeError, r"learning_rate"),
    ("backward learning_rate str", lambda: forwarded().backward(np.zeros((4, 1)), "0.1"), TypeError, r"learning_rate"),
    ("backward learning_rate inf", lambda: forwarded().backward(np.zeros((4, 1)), INF), ValueError, r"learning_rate"),
    ("backward learning_rate nan", lambda: forwarded().backward(np.zeros((4, 1)), NAN), ValueError, r"learning_rate"),
    ("backward grad_output (4,) vs (4, 1)", lambda: forwarded().backward(np.zeros(4)), ValueError, r"grad_output"),
    ("backward grad_output nan", lambda: forwarded().backward(np.full((4, 1), NAN)), ValueError, r"grad_output"),
    ("gradients grad_output (4,)", lambda: forwarded().gradients(np.zeros(4)), ValueError, r"grad_output"),
    ("gradients grad_output (4, 2)", lambda: forwarded().gradients(np.zeros((4, 2))), ValueError, r"grad_output"),
    ("gradients grad_output transposed", lambda: forwarded().gradients(np.zeros((1, 4))), ValueError, r"grad_output"),
    ("gradients grad_output nan", lambda: forwarded().gradients(np.full((4, 1), NAN)), ValueError, r"grad_output"),

    # ---- Layer
    ("Layer input_size zero", lambda: Layer(0, 3, Tanh()), ValueError, r"input_size"),
    ("Layer output_size zero", lambda: Layer(2, 0, Tanh()), ValueError, r"output_size"),
    ("Layer input_size negative", lambda: Layer(-1, 3, Tanh()), ValueError, r"input_size"),
    ("Layer input_size float", lambda: Layer(2.0, 3, Tanh()), TypeError, r"input_size"),
    ("Layer input_size bool", lambda: Layer(True, 3, Tanh()), TypeError, r"input_size"),
    ("Layer output_size str", lambda: Layer(2, "3", Tanh()), TypeError, r"output_size"),
    ("Layer activation class", lambda: Layer(2, 3, Tanh), TypeError, r"activation"),
    ("Layer activation str", lambda: Layer(2, 3, "tanh"), TypeError, r"activation"),
    ("Layer activation None", lambda: Layer(2, 3, None), TypeError, r"activation"),
    ("Layer dtype float16", lambda: Layer(2, 3, Tanh(), dtype=np.float16), TypeError, r"\bdtype\b"),
    ("Layer init unknown", lambda: Layer(2, 3, Tanh(), init="bogus"), ValueError, r"\binit\b"),
    ("Layer rng list", lambda: Layer(2, 3, Tanh(), rng=[1, 2]), TypeError, r"\brng\b"),
    ("Layer.forward x wrong width", lambda: layer().forward(np.zeros((4, 3))), ValueError, r"\bx\b"),
    ("Layer.forward x None", lambda: layer().forward(None), TypeError, r"\bx\b"),
    ("Layer.forward x 1-D", lambda: layer().forward(np.zeros(2)), ValueError, r"\bx\b"),
    ("Layer.forward x 3-D", lambda: layer().forward(np.zeros((2, 4, 2))), ValueError, r"\bx\b"),
    ("Layer.forward x empty", lambda: layer().forward(np.zeros((0, 2))), ValueError, r"\bx\b"),
    ("Layer.forward x complex", lambda: layer().forward(X + 1j), TypeError, r"\bx\b"),
    ("Layer.forward x ragged", lambda: layer().forward([[0.0, 1.0], [1.0]]), ValueError, r"\bx\b"),
    ("Layer.forward x bool", lambda: layer().forward(X > 0), TypeError, r"\bx\b"),
    ("Layer.backward grad_output wrong shape", lambda: forwarded_layer().backward(np.zeros((4, 2))), ValueError, r"grad_output"),
    ("Layer.backward grad_output 1-D", lambda: forwarded_layer().backward(np.zeros(3)), ValueError, r"grad_output"),
    ("Layer.backward grad_output None", lambda: forwarded_layer().backward(None), ValueError, r"grad_output"),

    # ---- NetworkBatch
    ("NetworkBatch rngs empty", lambda: NetworkBatch([2, 1], [Sigmoid()], rngs=[]), ValueError, r"rngs"),
    ("NetworkBatch layer size zero", lambda: NetworkBatch([2, 0, 1], [Tanh(), Sigmoid()], rngs=[0]), ValueError, r"layer_sizes\[1\]"),
    ("NetworkBatch activation class", lambda: NetworkBatch([2, 1], [Sigmoid], rngs=[0]), TypeError, r"activations\[0\]"),
    ("NetworkBatch dtype int", lambda: NetworkBatch([2, 1], [Sigmoid()], rngs=[0], dtype=int), TypeError, r"\bdtype\b"),
    ("NetworkBatch init negative", lambda: NetworkBatch([2, 1], [Sigmoid()], rngs=[0], init=-2.0), ValueError, r"\binit\b"),
    ("concatenate empty", lambda: NetworkBatch.concatenate([]), ValueError, r"batches"),
    ("concatenate a network", lambda: NetworkBatch.concatenate([net()]), TypeError, r"batches\[0\]"),
    ("concatenate a class", lambda: NetworkBatch.concatenate([NetworkBatch]), TypeError, r"batches\[0\]"),
    ("concatenate second not a batch", lambda: NetworkBatch.concatenate([batch(), "b"]), TypeError, r"batches\[1\]"),
    ("concatenate different sizes", lambda: NetworkBatch.concatenate([batch(), batch(sizes=(2, 4, 1))]), ValueError, r"batches"),
    ("concatenate different dtypes", lambda: NetworkBatch.concatenate([batch(), batch(dtype=np.float32)]), ValueError, r"batches"),
    ("concatenate different activations", lambda: NetworkBatch.concatenate([batch(), batch(last=Tanh())]), ValueError, r"batches"),
    ("network run str", lambda: batch().network("0"), TypeError, r"\brun\b"),
    ("network run float", lambda: batch().network(1.5), TypeError, r"\brun\b"),
    ("network run bool", lambda: batch().network(True), TypeError, r"\brun\b"),
    ("network run None", lambda: batch().network(None), TypeError, r"\brun\b"),

    # ---- Optimizer.step
    ("step parameters an array", lambda: SGD(0.1).step(np.zeros(2), [G]), TypeError, r"parameters"),
    ("step gradients an array", lambda: SGD(0.1).step([np.zeros(2)], np.zeros(2)), TypeError, r"gradients"),
    ("step parameters None", lambda: SGD(0.1).step(None, [G]), TypeError, r"parameters"),
    ("step too many gradients", lambda: SGD(0.1).step([np.zeros(2)], [G, G]), ValueError, r"gradients"),
    ("step too few gradients", lambda: SGD(0.1).step([np.zeros(2), np.zeros(2)], [G]), ValueError, r"gradients"),
    ("step gradient broadcasting shape", lambda: SGD(0.1).step([np.zeros((2, 2))], [np.zeros((1, 2))]), ValueError, r"gradients\[0\]"),
    ("step gradient nan", lambda: SGD(0.1).step([np.zeros(2)], [np.array([NAN, 0.0])]), ValueError, r"gradients\[0\]"),
    ("step gradient inf", lambda: Adam().step([np.zeros(2)], [np.array([INF, 0.0])]), ValueError, r"gradients\[0\]"),
    ("step parameter a list", lambda: SGD(0.1).step([[1.0, 2.0]], [G]), TypeError, r"parameters\[0\]"),
    ("step parameter int array", lambda: SGD(0.1).step([np.zeros(2, int)], [G]), TypeError, r"parameters\[0\]"),
    ("step gradient str", lambda: SGD(0.1).step([np.zeros(2)], [np.array(["a", "b"])]), TypeError, r"gradients\[0\]"),
    ("step gradient complex", lambda: RMSProp().step([np.zeros(2)], [np.zeros(2) + 1j]), TypeError, r"gradients\[0\]"),
    ("step gradient bool", lambda: SGD(0.1).step([np.zeros(2)], [np.array([True, False])]), TypeError, r"gradients\[0\]"),
    ("step gradient None", lambda: SGD(0.1).step([np.zeros(2)], [None]), ValueError, r"gradients\[0\]"),
    ("step other arrays second time", lambda: stepped_twice(Adam(), ([np.zeros(2)], [G]), ([np.zeros(2)], [G])), ValueError, r"parameters\[0\]"),
    ("step other count second time", lambda: stepped_twice(RMSProp(), ([np.zeros(2)], [G]), ([np.zeros(2), np.zeros(2)], [G, G])), ValueError, r"parameters"),
    ("Optimizer learning_rate str", lambda: Optimizer("0.1"), TypeError, r"learning_rate"),

    # ---- SGD / Adam / RMSProp
    ("SGD learning_rate zero", lambda: SGD(0), ValueError, r"learning_rate"),
    ("SGD learning_rate negative", lambda: SGD(-0.1), ValueError, r"learning_rate"),
    ("SGD learning_rate str", lambda: SGD("0.1"), TypeError, r"learning_rate"),
    ("SGD learning_rate None", lambda: SGD(None), TypeError, r"learning_rate"),
    ("SGD learning_rate bool", lambda: SGD(True), TypeError, r"learning_rate"),
    ("SGD learning_rate nan", lambda: SGD(NAN), ValueError, r"learning_rate"),
    ("SGD learning_rate inf", lambda: SGD(INF), ValueError, r"learning_rate"),
    ("SGD learning_rate list", lambda: SGD([0.1]), TypeError, r"learning_rate"),
    ("SGD momentum one", lambda: SGD(0.1, momentum=1.0), ValueError, r"momentum"),
    ("SGD momentum above one", lambda: SGD(0.1, momentum=1.5), ValueError, r"momentum"),
    ("SGD momentum negative", lambda: SGD(0.1, momentum=-0.1), ValueError, r"momentum"),
    ("SGD momentum nan", lambda: SGD(0.1, momentum=NAN), ValueError, r"momentum"),
    ("SGD momentum str", lambda: SGD(0.1, momentum="0.9"), TypeError, r"momentum"),
    ("SGD momentum bool", lambda: SGD(0.1, momentum=True), TypeError, r"momentum"),
    ("SGD nesterov int", lambda: SGD(0.1, momentum=0.9, nesterov=1), TypeError, r"nesterov"),
    ("SGD nesterov str", lambda: SGD(0.1, momentum=0.9, nesterov="yes"), TypeError, r"nesterov"),
    ("SGD nesterov without momentum", lambda: SGD(0.1, nesterov=True), ValueError, r"nesterov"),
    ("Adam learning_rate zero", lambda: Adam(0.0), ValueError, r"learning_rate"),
    ("Adam learning_rate 0-d array", lambda: Adam(np.array(0.1)), TypeError, r"learning_rate"),
    ("Adam beta1 one", lambda: Adam(beta1=1.0), ValueError, r"beta1"),
    ("Adam beta1 negative", lambda: Adam(beta1=-0.5), ValueError, r"beta1"),
    ("Adam beta1 None", lambda: Adam(beta1=None), TypeError, r"beta1"),
    ("Adam beta2 above one", lambda: Adam(beta2=1.5), ValueError, r"beta2"),
    ("Adam beta2 nan", lambda: Adam(beta2=NAN), ValueError, r"beta2"),
    ("Adam eps zero", lambda: Adam(eps=0), ValueError, r"\beps\b"),
    ("Adam eps negative", lambda: Adam(eps=-1e-8), ValueError, r"\beps\b"),
    ("Adam eps str", lambda: Adam(eps="1e-8"), TypeError, r"\beps\b"),
    ("Adam eps inf", lambda: Adam(eps=INF), ValueError, r"\beps\b"),
    ("RMSProp learning_rate zero", lambda: RMSProp(0), ValueError, r"learning_rate"),
    ("RMSProp learning_rate complex", lambda: RMSProp(1 + 0j), TypeError, r"learning_rate"),
    ("RMSProp rho one", lambda: RMSProp(rho=1.0), ValueError, r"\brho\b"),
    ("RMSProp rho negative", lambda: RMSProp(rho=-1), ValueError, r"\brho\b"),
    ("RMSProp rho bool", lambda: RMSProp(rho=True), TypeError, r"\brho\b"),
    ("RMSProp eps zero", lambda: RMSProp(eps=0), ValueError, r"\beps\b"),
    ("RMSProp eps None", lambda: RMSProp(eps=None), TypeError, r"\beps\b"),

    # ---- losses
    ("BCE.forward (4,) target vs (4, 1) output", lambda: BinaryCrossEntropy().forward(P, np.zeros(4)), ValueError, r"\btarget\b"),
    ("BCE.forward (4, 1) target vs (4,) output", lambda: BinaryCrossEntropy().forward(np.full(4, 0.5), Y), ValueError, r"\btarget\b"),
    ("BCE.forward output above 1", lambda: BinaryCrossEntropy().forward(np.full((4, 1), 3.0), Y), ValueError, r"\boutput\b"),
    ("BCE.forward output negative", lambda: BinaryCrossEntropy().forward(np.full((4, 1), -0.1), Y), ValueError, r"\boutput\b"),
    ("BCE.forward target 2", lambda: BinaryCrossEntropy().forward(P, 2 * Y), ValueError, r"\btarget\b"),
    ("BCE.forward target negative", lambda: BinaryCrossEntropy().forward(P, -Y - 1), ValueError, r"\btarget\b"),
    ("BCE.forward output nan", lambda: BinaryCrossEntropy().forward(np.full((4, 1), NAN), Y), ValueError, r"\boutput\b"),
    ("BCE.forward target nan", lambda: BinaryCrossEntropy().forward(P, np.full((4, 1), NAN)), ValueError, r"\btarget\b"),
    ("BCE.forward output str", lambda: BinaryCrossEntropy().forward(np.full((4, 1), "a"), Y), TypeError, r"\boutput\b"),
    ("BCE.forward target str", lambda: BinaryCrossEntropy().forward(P, np.full((4, 1), "1")), TypeError, r"\btarget\b"),
    ("BCE.forward output None", lambda: BinaryCrossEntropy().forward(None, Y), TypeError, r"\boutput\b"),
    ("BCE.forward output complex", lambda: BinaryCrossEntropy().forward(P + 0j, Y), TypeError, r"\boutput\b"),
    ("BCE.forward target bool", lambda: BinaryCrossEntropy().forward(P, Y > 0), TypeError, r"\btarget\b"),
    ("BCE.forward target object", lambda: BinaryCrossEntropy().forward(P, Y.astype(object)), TypeError, r"\btarget\b"),
    ("BCE.forward empty", lambda: BinaryCrossEntropy().forward(np.zeros((0, 1)), np.zeros((0, 1))), ValueError, r"\boutput\b"),
    ("BCE.forward output ragged", lambda: BinaryCrossEntropy().forward([[0.5], [0.5, 0.5]], Y), ValueError, r"\boutput\b"),
    ("BCE.backward (4,) target", lambda: BinaryCrossEntropy().backward(P, np.zeros(4)), ValueError, r"\btarget\b"),
    ("BCE.backward output above 1", lambda: BinaryCrossEntropy().backward(np.full((4, 1), 1.5), Y), ValueError, r"\boutput\b"),
    ("BCE.backward target inf", lambda: BinaryCrossEntropy().backward(P, np.full((4, 1), INF)), ValueError, r"\btarget\b"),
    ("BCE.backward output bool", lambda: BinaryCrossEntropy().backward(P > 0, Y), TypeError, r"\boutput\b"),
    ("BCE.backward target ragged", lambda: BinaryCrossEntropy().backward(P, [[0.0], [1.0, 0.0]]), ValueError, r"\btarget\b"),
    ("SCE.forward output 1-D", lambda: SoftmaxCrossEntropy().forward(np.zeros(3), np.array([0])), ValueError, r"\boutput\b"),
    ("SCE.forward output 3-D", lambda: SoftmaxCrossEntropy().forward(np.zeros((1, 2, 3)), np.array([0, 1])), ValueError, r"\boutput\b"),
    ("SCE.forward label equal n_classes", lambda: SoftmaxCrossEntropy().forward(S, np.array([0, 3])), ValueError, r"\btarget\b"),
    ("SCE.forward label negative", lambda: SoftmaxCrossEntropy().forward(S, np.array([0, -1])), ValueError, r"\btarget\b"),
    ("SCE.forward too few labels", lambda: SoftmaxCrossEntropy().forward(S, np.array([0])), ValueError, r"\btarget\b"),
    ("SCE.forward one-hot wrong width", lambda: SoftmaxCrossEntropy().forward(S, np.eye(2)), ValueError, r"\btarget\b"),
    ("SCE.forward rows not summing to 1", lambda: SoftmaxCrossEntropy().forward(S, np.full((2, 3), 0.5)), ValueError, r"\btarget\b"),
    ("SCE.forward target above 1", lambda: SoftmaxCrossEntropy().forward(S, np.array([[2.0, -1.0, 0.0]] * 2)), ValueError, r"\btarget\b"),
    ("SCE.forward output nan", lambda: SoftmaxCrossEntropy().forward(np.full((2, 3), NAN), np.array([0, 1])), ValueError, r"\boutput\b"),
    ("SCE.forward output empty", lambda: SoftmaxCrossEntropy().forward(np.zeros((0, 3)), np.zeros(0, int)), ValueError, r"\boutput\b"),
    ("SCE.forward output str", lambda: SoftmaxCrossEntropy().forward(np.full((2, 3), "a"), np.array([0, 1])), TypeError, r"\boutput\b"),
    ("SCE.forward target str", lambda: SoftmaxCrossEntropy().forward(S, np.array(["0", "1"])), TypeError, r"\btarget\b"),
    ("SCE.forward float labels", lambda: SoftmaxCrossEntropy().forward(S, np.array([0.0, 1.0])), ValueError, r"\btarget\b"),
    ("SCE.forward bool labels", lambda: SoftmaxCrossEntropy().forward(S, np.array([True, False])), TypeError, r"\btarget\b"),
    ("SCE.forward one-hot nan", lambda: SoftmaxCrossEntropy().forward(S, np.array([[NAN, 1.0, 0.0]] * 2)), ValueError, r"\btarget\b"),
    ("SCE.forward target None", lambda: SoftmaxCrossEntropy().forward(S, None), TypeError, r"\btarget\b"),
    ("SCE.backward label out of range", lambda: SoftmaxCrossEntropy().backward(S, np.array([5, 0])), ValueError, r"\btarget\b"),
    ("SCE.backward labels as a column", lambda: SoftmaxCrossEntropy().backward(S, np.array([[0], [1]])), ValueError, r"\btarget\b"),
    ("SCE.backward output None", lambda: SoftmaxCrossEntropy().backward(None, np.array([0, 1])), TypeError, r"\boutput\b"),
    ("MSE.forward (4,) target vs (4, 1)", lambda: MeanSquaredError().forward(np.zeros((4, 1)), np.zeros(4)), ValueError, r"\btarget\b"),
    ("MSE.forward output nan", lambda: MeanSquaredError().forward(np.full((4, 1), NAN), Y), ValueError, r"\boutput\b"),
    ("MSE.forward target inf", lambda: MeanSquaredError().forward(Y, np.full((4, 1), -INF)), ValueError, r"\btarget\b"),
    ("MSE.forward output str", lambda: MeanSquaredError().forward(np.full((4, 1), "x"), Y), TypeError, r"\boutput\b"),
    ("MSE.forward target complex", lambda: MeanSquaredError().forward(Y, Y + 1j), TypeError, r"\btarget\b"),
    ("MSE.forward target bool", lambda: MeanSquaredError().forward(Y, Y > 0), TypeError, r"\btarget\b"),
    ("MSE.forward empty", lambda: MeanSquaredError().forward(np.zeros((0, 1)), np.zeros((0, 1))), ValueError, r"\boutput\b"),
    ("MSE.backward shape mismatch", lambda: MeanSquaredError().backward(np.zeros((4, 1)), np.zeros((1, 4))), ValueError, r"\btarget\b"),
    ("MSE.backward target None", lambda: MeanSquaredError().backward(Y, None), TypeError, r"\btarget\b"),
    ("MSE.backward output ragged", lambda: MeanSquaredError().backward([[1.0], [1.0, 2.0]], Y), ValueError, r"\boutput\b"),
    ("softmax logits 1-D", lambda: softmax(np.zeros(3)), ValueError, r"logits"),
    ("softmax logits nan", lambda: softmax(np.full((2, 3), NAN)), ValueError, r"logits"),
    ("softmax logits str", lambda: softmax(np.full((2, 3), "a")), TypeError, r"logits"),
    ("softmax logits empty", lambda: softmax(np.zeros((0, 3))), ValueError, r"logits"),
    ("softmax logits None", lambda: softmax(None), TypeError, r"logits"),

    # ---- History, Recorder, LeakyReLU
    ("epochs_to_reach threshold str", lambda: History(loss=[0.5]).epochs_to_reach("0.1"), TypeError, r"threshold"),
    ("epochs_to_reach threshold None", lambda: History(loss=[0.5]).epochs_to_reach(None), TypeError, r"threshold"),
    ("epochs_to_reach threshold bool", lambda: History(loss=[0.5]).epochs_to_reach(True), TypeError, r"threshold"),
    ("epochs_to_reach threshold list", lambda: History(loss=[0.5]).epochs_to_reach([0.1]), TypeError, r"threshold"),
    ("epochs_to_reach threshold nan", lambda: History(loss=[0.5]).epochs_to_reach(NAN), ValueError, r"threshold"),
    ("Recorder every zero", lambda: Recorder(0), ValueError, r"\bevery\b"),
    ("Recorder every negative", lambda: Recorder(-1), ValueError, r"\bevery\b"),
    ("Recorder every float", lambda: Recorder(2.5), TypeError, r"\bevery\b"),
    ("Recorder every bool", lambda: Recorder(True), TypeError, r"\bevery\b"),
    ("Recorder every str", lambda: Recorder("10"), TypeError, r"\bevery\b"),
    ("Recorder every None", lambda: Recorder(None), TypeError, r"\bevery\b"),
    ("LeakyReLU alpha one", lambda: LeakyReLU(1.0), ValueError, r"\balpha\b"),
    ("LeakyReLU alpha two", lambda: LeakyReLU(2), ValueError, r"\balpha\b"),
    ("LeakyReLU alpha negative", lambda: LeakyReLU(-0.1), ValueError, r"\balpha\b"),
    ("LeakyReLU alpha nan", lambda: LeakyReLU(NAN), ValueError, r"\balpha\b"),
    ("LeakyReLU alpha str", lambda: LeakyReLU("0.1"), TypeError, r"\balpha\b"),
    ("LeakyReLU alpha bool", lambda: LeakyReLU(True), TypeError, r"\balpha\b"),
    ("LeakyReLU alpha None", lambda: LeakyReLU(None), TypeError, r"\balpha\b"),

    # ---- datasets
    ("xor dtype nonsense", lambda: xor(dtype="banana"), TypeError, r"\bdtype\b"),
    ("xor dtype int", lambda: xor(dtype=np.int32), TypeError, r"\bdtype\b"),
    ("moons n_samples one", lambda: moons(1), ValueError, r"n_samples"),
    ("moons n_samples zero", lambda: moons(0), ValueError, r"n_samples"),
    ("moons n_samples negative", lambda: moons(-5), ValueError, r"n_samples"),
    ("moons n_samples float", lambda: moons(2.5), TypeError, r"n_samples"),
    ("moons n_samples bool", lambda: moons(True), TypeError, r"n_samples"),
    ("moons n_samples str", lambda: moons("100"), TypeError, r"n_samples"),
    ("moons noise negative", lambda: moons(noise=-0.1), ValueError, r"\bnoise\b"),
    ("moons noise nan", lambda: moons(noise=NAN), ValueError, r"\bnoise\b"),
    ("moons noise inf", lambda: moons(noise=INF), ValueError, r"\bnoise\b"),
    ("moons noise huge", lambda: moons(noise=1e7), ValueError, r"\bnoise\b"),
    ("moons noise str", lambda: moons(noise="0.1"), TypeError, r"\bnoise\b"),
    ("moons noise bool", lambda: moons(noise=True), TypeError, r"\bnoise\b"),
    ("moons dtype int", lambda: moons(dtype=np.int64), TypeError, r"\bdtype\b"),
    ("moons rng str", lambda: moons(rng="x"), TypeError, r"\brng\b"),
    ("circles factor one", lambda: circles(factor=1.0), ValueError, r"\bfactor\b"),
    ("circles factor zero", lambda: circles(factor=0), ValueError, r"\bfactor\b"),
    ("circles factor nan", lambda: circles(factor=NAN), ValueError, r"\bfactor\b"),
    ("circles factor str", lambda: circles(factor="0.5"), TypeError, r"\bfactor\b"),
    ("circles factor bool", lambda: circles(factor=True), TypeError, r"\bfactor\b"),
    ("circles n_samples one", lambda: circles(1), ValueError, r"n_samples"),
    ("circles noise negative", lambda: circles(noise=-1), ValueError, r"\bnoise\b"),
    ("circles dtype int str", lambda: circles(dtype="int32"), TypeError, r"\bdtype\b"),
    ("spirals n_classes zero", lambda: spirals(n_classes=0), ValueError, r"n_classes"),
    ("spirals n_classes float", lambda: spirals(n_classes=2.0), TypeError, r"n_classes"),
    ("spirals n_classes bool", lambda: spirals(n_classes=True), TypeError, r"n_classes"),
    ("spirals fewer samples than classes", lambda: spirals(n_samples=2, n_classes=3), ValueError, r"n_samples"),
    ("spirals noise inf", lambda: spirals(noise=INF), ValueError, r"\bnoise\b"),
    ("spirals dtype complex", lambda: spirals(dtype=complex), TypeError, r"\bdtype\b"),
    ("one_hot float labels", lambda: one_hot([0.0, 1.0]), TypeError, r"\blabels\b"),
    ("one_hot str labels", lambda: one_hot(["a"]), TypeError, r"\blabels\b"),
    ("one_hot bool labels", lambda: one_hot([True, False]), TypeError, r"\blabels\b"),
    ("one_hot None", lambda: one_hot(None), TypeError, r"\blabels\b"),
    ("one_hot 2-D labels", lambda: one_hot([[0, 1]]), ValueError, r"\blabels\b"),
    ("one_hot label equal n_classes", lambda: one_hot([0, 3], n_classes=3), ValueError, r"\blabels\b"),
    ("one_hot negative label", lambda: one_hot([-1, 0]), ValueError, r"\blabels\b"),
    ("one_hot negative label with n_classes", lambda: one_hot([0, -1], n_classes=2), ValueError, r"\blabels\b"),
    ("one_hot empty list", lambda: one_hot([]), TypeError, r"\blabels\b"),
    ("one_hot empty int array", lambda: one_hot(np.array([], int)), ValueError, r"\blabels\b"),
    ("one_hot n_classes zero", lambda: one_hot([0, 1], n_classes=0), ValueError, r"n_classes"),
    ("one_hot n_classes float", lambda: one_hot([0, 1], n_classes=2.0), TypeError, r"n_classes"),
    ("one_hot dtype int", lambda: one_hot([0, 1], dtype=int), TypeError, r"\bdtype\b"),
    ("train_test_split mismatched lengths", lambda: train_test_split(X, Y[:3]), ValueError, r"\bX\b and \by\b"),
    ("train_test_split test_size count zero", lambda: train_test_split(X, Y, test_size=0), ValueError, r"test_size"),
    ("train_test_split test_size fraction one", lambda: train_test_split(X, Y, test_size=1.0), ValueError, r"test_size"),
    ("train_test_split test_size all rows", lambda: train_test_split(X, Y, test_size=4), ValueError, r"test_size"),
    ("train_test_split test_size negative", lambda: train_test_split(X, Y, test_size=-0.5), ValueError, r"test_size"),
    ("train_test_split test_size nan", lambda: train_test_split(X, Y, test_size=NAN), ValueError, r"test_size"),
    ("train_test_split test_size str", lambda: train_test_split(X, Y, test_size="0.25"), TypeError, r"test_size"),
    ("train_test_split test_size bool", lambda: train_test_split(X, Y, test_size=True), TypeError, r"test_size"),
    ("train_test_split X scalar", lambda: train_test_split(1.0, Y), ValueError, r"\bX\b"),
    ("train_test_split X None", lambda: train_test_split(None, Y), TypeError, r"\bX must be an array of real numbers"),
    ("train_test_split y scalar", lambda: train_test_split(X, 1.0), ValueError, r"\by\b"),
    ("train_test_split X complex", lambda: train_test_split(X + 1j, Y), TypeError, r"\bX\b"),
    ("train_test_split X nan", lambda: train_test_split(np.full((4, 2), NAN), Y), ValueError, r"\bX\b"),
    ("train_test_split y inf", lambda: train_test_split(X, np.full((4, 1), INF)), ValueError, r"\by\b"),
    ("train_test_split one row", lambda: train_test_split(X[:1], Y[:1]), ValueError, r"\bX\b"),
    ("train_test_split rng str", lambda: train_test_split(X, Y, rng="x"), TypeError, r"\brng\b"),

    # ---- init.weight_std
    ("weight_std fan_in zero", lambda: weight_std(0, 4, "he"), ValueError, r"fan_in"),
    ("weight_std fan_out zero", lambda: weight_std(2, 0, "he"), ValueError, r"fan_out"),
    ("weight_std fan_in float", lambda: weight_std(2.0, 4, "he"), TypeError, r"fan_in"),
    ("weight_std fan_in bool", lambda: weight_std(True, 4, "he"), TypeError, r"fan_in"),
    ("weight_std fan_out str", lambda: weight_std(2, "4", "he"), TypeError, r"fan_out"),
    ("weight_std init unknown", lambda: weight_std(2, 4, "kaiming"), ValueError, r"\binit\b"),
    ("weight_std init negative", lambda: weight_std(2, 4, -1.0), ValueError, r"\binit\b"),
    ("weight_std init inf", lambda: weight_std(2, 4, INF), ValueError, r"\binit\b"),
    ("weight_std init None", lambda: weight_std(2, 4, None), TypeError, r"\binit\b"),
    ("weight_std init bool", lambda: weight_std(2, 4, True), TypeError, r"\binit\b"),
    ("weight_std init list", lambda: weight_std(2, 4, [0.1]), TypeError, r"\binit\b"),

    # ---- experiments
    ("run_experiment config str", lambda: run_experiment("config", X, Y, range(2)), TypeError, r"\bconfig\b"),
    ("run_experiment config class", lambda: run_experiment(Config, X, Y, range(2)), TypeError, r"\bconfig\b"),
    ("run_experiment seeds empty", lambda: run_experiment(config(), X, Y, []), ValueError, r"\bseeds\b"),
    ("run_experiment seeds repeated", lambda: run_experiment(config(), X, Y, [0, 0]), ValueError, r"\bseeds\b"),
    ("run_experiment seeds negative", lambda: run_experiment(config(), X, Y, [-1]), ValueError, r"\bseeds\b"),
    ("run_experiment seeds too large", lambda: run_experiment(config(), X, Y, [2**32]), ValueError, r"\bseeds\b"),
    ("run_experiment seeds float", lambda: run_experiment(config(), X, Y, [0.5]), TypeError, r"\bseeds\b"),
    ("run_experiment seeds int", lambda: run_experiment(config(), X, Y, 5), TypeError, r"\bseeds\b"),
    ("run_experiment seeds None", lambda: run_experiment(config(), X, Y, None), TypeError, r"\bseeds\b"),
    ("run_experiment seeds str", lambda: run_experiment(config(), X, Y, ["a"]), TypeError, r"\bseeds\b"),
    ("run_experiment seeds nested", lambda: run_experiment(config(), X, Y, [[0, 1]]), ValueError, r"\bseeds\b"),
    ("run_experiment seeds bool", lambda: run_experiment(config(), X, Y, [True, False]), TypeError, r"\bseeds\b"),
    ("run_experiment y (4,)", lambda: run_experiment(config(), X, Y.ravel(), range(2)), ValueError, r"\by\b"),
    ("run_experiment X nan", lambda: run_experiment(config(), np.full((4, 2), NAN), Y, range(2)), ValueError, r"\bX\b"),
    ("run_experiment loss_every zero", lambda: run_experiment(config(), X, Y, range(2), loss_every=0), ValueError, r"loss_every"),
    ("run_experiment loss_every bool", lambda: run_experiment(config(), X, Y, range(2), loss_every=True), TypeError, r"loss_every"),
    ("run_experiment epochs zero", lambda: run_experiment(config(epochs=0), X, Y, range(2)), ValueError, r"\bepochs\b"),
    ("run_experiment learning_rate negative", lambda: run_experiment(config(learning_rate=-1.0), X, Y, range(2)), ValueError, r"learning_rate"),
    ("run_experiment layer size zero", lambda: run_experiment(config(layer_sizes=(2, 0, 1)), X, Y, range(2)), ValueError, r"layer_sizes\[1\]"),
    ("run_experiment activation class", lambda: run_experiment(config(activations=(Tanh, Sigmoid())), X, Y, range(2)), TypeError, r"activations\[0\]"),
    ("run_experiment init unknown", lambda: run_experiment(config(init="bogus"), X, Y, range(2)), ValueError, r"\binit\b"),
    ("run_experiments configs empty", lambda: run_experiments({}, X, Y, range(2)), TypeError, r"configs"),
    ("run_experiments configs list", lambda: run_experiments([config()], X, Y, range(2)), TypeError, r"configs"),
    ("run_experiments configs None", lambda: run_experiments(None, X, Y, range(2)), TypeError, r"configs"),
    ("run_experiments config str", lambda: run_experiments({"a": "config"}, X, Y, range(2)), TypeError, r"configs\['a'\]"),
    ("run_experiments seeds empty", lambda: run_experiments({"a": config()}, X, Y, []), ValueError, r"\bseeds\b"),
    ("run_experiments seeds repeated", lambda: run_experiments({"a": config()}, X, Y, [3, 3]), ValueError, r"\bseeds\b"),
    ("run_experiments workers zero", lambda: run_experiments({"a": config()}, X, Y, range(2), workers=0), ValueError, r"workers"),
    ("run_experiments workers float", lambda: run_experiments({"a": config()}, X, Y, range(2), workers=2.0), TypeError, r"workers"),
    ("run_experiments workers bool", lambda: run_experiments({"a": config()}, X, Y, range(2), workers=True), TypeError, r"workers"),
    ("run_experiments loss_every zero", lambda: run_experiments({"a": config()}, X, Y, range(2), loss_every=0), ValueError, r"loss_every"),
    ("run_experiments epochs zero", lambda: run_experiments({"a": config(epochs=0)}, X, Y, range(2)), ValueError, r"\bepochs\b"),
    ("run_experiments y out of range", lambda: run_experiments({"a": config()}, X, 2 * Y, range(2)), ValueError, r"\by\b"),

    # ---- stats, metrics
    ("success_rate str", lambda: success_rate(["yes"]), TypeError, r"successes"),
    ("success_rate 0.7", lambda: success_rate([0.7]), ValueError, r"successes"),
    ("success_rate nan", lambda: success_rate([NAN]), ValueError, r"successes"),
    ("success_rate 2", lambda: success_rate([2]), ValueError, r"successes"),
    ("success_rate empty", lambda: success_rate([]), ValueError, r"successes"),
    ("success_rate None", lambda: success_rate(None), TypeError, r"successes"),
    ("success_rate complex", lambda: success_rate([1 + 0j]), TypeError, r"successes"),
    ("success_rate z zero", lambda: success_rate([True], z=0), ValueError, r"\bz\b"),
    ("success_rate z negative", lambda: success_rate([True], z=-1.96), ValueError, r"\bz\b"),
    ("success_rate z str", lambda: success_rate([True], z="1.96"), TypeError, r"\bz\b"),
    ("success_rate z nan", lambda: success_rate([True], z=NAN), ValueError, r"\bz\b"),
    ("success_rate z bool", lambda: success_rate([True], z=True), TypeError, r"\bz\b"),
    ("accuracy output 1-D", lambda: accuracy(np.full(4, 0.5), Y), ValueError, r"\boutput\b"),
    ("accuracy (4,) target vs (4, 1)", lambda: accuracy(P, np.zeros(4)), ValueError, r"\btarget\b"),
    ("accuracy output empty", lambda: accuracy(np.zeros((0, 1)), np.zeros((0, 1))), ValueError, r"\boutput\b"),
    ("accuracy label equal n_classes", lambda: accuracy(S, np.array([0, 3])), ValueError, r"\btarget\b"),
    ("accuracy label negative", lambda: accuracy(S, np.array([-1, 0])), ValueError, r"\btarget\b"),
    ("accuracy too few labels", lambda: accuracy(S, np.array([0])), ValueError, r"\btarget\b"),
    ("accuracy output str", lambda: accuracy(np.full((4, 1), "a"), Y), TypeError, r"\boutput\b"),
    ("accuracy target str", lambda: accuracy(P, np.full((4, 1), "a")), TypeError, r"\btarget\b"),
    ("accuracy output None", lambda: accuracy(None, Y), TypeError, r"\boutput\b"),
    ("accuracy output complex", lambda: accuracy(P + 0j, Y), TypeError, r"\boutput\b"),
    ("accuracy target bool", lambda: accuracy(P, Y > 0), TypeError, r"\btarget\b"),

    # ---- gradcheck
    ("numerical_gradient x list", lambda: numerical_gradient(lambda: 0.0, [1.0, 2.0]), TypeError, r"\bx\b"),
    ("numerical_gradient x int array", lambda: numerical_gradient(lambda: 0.0, np.array([1, 2])), TypeError, r"\bx\b"),
    ("numerical_gradient x None", lambda: numerical_gradient(lambda: 0.0, None), TypeError, r"\bx\b"),
    ("numerical_gradient x nan", lambda: numerical_gradient(lambda: 0.0, np.array([NAN])), ValueError, r"\bx\b"),
    ("numerical_gradient x read-only", lambda: numerical_gradient(lambda: 0.0, readonly(np.zeros(2))), ValueError, r"\bx\b"),
    ("numerical_gradient h zero", lambda: numerical_gradient(lambda: 0.0, V.copy(), h=0), ValueError, r"\bh\b"),
    ("numerical_gradient h negative", lambda: numerical_gradient(lambda: 0.0, V.copy(), h=-1e-5), ValueError, r"\bh\b"),
    ("numerical_gradient h str", lambda: numerical_gradient(lambda: 0.0, V.copy(), h="1e-5"), TypeError, r"\bh\b"),
    ("numerical_gradient h nan", lambda: numerical_gradient(lambda: 0.0, V.copy(), h=NAN), ValueError, r"\bh\b"),
    ("numerical_gradient h bool", lambda: numerical_gradient(lambda: 0.0, V.copy(), h=True), TypeError, r"\bh\b"),
    ("numerical_gradient h too small", lambda: numerical_gradient(lambda: 0.0, V.copy(), h=1e-30), ValueError, r"\bh\b"),
    ("numerical_gradient f str", lambda: numerical_gradient("f", V.copy()), TypeError, r"\bf\b"),
    ("numerical_gradient f takes an argument", lambda: numerical_gradient(lambda a: 0.0, V.copy()), TypeError, r"\bf\b"),
    ("numerical_gradient f returns an array", lambda: numerical_gradient(lambda: np.zeros(2), V.copy()), TypeError, r"\bf\b"),
    ("numerical_gradient f returns nan", lambda: numerical_gradient(lambda: NAN, V.copy()), ValueError, r"\bf\b"),
    ("numerical_gradient f returns None", lambda: numerical_gradient(lambda: None, V.copy()), TypeError, r"\bf\b"),
    ("numerical_gradient f returns bool", lambda: numerical_gradient(lambda: True, V.copy()), TypeError, r"\bf\b"),
    ("relative_error mismatched shapes", lambda: relative_error([1.0], [1.0, 2.0]), ValueError, r"analytic and numeric"),
    ("relative_error no broadcasting", lambda: relative_error([[1.0], [2.0]], [1.0, 2.0]), ValueError, r"analytic and numeric"),
    ("relative_error analytic nan", lambda: relative_error([NAN], [1.0]), ValueError, r"analytic"),
    ("relative_error numeric inf", lambda: relative_error([1.0], [INF]), ValueError, r"numeric"),
    ("relative_error analytic str", lambda: relative_error(["a"], [1.0]), TypeError, r"analytic"),
    ("relative_error numeric None", lambda: relative_error([1.0], None), TypeError, r"numeric"),
    ("relative_error analytic complex", lambda: relative_error([1j], [1.0]), TypeError, r"analytic"),
    ("relative_error analytic ragged", lambda: relative_error([[1.0], [1.0, 2.0]], [1.0]), ValueError, r"analytic"),
    ("check_layer layer a network", lambda: check_layer(net(), X, np.zeros((4, 1))), TypeError, r"\blayer\b"),
    ("check_layer layer a class", lambda: check_layer(Layer, X, np.zeros((4, 3))), TypeError, r"\blayer\b"),
    ("check_layer x wrong width", lambda: check_layer(layer(), np.zeros((4, 3)), np.zeros((4, 3))), ValueError, r"\bx\b"),
    ("check_layer x nan", lambda: check_layer(layer(), np.full((4, 2), NAN), np.zeros((4, 3))), ValueError, r"\bx\b"),
    ("check_layer grad_output wrong shape", lambda: check_layer(layer(), X, np.zeros((4, 2))), ValueError, r"grad_output"),
    ("check_layer grad_output nan", lambda: check_layer(layer(), X, np.full((4, 3), NAN)), ValueError, r"grad_output"),
    ("check_layer grad_output str", lambda: check_layer(layer(), X, np.full((4, 3), "a")), TypeError, r"grad_output"),
    ("check_layer h zero", lambda: check_layer(layer(), X, np.ones((4, 3)), h=0), ValueError, r"\bh\b"),
    ("check_layer h None", lambda: check_layer(layer(), X, np.ones((4, 3)), h=None), TypeError, r"\bh\b"),
    ("check_layer layer.weights nan", lambda: check_layer(with_nan(layer(), "weights"), X, np.ones((4, 3))), ValueError, r"layer\.weights"),
    ("check_layer layer.bias inf", lambda: check_layer(with_nan(layer(), "bias", INF), X, np.ones((4, 3))), ValueError, r"layer\.bias"),
    ("check_network bias nan", lambda: check_network(with_nan_bias(), X, Y), ValueError, r"network\.layers\[1\]\.bias"),
    ("check_network network str", lambda: check_network("net", X, Y), TypeError, r"\bnetwork\b"),
    ("check_network network class", lambda: check_network(NeuralNetwork, X, Y), TypeError, r"\bnetwork\b"),
    ("check_network a batch", lambda: check_network(batch(), X, Y), TypeError, r"\bnetwork\b"),
    ("check_network loss str", lambda: check_network(net(), X, Y, loss="bce"), TypeError, r"\bloss\b"),
    ("check_network loss class", lambda: check_network(net(), X, Y, loss=BinaryCrossEntropy), TypeError, r"\bloss\b"),
    ("check_network x wrong width", lambda: check_network(net(), np.zeros((4, 3)), Y), ValueError, r"\bx\b"),
    ("check_network x nan", lambda: check_network(net(), np.full((4, 2), NAN), Y), ValueError, r"\bx\b"),
    ("check_network h zero", lambda: check_network(net(), X, Y, h=0), ValueError, r"\bh\b"),
    ("check_network nan weights", lambda: check_network(with_nan_weights(), X, Y), ValueError, r"network\.layers\[0\]\.weights"),

    # ---- serialization
    ("save network str", lambda: in_tmp(lambda d: save("net", d / "m.npz")), TypeError, r"\bnetwork\b"),
    ("save network class", lambda: in_tmp(lambda d: save(NeuralNetwork, d / "m.npz")), TypeError, r"\bnetwork\b"),
    ("save a batch", lambda: in_tmp(lambda d: save(batch(), d / "m.npz")), TypeError, r"\bnetwork\b"),
    ("save network nan weights", lambda: in_tmp(lambda d: save(with_nan_weights(), d / "m.npz")), ValueError, r"\bnetwork\b"),
    ("save path None", lambda: save(net(), None), TypeError, r"\bpath\b"),
    ("save path int", lambda: save(net(), 123), TypeError, r"\bpath\b"),
    ("save path bytes", lambda: save(net(), b"model.npz"), TypeError, r"\bpath\b"),
    ("save path empty", lambda: save(net(), ""), ValueError, r"\bpath\b"),
    ("save path NUL", lambda: save(net(), "a\0b.npz"), ValueError, r"\bpath\b"),
    ("save path a directory", lambda: in_tmp(lambda d: save(net(), folder(d / "hostile_dir"))), IsADirectoryError, r"hostile_dir'?: it is a directory"),
    ("save folder missing", lambda: in_tmp(lambda d: save(net(), d / "no_such_folder" / "m.npz")), FileNotFoundError, r"no_such_folder"),
    ("load path None", lambda: load(None), TypeError, r"\bpath\b"),
    ("load path float", lambda: load(3.5), TypeError, r"\bpath\b"),
    ("load path bytes", lambda: load(b"model.npz"), TypeError, r"\bpath\b"),
    ("load path empty", lambda: load(""), ValueError, r"\bpath\b"),
    ("load missing file", lambda: in_tmp(lambda d: load(d / "missing_model")), FileNotFoundError, r"missing_model"),
    ("load a directory", lambda: in_tmp(lambda d: load(folder(d / "hostile_dir"))), IsADirectoryError, r"hostile_dir"),
    ("load a text file", lambda: in_tmp(lambda d: load(written(d / "notes.npz", b"not a zip"))), ValueError, r"notes\.npz"),
    ("load an empty file", lambda: in_tmp(lambda d: load(written(d / "empty.npz", b""))), ValueError, r"empty\.npz"),
    ("load a .npy file", lambda: in_tmp(lambda d: load(npy_file(d / "one.npy"))), ValueError, r"one\.npy"),

    # ---- diagnostics
    ("layer_outputs network str", lambda: layer_outputs("net", X), TypeError, r"\bnetwork\b"),
    ("layer_outputs network class", lambda: layer_outputs(NeuralNetwork, X), TypeError, r"\bnetwork\b"),
    ("layer_outputs layer too large", lambda: layer_outputs(net(), X, layer=2), ValueError, r"\blayer\b"),
    ("layer_outputs layer too negative", lambda: layer_outputs(net(), X, layer=-3), ValueError, r"\blayer\b"),
    ("layer_outputs layer float", lambda: layer_outputs(net(), X, layer=1.0), TypeError, r"\blayer\b"),
    ("layer_outputs layer bool", lambda: layer_outputs(net(), X, layer=True), TypeError, r"\blayer\b"),
    ("layer_outputs layer str", lambda: layer_outputs(net(), X, layer="0"), TypeError, r"\blayer\b"),
    ("dead_units 1-D", lambda: dead_units([1.0, 2.0]), ValueError, r"pre_activation"),
    ("dead_units no rows", lambda: dead_units(np.zeros((0, 3))), ValueError, r"pre_activation"),
    ("dead_units str", lambda: dead_units(np.full((2, 3), "a")), TypeError, r"pre_activation"),
    ("dead_units None", lambda: dead_units(None), TypeError, r"pre_activation"),
    ("dead_units complex", lambda: dead_units(np.zeros((2, 3)) + 1j), TypeError, r"pre_activation"),
    ("dead_units ragged", lambda: dead_units([[1.0], [1.0, 2.0]]), ValueError, r"pre_activation"),

    # ---- batched
    ("train_batch a network", lambda: train_batch(net(), X, Y, epochs=1), TypeError, r"\bbatch\b"),
    ("train_batch a class", lambda: train_batch(NetworkBatch, X, Y, epochs=1), TypeError, r"\bbatch\b"),
    ("train_batch y (4,)", lambda: train_batch(batch(), X, Y.ravel(), epochs=1), ValueError, r"\by\b"),
    ("train_batch y out of range", lambda: train_batch(batch(), X, 2 * Y, epochs=1), ValueError, r"\by\b"),
    ("train_batch X wrong width", lambda: train_batch(batch(), np.zeros((4, 3)), Y, epochs=1), ValueError, r"\bX\b"),
    ("train_batch X nan", lambda: train_batch(batch(), np.full((4, 2), NAN), Y, epochs=1), ValueError, r"\bX\b"),
    ("train_batch X and y lengths", lambda: train_batch(batch(), X, Y[:3], epochs=1), ValueError, r"\by\b"),
    ("train_batch epochs zero", lambda: train_batch(batch(), X, Y, epochs=0), ValueError, r"\bepochs\b"),
    ("train_batch epochs float", lambda: train_batch(batch(), X, Y, epochs=1.5), TypeError, r"\bepochs\b"),
    ("train_batch learning_rate zero", lambda: train_batch(batch(), X, Y, epochs=1, learning_rate=0), ValueError, r"learning_rate"),
    ("train_batch learning_rate str", lambda: train_batch(batch(), X, Y, epochs=1, learning_rate="0.1"), TypeError, r"learning_rate"),
    ("train_batch loss_every zero", lambda: train_batch(batch(), X, Y, epochs=1, loss_every=0), ValueError, r"loss_every"),
    ("train_batch loss_every bool", lambda: train_batch(batch(), X, Y, epochs=1, loss_every=True), TypeError, r"loss_every"),
    ("learned outputs 2-D", lambda: learned(np.zeros((4, 1)), Y), ValueError, r"outputs"),
    ("learned y (4,) against (runs, 4, 1) outputs", lambda: learned(np.zeros((2, 4, 1)), Y.ravel()), ValueError, r"outputs must have shape \(runs, 4\) \(one y-shaped"),
    ("learned threshold str", lambda: learned(np.zeros((2, 4, 1)), Y, threshold="0.5"), TypeError, r"threshold"),
    ("learned y str", lambda: learned(np.zeros((2, 4, 1)), np.full((4, 1), "a")), TypeError, r"\by\b"),
    ("learned outputs None", lambda: learned(None, Y), TypeError, r"outputs"),

    # ---- training.train
    ("train network str", lambda: train("net", X, Y, epochs=1), TypeError, r"\bnetwork\b"),
    ("train network class", lambda: train(NeuralNetwork, X, Y, epochs=1), TypeError, r"\bnetwork\b"),
    ("train y (4,) vs (4, 1)", lambda: train(net(), X, Y.ravel(), epochs=1), ValueError, r"\by\b"),
    ("train y (1, 4)", lambda: train(net(), X, Y.T, epochs=1), ValueError, r"\by\b"),
    ("train epochs zero", lambda: train(net(), X, Y, epochs=0), ValueError, r"\bepochs\b"),
    ("train epochs negative", lambda: train(net(), X, Y, epochs=-1), ValueError, r"\bepochs\b"),
    ("train epochs float", lambda: train(net(), X, Y, epochs=2.0), TypeError, r"\bepochs\b"),
    ("train epochs bool", lambda: train(net(), X, Y, epochs=True), TypeError, r"\bepochs\b"),
    ("train epochs None", lambda: train(net(), X, Y, epochs=None), TypeError, r"\bepochs\b"),
    ("train learning_rate zero", lambda: train(net(), X, Y, epochs=1, learning_rate=0), ValueError, r"learning_rate"),
    ("train learning_rate nan", lambda: train(net(), X, Y, epochs=1, learning_rate=NAN), ValueError, r"learning_rate"),
    ("train learning_rate str", lambda: train(net(), X, Y, epochs=1, learning_rate="0.1"), TypeError, r"learning_rate"),
    ("train loss str", lambda: train(net(), X, Y, epochs=1, loss="bce"), TypeError, r"\bloss\b"),
    ("train loss class", lambda: train(net(), X, Y, epochs=1, loss=MeanSquaredError), TypeError, r"\bloss\b"),
    ("train print_every zero", lambda: train(net(), X, Y, epochs=1, print_every=0), ValueError, r"print_every"),
    ("train print_every float", lambda: train(net(), X, Y, epochs=1, print_every=1.5), TypeError, r"print_every"),
    ("train print_every bool", lambda: train(net(), X, Y, epochs=1, print_every=True), TypeError, r"print_every"),
    ("train X None", lambda: train(net(), None, Y, epochs=1), TypeError, r"\bX\b"),
    ("train X ragged", lambda: train(net(), [[0.0, 1.0], [1.0]], Y, epochs=1), ValueError, r"\bX\b"),
    ("train X bool", lambda: train(net(), X > 0, Y, epochs=1), TypeError, r"\bX\b"),
    ("train X empty", lambda: train(net(), np.zeros((0, 2)), np.zeros((0, 1)), epochs=1), ValueError, r"\bX\b"),
    ("train y str", lambda: train(net(), X, np.full((4, 1), "1"), epochs=1), TypeError, r"\by\b"),
    ("train y nan", lambda: train(net(), X, np.full((4, 1), NAN), epochs=1), ValueError, r"\by\b"),
    ("train y above 1", lambda: train(net(), X, 2 * Y, epochs=1), ValueError, r"\by\b"),
    ("train y negative", lambda: train(net(), X, -Y, epochs=1), ValueError, r"\by\b"),
    ("train y fewer rows", lambda: train(net(), X, Y[:3], epochs=1), ValueError, r"\by\b"),
    ("train MSE y wrong shape", lambda: train(net(), X, Y.ravel(), epochs=1, loss=MeanSquaredError()), ValueError, r"\by\b"),
    ("train softmax label out of range", lambda: train(classifier(), X, np.array([0, 1, 2, 3]), epochs=1, loss=SoftmaxCrossEntropy()), ValueError, r"\by\b"),
    ("train softmax float labels", lambda: train(classifier(), X, LABELS.astype(float), epochs=1, loss=SoftmaxCrossEntropy()), ValueError, r"\by\b"),

    # ---- fitting.fit
    ("fit network str", lambda: fit("net", X, Y, epochs=1), TypeError, r"\bnetwork\b"),
    ("fit network None", lambda: fit(None, X, Y, epochs=1), TypeError, r"\bnetwork\b"),
    ("fit y (4,)", lambda: fit(net(), X, Y.ravel(), epochs=1), ValueError, r"\by\b"),
    ("fit y complex", lambda: fit(net(), X, Y + 0j, epochs=1), TypeError, r"\by\b"),
    ("fit optimizer str", lambda: fit(net(), X, Y, optimizer="adam", epochs=1), TypeError, r"optimizer"),
    ("fit optimizer class", lambda: fit(net(), X, Y, optimizer=Adam, epochs=1), TypeError, r"optimizer"),
    ("fit optimizer a loss", lambda: fit(net(), X, Y, optimizer=BinaryCrossEntropy(), epochs=1), TypeError, r"optimizer"),
    ("fit loss str", lambda: fit(net(), X, Y, loss="mse", epochs=1), TypeError, r"\bloss\b"),
    ("fit loss class", lambda: fit(net(), X, Y, loss=BinaryCrossEntropy, epochs=1), TypeError, r"\bloss\b"),
    ("fit loss an optimizer", lambda: fit(net(), X, Y, loss=SGD(), epochs=1), TypeError, r"\bloss\b"),
    ("fit epochs zero", lambda: fit(net(), X, Y, epochs=0), ValueError, r"\bepochs\b"),
    ("fit epochs float", lambda: fit(net(), X, Y, epochs=2.5), TypeError, r"\bepochs\b"),
    ("fit batch_size zero", lambda: fit(net(), X, Y, epochs=1, batch_size=0), ValueError, r"batch_size"),
    ("fit batch_size above n", lambda: fit(net(), X, Y, epochs=1, batch_size=5), ValueError, r"batch_size"),
    ("fit batch_size float", lambda: fit(net(), X, Y, epochs=1, batch_size=2.0), TypeError, r"batch_size"),
    ("fit batch_size bool", lambda: fit(net(), X, Y, epochs=1, batch_size=True), TypeError, r"batch_size"),
    ("fit l2 negative", lambda: fit(net(), X, Y, epochs=1, l2=-0.1), ValueError, r"\bl2\b"),
    ("fit l2 nan", lambda: fit(net(), X, Y, epochs=1, l2=NAN), ValueError, r"\bl2\b"),
    ("fit l2 inf", lambda: fit(net(), X, Y, epochs=1, l2=INF), ValueError, r"\bl2\b"),
    ("fit l2 bool", lambda: fit(net(), X, Y, epochs=1, l2=True), TypeError, r"\bl2\b"),
    ("fit l2 str", lambda: fit(net(), X, Y, epochs=1, l2="0.1"), TypeError, r"\bl2\b"),
    ("fit validation_data an array", lambda: fit(net(), X, Y, epochs=1, validation_data=X), TypeError, r"validation_data"),
    ("fit validation_data length 1", lambda: fit(net(), X, Y, epochs=1, validation_data=(X,)), TypeError, r"validation_data"),
    ("fit validation_data length 3", lambda: fit(net(), X, Y, epochs=1, validation_data=(X, Y, Y)), TypeError, r"validation_data"),
    ("fit X_val wrong width", lambda: fit(net(), X, Y, epochs=1, validation_data=(np.zeros((2, 3)), np.zeros((2, 1)))), ValueError, r"X_val"),
    ("fit y_val (4,)", lambda: fit(net(), X, Y, epochs=1, validation_data=(X, Y.ravel())), ValueError, r"y_val"),
    ("fit X_val nan", lambda: fit(net(), X, Y, epochs=1, validation_data=(np.full((4, 2), NAN), Y)), ValueError, r"X_val"),
    ("fit y_val out of range", lambda: fit(net(), X, Y, epochs=1, validation_data=(X, 3 * Y)), ValueError, r"y_val"),
    ("fit print_every zero", lambda: fit(net(), X, Y, epochs=1, print_every=0), ValueError, r"print_every"),
    ("fit rng str with mini-batches", lambda: fit(net(), X, Y, epochs=1, batch_size=2, rng="x"), TypeError, r"\brng\b"),
    ("fit softmax label out of range", lambda: fit(classifier(), X, np.array([0, 1, 2, 3]), loss=SoftmaxCrossEntropy(), epochs=1), ValueError, r"\by\b"),
    ("fit softmax one-hot wrong width", lambda: fit(classifier(), X, np.eye(4), loss=SoftmaxCrossEntropy(), epochs=1), ValueError, r"\by\b"),
    ("fit X and y lengths", lambda: fit(net(), X, Y[:2], epochs=1), ValueError, r"\by\b"),

    # ---- misc public names
    ("count_parameters str", lambda: count_parameters("net"), TypeError, r"\bnetwork\b"),
    ("count_parameters class", lambda: count_parameters(NeuralNetwork), TypeError, r"\bnetwork\b"),

    # ---- more rows: Recorder as a callback, divergence, numpy integer and float scalars
    ("Recorder epoch str", lambda: Recorder()("0", forwarded()), TypeError, r"\bepoch\b"),
    ("Recorder epoch float", lambda: Recorder()(0.0, forwarded()), TypeError, r"\bepoch\b"),
    ("Recorder epoch bool", lambda: Recorder()(True, forwarded()), TypeError, r"\bepoch\b"),
    ("Recorder network str", lambda: Recorder()(0, "net"), TypeError, r"\bnetwork\b"),
    ("train diverges", lambda: train(relu_net(), X, Y, epochs=3, learning_rate=1e300), FloatingPointError, r"learning_rate=1e\+300"),
    ("train MSE diverges", lambda: train(NeuralNetwork([2, 3, 1], [ReLU(), Identity()], rng=0, init="he"), X, Y, epochs=3, learning_rate=1e300, loss=MeanSquaredError()), FloatingPointError, r"learning_rate=1e\+300"),
    ("train_batch diverges", lambda: train_batch(NetworkBatch([2, 8, 1], [ReLU(), Sigmoid()], rngs=range(4), init="he"), X, Y, epochs=3, learning_rate=1e300), FloatingPointError, r"learning_rate=1e\+300"),
    ("fit diverges", lambda: fit(relu_net(), X, Y, epochs=3, optimizer=SGD(1e300)), FloatingPointError, r"learning_rate=1e\+300"),
    ("fit batch_size numpy zero", lambda: fit(net(), X, Y, epochs=1, batch_size=np.int64(0)), ValueError, r"batch_size"),
    ("SGD learning_rate float32 nan", lambda: SGD(np.float32("nan")), ValueError, r"learning_rate"),
    ("predict threshold inf", lambda: net().predict(X, threshold=INF), ValueError, r"threshold"),
    ("layer_outputs layer numpy int too large", lambda: layer_outputs(net(), X, layer=np.int64(5)), ValueError, r"\blayer\b"),
    ("one_hot n_classes bool", lambda: one_hot([0, 1], n_classes=True), TypeError, r"n_classes"),
    ("spirals n_samples None", lambda: spirals(n_samples=None), TypeError, r"n_samples"),
    ("weight_std init nan", lambda: weight_std(2, 4, NAN), ValueError, r"\binit\b"),
    ("run_experiment X wrong width", lambda: run_experiment(config(), np.zeros((4, 3)), Y, range(2)), ValueError, r"\bX\b"),
    ("run_experiment learning_rate str", lambda: run_experiment(config(learning_rate="0.1"), X, Y, range(2)), TypeError, r"learning_rate"),
    ("run_experiment activations None", lambda: run_experiment(config(activations=None), X, Y, range(2)), TypeError, r"activations"),

    # ---- the last escapes: found by the fuzzer and by hand after the first audit
    ("network run too large", lambda: batch().network(5), ValueError, r"\brun must be an index"),
    ("network run negative", lambda: batch().network(-1), ValueError, r"\brun must be an index"),
    ("NeuralNetwork rng negative", lambda: NeuralNetwork([2, 3, 1], [Tanh(), Sigmoid()], rng=-1), ValueError, r"\brng\b"),
    ("Layer rng negative", lambda: Layer(2, 3, Tanh(), rng=-5), ValueError, r"\brng\b"),
    ("Config layer_sizes str", lambda: Config("a", (ReLU(), Sigmoid())), TypeError, r"layer_sizes"),
    ("Config activations count", lambda: Config((2, 4, 1), (Sigmoid(),)), ValueError, r"activations"),
    ("Config init unknown", lambda: Config((2, 4, 1), (ReLU(), Sigmoid()), init="glorot"), ValueError, r"\binit\b"),
    ("Config learning_rate negative", lambda: Config((2, 4, 1), (ReLU(), Sigmoid()), learning_rate=-1), ValueError, r"learning_rate"),
    ("Config epochs float", lambda: Config((2, 4, 1), (ReLU(), Sigmoid()), epochs=1.5), TypeError, r"\bepochs\b"),
    ("train_test_split X strings", lambda: train_test_split(np.array(["a", "b", "c", "d"]), LABELS), TypeError, r"\bX\b"),
    ("train_test_split y objects", lambda: train_test_split(X, np.array([object()] * 4)), TypeError, r"\by\b"),
    ("train_test_split X ragged", lambda: train_test_split([[1.0, 2.0], [3.0]], [0, 1]), ValueError, r"\bX\b"),
    ("check_network y wrong shape", lambda: check_network(net(), X, np.ones((4, 2))), ValueError, r"\by must have shape"),
    ("check_network BCE without sigmoid", lambda: check_network(NeuralNetwork([2, 3, 1], [Tanh(), Tanh()], rng=0), X, Y), ValueError, r"last activation of network"),
    ("train_batch BCE without sigmoid", lambda: train_batch(NetworkBatch([2, 3, 1], [ReLU(), Tanh()], rngs=range(2)), X, Y, epochs=1), ValueError, r"last activation of batch"),
]

IDS = [row[0] for row in TABLE]
ROWS = [row[1:] for row in TABLE]


def test_the_table_is_large_and_its_ids_are_unique():
    assert len(TABLE) >= 160
    assert len(set(IDS)) == len(IDS)


@pytest.mark.parametrize("call, error, argument", ROWS, ids=IDS)
def test_hostile_call_is_refused_naming_the_argument(call, error, argument):
    # the name stands alone: "XXepochsXX" or "n_epochs" does not name ``epochs``
    with pytest.raises(error, match=rf"(?<!\w)(?:{argument})(?!\w)"):
        call()
