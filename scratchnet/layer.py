"""A fully connected layer and its backward pass."""

from __future__ import annotations

from typing import Any, Tuple

import numpy as np

from ._validation import as_float_array, check_batch, check_positive_int
from .activations import Activation
from .init import Init, as_rng, initial_weights


def check_float_dtype(dtype: Any) -> np.dtype:
    """Accept float32 or float64 (the dtypes BLAS multiplies fast)."""
    dt = np.dtype(dtype)
    if dt not in (np.float32, np.float64):
        raise TypeError(f"dtype must be float32 or float64, got {dt}")
    return dt


def check_activation(activation: Any, name: str = "activation") -> Activation:
    """Require an activation *instance* such as ``ReLU()``."""
    if isinstance(activation, type) and issubclass(activation, Activation):
        raise TypeError(
            f"{name} must be an Activation instance, got the class {activation.__name__}; "
            f"write {activation.__name__}() with parentheses"
        )
    if not isinstance(activation, Activation):
        raise TypeError(
            f"{name} must be an Activation instance such as ReLU(), got {activation!r}"
        )
    return activation


class Layer:
    """Neural network layer implementation

    One fully connected layer: ``output = activation(x @ weights + bias)``.

    Shapes, batch first: ``x`` is ``(n, input_size)``, ``weights`` is
    ``(input_size, output_size)``, ``bias`` is ``(1, output_size)`` and the output is
    ``(n, output_size)``. ``forward`` keeps what ``backward`` needs: the input and
    the pre-activation ``z = x @ weights + bias``.

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
        self.activation = check_activation(activation)
        dtype = check_float_dtype(dtype)
        self.weights = initial_weights(input_size, output_size, init, as_rng(rng), dtype)
        self.bias = np.zeros((1, output_size), dtype=dtype)

        # Cache for backpropagation
        self.input: np.ndarray | None = None
        self.activation_input: np.ndarray | None = None
        self.output: np.ndarray | None = None

    @property
    def input_size(self) -> int:
        return self.weights.shape[0]

    @property
    def output_size(self) -> int:
        return self.weights.shape[1]

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Forward pass through the layer: ``activation(x @ weights + bias)``."""
        if not (isinstance(x, np.ndarray) and x.dtype == self.weights.dtype):
            x = as_float_array(x, "x", self.weights.dtype)
        check_batch(x, "x", self.input_size)
        self.input = x
        self.activation_input = x @ self.weights + self.bias
        self.output = self.activation.forward(self.activation_input)
        return self.output

    def backward(
        self, grad_output: np.ndarray, input_gradient: bool = True
    ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Backward pass through the layer.

        ``grad_output`` is dL/d(output), shape ``(n, output_size)``. With
        ``z = x @ W + b`` and ``output = f(z)`` the chain rule gives

        * dL/dz = dL/d(output) * f'(z)          (element by element)
        * dL/dW = x.T @ dL/dz                   (sums over the batch)
        * dL/db = dL/dz summed over the batch
        * dL/dx = dL/dz @ W.T                   (passed on to the layer below)

        Returns ``(grad_input, grad_weights, grad_bias)``; the weights are not changed.
        """
        if self.activation_input is None:
            raise RuntimeError("Layer.backward called before forward: there is no cached input")
        if grad_output.shape != self.activation_input.shape:
            raise ValueError(
                f"grad_output must have shape {self.activation_input.shape} "
                f"(the last forward's output), got {grad_output.shape}"
            )
        # Gradient of activation
        grad_activation = grad_output * self.activation.backward(self.activation_input)
        return self.backward_linear(grad_activation, input_gradient)

    def backward_linear(
        self, grad_activation: np.ndarray, input_gradient: bool = True
    ) -> Tuple[np.ndarray | None, np.ndarray, np.ndarray]:
        """The rest of the backward pass, from dL/dz (``grad_activation``) on.

        Called directly when a loss hands over dL/dz itself, fused with the output
        activation (sigmoid with binary cross-entropy, softmax with cross-entropy).
        With ``input_gradient=False`` the first layer skips dL/dx, which nobody needs.
        """
        # Gradients of weights and bias
        grad_weights = self.input.T @ grad_activation
        grad_bias = grad_activation.sum(axis=0, keepdims=True)

        # Gradient for next layer
        grad_input = grad_activation @ self.weights.T if input_gradient else None

        return grad_input, grad_weights, grad_bias

    def __repr__(self) -> str:
        return f"Layer({self.input_size}, {self.output_size}, {self.activation!r})"
