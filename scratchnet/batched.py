"""Many networks trained at once: one vectorized computation over a leading *run* axis.

Asking "how often does this configuration learn XOR?" means training the same
architecture from many random starting points. Training them one after another
repeats the same tiny matrix products thousands of times; stacking the runs
turns every weight matrix ``(inputs, units)`` into ``(runs, inputs, units)``, and
NumPy's ``matmul`` multiplies the whole stack in one call. The layers are ordinary
:class:`~scratchnet.layer.Layer` objects holding stacked weights: every formula of the
forward and backward pass is the one-network code, applied to every run.

Run ``r`` of a :class:`NetworkBatch` starts from exactly the weights
``NeuralNetwork(layer_sizes, activations, rng=rngs[r], init=init)`` would draw,
and every step does the same arithmetic, in the same order, as the one-network
path (:func:`~scratchnet.training.train`): the trajectories are equal, number for number.
"""

from __future__ import annotations

import copy
from typing import Any, List, Sequence

import numpy as np

from ._validation import (
    as_float_array, check_finite_number, check_instance, check_integer, check_positive_float,
    check_positive_int,
)
from .activations import Activation
from .init import Init
from .losses import BinaryCrossEntropy
from .network import NeuralNetwork
from .fitting import backpropagate, forward
from .optimizers import SGD
from .training import check_data, diverged


class NetworkBatch(NeuralNetwork):
    """``len(rngs)`` independent networks of one architecture, stored as stacked arrays.

    ``weights[l]`` has shape ``(runs, layer_sizes[l], layer_sizes[l + 1])`` and
    ``biases[l]`` has shape ``(runs, 1, layer_sizes[l + 1])``. Inputs ``X`` of shape
    ``(n, inputs)`` are shared by all runs; outputs have shape ``(runs, n, outputs)``.

    ``layer_sizes``, ``activations``, ``init`` and ``dtype`` mean what they mean for
    :class:`~scratchnet.network.NeuralNetwork`; ``rngs`` holds one random generator
    or seed per run.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import NetworkBatch, ReLU, Sigmoid, xor
    >>> batch = NetworkBatch([2, 4, 1], [ReLU(), Sigmoid()], rngs=range(10))
    >>> X, y = xor()
    >>> batch.forward(X).shape
    (10, 4, 1)
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activations: Sequence[Activation],
        rngs: Sequence[Any],
        init: Init = "seed",
        dtype: Any = np.float64,
    ) -> None:
        if isinstance(rngs, (str, bytes)) or not hasattr(rngs, "__iter__"):
            raise TypeError(f"rngs must be a sequence of seeds or generators, one per run "
                            f"(such as range(100)), got {rngs!r}")
        rngs = list(rngs)
        if not rngs:
            raise ValueError("rngs must hold at least one random generator or seed, got none")
        networks = [
            NeuralNetwork(layer_sizes, activations, rng=rng, init=init, dtype=dtype)
            for rng in rngs
        ]
        self.dtype = networks[0].dtype
        self.layers = networks[0].layers
        for i, layer in enumerate(self.layers):
            layer.weights = np.stack([net.layers[i].weights for net in networks])
            layer.bias = np.stack([net.layers[i].bias for net in networks])

    @classmethod
    def concatenate(cls, batches: Sequence["NetworkBatch"]) -> "NetworkBatch":
        """One batch holding the runs of ``batches`` one after another.

        The batches must share layer sizes, activations and dtype; they may differ
        in initialization. Runs never interact, so each run trains exactly as it
        would in its own batch.

        Example
        -------
        >>> from scratchnet import NetworkBatch, ReLU, Sigmoid
        >>> sizes, activations = [2, 4, 1], [ReLU(), Sigmoid()]
        >>> seed = NetworkBatch(sizes, activations, rngs=range(3))
        >>> he = NetworkBatch(sizes, activations, rngs=range(3), init="he")
        >>> NetworkBatch.concatenate([seed, he]).n_runs
        6
        """
        if not isinstance(batches, (list, tuple)):
            raise TypeError(f"batches must be a list of NetworkBatch, got {type(batches).__name__}")
        batches = list(batches)
        if not batches:
            raise ValueError("batches must hold at least one NetworkBatch, got none")
        for i, batch in enumerate(batches):
            check_instance(batch, NetworkBatch, f"batches[{i}]")
        first = batches[0]
        for other in batches[1:]:
            if (other.layer_sizes, other.activations, other.dtype) != (
                first.layer_sizes, first.activations, first.dtype
            ):
                raise ValueError(
                    "batches must share layer sizes, activations and dtype, got "
                    f"{first.layer_sizes} {first.activations} {first.dtype} and "
                    f"{other.layer_sizes} {other.activations} {other.dtype}"
                )
        joined = cls.__new__(cls)
        joined.dtype = first.dtype
        joined.layers = [copy.copy(layer) for layer in first.layers]
        for i, layer in enumerate(joined.layers):
            layer.weights = np.concatenate([batch.layers[i].weights for batch in batches])
            layer.bias = np.concatenate([batch.layers[i].bias for batch in batches])
        return joined

    @property
    def n_runs(self) -> int:
        """How many networks the batch holds."""
        return self.layers[0].weights.shape[0]

    @property
    def activations(self) -> List[Activation]:
        """The activation of every layer, shared by all runs."""
        return [layer.activation for layer in self.layers]

    @property
    def weights(self) -> List[np.ndarray]:
        """Each layer's stacked weights, shape ``(runs, inputs, units)``."""
        return [layer.weights for layer in self.layers]

    @property
    def biases(self) -> List[np.ndarray]:
        """Each layer's stacked biases, shape ``(runs, 1, units)``."""
        return [layer.bias for layer in self.layers]

    def network(self, run: int) -> NeuralNetwork:
        """Run ``run`` as an ordinary :class:`NeuralNetwork` (a copy of its weights)."""
        run = check_integer(run, "run", "an integer index")
        if not 0 <= run < self.n_runs:
            raise ValueError(f"run must be an index in [0, {self.n_runs}), got {run}")
        net = NeuralNetwork(self.layer_sizes, self.activations, rng=0, dtype=self.dtype)
        for layer, stacked in zip(net.layers, self.layers):
            layer.weights[...] = stacked.weights[run]
            layer.bias[...] = stacked.bias[run]
        return net

    def __repr__(self) -> str:
        return f"NetworkBatch({self.layer_sizes}, {self.activations}, runs={self.n_runs})"


def train_batch(
    batch: NetworkBatch,
    X: np.ndarray,
    y: np.ndarray,
    epochs: int = 10000,
    learning_rate: float = 0.1,
    loss_every: int = 1,
) -> np.ndarray:
    """Train every run of ``batch`` with the chapter's loop (binary cross-entropy, plain
    gradient descent on the full batch).

    ``X`` of shape ``(n, inputs)`` is shared by all runs and ``y`` of shape
    ``(n, outputs)`` holds the 0/1 targets. Returns the losses of epochs
    ``0, loss_every, 2 * loss_every, ...``, shape ``(ceil(epochs / loss_every), runs)``;
    a larger ``loss_every`` saves the time of computing losses nobody reads.

    Example
    -------
    >>> from scratchnet import NetworkBatch, Sigmoid, Tanh, xor
    >>> from scratchnet import learned, train_batch
    >>> X, y = xor()
    >>> batch = NetworkBatch([2, 4, 1], [Tanh(), Sigmoid()], rngs=range(8),
    ...                      init="xavier")
    >>> losses = train_batch(batch, X, y, epochs=2000, learning_rate=0.5,
    ...                      loss_every=100)
    >>> losses.shape
    (20, 8)
    >>> int(learned(batch.forward(X), y).sum())  # runs that learned XOR
    8
    """
    check_instance(batch, NetworkBatch, "batch")
    loss = BinaryCrossEntropy()
    X, y = check_data(batch, X, y, loss, network_name="batch")
    epochs = check_positive_int(epochs, "epochs")
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    loss_every = check_positive_int(loss_every, "loss_every")

    n_records = -(-epochs // loss_every)  # ceil(epochs / loss_every)
    losses = np.empty((n_records, batch.n_runs))
    optimizer, last = SGD(learning_rate), batch.layers[-1]
    step = f"learning_rate={learning_rate}"
    # Overflow shows up as a non-finite loss at the next record (or in the weights at
    # the end), reported with the runs it hit, instead of as NumPy warnings.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(epochs):
            output = forward(batch.layers, X)  # every run at once: (runs, n, outputs)
            if epoch % loss_every == 0:
                record = losses[epoch // loss_every] = loss.value(output, y)
                if not np.isfinite(record).all():
                    raise diverged(batch, f"epoch {epoch}: the loss of {runs_of(record)} "
                                   "is no longer finite", step)
            # the chapter's backward pass, without dL/dx of the data
            delta = last.activation_gradient(loss.gradient(output, y))
            optimizer.update(batch.parameters(), backpropagate(batch.layers, delta))
        for parameter in batch.parameters():
            finite = np.isfinite(parameter).all(axis=(-2, -1))
            if not finite.all():
                raise diverged(batch, f"the last {epochs} epochs: the weights of "
                               f"{runs_of(finite)} are no longer finite", step)
    return losses


def runs_of(finite_per_run: np.ndarray) -> str:
    """``"runs 3, 17 and 40"``: the runs whose value is not finite (at most 5 named)."""
    bad = np.flatnonzero(~np.isfinite(finite_per_run) if finite_per_run.dtype.kind == "f"
                         else ~finite_per_run)
    named = [str(r) for r in bad[:5]] + ([f"{bad.size - 5} more"] if bad.size > 5 else [])
    listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
    return f"run{'s' if bad.size > 1 else ''} {listed}"


def learned(outputs: np.ndarray, y: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Which runs put *every* output on the right side of ``threshold``.

    ``outputs`` has shape ``(runs, n, k)`` and ``y`` (0/1 targets) ``(n, k)``;
    returns a boolean array of shape ``(runs,)``.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import learned, xor
    >>> X, y = xor()  # targets 0, 1, 1, 0
    >>> outputs = np.array([[[0.1], [0.9], [0.8], [0.2]],   # run 0: all right
    ...                     [[0.6], [0.9], [0.8], [0.2]]])  # run 1: not
    >>> learned(outputs, y)
    array([ True, False])
    """
    outputs, y = as_float_array(outputs, "outputs"), as_float_array(y, "y")
    if outputs.ndim != 3 or outputs.shape[1:] != y.shape:
        raise ValueError(f"outputs must have shape (runs, {', '.join(map(str, y.shape))}) "
                         f"(one y-shaped output per run), got {outputs.shape}")
    threshold = check_finite_number(threshold, "threshold")
    return np.all((outputs > threshold) == (y > threshold), axis=(1, 2))
