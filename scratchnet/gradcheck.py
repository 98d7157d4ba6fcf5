"""Numerical gradient checking: is backpropagation right?

Backpropagation is easy to get subtly wrong, and a wrong gradient still trains a
little, so bugs hide. The cure (CS231n, "Gradient checks") is to compare the
analytic gradient with a numerical one from *central differences*:

``df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2 h)``

whose error shrinks like ``h**2``, and to measure the disagreement by the
*relative error* ``|a - n| / max(|a|, |n|)``. In float64 a correct gradient gives
about 1e-7 or less; 1e-2 or more means a bug.
"""

from __future__ import annotations

from typing import Callable, Dict

import numpy as np

from .layer import Layer
from .losses import BinaryCrossEntropy
from .network import NeuralNetwork


def numerical_gradient(f: Callable[[], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of the scalar ``f()`` with respect to the array ``x``.

    ``f`` takes no arguments and reads ``x``, which is nudged in place one entry at
    a time and restored exactly afterwards.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + h
        f_plus = f()
        x[i] = original - h
        f_minus = f()
        x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """Largest element-wise ``|a - n| / max(|a|, |n|)`` (0 where both are 0)."""
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = np.asarray(numeric, dtype=np.float64)
    scale = np.maximum(np.abs(analytic), np.abs(numeric))
    diff = np.abs(analytic - numeric)
    ratio = np.divide(diff, scale, out=np.zeros_like(diff), where=scale > 0)
    return float(ratio.max(initial=0.0))


def check_layer(
    layer: Layer, x: np.ndarray, grad_output: np.ndarray, h: float = 1e-5
) -> Dict[str, float]:
    """Relative errors of ``Layer.backward`` for the input, the weights and the bias.

    The scalar checked is ``sum(layer.forward(x) * grad_output)``, whose gradient
    with respect to the layer's output is exactly ``grad_output``.
    """
    layer.forward(x)
    grad_input, grad_weights, grad_bias = layer.backward(grad_output)

    def f() -> float:
        return float(np.sum(layer.forward(x) * grad_output))

    return {
        "input": relative_error(grad_input, numerical_gradient(f, x, h)),
        "weights": relative_error(grad_weights, numerical_gradient(f, layer.weights, h)),
        "bias": relative_error(grad_bias, numerical_gradient(f, layer.bias, h)),
    }


def check_network(
    network: NeuralNetwork,
    x: np.ndarray,
    y: np.ndarray,
    loss: BinaryCrossEntropy | None = None,
    h: float = 1e-5,
) -> Dict[str, float]:
    """Relative error of every parameter's gradient of ``loss(network(x), y)``.

    Keys are ``"layers[i].weights"`` and ``"layers[i].bias"``, plus ``"input"``.
    """
    loss = loss or BinaryCrossEntropy()
    x = np.array(x, dtype=network.dtype)
    output = network.forward(x)
    gradients, grad_input = network.gradients(loss.backward(output, y))

    def f() -> float:
        return loss.forward(network.forward(x), y)

    names = [f"layers[{i}].{p}" for i in range(len(network.layers)) for p in ("weights", "bias")]
    errors = {
        name: relative_error(grad, numerical_gradient(f, param, h))
        for name, param, grad in zip(names, network.parameters(), gradients)
    }
    errors["input"] = relative_error(grad_input, numerical_gradient(f, x, h))
    return errors
