"""Small datasets, generated (never downloaded).

Every random generator takes an ``rng`` argument (``None``, an ``int`` seed, a
``np.random.Generator`` or a ``np.random.RandomState``; see
:func:`scratchnet.init.as_rng`) and draws all its randomness from it, never from
NumPy's global state, so the same seed always gives the same arrays. Arrays are
batch-first: one row per sample.

* :func:`xor`: the chapter's four points;
* :func:`moons` and :func:`circles`: two classes in 2-D that no straight line
  separates, for binary classification with a sigmoid output;
* :func:`spirals`: several interleaved spiral arms, for multi-class
  classification (targets from :func:`one_hot`);
* :func:`train_test_split`: hold out rows to measure what a network learned
  rather than what it memorized.
"""

from __future__ import annotations

from typing import Any, Tuple

import numpy as np

from ._validation import (
    as_real_array, check_any_float_dtype, check_finite, check_non_negative, check_number, check_positive_int,
)
from .init import as_rng


def xor(dtype: Any = np.float64) -> Tuple[np.ndarray, np.ndarray]:
    """The XOR problem of the chapter: four points, label 1 when exactly one input is 1.

    Returns ``X`` of shape ``(4, 2)`` and ``y`` of shape ``(4, 1)``.

    Example
    -------
    >>> from scratchnet import xor
    >>> X, y = xor()
    >>> X
    array([[0., 0.],
           [0., 1.],
           [1., 0.],
           [1., 1.]])
    >>> y.ravel()
    array([0., 1., 1., 0.])
    """
    dtype = check_any_float_dtype(dtype)
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=dtype)
    y = np.array([[0], [1], [1], [0]], dtype=dtype)
    return X, y


# --------------------------------------------------------------------------- argument checks


def _check_n_samples(n_samples: Any, at_least: int, why: str) -> int:
    """Require an integer ``n_samples`` of at least ``at_least`` (``why`` says why)."""
    n = check_positive_int(n_samples, "n_samples")
    if n < at_least:
        raise ValueError(f"n_samples must be at least {at_least} ({why}), got {n}")
    return n


def _permutation(rng: Any, n: int) -> np.ndarray:
    """A uniformly random ordering of ``range(n)``, drawn from ``rng``.

    ``as_rng`` only promises a ``standard_normal`` method, so the ordering is the
    one that sorts ``n`` independent normal draws: every ordering is equally likely.
    """
    return np.argsort(rng.standard_normal(n), kind="stable")


def _shuffled(rng: Any, X: np.ndarray, y: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """``X`` and ``y`` with their rows put in one random order (rows stay paired)."""
    order = _permutation(rng, len(X))
    return X[order], y[order]


# --------------------------------------------------------------------------- two-class datasets


def moons(
    n_samples: int = 200,
    noise: float = 0.1,
    rng: Any = None,
    dtype: Any = np.float64,
) -> Tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, like scikit-learn's ``make_moons``.

    Class 0 is the upper half of the unit circle around ``(0, 0)``; class 1 is the
    lower half of the unit circle around ``(1, 0.5)``. Each moon's tip reaches into
    the other's hollow, so no straight line separates them: a linear classifier
    still gets most points right (about 85 to 90 percent at ``noise=0.1``) but never
    all, while a small network with one hidden layer bends its boundary around the
    tips and gets (nearly) all of them. That makes the moons the first step after XOR: still
    2-D and easy to plot, but with hundreds of points and noise.

    Class 0 has ``n_samples // 2`` points and class 1 the remaining
    ``n_samples - n_samples // 2``, evenly spaced along each half circle, then moved
    by Gaussian noise of standard deviation ``noise`` in each coordinate. Rows are
    shuffled. The same ``rng`` seed gives the same order and the same noise
    directions whatever ``noise`` is, so changing ``noise`` only changes how far
    the points move.

    Returns ``X`` of shape ``(n_samples, 2)`` and ``y`` of shape ``(n_samples, 1)``
    holding 0.0 and 1.0, both of dtype ``dtype``.

    Example
    -------
    >>> from scratchnet import moons
    >>> X, y = moons(n_samples=100, noise=0.1, rng=0)
    >>> X.shape, y.shape, int(y.sum())
    ((100, 2), (100, 1), 50)
    """
    n = _check_n_samples(n_samples, 2, "one point per moon")
    noise = check_noise(noise)
    dtype = check_any_float_dtype(dtype)
    rng = as_rng(rng)

    n_upper = n // 2
    n_lower = n - n_upper
    upper = np.linspace(0.0, np.pi, n_upper)
    lower = np.linspace(0.0, np.pi, n_lower)
    X = np.concatenate(
        [
            np.column_stack([np.cos(upper), np.sin(upper)]),
            np.column_stack([1.0 - np.cos(lower), 0.5 - np.sin(lower)]),
        ]
    )
    y = np.concatenate([np.zeros(n_upper), np.ones(n_lower)]).reshape(-1, 1)
    X = X + noise * rng.standard_normal(X.shape)
    X, y = _shuffled(rng, X, y)
    return X.astype(dtype), y.astype(dtype)


def circles(
    n_samples: int = 200,
    noise: float = 0.05,
    factor: float = 0.5,
    rng: Any = None,
    dtype: Any = np.float64,
) -> Tuple[np.ndarray, np.ndarray]:
    """A small circle inside a large one, like scikit-learn's ``make_circles``.

    Class 0 lies on the circle of radius 1 around the origin; class 1 lies on the
    circle of radius ``factor`` (between 0 and 1) inside it. The inner ring is
    surrounded on every side, so no straight line separates the classes: a trained
    linear classifier (logistic regression) ends up near chance, about half right,
    and even the best possible line, which cuts a slice off the outer ring, gets
    only about two thirds right at ``factor=0.5``. A network has to learn a closed
    boundary, a ring between the two circles. With the squared radius
    ``x1**2 + x2**2`` as a feature the problem becomes linear: that is the kind of
    feature a hidden layer has to discover by itself.

    Class 0 has ``n_samples // 2`` points and class 1 the remaining
    ``n_samples - n_samples // 2``, evenly spaced around each circle, then moved by
    Gaussian noise of standard deviation ``noise`` in each coordinate. Rows are
    shuffled. As with :func:`moons`, the same seed gives the same order and noise
    directions whatever ``noise`` is.

    Returns ``X`` of shape ``(n_samples, 2)`` and ``y`` of shape ``(n_samples, 1)``
    holding 0.0 (outer) and 1.0 (inner), both of dtype ``dtype``.

    Example
    -------
    >>> from scratchnet import circles
    >>> X, y = circles(n_samples=100, noise=0.05, factor=0.5, rng=0)
    >>> X.shape, y.shape, int(y.sum())
    ((100, 2), (100, 1), 50)
    """
    n = _check_n_samples(n_samples, 2, "one point per circle")
    noise = check_noise(noise)
    factor = check_number(factor, "factor", "a number strictly between 0 and 1 (the inner radius)")
    if not 0 < factor < 1:
        raise ValueError(
            f"factor must be strictly between 0 and 1 (the inner radius), got {factor}"
        )
    dtype = check_any_float_dtype(dtype)
    rng = as_rng(rng)

    n_outer = n // 2
    n_inner = n - n_outer
    outer = np.linspace(0.0, 2.0 * np.pi, n_outer, endpoint=False)
    inner = np.linspace(0.0, 2.0 * np.pi, n_inner, endpoint=False)
    X = np.concatenate(
        [
            np.column_stack([np.cos(outer), np.sin(outer)]),
            float(factor) * np.column_stack([np.cos(inner), np.sin(inner)]),
        ]
    )
    y = np.concatenate([np.zeros(n_outer), np.ones(n_inner)]).reshape(-1, 1)
    X = X + noise * rng.standard_normal(X.shape)
    X, y = _shuffled(rng, X, y)
    return X.astype(dtype), y.astype(dtype)


# --------------------------------------------------------------------------- many classes


def spirals(
    n_samples: int = 300,
    n_classes: int = 3,
    noise: float = 0.2,
    rng: Any = None,
    dtype: Any = np.float64,
) -> Tuple[np.ndarray, np.ndarray]:
    """The spiral dataset of Stanford's CS231n notes: ``n_classes`` arms winding out.

    Each class is one arm of a spiral starting at the origin. For class ``j`` with
    ``N`` points, the recipe of the notes is::

        r = linspace(0.0, 1, N)                                   # radius
        t = linspace(j * 4, (j + 1) * 4, N) + randn(N) * noise    # angle, radians
        X = r * [sin(t), cos(t)]

    so each arm turns through 4 radians (a bit under two thirds of a turn) while its
    radius grows from 0 to 1, and the noise jitters the angle, never the radius.
    Neighbouring arms wrap around one another, so no straight boundary follows
    them: this is the classic multi-class problem where a linear (softmax)
    classifier stays at about half the points right with three classes, while a
    network with one hidden layer gets nearly all of them.

    ``n_samples`` is split as evenly as possible: every class gets
    ``n_samples // n_classes`` points and the first ``n_samples % n_classes``
    classes one more. Rows are shuffled; the same seed gives the same order and
    the same angle jitter directions whatever ``noise`` is.

    Returns ``X`` of shape ``(n_samples, 2)`` and dtype ``dtype``, and ``labels`` of
    shape ``(n_samples,)``, dtype ``int64``, in ``0 .. n_classes - 1`` (turn them
    into targets with :func:`one_hot`).

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import spirals
    >>> X, labels = spirals(n_samples=300, n_classes=3, rng=0)
    >>> X.shape, labels.shape, np.bincount(labels)
    ((300, 2), (300,), array([100, 100, 100]))
    """
    k = check_positive_int(n_classes, "n_classes")
    n = _check_n_samples(n_samples, k, f"one point per class, n_classes={k}")
    noise = check_noise(noise)
    dtype = check_any_float_dtype(dtype)
    rng = as_rng(rng)

    counts = [n // k + (1 if j < n % k else 0) for j in range(k)]
    arms, labels = [], []
    for j, count in enumerate(counts):
        r = np.linspace(0.0, 1.0, count)
        t = np.linspace(j * 4.0, (j + 1) * 4.0, count) + noise * rng.standard_normal(count)
        arms.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        labels.append(np.full(count, j, dtype=np.int64))
    X, y = _shuffled(rng, np.concatenate(arms), np.concatenate(labels))
    return X.astype(dtype), y


# --------------------------------------------------------------------------- helpers


def one_hot(labels: Any, n_classes: int | None = None, dtype: Any = np.float64) -> np.ndarray:
    """Turn integer class labels into one-hot rows: label ``j`` becomes a row of zeros
    with a single 1 in column ``j``.

    ``labels`` must be a 1-D sequence of integers in ``0 .. n_classes - 1``. When
    ``n_classes`` is not given it is ``max(labels) + 1``; give it explicitly when a
    batch might miss the last classes (a test split, say), so every batch gets the
    same number of columns. ``labels.argmax`` of the result gives the labels back.

    Returns an array of shape ``(len(labels), n_classes)`` and dtype ``dtype``.

    Example
    -------
    >>> from scratchnet import one_hot
    >>> one_hot([0, 2, 1])
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]])
    """
    array = np.asarray(labels)
    if array.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers (class indices), got dtype {array.dtype}")
    if array.ndim != 1:
        raise ValueError(f"labels must be 1-D with shape (n_samples,), got shape {array.shape}")
    dtype = check_any_float_dtype(dtype)
    if n_classes is None:
        if array.size == 0:
            raise ValueError(
                "labels is empty, so the number of classes cannot be inferred: pass n_classes"
            )
        if array.min() < 0:
            raise ValueError(f"labels must be >= 0 (class indices), got {array.min()}")
        k = int(array.max()) + 1
    else:
        k = check_positive_int(n_classes, "n_classes")
    bad = (array < 0) | (array >= k)
    if bad.any():
        raise ValueError(
            f"labels must lie in 0 .. {k - 1} (n_classes={k}), "
            f"got {int(bad.sum())} outside, such as {array[bad][0]}"
        )
    encoded = np.zeros((array.size, k), dtype=dtype)
    encoded[np.arange(array.size), array] = 1
    return encoded


def check_noise(noise: Any) -> float:
    """A noise level: a number from 0 to ``MAX_NOISE``. The points lie within a few
    units of the origin, so more noise than that only buries them (and near the
    largest floats, their sum would overflow)."""
    noise = check_non_negative(noise, "noise")
    if noise > MAX_NOISE:
        raise ValueError(f"noise must be at most {MAX_NOISE:g}, got {noise!r}")
    return noise


MAX_NOISE = 1e6


def train_test_split(
    X: Any, y: Any, test_size: float | int = 0.25, rng: Any = None
) -> Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split the rows of ``X`` and ``y`` at random into a training and a test part.

    A network is judged on the test part, which it never sees while training: a
    low training loss alone can mean the network memorized its points.

    One random ordering of the rows is drawn from ``rng`` and applied to ``X`` and
    ``y`` alike, so row ``i`` of ``X_train`` still belongs with row ``i`` of
    ``y_train``. ``test_size`` is either a fraction in (0, 1), rounded half up to a
    number of rows and kept between 1 and ``n - 1``, or an ``int`` count of test
    rows from 1 to ``n - 1``; either way both parts get at least one row. ``X`` and
    ``y`` must have the same number of rows; ``y`` may be labels ``(n,)`` or targets
    ``(n, k)``. Dtypes are kept.

    Returns ``(X_train, X_test, y_train, y_test)``.

    Example
    -------
    >>> from scratchnet import moons, train_test_split
    >>> X, y = moons(n_samples=100, rng=0)
    >>> X_train, X_test, y_train, y_test = train_test_split(
    ...     X, y, test_size=0.25, rng=0)
    >>> X_train.shape, X_test.shape, y_train.shape, y_test.shape
    ((75, 2), (25, 2), (75, 1), (25, 1))
    """
    X = as_real_array(X, "X")
    y = as_real_array(y, "y")
    if X.ndim == 0:
        raise ValueError("X must have one row per sample (at least 1-D), got a scalar")
    if y.ndim == 0:
        raise ValueError("y must have one row per sample (at least 1-D), got a scalar")
    for name, values in (("X", X), ("y", y)):
        if values.dtype.kind == "f":
            check_finite(values, name)
    n = X.shape[0]
    if y.shape[0] != n:
        raise ValueError(
            f"X and y must have the same number of rows, got X with {n} "
            f"(shape {X.shape}) and y with {y.shape[0]} (shape {y.shape})"
        )
    if n < 2:
        raise ValueError(
            f"X must have at least 2 rows (one for each part), got shape {X.shape}"
        )
    if isinstance(test_size, (bool, np.bool_)) or not isinstance(
        test_size, (int, float, np.number)
    ):
        raise TypeError(
            f"test_size must be a fraction in (0, 1) or an int count of rows, got {test_size!r}"
        )
    if isinstance(test_size, (int, np.integer)):
        if not 1 <= test_size <= n - 1:
            raise ValueError(
                f"test_size as a count must be between 1 and {n - 1} (n_samples - 1), "
                f"got {test_size}"
            )
        n_test = int(test_size)
    else:
        if not 0 < test_size < 1:
            raise ValueError(
                f"test_size as a fraction must be strictly between 0 and 1, got {test_size}"
            )
        n_test = min(max(int(np.floor(test_size * n + 0.5)), 1), n - 1)
    order = _permutation(as_rng(rng), n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]
