"""Loss functions: one number that says how wrong the network is, and its gradient."""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_same_shape


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
    machine epsilon of its dtype), which also works in float32, where
    ``1 - 1e-15`` rounds to 1 and ``log(0)`` would follow.

    ``output`` and ``target`` must have the same shape: a ``(4,)`` target against a
    ``(4, 1)`` output is an error, not a broadcast ``(4, 4)`` loss.
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

    @staticmethod
    def _checked(output: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        output = as_float_array(output, "output")
        target = as_float_array(target, "target", output.dtype)
        check_same_shape(output, target)
        return output, target

    def __repr__(self) -> str:
        return "BinaryCrossEntropy()"
