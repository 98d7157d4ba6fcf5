"""A fully connected layer: its forward pass and the three parts of its backward pass."""

from __future__ import annotations

from typing import Any, Tuple

import numpy as np

from ._validation import check_float_dtype, check_instance, check_layer_input, check_positive_int
from .activations import Activation
from .init import Init, as_rng, initial_weights


class Layer:
    """Neural network layer implementation

    One fully connected layer: ``output = activation(x @ weights + bias)``.

    Shapes, batch first: ``x`` is ``(n, input_size)``, ``weights`` is
    ``(input_size, output_size)``, ``bias`` is ``(1, output_size)`` and the output is
    ``(n, output_size)``. ``forward`` keeps what ``backward`` needs: the input and
    the pre-activation ``z = x @ weights + bias``. Both check the type and shape of
    their argument; like the activations, they pass NaN and infinity on as NaN and
    infinity (``NeuralNetwork.forward`` and the training loops refuse them).

    The same code also trains many networks at once
    (:class:`~scratchnet.batched.NetworkBatch`): with a stack of weights
    ``(runs, input_size, output_size)`` every array gains a leading *run* axis and
    each formula below applies to every run.

    Parameters
    ----------
    input_size, output_size:
        Number of inputs and of units.
    activation:
        An :class:`~scratchnet.activations.Activation` instance, e.g. ``ReLU()``.
    rng:
        Source of the initial weights (see :func:`scratchnet.init.as_rng`).
    init:
        Weight initialization scheme (see :mod:`scratchnet.init`); ``"seed"`` is the
        chapter's ``randn * 0.01``.
    dtype:
        ``float64`` (default) or ``float32``; weights, activations and gradients keep it.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import Layer, ReLU
    >>> layer = Layer(2, 3, ReLU(), rng=np.random.default_rng(0))
    >>> layer.forward(np.ones((4, 2))).shape
    (4, 3)
    """

    def __init__(
        self,
        input_size: int,
        output_size: int,
        activation: Activation,
        rng: Any = None,
        init: Init = "seed",
        dtype: Any = np.float64,
    ) -> None:
        input_size = check_positive_int(input_size, "input_size")
        output_size = check_positive_int(output_size, "output_size")
        self.activation = check_instance(activation, Activation, "activation", "ReLU()")
        dtype = check_float_dtype(dtype)
        self.weights = initial_weights(input_size, output_size, init, as_rng(rng), dtype)
        self.bias = np.zeros((1, output_size), dtype=dtype)

        # Cache for backpropagation
        self.input: np.ndarray | None = None
        self.activation_input: np.ndarray | None = None
        self.output: np.ndarray | None = None

    @property
    def input_size(self) -> int:
        return self.weights.shape[-2]

    @property
    def output_size(self) -> int:
        return self.weights.shape[-1]

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Forward pass through the layer: ``activation(x @ weights + bias)``."""
        x = self.input = check_layer_input(x, self.weights)
        self.activation_input = matmul(x, self.weights) + self.bias
        self.output = self.activation.forward(self.activation_input)
        return self.output

    def backward(self, grad_output: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Backward pass through the layer.

        ``grad_output`` is dL/d(output), shape ``(n, output_size)``. Returns
        ``(grad_input, grad_weights, grad_bias)``: dL/dx for the layer below, and the
        gradients of this layer's parameters. The weights are not changed. It uses what
        the last ``forward`` kept, so it raises ``RuntimeError`` before any ``forward``.
        """
        grad_activation = self.activation_gradient(grad_output)
        grad_weights, grad_bias = self.parameter_gradients(grad_activation)
        return self.input_gradient(grad_activation), grad_weights, grad_bias

    def activation_gradient(self, grad_output: np.ndarray) -> np.ndarray:
        """dL/dz = dL/d(output) * f'(z), element by element: the chain rule through
        the activation ``output = f(z)``."""
        if self.activation_input is None:
            raise RuntimeError("Layer.backward called before forward: there is no cached input")
        if np.shape(grad_output) != self.activation_input.shape:  # no silent broadcast
            raise ValueError(
                f"grad_output must have shape {self.activation_input.shape} "
                f"(the last forward's output), got {np.shape(grad_output)}"
            )
        return grad_output * self.activation.backward(self.activation_input)

    def parameter_gradients(self, grad_activation: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """dL/dW and dL/db from dL/dz (``grad_activation``).

        With ``z = x @ W + b``, each weight ``W[i, j]`` adds ``x[:, i]`` to ``z[:, j]``, so
        dL/dW = x.T @ dL/dz (summing over the batch), and the bias adds 1 to every row,
        so dL/db is dL/dz summed over the batch.
        """
        grad_weights = matmul(transpose(self.input), grad_activation)
        grad_bias = sum_over_samples(grad_activation)
        return grad_weights, grad_bias

    def input_gradient(self, grad_activation: np.ndarray) -> np.ndarray:
        """dL/dx = dL/dz @ W.T: the gradient passed on to the layer below."""
        return matmul(grad_activation, transpose(self.weights))

    def __repr__(self) -> str:
        return f"Layer({self.input_size}, {self.output_size}, {self.activation!r})"


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The matrix product ``a @ b``; for a stack of runs, one product per run.

    For two plain matrices ``ndarray.dot`` computes the same product at a third of the
    fixed cost per call of ``@`` (about 0.3 against 0.9 microseconds), which on XOR's
    tiny arrays is all the time there is.
    """
    return a.dot(b) if a.ndim == 2 and b.ndim == 2 else a @ b


def transpose(matrix: np.ndarray) -> np.ndarray:
    """``matrix.T`` for one matrix; for a stack of them ``(runs, rows, columns)``, each
    matrix transposed (the last two axes swapped)."""
    return matrix.T if matrix.ndim == 2 else np.swapaxes(matrix, -1, -2)


def sum_over_samples(values: np.ndarray) -> np.ndarray:
    """``values`` summed over the batch axis (the one before last), kept as a row.

    For a stack of runs with fewer than 8 samples the rows are added one by one: the
    same numbers as NumPy's sum (which adds fewer than 8 numbers strictly left to
    right), without NumPy's slow reduction over a middle axis of many tiny matrices.
    """
    n = values.shape[-2]
    if values.ndim == 2 or n >= 8:
        return np.add.reduce(values, axis=-2, keepdims=True)
    total = values[..., 0:1, :]
    for i in range(1, n):
        total = total + values[..., i : i + 1, :]
    return total
