"""Small datasets, generated (never downloaded)."""

from __future__ import annotations

from typing import Any, Tuple

import numpy as np


def xor(dtype: Any = np.float64) -> Tuple[np.ndarray, np.ndarray]:
    """The XOR problem of the chapter: four points, label 1 when exactly one input is 1.

    Returns ``X`` of shape ``(4, 2)`` and ``y`` of shape ``(4, 1)``.
    """
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=dtype)
    y = np.array([[0], [1], [1], [0]], dtype=dtype)
    return X, y
