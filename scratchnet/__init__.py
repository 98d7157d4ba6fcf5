"""scratchnet: neural networks from scratch with NumPy.

The package behind the book *Neural Networks from Scratch*: every class the
chapter writes, kept under the chapter's names, tested, and used by the book's
executed pages.
"""

from .activations import Activation, ReLU, Sigmoid, Tanh
from .datasets import xor
from .gradcheck import check_layer, check_network, numerical_gradient, relative_error
from .init import weight_std
from .layer import Layer
from .losses import BinaryCrossEntropy
from .network import NeuralNetwork, count_parameters
from .optimizers import SGD
from .training import train

__version__ = "0.1.0"

__all__ = [
    "Activation",
    "BinaryCrossEntropy",
    "Layer",
    "NeuralNetwork",
    "ReLU",
    "SGD",
    "Sigmoid",
    "Tanh",
    "check_layer",
    "check_network",
    "count_parameters",
    "numerical_gradient",
    "relative_error",
    "train",
    "weight_std",
    "xor",
]
