"""Looking inside training: snapshots of every layer, and dead ReLU units."""

from __future__ import annotations

from typing import List

import numpy as np

from ._validation import (
    as_float_array, check_finite, check_instance, check_integer, check_positive_int,
)
from .network import NeuralNetwork


class Recorder:
    """A ``callback`` for :func:`~scratchnet.training.train` that keeps snapshots of a run.

    Every ``every`` epochs it copies, from the forward pass just made (before that
    epoch's update), each layer's pre-activation ``z`` and output. After training:

    * ``epochs``: shape ``(T,)``, the epochs recorded;
    * ``pre_activations[l]``: shape ``(T, n, units)``, layer ``l``'s ``z`` per input;
    * ``activations[l]``: shape ``(T, n, units)``, layer ``l``'s output per input.

    Example
    -------
    >>> from scratchnet import NeuralNetwork, ReLU, Sigmoid, train, xor
    >>> from scratchnet import Recorder
    >>> X, y = xor()
    >>> net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=0)
    >>> recorder = Recorder(every=10)
    >>> losses = train(net, X, y, epochs=100, callback=recorder)
    >>> recorder.epochs.shape, recorder.pre_activations[0].shape
    ((10,), (10, 4, 4))
    """

    def __init__(self, every: int = 10) -> None:
        self.every = check_positive_int(every, "every")
        self._epochs: List[int] = []
        self._z: List[List[np.ndarray]] = []
        self._a: List[List[np.ndarray]] = []

    def __call__(self, epoch: int, network: NeuralNetwork) -> None:
        check_integer(epoch, "epoch")
        check_instance(network, NeuralNetwork, "network")
        if network.layers[0].activation_input is None:
            raise ValueError("network has not run forward yet: a Recorder records a forward "
                             "pass (train calls it after each one)")
        if epoch % self.every == 0:
            self._epochs.append(epoch)
            self._z.append([layer.activation_input.copy() for layer in network.layers])
            self._a.append([layer.output.copy() for layer in network.layers])

    @property
    def epochs(self) -> np.ndarray:
        """The epochs recorded, shape ``(T,)``."""
        return np.array(self._epochs)

    @property
    def pre_activations(self) -> List[np.ndarray]:
        """One array per layer, shape ``(T, n, units)``: its ``z`` for every input."""
        return [np.stack(per_layer) for per_layer in zip(*self._z)]

    @property
    def activations(self) -> List[np.ndarray]:
        """One array per layer, shape ``(T, n, units)``: its output for every input."""
        return [np.stack(per_layer) for per_layer in zip(*self._a)]


def dead_units(pre_activation: np.ndarray) -> np.ndarray:
    """Which ReLU units are dead: pre-activation ``<= 0`` for every input.

    ``pre_activation`` has shape ``(..., n, units)``; the result ``(..., units)``.
    A dead unit outputs 0 and has derivative 0 on every input, so no gradient
    reaches its weights: nothing in gradient descent can bring it back.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import dead_units
    >>> z = np.array([[-1.0, 2.0, 0.5],
    ...               [-0.5, 0.0, -3.0]])  # 2 inputs, 3 units
    >>> dead_units(z)
    array([ True, False, False])
    """
    z = as_float_array(pre_activation, "pre_activation")
    if z.ndim < 2 or z.shape[-2] == 0:
        raise ValueError(
            f"pre_activation must be (..., n, units) with n >= 1 inputs, got shape {z.shape}"
        )
    check_finite(z, "pre_activation")
    return np.all(z <= 0, axis=-2)


def layer_outputs(network: NeuralNetwork, X: np.ndarray, layer: int = 0) -> np.ndarray:
    """What layer ``layer`` of ``network`` outputs for the inputs ``X``: ``(n, units)``.

    Runs a fresh forward pass, so the result never comes from an older call's cache.
    ``X`` has shape ``(n, inputs)``.

    Example
    -------
    >>> from scratchnet import NeuralNetwork, ReLU, Sigmoid, xor
    >>> from scratchnet import layer_outputs
    >>> X, y = xor()
    >>> net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=0)
    >>> layer_outputs(net, X, layer=0).shape  # 4 inputs, 4 hidden units
    (4, 4)
    """
    check_instance(network, NeuralNetwork, "network")
    count = len(network.layers)
    layer = check_integer(layer, "layer", "an integer index")
    if not -count <= layer < count:
        raise ValueError(f"layer must be in [0, {count}) for a network of {count} layers "
                         f"(or negative, from the end), got {layer}")
    network.forward(network.check_input(X, "X"))
    return network.layers[layer].output.copy()
