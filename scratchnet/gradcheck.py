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

from ._validation import (
    as_float_array,
    as_same_shape_arrays,
    check_finite,
    check_instance,
    check_layer_input,
    check_nudgeable,
    finite_scalar_function,
)
from .batched import NetworkBatch
from .training import check_data
from .layer import Layer
from .losses import BinaryCrossEntropy, Loss
from .network import NeuralNetwork


def numerical_gradient(f: Callable[[], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of the scalar ``f()`` with respect to the array ``x``.

    ``f`` takes no arguments and reads ``x``, which is nudged in place one entry at
    a time and restored exactly afterwards. ``h`` is the size of the nudge. The
    result has the shape of ``x`` and dtype float64.

    The check fails closed: ``x`` must be a floating-point ndarray (a list or an int
    array could not be nudged), ``h`` a positive number that changes ``x``, and every
    value of ``f`` one finite number; otherwise TypeError or ValueError.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import numerical_gradient
    >>> x = np.array([1.0, 2.0])
    >>> gradient = numerical_gradient(lambda: float(np.sum(x**2)), x)
    >>> np.round(gradient, 6)  # exactly 2 x
    array([2., 4.])
    """
    f, h = finite_scalar_function(f, "f"), check_nudgeable(x, h, "x")
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        original = x[i]
        try:
            x[i] = original + h
            f_plus = f()
            x[i] = original - h
            f_minus = f()
        finally:  # put it back exactly, even when f fails
            x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """Largest element-wise ``|a - n| / max(|a|, |n|)`` (0 where both are 0).

    ``analytic`` and ``numeric`` are arrays of the same shape. It fails closed: a
    NaN or infinite value, or two different shapes, raise ValueError, never a pass.

    Example
    -------
    >>> from scratchnet import relative_error
    >>> f"{relative_error([1.0, 2.0], [1.0, 2.0002]):.1e}"
    '1.0e-04'
    """
    analytic, numeric = as_same_shape_arrays(analytic, numeric, ("analytic", "numeric"))
    scale = np.maximum(np.abs(analytic), np.abs(numeric))
    scale = np.where(scale > 0, scale, 1.0)  # both 0: error 0 (and no 0 / 0)
    ratio = np.abs(analytic / scale - numeric / scale)  # dividing first cannot overflow
    return float(ratio.max(initial=0.0))


def check_layer(
    layer: Layer, x: np.ndarray, grad_output: np.ndarray, h: float = 1e-5
) -> Dict[str, float]:
    """Relative errors of :meth:`Layer.backward <scratchnet.layer.Layer.backward>` for the input,
    the weights and the bias.

    The scalar checked is ``sum(layer.forward(x) * grad_output)``, whose gradient
    with respect to the layer's output is exactly ``grad_output``. ``x`` has shape
    ``(n, input_size)`` and ``grad_output`` shape ``(n, output_size)``; ``x`` is copied, not
    nudged. Returns ``{"input": ..., "weights": ..., "bias": ...}``.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import Layer, Tanh, check_layer
    >>> layer = Layer(3, 2, Tanh(), rng=0, init="xavier")
    >>> rng = np.random.default_rng(1)
    >>> x = rng.standard_normal((4, 3))            # 4 samples, 3 inputs
    >>> grad_output = rng.standard_normal((4, 2))  # dL/d(output)
    >>> errors = check_layer(layer, x, grad_output)
    >>> all(error < 1e-7 for error in errors.values())
    True
    """
    check_instance(layer, Layer, "layer", "Layer(3, 2, Tanh())", "3, 2, Tanh()")
    x = check_layer_input(x, layer.weights).copy()  # a copy: it is nudged in place
    grad_output = as_float_array(grad_output, "grad_output", x.dtype)
    for name, values in [("x", x), ("grad_output", grad_output),
                         ("layer.weights", layer.weights), ("layer.bias", layer.bias)]:
        check_finite(values, name)
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
    loss: Loss | None = None,
    h: float = 1e-5,
) -> Dict[str, float]:
    """Relative error of every parameter's gradient of ``loss(network(x), y)``.

    ``x`` has shape ``(n, inputs)`` and ``y`` the shape of the network's output,
    ``(n, outputs)``; ``loss`` defaults to binary cross-entropy. Keys are
    ``"layers[i].weights"`` and ``"layers[i].bias"``, plus ``"input"``. The
    loss checks ``y`` (as its ``target``).

    Example
    -------
    >>> from scratchnet import NeuralNetwork, Sigmoid, Tanh, xor
    >>> from scratchnet import check_network
    >>> X, y = xor()
    >>> net = NeuralNetwork([2, 3, 1], [Tanh(), Sigmoid()], rng=0,
    ...                     init="xavier")
    >>> errors = check_network(net, X, y)
    >>> list(errors)
    ['layers[0].weights', 'layers[0].bias',
     'layers[1].weights', 'layers[1].bias', 'input']
    >>> max(errors.values()) < 1e-7
    True
    """
    example = "NeuralNetwork([2, 3, 1], [Tanh(), Sigmoid()])"
    check_instance(network, NeuralNetwork, "network", example, "layer_sizes, activations")
    if isinstance(network, NetworkBatch):
        raise TypeError(
            f"network must be one NeuralNetwork, got a NetworkBatch of {network.n_runs} runs "
            "(its loss is one number per run); check a run with batch.network(i)"
        )
    if loss is not None:
        check_instance(loss, Loss, "loss", "MeanSquaredError()")
    for i, layer in enumerate(network.layers):
        check_finite(layer.weights, f"network.layers[{i}].weights")
        check_finite(layer.bias, f"network.layers[{i}].bias")
    loss = loss or BinaryCrossEntropy()
    x, y = check_data(network, x, y, loss, "x")
    x = x.copy()  # a copy: it is nudged in place
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
