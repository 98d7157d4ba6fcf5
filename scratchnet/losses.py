"""Loss functions: one number that says how wrong the network is, and its gradient."""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_finite, check_same_shape


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


def check_probabilities(values: np.ndarray, name: str) -> None:
    """Require every value in [0, 1]: a probability, or a 0/1 label."""
    low, high = float(values.min()), float(values.max())
    if low < 0.0 or high > 1.0:
        raise ValueError(
            f"{name} must hold probabilities in [0, 1], got values from {low:g} to {high:g}"
        )


def clip_probability(p: np.ndarray) -> np.ndarray:
    """Clip probabilities to ``[eps, 1 - eps]`` so that neither log nor division meets 0."""
    eps = np.finfo(p.dtype).eps
    return np.minimum(np.maximum(p, eps), 1 - eps)


class BinaryCrossEntropy:
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

    def forward(self, output: np.ndarray, target: np.ndarray) -> float:
        """The mean loss over all outputs."""
        output, target = self._checked(output, target)
        return float(self.elementwise(output, target).sum() / output.size)

    def backward(self, output: np.ndarray, target: np.ndarray) -> np.ndarray:
        """dL/d(output), same shape and dtype as ``output``."""
        output, target = self._checked(output, target)
        return self.gradient(output, target, output.size)

    __call__ = forward

    @staticmethod
    def elementwise(output: np.ndarray, target: np.ndarray) -> np.ndarray:
        """``-(y log p + (1 - y) log(1 - p))`` for every output, unchecked and unreduced."""
        p = clip_probability(output)
        return -(target * np.log(p) + (1 - target) * np.log1p(-p))

    @staticmethod
    def gradient(output: np.ndarray, target: np.ndarray, n: int) -> np.ndarray:
        """dL/d(output) when the loss averages over ``n`` outputs (unchecked)."""
        p = clip_probability(output)
        return -(target / p - (1 - target) / (1 - p)) / n

    @classmethod
    def value_and_gradient(
        cls, output: np.ndarray, target: np.ndarray
    ) -> tuple[float, np.ndarray]:
        """Loss and dL/d(output) in one pass (unchecked)."""
        p = clip_probability(output)
        value = float(cls.elementwise(p, target).sum() / p.size)
        return value, cls.gradient(p, target, p.size)

    @staticmethod
    def _checked(output: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        output, target = checked_pair(output, target)
        check_probabilities(output, "output")
        check_probabilities(target, "target")
        return output, target

    def __repr__(self) -> str:
        return "BinaryCrossEntropy()"


def logits_value_and_gradient_bce(
    output: np.ndarray, logits: np.ndarray, target: np.ndarray
) -> tuple[float, np.ndarray]:
    """Binary cross-entropy and its gradient with respect to the *logits* ``z``.

    With ``p = sigmoid(z)`` the loss per output is ``log(1 + exp(z)) - y z``
    (``logaddexp`` computes it without overflow), and its derivative with respect to
    ``z`` is simply ``p - y``: the sigmoid's derivative cancels against the
    cross-entropy's division. Averaged over ``n`` outputs: ``(p - y) / n``.
    """
    n = logits.size
    value = float(np.add.reduce((np.logaddexp(0, logits) - target * logits), axis=None)) / n
    return value, (output - target) / n


def one_hot_of(labels: np.ndarray, n_classes: int, dtype: np.dtype) -> np.ndarray:
    """Rows of zeros with a one at each label."""
    encoded = np.zeros((labels.shape[0], n_classes), dtype=dtype)
    encoded[np.arange(labels.shape[0]), labels] = 1
    return encoded


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
    return np.exp(log_softmax(logits))


class SoftmaxCrossEntropy:
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

    def forward(self, output: np.ndarray, target: np.ndarray) -> float:
        """The mean cross-entropy of the scores ``output`` against ``target``."""
        output, target = self._checked(output, target)
        return self.value_and_gradient(output, target)[0]

    def backward(self, output: np.ndarray, target: np.ndarray) -> np.ndarray:
        """dL/d(scores): ``(softmax(output) - one_hot(target)) / n``."""
        output, target = self._checked(output, target)
        return self.value_and_gradient(output, target)[1]

    __call__ = forward

    @staticmethod
    def value_and_gradient(logits: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
        """Loss and dL/d(logits) in one pass (unchecked)."""
        n = logits.shape[0]
        log_p = log_softmax(logits)
        grad = np.exp(log_p)
        if target.ndim == 1:  # integer labels: pick each row's true class
            rows = np.arange(n)
            value = -float(log_p[rows, target].sum()) / n
            grad[rows, target] -= 1
        else:
            value = -float((target * log_p).sum()) / n
            grad -= target
        grad /= n
        return value, grad

    @staticmethod
    def _checked(output: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        output = as_float_array(output, "output")
        if output.ndim != 2:
            raise ValueError(f"output must be 2-D scores (n, classes), got shape {output.shape}")
        if output.size == 0:
            raise ValueError(f"output is empty: expected at least one row, got shape {output.shape}")
        check_finite(output, "output")
        target = np.asarray(target)
        n, k = output.shape
        if target.ndim == 1 and target.dtype.kind in "iu":
            if target.shape[0] != n:
                raise ValueError(
                    f"target must hold one label per row of output ({n}), got {target.shape[0]}"
                )
            if target.size and (target.min() < 0 or target.max() >= k):
                raise ValueError(
                    f"target labels must be in [0, {k}) for {k} classes, "
                    f"got labels from {target.min()} to {target.max()}"
                )
            return output, target
        target = as_float_array(target, "target", output.dtype)
        check_same_shape(output, target)
        check_finite(target, "target")
        return output, target

    def __repr__(self) -> str:
        return "SoftmaxCrossEntropy()"


class MeanSquaredError:
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

    def forward(self, output: np.ndarray, target: np.ndarray) -> float:
        """The mean squared error over all outputs."""
        output, target = checked_pair(output, target)
        return self.value_and_gradient(output, target)[0]

    def backward(self, output: np.ndarray, target: np.ndarray) -> np.ndarray:
        """dL/d(output), same shape and dtype as ``output``."""
        output, target = checked_pair(output, target)
        return self.value_and_gradient(output, target)[1]

    __call__ = forward

    @staticmethod
    def value_and_gradient(output: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
        """Loss and dL/d(output) in one pass (unchecked)."""
        error = output - target
        return float(np.vdot(error, error)) / error.size, error * (2 / error.size)

    def __repr__(self) -> str:
        return "MeanSquaredError()"
