"""Loss functions: one number that says how wrong the network is, and its gradient."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._validation import (
    as_float_array,
    check_finite,
    check_labels,
    check_probabilities,
    check_same_shape,
    is_labels,
)
from .activations import Sigmoid

if TYPE_CHECKING:
    from .layer import Layer


def checked_pair(output: object, target: object) -> tuple[np.ndarray, np.ndarray]:
    """``output`` and ``target`` as float arrays of one shape, finite and not empty."""
    output = as_float_array(output, "output")
    target = as_float_array(target, "target", output.dtype)
    check_same_shape(output, target)
    if output.size == 0:
        raise ValueError(f"output is empty: expected at least one value, got shape {output.shape}")
    check_finite(output, "output")
    check_finite(target, "target")
    return output, target


def outputs_per_run(values: np.ndarray) -> int:
    """How many outputs a loss averages over: all of them, or for a stack of runs
    ``(runs, n, k)`` (see :class:`~scratchnet.batched.NetworkBatch`), ``n * k`` per run."""
    return values.size if values.ndim < 3 else values.shape[-2] * values.shape[-1]


def mean_over_outputs(values: np.ndarray) -> float | np.ndarray:
    """The mean of a loss's per-output values: one number, or one per run for a stack."""
    if values.ndim < 3:
        return float(np.add.reduce(values, axis=None) / values.size)
    return values.sum(axis=(-2, -1)) / outputs_per_run(values)


def check_probability_rows(target: np.ndarray, name: str) -> None:
    """Require one probability distribution per row (one-hot rows among them): values in
    [0, 1] that add up to 1. Anything else gives softmax cross-entropy a loss that can
    go below 0 and a gradient that leads nowhere."""
    check_probabilities(target, name)
    sums = target.sum(axis=1)
    off = np.abs(sums - 1.0) > 1e-6 * target.shape[1]
    if off.any():
        row = int(np.flatnonzero(off)[0])
        raise ValueError(
            f"{name} rows must each add up to 1 (one probability per class), "
            f"got row {row} adding up to {sums[row]:g}"
        )


def clip_probability(p: np.ndarray) -> np.ndarray:
    """Clip probabilities to ``[eps, 1 - eps]`` so that neither log nor division meets 0."""
    eps = np.finfo(p.dtype).eps
    return np.minimum(np.maximum(p, eps), 1 - eps)


class Loss:
    """Base class of the losses: one number that says how wrong the outputs are.

    A subclass writes its math once, unchecked, in ``value(output, target)`` (the
    mean loss) and ``gradient(output, target)`` (dL/d(output)), and its argument
    checks in ``check``. ``forward`` and ``backward`` are the chapter's names for
    the checked calls. Training loops validate their data once and call ``value``,
    ``gradient`` and :meth:`delta` directly.

    Example
    -------
    A new loss is a subclass with ``value`` and ``gradient``:

    >>> import numpy as np
    >>> from scratchnet import Loss
    >>> class MeanAbsoluteError(Loss):
    ...     def value(self, output, target):
    ...         return float(np.mean(np.abs(output - target)))
    ...
    ...     def gradient(self, output, target):
    ...         return np.sign(output - target) / output.size
    >>> MeanAbsoluteError().forward(np.array([[1.0], [3.0]]), np.array([[0.0], [0.0]]))
    2.0
    """

    def forward(self, output: np.ndarray, target: np.ndarray) -> float:
        """The mean loss over all outputs."""
        return self.value(*self.check(output, target))

    def backward(self, output: np.ndarray, target: np.ndarray) -> np.ndarray:
        """dL/d(output), same shape and dtype as ``output``."""
        return self.gradient(*self.check(output, target))

    __call__ = forward

    def delta(self, layer: "Layer", target: np.ndarray) -> tuple[float, np.ndarray]:
        """The loss of the output ``layer``'s last forward pass, and dL/dz, the gradient
        with respect to the layer's pre-activation (unchecked).

        In general dL/dz is dL/d(output) times the activation's derivative, which is
        what this does. A loss whose gradient simplifies together with the output
        activation overrides it.
        """
        output = layer.output
        return self.value(output, target), layer.activation_gradient(self.gradient(output, target))

    def value(self, output: np.ndarray, target: np.ndarray) -> float:
        raise NotImplementedError

    def gradient(self, output: np.ndarray, target: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def check(self, output: object, target: object) -> tuple[np.ndarray, np.ndarray]:
        """``output`` and ``target`` validated for this loss."""
        return checked_pair(output, target)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy for outputs ``p`` in (0, 1) and targets ``y`` in {0, 1}.

    ``L = -mean(y * log(p) + (1 - y) * log(1 - p))``

    It is the negative log-likelihood of the targets when ``p`` is read as the
    probability of class 1: confident wrong answers cost a lot, right ones little.
    Its gradient with respect to the output is

    ``dL/dp = -(y / p - (1 - y) / (1 - p)) / n``

    with ``n`` the number of outputs averaged over. The chapter adds ``1e-15``
    inside the logarithms; here ``p`` is clipped to ``[eps, 1 - eps]`` (``eps`` the
    machine epsilon of its dtype). A clip at ``1e-15`` would not do in float32,
    where ``1 - 1e-15`` rounds to 1 and ``log(0)`` would follow.

    ``output`` and ``target`` must have the same shape: a ``(4,)`` target against a
    ``(4, 1)`` output is an error, not a broadcast ``(4, 4)`` loss.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import BinaryCrossEntropy
    >>> p = np.array([[0.9], [0.2]])  # outputs, shape (n, 1)
    >>> y = np.array([[1.0], [0.0]])  # targets, same shape
    >>> loss = BinaryCrossEntropy()
    >>> round(loss.forward(p, y), 4)  # -(log 0.9 + log 0.8) / 2
    0.1643
    >>> loss.backward(p, y)
    array([[-0.55555556],
           [ 0.625     ]])
    """

    def value(self, output: np.ndarray, target: np.ndarray) -> float:
        """``-mean(y log p + (1 - y) log(1 - p))`` (unchecked)."""
        p = clip_probability(output)
        return mean_over_outputs(-(target * np.log(p) + (1.0 - target) * np.log1p(-p)))

    def gradient(self, output: np.ndarray, target: np.ndarray) -> np.ndarray:
        """dL/dp = ``-(y / p - (1 - y) / (1 - p)) / n`` (unchecked)."""
        p = clip_probability(output)
        return -(target / p - (1.0 - target) / (1.0 - p)) / outputs_per_run(p)

    def delta(self, layer: "Layer", target: np.ndarray) -> tuple[float, np.ndarray]:
        """Loss and dL/dz; after a sigmoid, simply ``(p - y) / n``.

        With ``p = sigmoid(z)`` the loss per output is ``log(1 + exp(z)) - y z``
        (``logaddexp`` computes it without overflow), and its derivative is
        ``sigmoid(z) - y``: the sigmoid's derivative ``p (1 - p)`` cancels against the
        cross-entropy's division by ``p (1 - p)``. No clipping is needed.
        """
        if not isinstance(layer.activation, Sigmoid):
            return super().delta(layer, target)
        z = layer.activation_input
        value = mean_over_outputs(np.logaddexp(0.0, z) - target * z)
        return value, (layer.output - target) / outputs_per_run(z)

    def check(self, output: object, target: object) -> tuple[np.ndarray, np.ndarray]:
        output, target = checked_pair(output, target)
        check_probabilities(output, "output")
        check_probabilities(target, "target")
        return output, target


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """``log(softmax(z))`` row by row, stable: subtract each row's maximum first.

    ``softmax(z)_k = exp(z_k) / sum_j exp(z_j)`` does not change when the same number
    is subtracted from every ``z_k``; subtracting the maximum keeps ``exp`` at most 1
    (no overflow) and the sum at least 1 (no ``log(0)``): the log-sum-exp trick.
    ``logits`` has shape ``(n, k)``; so has the result.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet.losses import log_softmax
    >>> log_softmax(np.array([[1000.0, 1000.0]]))  # exp(1000) overflows
    array([[-0.69314718, -0.69314718]])
    """
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax(logits: np.ndarray) -> np.ndarray:
    """Class probabilities from raw scores, row by row (stable, see :func:`log_softmax`).

    ``logits`` has shape ``(n, k)``; every row of the result is positive and sums to 1.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import softmax
    >>> softmax(np.array([[1.0, 1.0], [0.0, np.log(3.0)]]))
    array([[0.5 , 0.5 ],
           [0.25, 0.75]])
    """
    logits = as_float_array(logits, "logits")
    if logits.ndim != 2 or 0 in logits.shape:
        raise ValueError(f"logits must be 2-D scores (n, classes) with n, classes >= 1, "
                         f"got shape {logits.shape}")
    check_finite(logits, "logits")
    return np.exp(log_softmax(logits))


class SoftmaxCrossEntropy(Loss):
    """Softmax followed by categorical cross-entropy, fused, on raw scores (logits).

    For a row of scores ``z`` and true class ``c``: ``L = -log softmax(z)_c``, averaged
    over the ``n`` rows. Fusing the two gives a gradient with respect to the scores
    that is as simple as it is stable: ``(softmax(z) - y) / n``, with ``y`` the one-hot
    target. The network's last layer must therefore be linear
    (:class:`~scratchnet.activations.Identity`).

    ``output`` holds the scores, shape ``(n, k)`` for ``k`` classes; ``target`` is
    either integer class labels of shape ``(n,)`` or one-hot (or probability) rows
    of shape ``(n, k)``.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import SoftmaxCrossEntropy
    >>> scores = np.array([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])  # 3 classes
    >>> labels = np.array([0, 2])
    >>> round(SoftmaxCrossEntropy().forward(scores, labels), 4)
    0.6691
    >>> np.round(SoftmaxCrossEntropy().backward(scores, labels), 4)
    array([[-0.1065,  0.0533,  0.0533],
           [ 0.1667,  0.1667, -0.3333]])
    """

    def value(self, output: np.ndarray, target: np.ndarray) -> float:
        """``-mean(log softmax(z)_c)`` over the rows (unchecked)."""
        log_p = log_softmax(output)
        if is_labels(target):  # pick each row's true class
            total = log_p[np.arange(target.shape[0]), target].sum()
        else:
            total = (target * log_p).sum()
        return -float(total) / output.shape[0]

    def gradient(self, output: np.ndarray, target: np.ndarray) -> np.ndarray:
        """dL/dz = ``(softmax(z) - y) / n`` with ``y`` one-hot (unchecked)."""
        n = output.shape[0]
        grad = np.exp(log_softmax(output))  # the softmax probabilities
        if is_labels(target):
            grad[np.arange(n), target] -= 1
        else:
            grad -= target
        grad /= n
        return grad

    def delta(self, layer: "Layer", target: np.ndarray) -> tuple[float, np.ndarray]:
        """Loss and dL/dz: the scores are the last layer's output (an Identity
        activation), so dL/dz is :meth:`gradient` itself."""
        return self.value(layer.output, target), self.gradient(layer.output, target)

    def check(self, output: object, target: object) -> tuple[np.ndarray, np.ndarray]:
        output = as_float_array(output, "output")
        if output.ndim != 2:
            raise ValueError(f"output must be 2-D scores (n, classes), got shape {output.shape}")
        if output.size == 0:
            raise ValueError(f"output is empty: expected at least one row, got shape {output.shape}")
        check_finite(output, "output")
        target = np.asarray(target)
        if is_labels(target):
            n, k = output.shape
            check_labels(target, "target", n, k, "output")
            return output, target
        target = as_float_array(target, "target", output.dtype)
        check_same_shape(output, target)
        check_finite(target, "target")
        check_probability_rows(target, "target")
        return output, target


class MeanSquaredError(Loss):
    """Mean squared error: ``L = mean((output - target)**2)``, for regression.

    Its gradient with respect to the output is ``2 (output - target) / n``, with
    ``n`` the number of outputs averaged over. ``output`` and ``target`` must have
    the same shape.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import MeanSquaredError
    >>> output = np.array([[1.0], [3.0]])
    >>> target = np.array([[0.0], [2.0]])
    >>> MeanSquaredError().forward(output, target)
    1.0
    >>> MeanSquaredError().backward(output, target)
    array([[1.],
           [1.]])
    """

    def value(self, output: np.ndarray, target: np.ndarray) -> float:
        """``mean((output - target)**2)`` (unchecked)."""
        error = output - target
        return mean_over_outputs(error * error)

    def gradient(self, output: np.ndarray, target: np.ndarray) -> np.ndarray:
        """dL/d(output) = ``2 (output - target) / n`` (unchecked)."""
        return (output - target) * (2 / outputs_per_run(output))
