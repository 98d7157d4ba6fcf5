"""The chapter's training loop, as a function, and the checks every training loop shares."""

from __future__ import annotations

from typing import Any, Callable, Tuple

import numpy as np

from ._validation import (
    as_float_array,
    check_finite,
    check_instance,
    check_labels,
    check_positive_float,
    check_positive_int,
    check_probabilities,
    is_labels,
)
from .activations import Identity, Sigmoid
from .losses import BinaryCrossEntropy, Loss, SoftmaxCrossEntropy, check_probability_rows
from .network import NeuralNetwork


def train(
    network: NeuralNetwork,
    X: np.ndarray,
    y: np.ndarray,
    epochs: int = 10000,
    learning_rate: float = 0.1,
    loss: Loss | None = None,
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
    loss = BinaryCrossEntropy() if loss is None else check_loss(loss)
    X, y = check_data(network, X, y, loss)
    epochs = check_positive_int(epochs, "epochs")
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    if print_every is not None:
        check_positive_int(print_every, "print_every")
    if callback is not None and (not callable(callback) or isinstance(callback, type)):
        raise TypeError(f"callback must be a function callback(epoch, network) or an "
                        f"instance such as Recorder(), got {callback!r}")

    losses = np.empty(epochs)
    # Overflow shows up as a non-finite output, reported with the epoch (below),
    # instead of as NumPy warnings followed by NaN weights.
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            # Forward pass
            output = network.forward(X)
            if not np.isfinite(output).all():
                raise diverged(network, f"epoch {epoch}: the network's output is no longer finite",
                               f"learning_rate={learning_rate}")

            # Compute loss and its gradient with respect to the output
            losses[epoch] = loss.value(output, y)
            grad_output = loss.gradient(output, y)
            if callback is not None:
                callback(epoch, network)

            # Backward pass and weight update
            network.backward(grad_output, learning_rate)

            if print_every and epoch % print_every == 0:
                print(f"Epoch {epoch}, Loss: {losses[epoch]:.4f}")
    return losses


def diverged(network: Any, where: str, step: str) -> FloatingPointError:
    """The error a training loop raises when its numbers stop being finite.

    ``where`` says when and what (``"epoch 3: the loss is nan"``), ``step`` the step
    size that most likely caused it. The message says whether the weights are still
    finite: they are when the loop stopped before the update that would spread the NaN.
    """
    finite = all(np.isfinite(p).all() for p in network.parameters())
    state = (
        "The weights are still finite: the update that would spread the NaN was not made."
        if finite
        else "Some weights are no longer finite: retrain from a fresh network."
    )
    return FloatingPointError(
        f"training diverged in {where}. The likely cause is a learning rate too large for "
        f"this problem ({step}); try one 10 times smaller. {state}"
    )


def check_loss(loss: Any) -> Loss:
    """Require a scratchnet loss instance."""
    if not isinstance(loss, Loss):
        raise TypeError(f"loss must be a scratchnet loss such as BinaryCrossEntropy(), got {loss!r}")
    return loss


def check_data(
    network: NeuralNetwork, X: Any, y: Any, loss: Loss, x_name: str = "X", y_name: str = "y",
    network_name: str = "network",
) -> Tuple[np.ndarray, np.ndarray]:
    """Validate one ``(X, y)`` pair for training ``network`` with ``loss``; return arrays.

    ``X`` must be a batch the network takes; ``y`` one row per sample and one column
    per output (or, for softmax cross-entropy, one integer label per sample). The
    loss must suit the network's last activation: binary cross-entropy wants
    probabilities (a sigmoid) and 0/1 targets, softmax cross-entropy raw scores
    (Identity).
    """
    check_instance(network, NeuralNetwork, network_name)
    X = network.check_input(X, x_name)
    n, k = X.shape[0], network.layers[-1].output_size
    last = network.layers[-1].activation
    if isinstance(loss, SoftmaxCrossEntropy):
        if not isinstance(last, Identity):
            raise ValueError(
                f"SoftmaxCrossEntropy expects raw scores: the last activation of {network_name} "
                f"must be Identity(), got {last!r}"
            )
        labels = np.asarray(y)
        if is_labels(labels):
            check_labels(labels, y_name, n, k, x_name)
            return X, labels
    elif isinstance(loss, BinaryCrossEntropy) and not isinstance(last, Sigmoid):
        raise ValueError(
            f"BinaryCrossEntropy expects probabilities: the last activation of {network_name} "
            f"must be Sigmoid(), got {last!r}"
        )
    y = as_float_array(y, y_name, network.dtype)
    if y.shape != (n, k):
        raise ValueError(
            f"{y_name} must have shape {(n, k)} (one row per sample of {x_name}, one column "
            f"per output), got shape {y.shape}"
        )
    check_finite(y, y_name)
    if isinstance(loss, BinaryCrossEntropy):
        check_probabilities(y, y_name)
    elif isinstance(loss, SoftmaxCrossEntropy):
        check_probability_rows(y, y_name)
    return X, y
