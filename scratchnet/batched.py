"""Many networks trained at once: one vectorized computation over a leading *run* axis.

Asking "how often does this configuration learn XOR?" means training the same
architecture from many random starting points. Training them one after another
repeats the same tiny matrix products thousands of times; stacking the runs
turns every weight matrix ``(inputs, units)`` into ``(runs, inputs, units)``, and
NumPy's ``matmul`` multiplies the whole stack in one call.

Run ``r`` of a :class:`NetworkBatch` starts from exactly the weights
``NeuralNetwork(layer_sizes, activations, rng=rngs[r], init=init)`` would draw,
and every step does the same arithmetic, in the same order, as the one-network
path (:func:`~scratchnet.training.train`): the trajectories are equal, number for number.
"""

from __future__ import annotations

from typing import Any, List, Sequence

import numpy as np

from ._validation import as_float_array, check_finite, check_positive_float, check_positive_int
from .activations import Activation
from .init import Init
from .losses import BinaryCrossEntropy, clip_probability
from .network import NeuralNetwork


class NetworkBatch:
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
        rngs = list(rngs)
        if not rngs:
            raise ValueError("rngs must hold at least one random generator or seed, got none")
        networks = [
            NeuralNetwork(layer_sizes, activations, rng=rng, init=init, dtype=dtype)
            for rng in rngs
        ]
        self.activations: List[Activation] = list(activations)
        self.dtype = networks[0].dtype
        n_layers = len(networks[0].layers)
        self.weights = [np.stack([n.layers[i].weights for n in networks]) for i in range(n_layers)]
        self.biases = [np.stack([n.layers[i].bias for n in networks]) for i in range(n_layers)]
        self._inputs: List[np.ndarray] = []
        self._pre_activations: List[np.ndarray] = []
        self._outputs: List[np.ndarray] = []

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
        batches = list(batches)
        if not batches:
            raise ValueError("batches must hold at least one NetworkBatch, got none")
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
        joined.activations = list(first.activations)
        joined.dtype = first.dtype
        joined.weights = [np.concatenate(w) for w in zip(*(b.weights for b in batches))]
        joined.biases = [np.concatenate(b_) for b_ in zip(*(b.biases for b in batches))]
        joined._inputs, joined._pre_activations, joined._outputs = [], [], []
        return joined

    @property
    def n_runs(self) -> int:
        """How many networks the batch holds."""
        return self.weights[0].shape[0]

    @property
    def layer_sizes(self) -> List[int]:
        """The width of every layer, input first, as for ``NeuralNetwork``."""
        return [self.weights[0].shape[1]] + [w.shape[2] for w in self.weights]

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs of every run for the shared inputs ``X``: shape ``(runs, n, outputs)``."""
        X = as_float_array(X, "X", self.dtype)
        if X.ndim != 2 or X.shape[1] != self.layer_sizes[0] or X.shape[0] == 0:
            raise ValueError(
                f"X must have shape (n_samples, {self.layer_sizes[0]}) with n_samples >= 1, "
                f"got {X.shape}"
            )
        check_finite(X, "X")
        return self._forward(X)

    def _forward(self, X: np.ndarray) -> np.ndarray:
        self._inputs, self._pre_activations, self._outputs = [], [], []
        current = X
        for weights, bias, activation in zip(self.weights, self.biases, self.activations):
            self._inputs.append(current)
            z = current @ weights + bias
            current = activation.forward(z)
            self._pre_activations.append(z)
            self._outputs.append(current)
        return current

    def _gradients(self, grad_output: np.ndarray) -> List[np.ndarray]:
        """Backpropagation for every run at once; the same steps as ``Layer.backward``."""
        gradients: List[np.ndarray] = []
        current = grad_output
        for layer in reversed(range(len(self.weights))):
            activation = self.activations[layer]
            z, output = self._pre_activations[layer], self._outputs[layer]
            grad_z = current * activation.derivative(z, output)
            grad_weights = np.swapaxes(self._inputs[layer], -1, -2) @ grad_z
            grad_bias = sum_over_samples(grad_z)
            if layer > 0:  # the inputs X need no gradient
                current = grad_z @ np.swapaxes(self.weights[layer], -1, -2)
            gradients[:0] = (grad_weights, grad_bias)
        return gradients

    def parameters(self) -> List[np.ndarray]:
        """The stacked arrays in the order ``[W1, b1, W2, b2, ...]``."""
        return [p for pair in zip(self.weights, self.biases) for p in pair]

    def network(self, run: int) -> NeuralNetwork:
        """Run ``run`` as an ordinary :class:`NeuralNetwork` (a copy of its weights)."""
        if not 0 <= run < self.n_runs:
            raise IndexError(f"run must be in [0, {self.n_runs}), got {run}")
        net = NeuralNetwork(self.layer_sizes, self.activations, rng=0, dtype=self.dtype)
        for layer, weights, bias in zip(net.layers, self.weights, self.biases):
            layer.weights[...] = weights[run]
            layer.bias[...] = bias[run]
        return net


def sum_over_samples(values: np.ndarray) -> np.ndarray:
    """``np.sum(values, axis=-2, keepdims=True)``, the same numbers, faster for small batches.

    NumPy sums fewer than 8 numbers strictly left to right, as this loop does, so
    for XOR's 4 samples the result is bit for bit the one-network ``np.sum``; the loop
    avoids NumPy's slow reduction over a middle axis of a stack of tiny matrices.
    """
    n = values.shape[-2]
    if n >= 8:
        return np.sum(values, axis=-2, keepdims=True)
    total = values[..., 0:1, :]
    for i in range(1, n):
        total = total + values[..., i : i + 1, :]
    return total


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
    X, y = check_batch_args(batch, X, y, epochs, learning_rate, loss_every)

    loss = BinaryCrossEntropy()
    parameters = batch.parameters()
    n_records = -(-epochs // loss_every)  # ceil(epochs / loss_every)
    losses = np.empty((n_records, batch.n_runs))
    for epoch in range(epochs):
        # Forward pass of every run (clipped once here rather than twice below)
        output = clip_probability(batch._forward(X))
        if epoch % loss_every == 0:
            per_run = loss.elementwise(output, y).sum(axis=(1, 2))
            losses[epoch // loss_every] = per_run / y.size

        # Backward pass and one gradient-descent step, for all runs at once
        gradients = batch._gradients(loss.gradient(output, y, y.size))
        for parameter, gradient in zip(parameters, gradients):
            parameter -= learning_rate * gradient
    return losses


def check_batch_args(
    batch: NetworkBatch,
    X: np.ndarray,
    y: np.ndarray,
    epochs: int,
    learning_rate: float,
    loss_every: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Validate the arguments of :func:`train_batch`; return ``X`` and ``y`` as float arrays."""
    X = as_float_array(X, "X", batch.dtype)
    batch.forward(X)  # validates X
    y = as_float_array(y, "y", batch.dtype)
    expected = (X.shape[0], batch.layer_sizes[-1])
    if y.shape != expected:
        raise ValueError(f"y must have shape {expected}, got shape {y.shape}")
    check_finite(y, "y")
    check_positive_int(epochs, "epochs")
    check_positive_float(learning_rate, "learning_rate")
    check_positive_int(loss_every, "loss_every")
    return X, y


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
    return np.all((outputs > threshold) == (y > threshold), axis=(1, 2))
