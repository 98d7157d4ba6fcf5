"""Optimizers: how parameters move once their gradients are known."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ._validation import check_positive_float


class SGD:
    """Plain gradient descent: ``parameter -= learning_rate * gradient``.

    Parameters are updated in place, so a layer's ``weights`` array stays the
    same object through training.
    """

    def __init__(self, learning_rate: float = 0.01) -> None:
        self.learning_rate = check_positive_float(learning_rate, "learning_rate")

    def step(self, parameters: Sequence[np.ndarray], gradients: Sequence[np.ndarray]) -> None:
        """Move every parameter one step against its gradient."""
        lr = self.learning_rate
        for parameter, gradient in zip(parameters, gradients, strict=True):
            parameter -= lr * gradient
