"""The chapter's training loop, as a function."""

from __future__ import annotations

from typing import Callable

import numpy as np

from ._validation import (
    as_float_array,
    check_finite,
    check_positive_float,
    check_positive_int,
)
from .losses import BinaryCrossEntropy, MeanSquaredError, SoftmaxCrossEntropy
from .network import NeuralNetwork


def train(
    network: NeuralNetwork,
    X: np.ndarray,
    y: np.ndarray,
    epochs: int = 10000,
    learning_rate: float = 0.1,
    loss: BinaryCrossEntropy | None = None,
    print_every: int | None = None,
    callback: Callable[[int, NeuralNetwork], None] | None = None,
) -> np.ndarray:
    """Full-batch gradient descent, the chapter's loop.

    ``X`` has shape ``(n, inputs)`` and ``y`` shape ``(n, outputs)``. Every epoch:
    forward pass over all of ``X``, ``loss`` (binary cross-entropy unless given),
    gradient of the loss with respect to the output, and ``network.backward``,
    which backpropagates and takes one step of size ``learning_rate``. With
    ``print_every`` set, prints ``Epoch e, Loss: ...`` every ``print_every`` epochs,
    as the chapter does.

    ``callback(epoch, network)``, if given, runs after each forward pass and
    before the update, while the layers still hold that pass (see
    :class:`scratchnet.diagnostics.Recorder`).

    Returns the loss of every epoch (measured before that epoch's update), shape
    ``(epochs,)``.

    Example
    -------
    >>> from scratchnet import NeuralNetwork, Sigmoid, Tanh, train, xor
    >>> X, y = xor()
    >>> net = NeuralNetwork([2, 4, 1], [Tanh(), Sigmoid()], rng=0,
    ...                     init="xavier")
    >>> losses = train(net, X, y, epochs=2000, learning_rate=0.5)
    >>> losses.shape, bool(losses[-1] < 0.01)
    ((2000,), True)
    >>> net.predict(X).ravel()
    array([0, 1, 1, 0])
    """
    loss = BinaryCrossEntropy() if loss is None else loss
    if not isinstance(loss, (BinaryCrossEntropy, MeanSquaredError, SoftmaxCrossEntropy)):
        raise TypeError(f"loss must be a scratchnet loss such as BinaryCrossEntropy(), got {loss!r}")
    X, y = check_training_args(network, X, y, epochs, learning_rate, print_every)

    losses = np.empty(epochs)
    # Overflow shows up as a non-finite output, reported with the epoch (below),
    # instead of as NumPy warnings followed by NaN weights.
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            # Forward pass
            output = network.forward(X)
            if not np.isfinite(output).all():
                raise diverged(epoch, "the network's output is no longer finite", learning_rate)

            # Compute loss and its gradient with respect to the output
            losses[epoch] = loss.forward(output, y)
            grad_output = loss.backward(output, y)
            if callback is not None:
                callback(epoch, network)

            # Backward pass and weight update (SGD refuses non-finite gradients)
            try:
                network.backward(grad_output, learning_rate)
            except ValueError as error:
                raise diverged(epoch, str(error), learning_rate) from None

            if print_every and epoch % print_every == 0:
                print(f"Epoch {epoch}, Loss: {losses[epoch]:.4f}")
    return losses


def diverged(epoch: int, what: str, learning_rate: float) -> FloatingPointError:
    """The error :func:`train` raises when the numbers stop being finite."""
    return FloatingPointError(
        f"training diverged in epoch {epoch}: {what}. The likely cause is a learning rate "
        f"too large for this problem ({learning_rate}); try one 10 times smaller."
    )


def check_training_args(
    network: NeuralNetwork,
    X: np.ndarray,
    y: np.ndarray,
    epochs: int,
    learning_rate: float,
    print_every: int | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Validate the arguments of :func:`train`; return ``X`` and ``y`` as float arrays."""
    X = network.check_input(X, "X")
    y = as_float_array(y, "y", network.dtype)
    check_finite(y, "y")
    expected = (X.shape[0], network.layers[-1].output_size)
    if y.shape != expected:
        raise ValueError(
            f"y must have shape {expected} (one row per sample of X, one column per "
            f"output unit), got shape {y.shape}"
        )
    check_positive_int(epochs, "epochs")
    check_positive_float(learning_rate, "learning_rate")
    if print_every is not None:
        check_positive_int(print_every, "print_every")
    return X, y
