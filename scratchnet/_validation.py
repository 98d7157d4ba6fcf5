"""Checks at the public boundary: clear errors instead of silently wrong numbers.

Every message names the argument, what was expected and what came. Inner loops
call the unchecked paths, so the checks cost nothing while training.
"""

from __future__ import annotations

import inspect
import math
import reprlib
from typing import Any, Callable, List, Sequence

import numpy as np


def as_real_array(value: Any, name: str) -> np.ndarray:
    """Return ``value`` as an array of real numbers (float or int), its dtype kept.

    Booleans, strings, objects and complex numbers are refused: training on them
    is almost always a mistake, and NumPy would coerce them silently.
    """
    try:
        array = np.asarray(value)
    except ValueError:  # NumPy refuses ragged nested lists
        raise ValueError(
            f"{name} must be a rectangular array (rows of equal length), got ragged rows"
        ) from None
    if array.dtype.kind not in "fiu":
        raise TypeError(
            f"{name} must be an array of real numbers (float or int), "
            f"got dtype {array.dtype}"
        )
    return array


def as_float_array(value: Any, name: str, dtype: np.dtype | type | None = None) -> np.ndarray:
    """Return ``value`` as a floating-point array (in ``dtype`` when given), converting
    integers once; what :func:`as_real_array` refuses is refused."""
    array = as_real_array(value, name)
    if array.dtype.kind != "f" or (dtype is not None and array.dtype != dtype):
        array = array.astype(dtype or np.float64)
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
    x = np.asarray(x)
    if x.size <= block:
        if np.count_nonzero(np.isfinite(x)) == x.size:  # faster than .all() or np.errstate
            return
    else:
        with np.errstate(over="ignore", invalid="ignore"):  # inf - inf, or an overflowing sum
            if math.isfinite(np.add.reduce(x, axis=None)):
                return  # one pass, no temporary (a sum that overflows is checked below instead)
    flat = x.ravel()  # a view for the contiguous arrays that matter here
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


def check_integer(value: Any, name: str, expected: str = "an integer") -> int:
    """Require an integer (``bool`` is not accepted as one); ``expected`` words the error."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be {expected}, got {value!r}")
    return int(value)


def check_positive_int(value: Any, name: str) -> int:
    """Require a positive integer (``bool`` is not accepted as one)."""
    value = check_integer(value, name, "a positive integer")
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)


def check_positive_float(value: Any, name: str) -> float:
    """Require a finite number greater than zero."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a positive finite number, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value}")
    return float(value)


def check_number(value: Any, name: str, expected: str) -> float:
    """Require a real number (``bool`` is refused); ``expected`` words the error."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be {expected}, got {value!r}")
    return float(value)


def check_finite_number(value: Any, name: str) -> float:
    """Require a real number that is neither NaN nor infinite, such as a threshold (a NaN
    compares false with everything and would decide silently)."""
    value = check_number(value, name, "a number")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return value


def check_fraction(value: Any, name: str) -> float:
    """Require a number in ``[0, 1)``, such as a decay rate or a momentum."""
    value = check_number(value, name, "a number in [0, 1)")
    if not 0.0 <= value < 1.0:  # also refuses NaN
        raise ValueError(f"{name} must be in [0, 1), got {value}")
    return value


def check_non_negative(value: Any, name: str) -> float:
    """Require a finite number >= 0, such as a penalty strength."""
    value = check_number(value, name, "a number >= 0")
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return value


def check_float_dtype(dtype: Any) -> np.dtype:
    """Accept float32 or float64 (the dtypes BLAS multiplies fast)."""
    try:
        dt = np.dtype(dtype)
    except (TypeError, ValueError, SyntaxError):  # np.dtype(",") raises SyntaxError
        raise TypeError(f"dtype must be float32 or float64, got {dtype!r}") from None
    if dt not in (np.float32, np.float64):
        raise TypeError(f"dtype must be float32 or float64, got {dt}")
    return dt


def check_instance(value: Any, kind: type, name: str, example: str = "", arguments: str = "") -> Any:
    """Require an *instance* of ``kind`` (such as ``example``); a class passed without
    parentheses gets a hint (``arguments`` is what goes between them)."""
    what = ("an " if kind.__name__[0] in "AEIOU" else "a ") + kind.__name__
    if isinstance(value, type) and issubclass(value, kind):
        raise TypeError(
            f"{name} must be {what} instance, got the class {value.__name__}; "
            f"write {value.__name__}({arguments}) with parentheses"
        )
    if not isinstance(value, kind):
        such = f" instance such as {example}" if example else ""
        raise TypeError(f"{name} must be {what}{such}, got {value!r}")
    return value


def check_probabilities(values: np.ndarray, name: str) -> None:
    """Require every value in [0, 1]: a probability, or a 0/1 label."""
    low, high = float(values.min()), float(values.max())
    if low < 0.0 or high > 1.0:
        raise ValueError(
            f"{name} must hold probabilities in [0, 1], got values from {low:g} to {high:g}"
        )


def check_labels(labels: np.ndarray, name: str, n: int, n_classes: int, rows_of: str) -> None:
    """Require ``n`` integer class labels in ``[0, n_classes)``."""
    if labels.shape[0] != n:
        raise ValueError(f"{name} must hold {n} labels, one per row of {rows_of}, got {labels.shape[0]}")
    if n and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"{name} labels must be in [0, {n_classes}) for {n_classes} classes, "
            f"got labels from {labels.min()} to {labels.max()}"
        )


def is_labels(target: np.ndarray) -> bool:
    """Integer class labels, one per row (rather than one-hot or probability rows)."""
    return target.ndim == 1 and target.dtype.kind in "iu"


def check_gradients(parameters: Sequence[np.ndarray], gradients: Sequence[Any]) -> List[np.ndarray]:
    """Require one gradient per parameter, each of its parameter's shape; return them as
    arrays of the parameters' dtypes.

    An in-place update would otherwise broadcast a ``(1, n)`` gradient over a
    ``(k, n)`` weight matrix without a word.
    """
    for name, arrays in (("parameters", parameters), ("gradients", gradients)):
        if not isinstance(arrays, (list, tuple)):
            raise TypeError(f"{name} must be a list of arrays (one per parameter), "
                            f"got {type(arrays).__name__}")
    for i, parameter in enumerate(parameters):
        if not isinstance(parameter, np.ndarray) or parameter.dtype.kind != "f":
            raise TypeError(
                f"parameters[{i}] must be a floating-point NumPy array (it is updated in "
                f"place), got {type(parameter).__name__}"
                + (f" of dtype {parameter.dtype}" if isinstance(parameter, np.ndarray) else "")
            )
    if len(gradients) != len(parameters):
        raise ValueError(
            f"gradients must have one array per parameter: expected {len(parameters)}, "
            f"got {len(gradients)}"
        )
    for i, (parameter, gradient) in enumerate(zip(parameters, gradients)):
        if np.shape(gradient) != parameter.shape:
            raise ValueError(
                f"gradients[{i}] must have the shape of parameters[{i}], {parameter.shape}, "
                f"got {np.shape(gradient)}"
            )
        if not np.isfinite(as_float_array(gradient, f"gradients[{i}]")).all():
            raise ValueError(
                f"gradients[{i}] must be finite, got NaN or infinite values (the step "
                "would spread them into the parameters)"
            )
    return [as_float_array(gradient, f"gradients[{i}]", parameter.dtype)
            for i, (parameter, gradient) in enumerate(zip(parameters, gradients))]


def check_layer_input(x: Any, weights: np.ndarray) -> np.ndarray:
    """A batch for a layer with these ``weights``, in their dtype: ``(n, inputs)``, or
    ``(runs, n, inputs)`` for a layer that holds a stack of runs' weights."""
    if type(x) is np.ndarray and x.dtype == weights.dtype and x.shape[-1:] == weights.shape[-2:-1] \
            and (x.ndim == 2 or x.ndim == 3 == weights.ndim and x.shape[0] == weights.shape[0]) \
            and x.shape[-2]:
        return x  # the common cases, decided in a few attribute lookups
    x = as_float_array(x, "x", weights.dtype)
    if x.ndim == 3 and weights.ndim == 3 and x.shape[0] == weights.shape[0]:  # a batch per run
        if x.shape[2] != weights.shape[1] or x.shape[1] == 0:
            raise ValueError(
                f"x must have shape ({weights.shape[0]}, n_samples, {weights.shape[1]}) (one "
                f"batch of at least one sample per run), got shape {x.shape}"
            )
        return x
    check_batch(x, "x", weights.shape[-2])
    return x


def check_any_float_dtype(dtype: Any) -> np.dtype:
    """Require a floating-point dtype (``np.float32``, ``"float64"``...) and return it."""
    try:
        resolved = np.dtype(dtype)
    except (TypeError, ValueError, SyntaxError):
        raise TypeError(
            f"dtype must be a floating-point dtype such as np.float64 or np.float32, got {dtype!r}"
        ) from None
    if resolved.kind != "f":
        raise TypeError(
            f"dtype must be a floating-point dtype such as np.float64 or np.float32, "
            f"got {resolved}"
        )
    return resolved


def check_bool(value: Any, name: str) -> bool:
    """Require ``True`` or ``False`` (not a number or a string that looks like one)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_layer_sizes(layer_sizes: Any) -> list:
    """Require a sequence of at least two positive integers: a network's layer widths."""
    if isinstance(layer_sizes, (str, bytes)) or not isinstance(layer_sizes, (Sequence, np.ndarray)):
        raise TypeError(
            f"layer_sizes must be a list of positive integers (in order), got {layer_sizes!r}"
        )
    layer_sizes = list(layer_sizes)
    if len(layer_sizes) < 2:
        raise ValueError(
            "layer_sizes needs at least input and output layers (2 entries), "
            f"got {len(layer_sizes)}: {list(layer_sizes)}"
        )
    return [check_positive_int(n, f"layer_sizes[{i}]") for i, n in enumerate(layer_sizes)]


def check_activations(activations: Any, n_layers: int) -> None:
    """Require one ``Activation`` instance per layer after the input."""
    from .activations import Activation  # the activations module checks with this module

    if isinstance(activations, Activation) or not isinstance(activations, Sequence):
        raise TypeError(f"activations must be a list of Activation instances, got {activations!r}")
    if len(activations) != n_layers:
        raise ValueError(
            f"activations needs one entry per layer except the input: {n_layers} "
            f"(one per layer after the input), got {len(activations)}"
        )
    for i, activation in enumerate(activations):
        check_instance(activation, Activation, f"activations[{i}]", "ReLU()")


def as_same_shape_arrays(
    first: Any, second: Any, names: tuple[str, str]
) -> tuple[np.ndarray, np.ndarray]:
    """Two arrays to compare element by element: float64, one shape, finite.

    A comparison must not broadcast a ``(2, 1)`` array against a ``(2,)`` one into a
    ``(2, 2)`` verdict, and a NaN, which compares false with everything, must not slip
    through as agreement. Real numbers only (:func:`as_float_array`).
    """
    first = as_float_array(first, names[0], np.float64)
    second = as_float_array(second, names[1], np.float64)
    if first.shape != second.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape, "
            f"got {first.shape} and {second.shape}"
        )
    if first.size == 0:
        raise ValueError(f"{names[0]} and {names[1]} are empty: there is nothing to compare")
    check_finite(first, names[0])
    check_finite(second, names[1])
    return first, second


def check_nudgeable(x: Any, h: Any, name: str = "x") -> float:
    """Require an array that a finite difference can nudge in place by ``h``; return ``h``.

    ``x`` must be a writable floating-point ndarray (a list or an integer array would
    be copied, or truncate ``x + h``, and the function reading ``x`` would never see the
    nudge), finite, and ``h`` a positive number large enough to change every entry (in
    float16, or for very large entries, ``x + h`` can round back to ``x``) and small
    enough that no entry overflows to infinity.
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        got = f"{x.dtype} array" if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(
            f"{name} must be a floating-point NumPy array (it is nudged in place), got {got}; "
            f"convert it once, e.g. {name} = np.asarray({name}, dtype=float), and read that array"
        )
    if not x.flags.writeable:
        raise ValueError(f"{name} must be writable (it is nudged in place), got a read-only array")
    h = check_positive_float(h, "h")
    check_finite(x, name)
    with np.errstate(over="ignore"):
        plus, minus = x + h, x - h
    overflowing = x.size - np.count_nonzero(np.isfinite(plus) & np.isfinite(minus))
    if overflowing:
        raise ValueError(
            f"h must be small enough that {name} + h and {name} - h stay finite, got h={h:g}: "
            f"they overflow to infinity in {overflowing} of {x.size} entries ({x.dtype}, "
            f"largest magnitude {np.abs(x).max():g}); use a smaller h"
        )
    unchanged = np.count_nonzero((plus == x) | (minus == x))
    if unchanged:
        raise ValueError(
            f"h must be large enough to change every entry of {name}, got h={h:g}: "
            f"{name} + h or {name} - h rounds back to {name} in {unchanged} of {x.size} "
            f"entries ({x.dtype}, largest magnitude {np.abs(x).max():g}); use a larger h"
        )
    return h


def finite_scalar_function(f: Any, name: str = "f") -> Callable[[], float]:
    """Require a function of no arguments; return it wrapped so that every value it
    returns is checked to be one finite real number (and returned as a float).

    A NaN or an array from ``f`` would otherwise become NaN or garbage gradients, and a
    NaN gradient compares false with every tolerance.
    """
    if not callable(f):
        raise TypeError(f"{name} must be a function of no arguments returning a number, got {f!r}")
    try:
        signature = inspect.signature(f)
    except (TypeError, ValueError):  # some built-ins have no signature: leave them to the call
        signature = None
    if signature is not None:
        try:
            signature.bind()
        except TypeError:
            raise TypeError(
                f"{name} must take no arguments (it reads the array being nudged), "
                f"got a function with parameters {signature}"
            ) from None

    def checked() -> float:
        value = f()
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value[()]
        if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, float, np.integer, np.floating)
        ):
            is_array = isinstance(value, np.ndarray)
            got = f"an array of shape {value.shape}" if is_array else reprlib.repr(value)
            raise TypeError(f"{name} must return one real number (a scalar), got {got}")
        if not math.isfinite(value):
            raise ValueError(f"{name} must return a finite number, got {value}")
        return float(value)

    return checked
