"""scratchnet: neural networks from scratch with NumPy.

The package behind the book *Neural Networks from Scratch*: every class the
chapter writes, kept under the chapter's names, tested, and used by the book's
executed pages.
"""

from .activations import Activation, Identity, LeakyReLU, ReLU, Sigmoid, Tanh
from .batched import NetworkBatch, learned, train_batch
from .datasets import circles, moons, one_hot, spirals, train_test_split, xor
from .diagnostics import Recorder, dead_units, layer_outputs
from .gradcheck import check_layer, check_network, numerical_gradient, relative_error
from .init import weight_std
from .layer import Layer
from .fitting import History, fit
from .losses import BinaryCrossEntropy, Loss, MeanSquaredError, SoftmaxCrossEntropy, softmax
from .metrics import accuracy
from .network import NeuralNetwork, count_parameters
from .optimizers import SGD, Adam, Optimizer, RMSProp
from .serialization import load, save
from .stats import Rate, success_rate
from .training import train

__version__ = "0.1.0"

__all__ = [
    "Activation",
    "Adam",
    "BinaryCrossEntropy",
    "History",
    "Identity",
    "Layer",
    "Loss",
    "MeanSquaredError",
    "LeakyReLU",
    "NetworkBatch",
    "NeuralNetwork",
    "Optimizer",
    "RMSProp",
    "Rate",
    "Recorder",
    "ReLU",
    "SGD",
    "Sigmoid",
    "SoftmaxCrossEntropy",
    "Tanh",
    "accuracy",
    "check_layer",
    "check_network",
    "circles",
    "count_parameters",
    "dead_units",
    "fit",
    "layer_outputs",
    "learned",
    "load",
    "moons",
    "one_hot",
    "numerical_gradient",
    "relative_error",
    "save",
    "softmax",
    "spirals",
    "success_rate",
    "train",
    "train_batch",
    "train_test_split",
    "weight_std",
    "xor",
]
