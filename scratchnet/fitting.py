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

from ._validation import as_float_array, check_finite, check_positive_int
from .activations import Identity, Sigmoid
from .init import as_rng
from .losses import BinaryCrossEntropy, MeanSquaredError, SoftmaxCrossEntropy, check_probabilities
from .metrics import accuracy
from .network import NeuralNetwork
from .optimizers import SGD, Optimizer
from .trainstep import TrainStep

Loss = Any  # BinaryCrossEntropy | SoftmaxCrossEntropy | MeanSquaredError


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
    ``optimizer`` step (all of it done by a :class:`~scratchnet.trainstep.TrainStep`,
    which reuses its arrays from batch to batch). With ``print_every``, prints progress
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
    if not isinstance(network, NeuralNetwork):
        raise TypeError(f"network must be a NeuralNetwork, got {network!r}")
    loss = BinaryCrossEntropy() if loss is None else loss
    optimizer = SGD(0.01) if optimizer is None else check_optimizer(optimizer)
    X, y = check_fit_data(network, X, y, loss, "X", "y")
    if validation_data is not None:
        if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):
            raise TypeError(
                f"validation_data must be a pair (X_val, y_val), got {type(validation_data).__name__}"
                + (f" of length {len(validation_data)}" if isinstance(validation_data, (tuple, list)) else "")
            )
        X_val, y_val = check_fit_data(network, *validation_data, loss, "X_val", "y_val")
    epochs = check_positive_int(epochs, "epochs")
    n = X.shape[0]
    batch_size = n if batch_size is None else check_positive_int(batch_size, "batch_size")
    if batch_size > n:
        raise ValueError(f"batch_size must be at most the number of samples ({n}), got {batch_size}")
    if print_every is not None:
        print_every = check_positive_int(print_every, "print_every")
    if isinstance(l2, (bool, np.bool_)) or not isinstance(l2, (int, float, np.integer, np.floating)):
        raise TypeError(f"l2 must be a number >= 0, got {l2!r}")
    if not (np.isfinite(l2) and l2 >= 0):
        raise ValueError(f"l2 must be a finite number >= 0, got {l2!r}")
    l2 = float(l2)
    rng = as_rng(rng) if batch_size < n else None
    step = TrainStep(network, loss, optimizer, X, y, batch_size, l2)

    history = History()
    start = time.perf_counter()
    # Overflow shows up as a non-finite loss, reported with the epoch and the likely
    # cause (see `diverged`), instead of as NumPy warnings followed by NaN weights.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(epochs):
            order = shuffled_order(rng, n) if rng is not None else None
            total_loss = total_correct = 0.0
            for begin in range(0, n, batch_size):
                value, correct = step(None if order is None else order[begin:begin + batch_size])
                if not math.isfinite(value):
                    raise diverged(network, optimizer, epoch, begin // batch_size, value)
                total_loss += value * min(batch_size, n - begin)
                total_correct += correct

            history.loss.append(total_loss / n)
            history.accuracy.append(total_correct / n)
            if validation_data is not None:
                val_output = network.forward(X_val)
                history.val_loss.append(loss.value_and_gradient(val_output, y_val)[0])
                history.val_accuracy.append(accuracy(val_output, y_val))
            history.seconds.append(time.perf_counter() - start)
            if print_every and epoch % print_every == 0:
                print(progress_line(epoch, history))
    return history


def shuffled_order(rng: Any, n: int) -> np.ndarray:
    """A random order of ``range(n)``: ``rng.permutation(n)`` for NumPy generators, and
    for any other object with only ``standard_normal`` (all ``as_rng`` promises), the
    order that sorts ``n`` normal draws, which is just as uniformly random."""
    if hasattr(rng, "permutation"):
        return rng.permutation(n)
    return np.argsort(rng.standard_normal(n), kind="stable")


def diverged(
    network: NeuralNetwork, optimizer: Any, epoch: int, batch: int, value: float
) -> FloatingPointError:
    """The error ``fit`` raises when the loss stops being a finite number.

    It is raised before the update of that batch, and says whether the weights are
    still finite (they are unless an earlier step already overflowed).
    """
    finite = all(np.isfinite(p).all() for p in network.parameters())
    state = (
        "The weights are still finite: the update that would spread the NaN was not made."
        if finite
        else "Some weights are no longer finite: retrain from a fresh network."
    )
    return FloatingPointError(
        f"training diverged in epoch {epoch}, batch {batch}: the loss is {value}. The likely "
        f"cause is a learning rate too large for this problem ({optimizer!r}); try one "
        f"10 times smaller. {state}"
    )


def check_optimizer(optimizer: Any) -> Optimizer:
    """Require an optimizer *instance* such as ``SGD(0.1)``."""
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be an Optimizer instance, got the class {optimizer.__name__}; "
            f"write {optimizer.__name__}(learning_rate) with parentheses"
        )
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an Optimizer such as SGD(0.1), got {optimizer!r}")
    return optimizer


def check_fit_data(
    network: NeuralNetwork, X: Any, y: Any, loss: Loss, x_name: str, y_name: str
) -> Tuple[np.ndarray, np.ndarray]:
    """Validate one ``(X, y)`` pair for ``fit`` and ``loss``; return them as arrays."""
    X = network.check_input(X, x_name)
    n, k = X.shape[0], network.layers[-1].output_size
    if isinstance(loss, SoftmaxCrossEntropy):
        if not isinstance(network.layers[-1].activation, Identity):
            raise ValueError(
                "SoftmaxCrossEntropy expects raw scores: the last activation must be "
                f"Identity(), got {network.layers[-1].activation!r}"
            )
        y_array = np.asarray(y)
        if y_array.ndim == 1 and y_array.dtype.kind in "iu":
            if y_array.shape[0] != n:
                raise ValueError(f"{y_name} must hold {n} labels, one per row of {x_name}, got {y_array.shape[0]}")
            if n and (y_array.min() < 0 or y_array.max() >= k):
                raise ValueError(
                    f"{y_name} labels must be in [0, {k}) for a network with {k} outputs, "
                    f"got labels from {y_array.min()} to {y_array.max()}"
                )
            return X, y_array
    elif isinstance(loss, BinaryCrossEntropy):
        if not isinstance(network.layers[-1].activation, Sigmoid):
            raise ValueError(
                "BinaryCrossEntropy expects probabilities: the last activation must be "
                f"Sigmoid(), got {network.layers[-1].activation!r}"
            )
    elif not isinstance(loss, MeanSquaredError):
        raise TypeError(f"loss must be a scratchnet loss, got {loss!r}")
    y_array = as_float_array(y, y_name, network.dtype)
    if y_array.shape != (n, k):
        raise ValueError(
            f"{y_name} must have shape {(n, k)} (one row per sample of {x_name}, one column "
            f"per output), got shape {y_array.shape}"
        )
    check_finite(y_array, y_name)
    if isinstance(loss, BinaryCrossEntropy):
        check_probabilities(y_array, y_name)
    return X, y_array


def progress_line(epoch: int, history: History) -> str:
    """``Epoch e, Loss: ..., Accuracy: ...`` (and validation figures when there are any)."""
    line = f"Epoch {epoch}, Loss: {history.loss[-1]:.4f}, Accuracy: {history.accuracy[-1]:.3f}"
    if history.val_loss:
        line += f", Val loss: {history.val_loss[-1]:.4f}, Val accuracy: {history.val_accuracy[-1]:.3f}"
    return line
