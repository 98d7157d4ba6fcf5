"""``TrainStep``: one mini-batch of training, in arrays allocated once.

:func:`~scratchnet.fitting.fit` calls a ``TrainStep`` for every batch. It does what
``network.forward``, ``loss.value_and_gradient``, ``network.gradients`` and
``optimizer.step`` do one after another, with the same arithmetic, in fewer and
cheaper NumPy operations:

* every array the step needs (pre-activations, activations, dL/dz, gradients) is
  allocated once, for the largest batch, and rewritten in place (``out=``); a smaller
  last batch uses the leading rows of the same arrays;
* the bias trick (see :meth:`~scratchnet.network.NeuralNetwork.packed`): each layer's
  input carries an extra column of ones, so ``[x, 1] @ [W; b]`` is the whole linear
  part in one matrix product, and ``[x, 1].T @ dL/dz`` gives ``dL/dW`` and ``dL/db``
  together;
* the loss is fused with the output activation where they cancel (sigmoid with binary
  cross-entropy, raw scores with softmax cross-entropy) and hands over dL/dz;
* for plain SGD the learning rate is multiplied into dL/dz of the last layer, a small
  array: everything after it is linear in it, so the gradients come out as
  ``learning_rate * dL/dW`` and the update is one subtraction over the network's
  parameter vector (see :meth:`~scratchnet.optimizers.Optimizer.fold`);
* ``np.dot`` with ``out=``: for these 2-D products it calls the same BLAS as ``@``, at
  half the fixed cost per call (about 0.5 against 1 microsecond);
* nothing is checked: ``fit`` validated the data once, and the arrays are its own.

On the four XOR samples the arithmetic costs nothing and each NumPy call about a
microsecond, so the number of calls is the time; on large batches the matrix
products dominate, and avoiding temporaries is what counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

import numpy as np

from .activations import Identity, ReLU, Sigmoid
from .losses import BinaryCrossEntropy, SoftmaxCrossEntropy
from .network import NeuralNetwork


@dataclass
class Arrays:
    """The step's arrays for batches of one size: leading rows of the allocated ones.

    Per layer ``i``: ``inputs[i]`` is its input with a column of ones, ``[x, 1]``
    (``inputs_t[i]`` its transpose), ``z[i]`` its pre-activation ``[x, 1] @ [W; b]``,
    ``mask[i]`` is 1.0 where ``z[i] > 0`` and 0.0 elsewhere (for ReLU) and ``delta[i]`` dL/dz. ``outputs[i]``
    is where layer ``i``'s activation goes: the input columns of layer ``i + 1``.
    """

    inputs: List[np.ndarray]
    inputs_t: List[np.ndarray]
    outputs: List[np.ndarray]
    z: List[np.ndarray]
    mask: List[np.ndarray]
    delta: List[np.ndarray]
    work: np.ndarray
    right: np.ndarray
    rows: np.ndarray

    def head(self, m: int) -> "Arrays":
        """The same arrays, cut to their first ``m`` rows."""
        inputs = [x[:m] for x in self.inputs]
        return Arrays(
            inputs, [x.T for x in inputs], [x[:, :-1] for x in inputs[1:]],
            *([a[:m] for a in arrays] for arrays in (self.z, self.mask, self.delta)),
            self.work[:m], self.right[:m], self.rows[:m],
        )


class TrainStep:
    """Forward pass, loss, backpropagation and optimizer step for one batch of ``(X, y)``.

    ``step(rows)`` trains on the rows ``rows`` of ``X`` and ``y`` (an index array; all
    of them when ``None``) and returns ``(loss, correct)``: the batch's mean loss
    *before* the update, including ``l2`` times the network's L2 penalty, and how many
    of its rows the network got right, as :func:`~scratchnet.metrics.accuracy` counts
    them. When the loss is not finite the update is skipped.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import SGD, BinaryCrossEntropy, NeuralNetwork, ReLU, Sigmoid, xor
    >>> from scratchnet.trainstep import TrainStep
    >>> X, y = xor()
    >>> net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()],
    ...                     rng=np.random.RandomState(42))
    >>> step = TrainStep(net, BinaryCrossEntropy(), SGD(0.1), X, y, batch_size=4)
    >>> loss, correct = step()  # one full-batch epoch: the loss before the update
    >>> round(loss, 6), correct
    (0.693149, 2)
    """

    def __init__(
        self,
        network: NeuralNetwork,
        loss: Any,
        optimizer: Any,
        X: np.ndarray,
        y: np.ndarray,
        batch_size: int,
        l2: float = 0.0,
    ) -> None:
        self.network, self.loss, self.optimizer, self.l2 = network, loss, optimizer, l2
        self.layers = network.layers
        self.vector, self.blocks = network.packed()
        self.weights_t = [block[:-1].T for block in self.blocks]
        self.scale = optimizer.fold()
        last = self.layers[-1].activation
        if isinstance(loss, BinaryCrossEntropy) and isinstance(last, Sigmoid):
            self.fused = "sigmoid_bce"
        elif isinstance(loss, SoftmaxCrossEntropy):
            self.fused = "softmax_ce"
        else:
            self.fused = ""
        self.output_is_z = bool(self.fused) or isinstance(last, Identity)

        self.X, self.y = X, y
        self.truth = truth_of(y, self.layers[-1].output_size)
        dtype, n = network.dtype, batch_size
        widths = [layer.input_size for layer in self.layers] + [self.layers[-1].output_size]
        inputs = [np.ones((n, k + 1), dtype) for k in widths[:-1]]
        if batch_size == X.shape[0]:
            inputs[0][:, :-1] = X  # the whole data, every epoch: copied once
        self.full = Arrays(
            inputs, [x.T for x in inputs], [x[:, :-1] for x in inputs[1:]],
            [np.empty((n, k), dtype) for k in widths[1:]],
            [np.empty((n, k), dtype) for k in widths[1:]],  # a float mask multiplies fastest
            [np.empty((n, k), dtype) for k in widths[1:]],
            np.empty((n, widths[-1]), dtype), np.empty((n, widths[-1]), np.bool_), np.arange(n),
        )
        self.sizes: Dict[int, Arrays] = {n: self.full}

        self.grad_vector = np.empty_like(self.vector)  # laid out like the parameters
        self.grad_blocks, begin = [], 0
        for block in self.blocks:
            self.grad_blocks.append(self.grad_vector[begin:begin + block.size].reshape(block.shape))
            begin += block.size
        self.gradients = [g for block in self.grad_blocks for g in (block[:-1], block[-1:])]
        if self.scale != 1.0:  # plain SGD, folded: all parameters in one subtraction
            self.update_arguments = ([self.vector], [self.grad_vector])
        else:  # the optimizer keeps its state per parameter array
            self.update_arguments = (network.parameters(), self.gradients)

    def __call__(self, rows: np.ndarray | None = None) -> Tuple[float, int]:
        """Train on ``X[rows]`` (all rows when ``None``); return ``(loss, correct)``."""
        if rows is None:
            arrays, y, truth = self.full, self.y, self.truth
        else:
            m = rows.shape[0]
            arrays = self.sizes.get(m) or self.sizes.setdefault(m, self.full.head(m))
            y, truth = self.y[rows], self.truth[rows]
            np.take(self.X, rows, axis=0, out=arrays.inputs[0][:, :-1], mode="clip")
        output = self.forward(arrays)
        value, correct = self.loss_and_delta(arrays, output, y, truth)
        self.backward(arrays)
        if self.l2:
            value += self.l2 * self.network.l2_penalty()
            for block, grad in zip(self.blocks, self.grad_blocks):
                grad[:-1] += (self.l2 * self.scale) * block[:-1]
        # A non-finite loss stops fit before this update spreads it to the weights.
        if math.isfinite(value):
            self.optimizer.update(*self.update_arguments)
        return value, correct

    def forward(self, arrays: Arrays) -> np.ndarray:
        """Each layer's pre-activation into ``z``, its activation into the next input."""
        hidden = zip(self.layers, self.blocks, arrays.inputs, arrays.z, arrays.mask,
                     arrays.outputs)  # outputs has no entry for the last layer
        for layer, block, x, z, mask, a in hidden:
            np.dot(x, block, out=z)
            if isinstance(layer.activation, ReLU):
                np.greater(z, 0.0, out=mask)  # ReLU's derivative, for backward
                np.multiply(z, mask, out=a)
            else:
                a[...] = layer.activation.forward(z)
        z = arrays.z[-1]
        np.dot(arrays.inputs[-1], self.blocks[-1], out=z)
        # the fused losses read the pre-activation itself
        return z if self.output_is_z else self.layers[-1].activation.forward(z)

    def loss_and_delta(
        self, arrays: Arrays, output: np.ndarray, y: np.ndarray, truth: np.ndarray
    ) -> Tuple[float, int]:
        """The batch's mean loss and right answers; dL/dz of the last layer, times
        ``scale``, into ``delta[-1]``. With a fused loss ``output`` is z itself."""
        delta, work, right, z = arrays.delta[-1], arrays.work, arrays.right, output
        if self.fused == "sigmoid_bce":
            # per output: log(1 + exp(z)) - y z, and dL/dz = sigmoid(z) - y, where
            # sigmoid(z) = exp(z - log(1 + exp(z))) reuses the loss's logaddexp
            np.logaddexp(0.0, z, out=work)
            np.subtract(z, work, out=delta)
            np.exp(delta, out=delta)  # the probabilities
            correct = count(delta, truth, right)
            value = float(np.add.reduce(work, axis=None) - np.vdot(y, z)) / z.size
            delta -= y
            delta *= self.scale / z.size
            return value, correct
        if self.fused == "softmax_ce" and y.ndim == 1:
            m, rows = z.shape[0], arrays.rows
            correct = count(z, truth, right)
            rowmax = np.maximum.reduce(z, axis=1, keepdims=True)
            np.subtract(z, rowmax, out=delta)  # shifted scores, the largest 0
            picked = delta[rows, y]
            np.exp(delta, out=delta)
            rowsum = np.add.reduce(delta, axis=1, keepdims=True)
            value = float(np.add.reduce(np.log(rowsum), axis=None) - np.add.reduce(picked)) / m
            delta /= rowsum  # the softmax probabilities
            delta[rows, y] -= 1.0
            delta *= self.scale / m
            return value, correct
        value, gradient = self.loss.value_and_gradient(output, y)
        if self.fused:  # softmax cross-entropy on one-hot or probability rows
            np.multiply(gradient, self.scale, out=delta)
        else:
            derivative = self.layers[-1].activation.derivative(arrays.z[-1], output)
            np.multiply(gradient, derivative, out=delta)
            delta *= self.scale
        return value, count(output, truth, right)

    def backward(self, arrays: Arrays) -> None:
        """Each layer's ``[dL/dW; dL/db]`` (times ``scale``) into ``grad_blocks``."""
        for i in range(len(self.layers) - 1, 0, -1):
            delta, below = arrays.delta[i], arrays.delta[i - 1]
            np.dot(arrays.inputs_t[i], delta, out=self.grad_blocks[i])
            np.dot(delta, self.weights_t[i], out=below)
            activation = self.layers[i - 1].activation
            if isinstance(activation, ReLU):
                below *= arrays.mask[i - 1]
            elif not isinstance(activation, Identity):
                a = arrays.outputs[i - 1]
                below *= activation.derivative(arrays.z[i - 1], a)
        # nobody needs dL/dx of the data
        np.dot(arrays.inputs_t[0], arrays.delta[0], out=self.grad_blocks[0])


def truth_of(y: np.ndarray, outputs: int) -> np.ndarray:
    """What a right answer is, per row of ``y``, as :func:`~scratchnet.metrics.accuracy`
    sees it: ``y > 0.5`` for one output column, else the class label."""
    if outputs == 1:
        return y > 0.5
    return y if y.ndim == 1 else y.argmax(axis=1)


def count(output: np.ndarray, truth: np.ndarray, work: np.ndarray) -> int:
    """How many rows :func:`~scratchnet.metrics.accuracy` counts as right (unchecked),
    given :func:`truth_of` the targets; ``work`` is a boolean scratch array."""
    if truth.ndim == 1:
        return int(np.count_nonzero(output.argmax(axis=1) == truth))
    np.greater(output, 0.5, out=work)
    np.equal(work, truth, out=work)
    return int(np.add.reduce(work, axis=None))  # True counts 1
