"""A network: layers applied one after another, trained by backpropagation."""

from __future__ import annotations

from typing import Any, List, Sequence, Tuple

import numpy as np

from ._validation import (
    as_float_array,
    check_activations,
    check_batch,
    check_finite,
    check_finite_number,
    check_float_dtype,
    check_instance,
    check_layer_sizes,
    check_positive_float,
)
from .activations import Activation
from .init import Init, as_rng
from .layer import Layer


class NeuralNetwork:
    """Simple neural network implementation

    ``layer_sizes`` lists the width of every layer, input first: ``[2, 4, 1]`` is
    2 inputs, 4 hidden units and 1 output. ``activations`` has one entry per layer
    after the input. All layers draw their initial weights, in order, from the
    same ``rng``, so ``rng=np.random.RandomState(42)`` draws exactly the initial
    weights of the chapter's ``np.random.seed(42)`` run. (Its training then agrees
    with the chapter's to rounding: the stable sigmoid and the clipped loss round
    differently from the chapter's formulas.)

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import NeuralNetwork, ReLU, Sigmoid
    >>> net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()],
    ...                     rng=np.random.RandomState(42))
    >>> net.forward(np.array([[0.0, 1.0]])).shape
    (1, 1)
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activations: Sequence[Activation],
        rng: Any = None,
        init: Init = "seed",
        dtype: Any = np.float64,
    ) -> None:
        sizes = check_layer_sizes(layer_sizes)
        check_activations(activations, len(sizes) - 1)
        self.dtype = check_float_dtype(dtype)
        rng = as_rng(rng)

        self.layers: List[Layer] = []
        for i in range(len(sizes) - 1):
            layer = Layer(sizes[i], sizes[i + 1], activations[i], rng=rng, init=init, dtype=self.dtype)
            self.layers.append(layer)

    @property
    def layer_sizes(self) -> List[int]:
        return [self.layers[0].input_size] + [layer.output_size for layer in self.layers]

    def parameters(self) -> List[np.ndarray]:
        """Every trainable array, in the order ``[W1, b1, W2, b2, ...]``."""
        return [p for layer in self.layers for p in (layer.weights, layer.bias)]

    def check_input(self, x: Any, name: str = "x") -> np.ndarray:
        """Validate a batch of inputs and return it in the network's dtype."""
        x = as_float_array(x, name, self.dtype)
        check_batch(x, name, self.layers[0].input_size)
        check_finite(x, name)
        return x

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Forward pass through the network: each layer's output is the next one's input."""
        current_input = self.check_input(x)
        for layer in self.layers:
            current_input = layer.forward(current_input)
        return current_input

    def backward(self, grad_output: np.ndarray, learning_rate: float = 0.01) -> None:
        """Backward pass through the network, then one gradient-descent step.

        This is the chapter's method: backpropagate ``grad_output`` = dL/d(output)
        with ``gradients``, then move every weight and bias against its gradient,
        ``parameter -= learning_rate * gradient``.
        """
        learning_rate = check_positive_float(learning_rate, "learning_rate")
        gradients, _ = self.gradients(grad_output)
        for parameter, gradient in zip(self.parameters(), gradients):
            parameter -= learning_rate * gradient

    def gradients(self, grad_output: np.ndarray) -> Tuple[List[np.ndarray], np.ndarray]:
        """Backpropagation: ``grad_output`` = dL/d(output) through every layer, last first.

        Each layer turns the gradient of its output into the gradients of its weights
        and bias and the gradient of its input, which is the gradient of the output of
        the layer below. Returns the parameter gradients in the order of
        ``parameters()``, and dL/dx for the network's input. Nothing is updated.
        Like ``Layer.backward`` it needs a ``forward`` first (``RuntimeError`` otherwise).
        """
        check_finite(grad_output, "grad_output")  # a NaN here would reach every gradient
        gradients: List[np.ndarray] = []
        for layer in reversed(self.layers):
            grad_output, grad_weights, grad_bias = layer.backward(grad_output)
            gradients[:0] = [grad_weights, grad_bias]
        return gradients, grad_output

    def l2_penalty(self) -> float:
        """Half the sum of all squared weights (biases excluded): the L2 term of the loss."""
        return 0.5 * sum(float(np.vdot(layer.weights, layer.weights)) for layer in self.layers)

    def predict(self, x: np.ndarray, threshold: float = 0.5) -> np.ndarray:
        """Class predictions of a sigmoid output: 1 where the output exceeds ``threshold``."""
        threshold = check_finite_number(threshold, "threshold")
        return (self.forward(x) > threshold).astype(np.int64)

    def __repr__(self) -> str:
        acts = ", ".join(repr(layer.activation) for layer in self.layers)
        return f"NeuralNetwork({self.layer_sizes}, [{acts}])"


def count_parameters(network: NeuralNetwork) -> int:
    """Number of trainable numbers in ``network``.

    Example
    -------
    >>> from scratchnet import NeuralNetwork, ReLU, Sigmoid, count_parameters
    >>> net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=0)
    >>> count_parameters(net)  # (2 * 4 + 4) + (4 * 1 + 1)
    17
    """
    check_instance(network, NeuralNetwork, "network")
    return sum(p.size for p in network.parameters())

