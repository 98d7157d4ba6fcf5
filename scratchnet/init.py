"""Weight initialization: where gradient descent starts.

All schemes draw from a normal distribution with mean 0; they differ in the
standard deviation, which depends on how many inputs (``fan_in``) and outputs
(``fan_out``) the layer has:

* ``"seed"``: 0.01, the chapter's ``randn * 0.01``, whatever the layer size;
* ``"xavier"`` (Glorot & Bengio, 2010): ``sqrt(2 / (fan_in + fan_out))``, which keeps
  the variance of signals roughly constant through tanh and sigmoid layers;
* ``"he"`` (He et al., 2015): ``sqrt(2 / fan_in)``, which does the same for ReLU
  layers, whose output is zero half of the time;
* a positive number: that standard deviation, for experiments on scale.
"""

from __future__ import annotations

import math
from typing import Any, Union

import numpy as np

from ._validation import check_positive_int

Init = Union[str, float]

SCHEMES = ("seed", "xavier", "he")


def weight_std(fan_in: int, fan_out: int, init: Init) -> float:
    """The standard deviation that scheme ``init`` uses for a ``fan_in`` x ``fan_out`` layer.

    ``init`` is ``"seed"``, ``"xavier"``, ``"he"`` or a positive number (see the
    module's description above).

    Example
    -------
    >>> from scratchnet import weight_std
    >>> weight_std(2, 4, "seed"), weight_std(2, 4, "he")  # he: sqrt(2 / 2)
    (0.01, 1.0)
    >>> round(weight_std(2, 4, "xavier"), 4)  # sqrt(2 / (2 + 4))
    0.5774
    """
    fan_in = check_positive_int(fan_in, "fan_in")
    fan_out = check_positive_int(fan_out, "fan_out")
    if isinstance(init, str):
        if init == "seed":
            return 0.01
        if init == "xavier":
            return math.sqrt(2.0 / (fan_in + fan_out))
        if init == "he":
            return math.sqrt(2.0 / fan_in)
        raise ValueError(f"init must be one of {SCHEMES} or a positive number, got {init!r}")
    if isinstance(init, (bool, np.bool_)) or not isinstance(init, (int, float, np.integer, np.floating)):
        raise TypeError(f"init must be one of {SCHEMES} or a positive number, got {init!r}")
    if not math.isfinite(init) or init <= 0:
        raise ValueError(f"init must be one of {SCHEMES} or a positive number, got {init!r}")
    return float(init)


def as_rng(rng: Any) -> Any:
    """Turn the ``rng`` argument into something with ``standard_normal``.

    ``None`` gives a fresh ``np.random.default_rng()``; an ``int`` seeds one; a
    ``np.random.Generator`` or ``np.random.RandomState`` (or anything else with a
    ``standard_normal`` method) is used as it is, so ``np.random.RandomState(42)``
    replays the chapter's ``np.random.seed(42)`` stream. Nothing here touches
    NumPy's global random state.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet.init import as_rng
    >>> type(as_rng(42)).__name__
    'Generator'
    >>> chapter = np.random.RandomState(42)
    >>> as_rng(chapter) is chapter
    True
    """
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, (bool, np.bool_)):
        if rng < 0:
            raise ValueError(f"rng must be a non-negative int seed, got {rng}")
        return np.random.default_rng(int(rng))
    if callable(getattr(rng, "standard_normal", None)):
        return rng
    raise TypeError(
        "rng must be None, an int seed, a numpy.random.Generator or an object with "
        f"a standard_normal method (such as numpy.random.RandomState), got {type(rng).__name__}"
    )


def initial_weights(
    fan_in: int, fan_out: int, init: Init, rng: Any, dtype: Any = np.float64
) -> np.ndarray:
    """Draw a ``(fan_in, fan_out)`` weight matrix: ``standard_normal * weight_std``."""
    std = weight_std(fan_in, fan_out, init)
    with np.errstate(over="ignore"):  # a scale such as 1e308: reported below instead
        weights = (rng.standard_normal((fan_in, fan_out)) * std).astype(dtype, copy=False)
    if not np.isfinite(weights).all():
        raise ValueError(f"init={init!r} is too large a scale for {np.dtype(dtype)}: "
                         "the initial weights overflow")
    return weights
