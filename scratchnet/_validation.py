"""Checks at the public boundary: clear errors instead of silently wrong numbers.

Every message names the argument, what was expected and what came. Inner loops
call the unchecked paths, so the checks cost nothing while training.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def as_float_array(value: Any, name: str, dtype: np.dtype | type | None = None) -> np.ndarray:
    """Return ``value`` as a floating-point array, converting integers once.

    Booleans, strings, objects and complex numbers are refused: training on them
    is almost always a mistake, and NumPy would coerce them silently.
    """
    try:
        array = np.asarray(value)
    except ValueError:  # NumPy refuses ragged nested lists
        raise ValueError(
            f"{name} must be a rectangular array (rows of equal length), got ragged rows"
        ) from None
    kind = array.dtype.kind
    if kind in "iu":
        array = array.astype(dtype or np.float64)
    elif kind != "f":
        raise TypeError(
            f"{name} must be an array of real numbers (float or int), "
            f"got dtype {array.dtype}"
        )
    elif dtype is not None and array.dtype != dtype:
        array = array.astype(dtype)
    return array


def check_batch(x: np.ndarray, name: str, n_features: int) -> None:
    """Require a non-empty batch-first 2-D array with ``n_features`` columns."""
    if x.ndim != 2:
        hint = " (use x.reshape(1, -1) for a single sample)" if x.ndim == 1 else ""
        raise ValueError(
            f"{name} must be 2-D with shape (n_samples, {n_features}), "
            f"got shape {x.shape}{hint}"
        )
    if x.shape[1] != n_features:
        raise ValueError(
            f"{name} must have {n_features} columns (the network's input size), "
            f"got shape {x.shape}"
        )
    if x.shape[0] == 0:
        raise ValueError(f"{name} is an empty batch: expected at least one row, got shape {x.shape}")


def check_finite(x: np.ndarray, name: str, block: int = 1 << 18) -> None:
    """Refuse NaN and infinite values, which would poison every weight they touch.

    Large arrays are checked ``block`` numbers at a time, so the check needs a small
    temporary instead of a boolean copy of the whole array.
    """
    flat = np.ravel(x)  # a view for the contiguous arrays that matter here
    for begin in range(0, flat.size, block):
        if not np.isfinite(flat[begin:begin + block]).all():
            bad = int(flat.size - np.count_nonzero(np.isfinite(flat)))
            raise ValueError(f"{name} must be finite, got {bad} NaN or infinite value(s)")


def check_same_shape(output: np.ndarray, target: np.ndarray) -> None:
    """Refuse targets that would broadcast: a (4,) target against a (4, 1) output."""
    if output.shape != target.shape:
        raise ValueError(
            f"target must have the same shape as output {output.shape}, "
            f"got shape {target.shape}"
        )


def check_positive_int(value: Any, name: str) -> int:
    """Require a positive integer (``bool`` is not accepted as one)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a positive integer, got {value!r}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)


def check_positive_float(value: Any, name: str) -> float:
    """Require a finite number greater than zero."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise TypeError(f"{name} must be a positive number, got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value}")
    return float(value)
