"""``fit``: the training loop for real problems (optimizers, mini-batches, L2, validation).

The chapter's :func:`~scratchnet.training.train` does one full-batch gradient step per
epoch. ``fit`` generalizes it: any loss, any optimizer, mini-batches drawn in a new
random order every epoch, an optional L2 penalty, and a history of losses and
accuracies on the training and validation data.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, List, Tuple

import numpy as np

from ._validation import check_finite_number, check_instance, check_non_negative, check_positive_int
from .init import as_rng
from .layer import Layer
from .losses import BinaryCrossEntropy, Loss
from .metrics import correct_answers
from .network import NeuralNetwork
from .optimizers import SGD, Optimizer
from .training import check_data, check_loss, diverged



@dataclass
class History:
    """What happened during :func:`fit`, one entry per epoch.

    ``loss`` is the mean training loss over the epoch's mini-batches (including the
    L2 term), ``accuracy`` the training accuracy of the same batches, ``val_loss`` and
    ``val_accuracy`` the same on the validation data at the end of the epoch (empty
    without validation data), and ``seconds`` the wall time since training started.

    Example
    -------
    >>> from scratchnet import NeuralNetwork, SGD, Sigmoid, Tanh, fit, xor
    >>> X, y = xor()
    >>> net = NeuralNetwork([2, 4, 1], [Tanh(), Sigmoid()], rng=0)
    >>> history = fit(net, X, y, optimizer=SGD(0.5), epochs=5,
    ...               validation_data=(X, y))
    >>> len(history.loss), len(history.val_accuracy), len(history.seconds)
    (5, 5, 5)
    """

    loss: List[float] = field(default_factory=list)
    accuracy: List[float] = field(default_factory=list)
    val_loss: List[float] = field(default_factory=list)
    val_accuracy: List[float] = field(default_factory=list)
    seconds: List[float] = field(default_factory=list)

    def epochs_to_reach(self, threshold: float) -> int | None:
        """How many epochs training took to bring the loss below ``threshold``: the
        number (counting from 1) of the first epoch whose ``loss`` is below it, or
        ``None`` if none is.

        Example
        -------
        >>> from scratchnet.fitting import History
        >>> History(loss=[0.9, 0.4, 0.2, 0.1]).epochs_to_reach(0.3)
        3
        >>> print(History(loss=[0.9, 0.4]).epochs_to_reach(0.1))
        None
        """
        threshold = check_finite_number(threshold, "threshold")
        below = np.flatnonzero(np.asarray(self.loss) < threshold)
        return int(below[0]) + 1 if below.size else None


def fit(
    network: NeuralNetwork,
    X: np.ndarray,
    y: np.ndarray,
    loss: Loss | None = None,
    optimizer: Any = None,
    epochs: int = 100,
    batch_size: int | None = None,
    rng: Any = None,
    validation_data: Tuple[np.ndarray, np.ndarray] | None = None,
    l2: float = 0.0,
    print_every: int | None = None,
) -> History:
    """Train ``network`` on ``(X, y)`` and return a :class:`History`.

    Every epoch visits all samples once, in mini-batches of ``batch_size`` (all of
    them when ``None``) taken in a fresh random order drawn from ``rng``. For each
    batch: forward pass, loss and its gradient, backpropagation, the L2 term
    ``l2 * W`` added to every weight gradient (biases are not penalized), and one
    ``optimizer`` step (all of it in :func:`train_step`). With ``print_every``, prints progress
    like the chapter does.

    ``loss`` defaults to binary cross-entropy and ``optimizer`` to ``SGD(0.01)``.

    Example
    -------
    >>> from scratchnet import Adam, NeuralNetwork, Sigmoid, Tanh, fit, xor
    >>> X, y = xor()
    >>> net = NeuralNetwork([2, 4, 1], [Tanh(), Sigmoid()], rng=0,
    ...                     init="xavier")
    >>> history = fit(net, X, y, optimizer=Adam(0.05), epochs=300)
    >>> len(history.loss), history.accuracy[-1]
    (300, 1.0)
    """
    loss = BinaryCrossEntropy() if loss is None else check_loss(loss)
    optimizer = SGD(0.01) if optimizer is None else check_optimizer(optimizer)
    X, y = check_data(network, X, y, loss)
    if validation_data is not None:
        if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):
            raise TypeError(
                f"validation_data must be a pair (X_val, y_val), got {type(validation_data).__name__}"
                + (f" of length {len(validation_data)}" if isinstance(validation_data, (tuple, list)) else "")
            )
        X_val, y_val = check_data(network, *validation_data, loss, "X_val", "y_val")
    epochs = check_positive_int(epochs, "epochs")
    n = X.shape[0]
    batch_size = n if batch_size is None else check_positive_int(batch_size, "batch_size")
    if batch_size > n:
        raise ValueError(f"batch_size must be at most the number of samples ({n}), got {batch_size}")
    if print_every is not None:
        print_every = check_positive_int(print_every, "print_every")
    l2 = check_non_negative(l2, "l2")
    rng = as_rng(rng)  # checked even when a full batch has no use for it
    if batch_size == n:
        rng = None

    history = History()
    start = time.perf_counter()
    # Overflow shows up as a non-finite loss, reported with the epoch and the likely
    # cause (see `diverged`), instead of as NumPy warnings followed by NaN weights.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(epochs):
            order = shuffled_order(rng, n) if rng is not None else None
            total_loss = total_correct = 0.0
            for begin in range(0, n, batch_size):
                rows = None if order is None else order[begin:begin + batch_size]
                X_batch, y_batch = (X, y) if rows is None else (X[rows], y[rows])
                value, correct = train_step(network, loss, optimizer, X_batch, y_batch, l2)
                if not math.isfinite(value):
                    where = f"epoch {epoch}, batch {begin // batch_size}: the loss is {value}"
                    raise diverged(network, where, repr(optimizer))
                total_loss += value * X_batch.shape[0]
                total_correct += correct

            history.loss.append(total_loss / n)
            history.accuracy.append(total_correct / n)
            if validation_data is not None:
                val_output = forward(network.layers, X_val)
                val_loss = loss.value(val_output, y_val)
                if not math.isfinite(val_loss):  # the last step made the weights far too large
                    where = f"epoch {epoch}, validation data: the loss is {val_loss}"
                    raise diverged(network, where, repr(optimizer))
                history.val_loss.append(val_loss)
                history.val_accuracy.append(correct_answers(val_output, y_val) / X_val.shape[0])
            history.seconds.append(time.perf_counter() - start)
            if print_every and epoch % print_every == 0:
                print(progress_line(epoch, history))
    return history


def train_step(
    network: NeuralNetwork, loss: Loss, optimizer: Optimizer, X: np.ndarray, y: np.ndarray,
    l2: float = 0.0,
) -> Tuple[float, int]:
    """One mini-batch of ``fit`` (unchecked): forward pass, loss and dL/dz, backpropagation,
    the L2 term, one optimizer step.

    Returns the batch's loss *before* the update and how many of its rows the network
    got right. When the loss is not finite the update is skipped, so a NaN never
    reaches the weights.
    """
    output = forward(network.layers, X)
    value, delta = loss.delta(network.layers[-1], y)
    if l2:
        value += l2 * network.l2_penalty()
    if not math.isfinite(value):
        return value, 0
    gradients = backpropagate(network.layers, delta)
    if l2:  # d/dW of l2 * 0.5 * sum(W**2) is l2 * W; biases are not penalized
        for layer, grad_weights in zip(network.layers, gradients[::2]):
            grad_weights += l2 * layer.weights
    optimizer.update(network.parameters(), gradients)
    return value, correct_answers(output, y)


def forward(layers: List[Layer], x: np.ndarray) -> np.ndarray:
    """``NeuralNetwork.forward`` without its check of ``x``: for data validated once."""
    for layer in layers:
        x = layer.forward(x)
    return x


def backpropagate(layers: List[Layer], delta: np.ndarray) -> List[np.ndarray]:
    """Every layer's parameter gradients, from ``delta`` = dL/dz of the last layer.

    This is ``NeuralNetwork.gradients`` without its first step, the last activation's
    derivative (the loss's ``delta`` took it), and without its last, dL/dx of the
    data, which nobody needs. Returns ``[dL/dW1, dL/db1, ...]``.
    """
    gradients: List[np.ndarray] = []
    for i in range(len(layers) - 1, -1, -1):
        gradients[:0] = layers[i].parameter_gradients(delta)
        if i > 0:
            delta = layers[i - 1].activation_gradient(layers[i].input_gradient(delta))
    return gradients


def shuffled_order(rng: Any, n: int) -> np.ndarray:
    """A random order of ``range(n)``: ``rng.permutation(n)`` for NumPy generators, and
    for any other object with only ``standard_normal`` (all ``as_rng`` promises), the
    order that sorts ``n`` normal draws, which is just as uniformly random."""
    if hasattr(rng, "permutation"):
        return rng.permutation(n)
    return np.argsort(rng.standard_normal(n), kind="stable")


def check_optimizer(optimizer: Any) -> Optimizer:
    """Require an optimizer *instance* such as ``SGD(0.1)``."""
    return check_instance(optimizer, Optimizer, "optimizer", "SGD(0.1)", "learning_rate")


def progress_line(epoch: int, history: History) -> str:
    """``Epoch e, Loss: ..., Accuracy: ...`` (and validation figures when there are any)."""
    line = f"Epoch {epoch}, Loss: {history.loss[-1]:.4f}, Accuracy: {history.accuracy[-1]:.3f}"
    if history.val_loss:
        line += f", Val loss: {history.val_loss[-1]:.4f}, Val accuracy: {history.val_accuracy[-1]:.3f}"
    return line
