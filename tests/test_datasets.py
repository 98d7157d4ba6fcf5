"""Generated datasets: shapes, dtypes, balance, determinism, geometry, claims, helpers, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratchnet.datasets import circles, moons, one_hot, spirals, train_test_split, xor

# Each generator with small arguments, returning (X, labels as a 1-D int array).


def moons_labels(**kwargs):
    X, y = moons(**kwargs)
    return X, y.ravel().astype(np.int64)


def circles_labels(**kwargs):
    X, y = circles(**kwargs)
    return X, y.ravel().astype(np.int64)


GENERATORS = [moons, circles, spirals]
GEN_IDS = ["moons", "circles", "spirals"]


def angles_from(X: np.ndarray, centre=(0.0, 0.0)) -> np.ndarray:
    """Polar angle of each row around ``centre``, in [0, 2 pi)."""
    d = X - np.asarray(centre)
    return np.mod(np.arctan2(d[:, 1], d[:, 0]), 2 * np.pi)


def radii_from(X: np.ndarray, centre=(0.0, 0.0)) -> np.ndarray:
    return np.hypot(X[:, 0] - centre[0], X[:, 1] - centre[1])


def linear_softmax_accuracy(X: np.ndarray, labels: np.ndarray, k: int, steps: int = 2000) -> float:
    """Training accuracy of a linear softmax classifier fitted by gradient descent."""
    Xb = np.column_stack([X, np.ones(len(X))])
    W = np.zeros((3, k))
    T = one_hot(labels, k)
    for _ in range(steps):
        z = Xb @ W
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        W -= Xb.T @ (p - T) / len(X) + 1e-3 * W
    return float(np.mean((Xb @ W).argmax(axis=1) == labels))


def hidden_layer_accuracy(X: np.ndarray, labels: np.ndarray, k: int, steps: int = 2000) -> float:
    """Training accuracy of a 2-50-k ReLU/softmax network, the CS231n recipe."""
    g = np.random.default_rng(0)
    W1, b1 = 0.01 * g.standard_normal((2, 50)), np.zeros(50)
    W2, b2 = 0.01 * g.standard_normal((50, k)), np.zeros(k)
    T = one_hot(labels, k)
    for _ in range(steps):
        h = np.maximum(0.0, X @ W1 + b1)
        z = h @ W2 + b2
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        d = (p - T) / len(X)
        dh = d @ W2.T
        dh[h <= 0] = 0
        W2 -= h.T @ d + 1e-3 * W2
        b2 -= d.sum(axis=0)
        W1 -= X.T @ dh + 1e-3 * W1
        b1 -= dh.sum(axis=0)
    h = np.maximum(0.0, X @ W1 + b1)
    return float(np.mean((h @ W2 + b2).argmax(axis=1) == labels))


# --------------------------------------------------------------------------- xor is unchanged


def test_xor_is_the_chapters_four_points():
    X, y = xor()
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [[0], [1], [1], [0]])
    assert xor(np.float32)[0].dtype == np.float32


# --------------------------------------------------------------------------- shapes and dtypes


@pytest.mark.parametrize("make", [moons, circles], ids=["moons", "circles"])
@pytest.mark.parametrize("n", [2, 3, 200, 201])
def test_two_class_shapes_and_default_dtype(make, n):
    X, y = make(n_samples=n, rng=0)
    assert X.shape == (n, 2) and y.shape == (n, 1)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert np.isfinite(X).all()
    assert set(np.unique(y)) <= {0.0, 1.0}


def test_defaults_give_the_documented_sizes():
    assert moons(rng=0)[0].shape == (200, 2)
    assert circles(rng=0)[0].shape == (200, 2)
    assert spirals(rng=0)[0].shape == (300, 2)
    assert set(np.unique(spirals(rng=0)[1])) == {0, 1, 2}


@pytest.mark.parametrize("make, documented", [
    (moons, dict(n_samples=200, noise=0.1)),
    (circles, dict(n_samples=200, noise=0.05, factor=0.5)),
    (spirals, dict(n_samples=300, n_classes=3, noise=0.2)),
], ids=GEN_IDS)
def test_defaults_are_the_documented_noise_and_sizes(make, documented):
    for a, b in zip(make(rng=4), make(**documented, rng=4)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("make", [moons, circles], ids=["moons", "circles"])
@pytest.mark.parametrize("dtype", [np.float32, "float32", np.float16])
def test_two_class_dtype_is_honoured_for_X_and_y(make, dtype):
    X, y = make(n_samples=50, rng=0, dtype=dtype)
    assert X.dtype == np.dtype(dtype) and y.dtype == np.dtype(dtype)


@pytest.mark.parametrize("n, k", [(3, 3), (300, 3), (301, 3), (10, 4), (7, 1)])
def test_spirals_shapes_and_dtypes(n, k):
    X, labels = spirals(n_samples=n, n_classes=k, rng=0)
    assert X.shape == (n, 2) and labels.shape == (n,)
    assert X.dtype == np.float64 and labels.dtype == np.int64
    assert labels.min() >= 0 and labels.max() <= k - 1
    X32, labels32 = spirals(n_samples=n, n_classes=k, rng=0, dtype=np.float32)
    assert X32.dtype == np.float32 and labels32.dtype == np.int64
    np.testing.assert_array_equal(labels32, labels)
    np.testing.assert_allclose(X32, X, rtol=1e-6, atol=1e-6)


# --------------------------------------------------------------------------- balance and order


@pytest.mark.parametrize("make", [moons_labels, circles_labels], ids=["moons", "circles"])
@pytest.mark.parametrize("n, counts", [(2, [1, 1]), (200, [100, 100]), (201, [100, 101])])
def test_two_class_balance(make, n, counts):
    _, labels = make(n_samples=n, rng=1)
    assert np.bincount(labels, minlength=2).tolist() == counts


@pytest.mark.parametrize(
    "n, k, counts",
    [(300, 3, [100, 100, 100]), (301, 3, [101, 100, 100]), (302, 3, [101, 101, 100]),
     (10, 4, [3, 3, 2, 2]), (5, 5, [1, 1, 1, 1, 1])],
)
def test_spirals_split_classes_as_evenly_as_possible(n, k, counts):
    _, labels = spirals(n_samples=n, n_classes=k, rng=1)
    assert np.bincount(labels, minlength=k).tolist() == counts


@pytest.mark.parametrize("make", [moons_labels, circles_labels, spirals], ids=GEN_IDS)
def test_rows_are_shuffled(make):
    _, labels = make(rng=2)
    # Unshuffled, the labels would come in blocks: 0 0 ... 1 1 ....
    assert np.count_nonzero(np.diff(labels)) > 20


# --------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("make", GENERATORS, ids=GEN_IDS)
def test_same_seed_same_arrays(make):
    X1, y1 = make(rng=11)
    X2, y2 = make(rng=11)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


@pytest.mark.parametrize("make", GENERATORS, ids=GEN_IDS)
def test_int_seed_generator_and_randomstate(make):
    X_int, y_int = make(rng=5)
    X_gen, y_gen = make(rng=np.random.default_rng(5))
    np.testing.assert_array_equal(X_int, X_gen)
    np.testing.assert_array_equal(y_int, y_gen)
    X_rs1, y_rs1 = make(rng=np.random.RandomState(5))
    X_rs2, y_rs2 = make(rng=np.random.RandomState(5))
    np.testing.assert_array_equal(X_rs1, X_rs2)
    np.testing.assert_array_equal(y_rs1, y_rs2)


@pytest.mark.parametrize("make", GENERATORS, ids=GEN_IDS)
def test_different_seeds_different_arrays(make):
    X1, y1 = make(rng=1)
    X2, y2 = make(rng=2)
    assert not np.array_equal(X1, X2)
    assert not np.array_equal(y1, y2)  # a different shuffle


@pytest.mark.parametrize("make", GENERATORS, ids=GEN_IDS)
def test_a_shared_generator_moves_on(make):
    rng = np.random.default_rng(3)
    X1, _ = make(rng=rng)
    X2, _ = make(rng=rng)
    assert not np.array_equal(X1, X2)


@pytest.mark.parametrize("make", GENERATORS, ids=GEN_IDS)
def test_rng_none_is_fresh_each_call(make):
    X1, _ = make()
    X2, _ = make()
    assert not np.array_equal(X1, X2)


def test_global_random_state_is_untouched():
    state = np.random.get_state()
    try:
        np.random.seed(3)
        before = np.random.get_state()[1].copy()
        moons(rng=None)
        circles(rng=np.random.RandomState(1))
        spirals(rng=4)
        X, y = moons(rng=0)
        train_test_split(X, y)
        train_test_split(X, y, rng=np.random.RandomState(2))
        np.testing.assert_array_equal(np.random.get_state()[1], before)
    finally:
        np.random.set_state(state)


# --------------------------------------------------------------------------- geometry without noise


def test_moons_without_noise_lie_on_their_unit_half_circles():
    X, labels = moons_labels(n_samples=101, noise=0.0, rng=0)
    upper, lower = X[labels == 0], X[labels == 1]
    np.testing.assert_allclose(radii_from(upper), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(radii_from(lower, (1.0, 0.5)), 1.0, rtol=0, atol=1e-12)
    assert (upper[:, 1] >= -1e-12).all()  # upper half around (0, 0)
    assert (lower[:, 1] <= 0.5 + 1e-12).all()  # lower half around (1, 0.5)
    # Evenly spaced from one end of the half circle to the other.
    np.testing.assert_allclose(
        np.sort(np.arctan2(upper[:, 1], upper[:, 0])), np.linspace(0, np.pi, 50), atol=1e-12
    )
    np.testing.assert_allclose(
        np.sort(np.arctan2(0.5 - lower[:, 1], 1.0 - lower[:, 0])),
        np.linspace(0, np.pi, 51),
        atol=1e-12,
    )


@pytest.mark.parametrize("factor", [0.1, 0.5, 0.8])
def test_circles_without_noise_have_radii_factor_and_one(factor):
    X, labels = circles_labels(n_samples=120, noise=0.0, factor=factor, rng=0)
    np.testing.assert_allclose(radii_from(X[labels == 0]), 1.0, rtol=1e-12)
    np.testing.assert_allclose(radii_from(X[labels == 1]), factor, rtol=1e-12)
    for cls in (0, 1):
        np.testing.assert_allclose(
            np.sort(angles_from(X[labels == cls])),
            np.linspace(0, 2 * np.pi, 60, endpoint=False),
            atol=1e-12,
        )


@pytest.mark.parametrize("k", [2, 3, 5])
def test_spirals_without_noise_follow_the_cs231n_arms(k):
    X, labels = spirals(n_samples=40 * k, n_classes=k, noise=0.0, rng=0)
    r = radii_from(X)
    for j in range(k):
        arm = labels == j
        np.testing.assert_allclose(np.sort(r[arm]), np.linspace(0.0, 1.0, 40), atol=1e-12)
        t = 4.0 * j + 4.0 * r[arm]  # angle grows 4 radians as the radius goes 0 -> 1
        expected = np.column_stack([r[arm] * np.sin(t), r[arm] * np.cos(t)])
        np.testing.assert_allclose(X[arm], expected, atol=1e-12)


def test_spirals_follow_the_cs231n_recipe_with_the_generators_draws():
    """t = linspace(j * 4, (j + 1) * 4, N) + randn(N) * noise, one randn(N) per arm in
    turn, drawn from the generator passed as rng."""
    noise, k, count = 0.1, 3, 20
    clean, labels = spirals(n_samples=k * count, n_classes=k, noise=0.0,
                            rng=np.random.default_rng(11))
    noisy, same = spirals(n_samples=k * count, n_classes=k, noise=noise,
                          rng=np.random.default_rng(11))
    np.testing.assert_array_equal(labels, same)
    draws = np.random.default_rng(11)
    randn = [draws.standard_normal(count) for _ in range(k)]
    index = np.rint(radii_from(clean) * (count - 1)).astype(int)  # r = linspace(0, 1, N)
    t = np.array([4.0 * j + 4.0 * i / (count - 1) + noise * randn[j][i]
                  for j, i in zip(labels, index)])
    r = index / (count - 1)
    np.testing.assert_allclose(noisy, np.column_stack([r * np.sin(t), r * np.cos(t)]),
                               atol=1e-12)


@pytest.mark.parametrize("noise", [0.0, 0.2, 1.0])
def test_spirals_noise_moves_the_angle_never_the_radius(noise):
    X, labels = spirals(n_samples=300, noise=noise, rng=3)
    r = radii_from(X)
    assert r.min() >= 0.0 and r.max() <= 1.0 + 1e-12
    for j in range(3):
        np.testing.assert_allclose(np.sort(r[labels == j]), np.linspace(0, 1, 100), atol=1e-12)


# --------------------------------------------------------------------------- the noise level


@pytest.mark.parametrize("make", [moons, circles], ids=["moons", "circles"])
@pytest.mark.parametrize("noise", [0.05, 0.3])
def test_noise_is_gaussian_with_std_noise_in_each_coordinate(make, noise):
    clean, y_clean = make(n_samples=4000, noise=0.0, rng=8)
    noisy, y_noisy = make(n_samples=4000, noise=noise, rng=8)
    np.testing.assert_array_equal(y_clean, y_noisy)  # same order whatever the noise
    moved = noisy - clean
    np.testing.assert_allclose(moved.std(axis=0), noise, rtol=0.05)
    np.testing.assert_allclose(moved.mean(axis=0), 0.0, atol=4 * noise / np.sqrt(4000))


@pytest.mark.parametrize("noise", [0.1, 0.5])
def test_spirals_angle_noise_has_std_noise(noise):
    clean, l_clean = spirals(n_samples=6000, noise=0.0, rng=8)
    noisy, l_noisy = spirals(n_samples=6000, noise=noise, rng=8)
    np.testing.assert_array_equal(l_clean, l_noisy)
    keep = radii_from(clean) > 1e-6  # the centre point has no angle
    a, b = clean[keep], noisy[keep]
    turned = np.arctan2(a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0], (a * b).sum(axis=1))
    # X = r [sin t, cos t] turns clockwise as t grows, hence the minus sign.
    np.testing.assert_allclose(np.std(-turned), noise, rtol=0.05)


# --------------------------------------------------------------------------- the docstrings' claims


def test_moons_are_not_linearly_separable_but_a_hidden_layer_learns_them():
    X, labels = moons_labels(n_samples=200, noise=0.1, rng=0)
    assert 0.8 <= linear_softmax_accuracy(X, labels, 2) <= 0.92
    assert hidden_layer_accuracy(X, labels, 2) >= 0.97


def test_circles_defeat_every_straight_line():
    X, labels = circles_labels(n_samples=200, noise=0.0, factor=0.5, rng=0)
    assert linear_softmax_accuracy(X, labels, 2) <= 0.6
    # The best of many lines (directions x thresholds, both sides) still gets about 2/3.
    theta = np.linspace(0, np.pi, 180, endpoint=False)
    projections = X @ np.stack([np.cos(theta), np.sin(theta)])  # (n, directions)
    thresholds = np.linspace(-1.1, 1.1, 221)
    below = projections[:, :, None] < thresholds  # (n, directions, thresholds)
    agree = (below == labels[:, None, None].astype(bool)).mean(axis=0)
    best = np.maximum(agree, 1 - agree).max()
    assert 0.6 <= best <= 0.7
    # ...while the squared radius separates them perfectly.
    assert np.array_equal((radii_from(X) ** 2 < 0.5).astype(np.int64), labels)


def test_spirals_linear_gets_about_half_a_hidden_layer_nearly_all():
    X, labels = spirals(n_samples=300, n_classes=3, noise=0.2, rng=0)
    assert 0.4 <= linear_softmax_accuracy(X, labels, 3) <= 0.65
    assert hidden_layer_accuracy(X, labels, 3) >= 0.9


# --------------------------------------------------------------------------- one_hot


@pytest.mark.parametrize("k", [1, 2, 3, 7])
def test_one_hot_round_trip(k):
    labels = np.random.default_rng(k).integers(0, k, size=50)
    encoded = one_hot(labels, n_classes=k)
    assert encoded.shape == (50, k) and encoded.dtype == np.float64
    assert set(np.unique(encoded)) <= {0.0, 1.0}
    np.testing.assert_array_equal(encoded.sum(axis=1), 1.0)
    np.testing.assert_array_equal(encoded.argmax(axis=1), labels)


def test_one_hot_exact_values_and_inferred_classes():
    np.testing.assert_array_equal(
        one_hot([2, 0, 1, 2]), [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
    )
    assert one_hot([0, 0]).shape == (2, 1)
    assert one_hot(np.array([1, 3], dtype=np.uint8)).shape == (2, 4)


def test_one_hot_explicit_n_classes_adds_empty_columns():
    encoded = one_hot([0, 1], n_classes=4)
    np.testing.assert_array_equal(encoded, [[1, 0, 0, 0], [0, 1, 0, 0]])
    assert one_hot(np.array([], dtype=np.int64), n_classes=3).shape == (0, 3)


def test_one_hot_dtype_and_spirals_labels():
    X, labels = spirals(n_samples=30, rng=0, dtype=np.float32)
    encoded = one_hot(labels, dtype=np.float32)
    assert encoded.shape == (30, 3) and encoded.dtype == np.float32
    np.testing.assert_array_equal(encoded.argmax(axis=1), labels)


@pytest.mark.parametrize(
    "labels, kwargs, error, match",
    [
        ([0.0, 1.0], {}, TypeError, "labels"),
        ([True, False], {}, TypeError, "labels"),
        (["a", "b"], {}, TypeError, "labels"),
        ([], {}, TypeError, "labels"),  # np.asarray([]) is float
        ([[0, 1], [1, 0]], {}, ValueError, "labels"),
        (5, {}, ValueError, "labels"),
        ([0, -1, 1], {}, ValueError, "labels"),
        ([0, -1, 1], {"n_classes": 3}, ValueError, "labels"),
        ([0, 3], {"n_classes": 3}, ValueError, "labels"),
        (np.array([], dtype=np.int64), {}, ValueError, "labels"),
        ([0, 1], {"n_classes": 0}, ValueError, "n_classes"),
        ([0, 1], {"n_classes": 2.0}, TypeError, "n_classes"),
        ([0, 1], {"n_classes": True}, TypeError, "n_classes"),
        ([0, 1], {"dtype": np.int64}, TypeError, "dtype"),
        ([0, 1], {"dtype": "not a dtype"}, TypeError, "dtype"),
    ],
)
def test_one_hot_errors(labels, kwargs, error, match):
    with pytest.raises(error, match=match):
        one_hot(labels, **kwargs)


def test_one_hot_out_of_range_message_says_range_and_value():
    with pytest.raises(ValueError, match=r"labels must lie in 0 \.\. 2 \(n_classes=3\).*such as 5"):
        one_hot([0, 5, 1], n_classes=3)


# --------------------------------------------------------------------------- train_test_split


def numbered(n: int, k: int | None = None):
    """Rows that say who they are: X[i] = (i, -i); y[i] = 10 i (or a row of k such)."""
    ids = np.arange(n)
    X = np.column_stack([ids, -ids]).astype(np.float64)
    y = 10 * ids if k is None else np.outer(10 * ids, np.ones(k, dtype=np.int64))
    return X, y


def assert_partition(n, X_train, X_test, y_train, y_test):
    train_ids = X_train[:, 0].astype(np.int64)
    test_ids = X_test[:, 0].astype(np.int64)
    assert np.intersect1d(train_ids, test_ids).size == 0  # disjoint
    np.testing.assert_array_equal(np.sort(np.concatenate([train_ids, test_ids])), np.arange(n))
    np.testing.assert_array_equal(X_train[:, 1], -train_ids)  # rows of X intact
    np.testing.assert_array_equal(X_test[:, 1], -test_ids)
    y_train_ids = (y_train if y_train.ndim == 1 else y_train[:, 0]) // 10
    y_test_ids = (y_test if y_test.ndim == 1 else y_test[:, 0]) // 10
    np.testing.assert_array_equal(y_train_ids, train_ids)  # rows of X and y paired
    np.testing.assert_array_equal(y_test_ids, test_ids)


@pytest.mark.parametrize("k", [None, 1, 3])
def test_split_is_a_paired_partition(k):
    X, y = numbered(40, k)
    X_train, X_test, y_train, y_test = train_test_split(X, y, rng=0)
    assert X_train.shape == (30, 2) and X_test.shape == (10, 2)
    assert y_train.shape[0] == 30 and y_test.shape[0] == 10
    assert y_train.shape[1:] == y.shape[1:] == y_test.shape[1:]
    assert_partition(40, X_train, X_test, y_train, y_test)


@pytest.mark.parametrize(
    "n, test_size, n_test",
    [(40, 0.25, 10), (10, 0.25, 3), (10, 0.24, 2), (10, 0.01, 1), (10, 0.99, 9),
     (2, 0.5, 1), (2, 0.1, 1), (2, 0.9, 1), (10, 3, 3), (10, 1, 1), (10, 9, 9),
     (10, np.int64(4), 4), (10, np.float32(0.5), 5)],
)
def test_split_sizes(n, test_size, n_test):
    X, y = numbered(n)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size, rng=1)
    assert len(X_test) == len(y_test) == n_test
    assert len(X_train) == len(y_train) == n - n_test
    assert_partition(n, X_train, X_test, y_train, y_test)


def test_split_is_random_and_reproducible():
    X, y = numbered(50)
    a = train_test_split(X, y, rng=4)
    b = train_test_split(X, y, rng=np.random.default_rng(4))
    c = train_test_split(X, y, rng=5)
    for left, right in zip(a, b):
        np.testing.assert_array_equal(left, right)
    assert not np.array_equal(a[1], c[1])
    d = train_test_split(X, y, rng=np.random.RandomState(4))
    e = train_test_split(X, y, rng=np.random.RandomState(4))
    for left, right in zip(d, e):
        np.testing.assert_array_equal(left, right)
    # The test part is a random sample, not simply the last rows.
    assert not np.array_equal(np.sort(a[1][:, 0]), np.arange(50 - len(a[1]), 50))


def test_split_keeps_dtypes_and_accepts_lists_and_datasets():
    X, y = moons(n_samples=20, rng=0, dtype=np.float32)
    X_train, X_test, y_train, y_test = train_test_split(X, y, rng=0)
    assert X_train.dtype == X_test.dtype == y_train.dtype == y_test.dtype == np.float32
    assert X_train.shape == (15, 2) and y_test.shape == (5, 1)
    X_train, X_test, y_train, y_test = train_test_split([[1, 2], [3, 4]], [0, 1], rng=0)
    assert X_train.shape == X_test.shape == (1, 2)
    assert {int(y_train[0]), int(y_test[0])} == {0, 1}
    np.testing.assert_array_equal(
        np.concatenate([X_train, X_test])[np.argsort(np.concatenate([y_train, y_test]))],
        [[1, 2], [3, 4]],
    )


@settings(deadline=None, max_examples=50, database=None)
@given(
    n=st.integers(2, 60),
    fraction=st.floats(0.001, 0.999),
    seed=st.integers(0, 2**32 - 1),
)
def test_split_partition_property(n, fraction, seed):
    X, y = numbered(n, 2)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=fraction, rng=seed)
    assert 1 <= len(X_test) <= n - 1
    assert abs(len(X_test) - fraction * n) <= max(0.5, 1 - fraction * n, fraction * n - n + 1)
    assert_partition(n, X_train, X_test, y_train, y_test)


@pytest.mark.parametrize(
    "X, y, kwargs, error, match",
    [
        (np.zeros((5, 2)), np.zeros(4), {}, ValueError, "X and y"),
        (np.zeros((5, 2)), np.zeros((6, 1)), {}, ValueError, "X and y"),
        (np.zeros((1, 2)), np.zeros(1), {}, ValueError, "X"),
        (np.zeros((0, 2)), np.zeros(0), {}, ValueError, "X"),
        (np.float64(3.0), np.zeros(1), {}, ValueError, "X"),
        (np.zeros((5, 2)), 1.0, {}, ValueError, "y"),
        (np.zeros((5, 2)), np.zeros(5), {"test_size": 0.0}, ValueError, "test_size"),
        (np.zeros((5, 2)), np.zeros(5), {"test_size": 1.0}, ValueError, "test_size"),
        (np.zeros((5, 2)), np.zeros(5), {"test_size": 1.5}, ValueError, "test_size"),
        (np.zeros((5, 2)), np.zeros(5), {"test_size": -0.2}, ValueError, "test_size"),
        (np.zeros((5, 2)), np.zeros(5), {"test_size": float("nan")}, ValueError, "test_size"),
        (np.zeros((5, 2)), np.zeros(5), {"test_size": 0}, ValueError, "test_size"),
        (np.zeros((5, 2)), np.zeros(5), {"test_size": 5}, ValueError, "test_size"),
        (np.zeros((5, 2)), np.zeros(5), {"test_size": -1}, ValueError, "test_size"),
        (np.zeros((5, 2)), np.zeros(5), {"test_size": "0.2"}, TypeError, "test_size"),
        (np.zeros((5, 2)), np.zeros(5), {"test_size": True}, TypeError, "test_size"),
        (np.zeros((5, 2)), np.zeros(5), {"test_size": None}, TypeError, "test_size"),
        (np.zeros((5, 2)), np.zeros(5), {"rng": "seed"}, TypeError, "rng"),
    ],
)
def test_split_errors(X, y, kwargs, error, match):
    with pytest.raises(error, match=match):
        train_test_split(X, y, **kwargs)


@pytest.mark.parametrize("X, y, message", [
    (np.float64(3.0), np.zeros(1), "X must have one row per sample (at least 1-D), got a scalar"),
    (np.zeros((5, 2)), 1.0, "y must have one row per sample (at least 1-D), got a scalar"),
])
def test_split_refuses_a_scalar_saying_so(X, y, message):
    with pytest.raises(ValueError) as error:
        train_test_split(X, y)
    assert str(error.value) == message


@pytest.mark.parametrize("test_size", [0, 5])
def test_split_count_message_gives_the_allowed_range(test_size):
    with pytest.raises(ValueError, match=r"^test_size as a count must be between 1 and 4 "
                                         rf"\(n_samples - 1\), got {test_size}$"):
        train_test_split(np.zeros((5, 2)), np.zeros(5), test_size=test_size)


def test_split_row_mismatch_message_gives_both_counts():
    with pytest.raises(ValueError, match=r"X with 5 .*y with 4"):
        train_test_split(np.zeros((5, 2)), np.zeros(4))


# --------------------------------------------------------------------------- generator errors


BAD_COMMON = [
    ({"n_samples": 0}, ValueError, "n_samples"),
    ({"n_samples": -3}, ValueError, "n_samples"),
    ({"n_samples": 20.0}, TypeError, "n_samples"),
    ({"n_samples": True}, TypeError, "n_samples"),
    ({"n_samples": "20"}, TypeError, "n_samples"),
    ({"noise": -0.1}, ValueError, "noise"),
    ({"noise": float("inf")}, ValueError, "noise"),
    ({"noise": float("nan")}, ValueError, "noise"),
    ({"noise": "0.1"}, TypeError, "noise"),
    ({"noise": None}, TypeError, "noise"),
    ({"noise": True}, TypeError, "noise"),
    ({"dtype": np.int64}, TypeError, "dtype"),
    ({"dtype": "int32"}, TypeError, "dtype"),
    ({"dtype": bool}, TypeError, "dtype"),
    ({"dtype": "not a dtype"}, TypeError, "dtype"),
    ({"rng": "seed"}, TypeError, "rng"),
    ({"rng": 1.5}, TypeError, "rng"),
]


@pytest.mark.parametrize("make", GENERATORS, ids=GEN_IDS)
@pytest.mark.parametrize("kwargs, error, match", BAD_COMMON)
def test_generator_errors(make, kwargs, error, match):
    with pytest.raises(error, match=match):
        make(**kwargs)


@pytest.mark.parametrize("make", [moons, circles], ids=["moons", "circles"])
def test_two_class_needs_a_point_per_class(make):
    with pytest.raises(ValueError, match="n_samples must be at least 2"):
        make(n_samples=1)


@pytest.mark.parametrize("make, kwargs, message", [
    (moons, {"n_samples": 1}, "n_samples must be at least 2 (one point per moon), got 1"),
    (circles, {"n_samples": 1}, "n_samples must be at least 2 (one point per circle), got 1"),
    (spirals, {"n_samples": 2, "n_classes": 3},
     "n_samples must be at least 3 (one point per class, n_classes=3), got 2"),
], ids=GEN_IDS)
def test_too_few_samples_message_says_why(make, kwargs, message):
    with pytest.raises(ValueError) as error:
        make(**kwargs)
    assert str(error.value) == message


@pytest.mark.parametrize("make", GENERATORS, ids=GEN_IDS)
def test_noise_may_be_as_large_as_max_noise_but_no_larger(make):
    X, _ = make(n_samples=6, noise=1e6, rng=0)  # MAX_NOISE itself is allowed
    assert np.isfinite(X).all()
    with pytest.raises(ValueError, match=r"^noise must be at most 1e\+06, got 1000000\.0000000001$"):
        make(n_samples=6, noise=1000000.0000000001, rng=0)


def test_circles_factor_type_error_says_what_is_expected():
    with pytest.raises(TypeError) as error:
        circles(factor="0.5")
    assert str(error.value) == ("factor must be a number strictly between 0 and 1 (the inner "
                                "radius), got '0.5'")


@pytest.mark.parametrize(
    "factor, error",
    [(0, ValueError), (0.0, ValueError), (1, ValueError), (1.0, ValueError), (1.5, ValueError),
     (-0.5, ValueError), (float("nan"), ValueError), ("0.5", TypeError), (None, TypeError),
     (True, TypeError)],
)
def test_circles_factor_must_be_between_0_and_1(factor, error):
    with pytest.raises(error, match="factor"):
        circles(factor=factor)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n_classes": 0}, ValueError, "n_classes"),
        ({"n_classes": -2}, ValueError, "n_classes"),
        ({"n_classes": 3.0}, TypeError, "n_classes"),
        ({"n_classes": None}, TypeError, "n_classes"),
        ({"n_samples": 2, "n_classes": 3}, ValueError, "n_samples"),
    ],
)
def test_spirals_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        spirals(**kwargs)


def test_error_messages_say_what_came():
    with pytest.raises(ValueError, match=r"noise must be .* got -0\.5"):
        moons(noise=-0.5)
    with pytest.raises(ValueError, match=r"factor must be strictly between 0 and 1.*got 2"):
        circles(factor=2)
    with pytest.raises(TypeError, match=r"dtype must be a floating-point dtype.*got int64"):
        spirals(dtype=np.int64)
    with pytest.raises(ValueError, match=r"n_samples must be at least 4 .*got 3"):
        spirals(n_samples=3, n_classes=4)
