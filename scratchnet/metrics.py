"""Metrics: numbers that say how good a network is, in terms a person reads."""

from __future__ import annotations

import numpy as np


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
    output = np.asarray(output)
    target = np.asarray(target)
    if output.ndim != 2:
        raise ValueError(f"output must be 2-D (n, outputs), got shape {output.shape}")
    if output.shape[1] == 1:
        if target.shape != output.shape:
            raise ValueError(
                f"target must have the same shape as output {output.shape}, got {target.shape}"
            )
    elif (target.shape[0] if target.ndim else 0) != output.shape[0]:
        raise ValueError(
            f"target must hold one row per row of output ({output.shape[0]}), "
            f"got {target.shape[0] if target.ndim else target.shape}"
        )
    return correct_answers(output, target) / output.shape[0]


def correct_answers(output: np.ndarray, target: np.ndarray) -> int:
    """How many rows of ``output`` :func:`accuracy` counts as right (unchecked)."""
    if output.shape[1] == 1:
        return int(np.count_nonzero((output > 0.5) == (target > 0.5)))
    labels = target if target.ndim == 1 else target.argmax(axis=1)
    return int(np.count_nonzero(output.argmax(axis=1) == labels))
