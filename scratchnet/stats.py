"""Counting successes honestly: a rate and how uncertain it is."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np


class Rate(NamedTuple):
    """``successes`` out of ``trials``, with a 95% confidence interval ``[low, high]``."""

    successes: int
    trials: int
    low: float
    high: float

    @property
    def value(self) -> float:
        return self.successes / self.trials

    def __str__(self) -> str:
        return (
            f"{self.successes}/{self.trials} = {self.value:.1%} "
            f"(95% CI {self.low:.1%} to {self.high:.1%})"
        )


def success_rate(successes: np.ndarray, z: float = 1.959964) -> Rate:
    """The fraction of ``True`` in ``successes`` with its Wilson score interval.

    With ``k`` successes in ``n`` independent trials the estimate is ``p = k / n``.
    The Wilson interval (Wilson, 1927) is the set of true rates for which ``k`` is
    not surprising at the 95% level; unlike ``p +- 1.96 sqrt(p (1 - p) / n)`` it
    stays inside [0, 1] and does not collapse to a point when ``k`` is 0 or ``n``.
    """
    outcomes = np.asarray(successes, dtype=bool).ravel()
    n = outcomes.size
    if n == 0:
        raise ValueError("successes must hold at least one trial, got an empty array")
    k = int(outcomes.sum())
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # the interval always contains p; clamping only removes rounding error at k = 0 or n
    return Rate(k, n, max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half)))
