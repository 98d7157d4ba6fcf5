"""Counting successes honestly: a rate and how uncertain it is."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._validation import check_positive_float


class Rate(NamedTuple):
    """``successes`` out of ``trials``, with a 95% confidence interval ``[low, high]``.

    Made by :func:`success_rate`; printing it gives the whole story in one line.

    Example
    -------
    >>> from scratchnet import Rate
    >>> rate = Rate(successes=3, trials=4, low=0.3, high=0.95)
    >>> rate.value
    0.75
    >>> print(rate)
    3/4 = 75.0% (95% CI 30.0% to 95.0%)
    """

    #: How many trials succeeded.
    successes: int
    #: How many trials there were.
    trials: int
    #: The lower end of the 95% confidence interval of the rate.
    low: float
    #: The upper end of the 95% confidence interval of the rate.
    high: float

    @property
    def value(self) -> float:
        """The observed rate, ``successes / trials``."""
        if not self.trials:
            raise ValueError("a Rate of 0 trials has no value (success_rate refuses them)")
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
    ``successes`` is an array of booleans (or of 0/1 numbers) of any shape, one per
    trial; anything else, such as 0.7 or NaN, is an error rather than a success. ``z``
    sets the confidence level (1.96 for 95%).

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import success_rate
    >>> print(success_rate(np.array([True] * 30 + [False] * 70)))
    30/100 = 30.0% (95% CI 21.9% to 39.6%)
    """
    outcomes = np.asarray(successes)
    if outcomes.dtype.kind not in "biuf":
        raise TypeError(f"successes must be booleans, one per trial, got dtype {outcomes.dtype}")
    if outcomes.dtype.kind != "b":
        # 0/1 numbers are accepted; a 0.7 or a NaN is not an outcome, and bool() would
        # count it as a success
        if not np.isin(outcomes, (0, 1)).all():
            raise ValueError("successes must be booleans (or 0/1), one per trial, got other "
                             f"values such as {outcomes[~np.isin(outcomes, (0, 1))].flat[0].item()!r}")
        outcomes = outcomes == 1
    outcomes = outcomes.ravel()
    z = check_positive_float(z, "z")
    n = outcomes.size
    if n == 0:
        raise ValueError("successes must hold at least one trial, got an empty array")
    k = int(outcomes.sum())
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # the interval always contains p; clamping only removes rounding error at k = 0 or n
    return Rate(k, n, max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half)))
