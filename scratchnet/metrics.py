"""Metrics: numbers that say how good a network is, in terms a person reads."""

from __future__ import annotations

import numpy as np

from ._validation import (
    as_float_array, check_finite, check_labels, check_probabilities, is_labels,
)


def accuracy(output: np.ndarray, target: np.ndarray) -> float:
    """The fraction of samples classified correctly.

    * One output column (a sigmoid probability): the prediction is 1 where the
      output exceeds 0.5, and the target is a 0/1 column of the same shape.
    * Several columns (class scores or probabilities): the prediction is the column
      with the largest value, and the target is integer labels ``(n,)`` or one-hot
      rows ``(n, k)``.

    ``output`` must be 2-D, one row per sample.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import accuracy
    >>> p = np.array([[0.8], [0.3], [0.6]])  # one sigmoid output
    >>> accuracy(p, np.array([[1.0], [0.0], [0.0]]))  # the third is wrong
    0.6666666666666666
    >>> scores = np.array([[2.0, 0.1, 0.3], [0.2, 0.1, 1.5]])
    >>> accuracy(scores, np.array([0, 1]))  # row 2 picks class 2, not 1
    0.5
    """
    output = as_float_array(output, "output")
    target = np.asarray(target)
    if not is_labels(target):
        target = as_float_array(target, "target")
    if output.ndim != 2 or output.shape[0] == 0:
        raise ValueError(f"output must be 2-D (n, outputs) with n > 0, got shape {output.shape}")
    n, k = output.shape
    check_finite(output, "output")
    if k > 1 and target.ndim == 1 and is_labels(target):
        check_labels(target, "target", n, k, "output")
    elif target.shape != output.shape:
        labels = "" if k == 1 else f", or {n} integer labels"
        raise ValueError(
            f"target must have the shape of output {output.shape}{labels}, got shape {target.shape}"
        )
    else:
        check_finite(target, "target")
        if k == 1:
            check_probabilities(target, "target")
    return correct_answers(output, target) / n


def correct_answers(output: np.ndarray, target: np.ndarray) -> int:
    """How many rows of ``output`` :func:`accuracy` counts as right (unchecked)."""
    if output.shape[1] == 1:
        return int(np.count_nonzero((output > 0.5) == (target > 0.5)))
    labels = target if target.ndim == 1 else target.argmax(axis=1)
    return int(np.count_nonzero(output.argmax(axis=1) == labels))
