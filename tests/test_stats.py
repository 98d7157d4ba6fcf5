"""success_rate and Rate: a fraction of successes with its Wilson score interval."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pytest

from scratchnet import Rate, success_rate

Z95 = NormalDist().inv_cdf(0.975)  # 1.95996...


def outcomes(k: int, n: int) -> np.ndarray:
    """``k`` successes among ``n`` trials, scattered (the order must not matter)."""
    flags = np.arange(n) < k
    return np.random.default_rng(k * 1000 + n).permutation(flags)


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The textbook Wilson score interval, written in counts rather than proportions:

    (k + z^2/2 -+ z sqrt(k (n - k) / n + z^2 / 4)) / (n + z^2)
    """
    centre = k + z * z / 2
    spread = z * math.sqrt(k * (n - k) / n + z * z / 4)
    return (centre - spread) / (n + z * z), (centre + spread) / (n + z * z)


# --------------------------------------------------------------------------- counts and value


def test_counts_and_value():
    rate = success_rate([True, False, True, True])
    assert isinstance(rate, Rate)
    assert (rate.successes, rate.trials) == (3, 4)
    assert type(rate.successes) is int and type(rate.trials) is int
    assert rate.value == 0.75


@pytest.mark.parametrize(
    "successes",
    [
        [1, 0, 1, 1, 0],
        np.array([1, 0, 1, 1, 0], dtype=np.int8),
        np.array([True, False, True, True, False]),
        (True, False, True, True, False),
        np.array([1.0, 0.0, 1.0, 1.0, 0.0]),
    ],
)
def test_accepts_lists_ints_and_bools(successes):
    rate = success_rate(successes)
    assert (rate.successes, rate.trials) == (3, 5)
    assert rate.value == 3 / 5


def test_multi_dimensional_input_counts_every_element():
    flags = np.array([[True, False, True], [False, False, True]])
    rate = success_rate(flags)
    assert (rate.successes, rate.trials) == (3, 6)
    assert rate == success_rate(flags.ravel())


def test_order_does_not_matter():
    flags = outcomes(7, 19)
    assert success_rate(flags) == success_rate(np.sort(flags)) == success_rate(flags[::-1])


@pytest.mark.parametrize("empty", [[], np.array([], dtype=bool), np.zeros((0, 3), dtype=bool)])
def test_empty_input_raises(empty):
    with pytest.raises(ValueError, match="^successes must hold at least one trial, got an empty array$"):
        success_rate(empty)


# --------------------------------------------------------------------------- the Wilson interval


@pytest.mark.parametrize(
    "k, n", [(0, 1), (1, 1), (1, 2), (3, 4), (0, 10), (5, 10), (10, 10), (7, 19), (81, 263),
             (499, 1000), (1, 5000)]
)
def test_interval_matches_the_textbook_formula(k, n):
    low, high = wilson(k, n)
    rate = success_rate(outcomes(k, n), z=Z95)
    assert rate.low == pytest.approx(max(low, 0.0), rel=1e-12, abs=1e-14)
    assert rate.high == pytest.approx(min(high, 1.0), rel=1e-12, abs=1e-14)
    # the default z is Z95 to 7 significant digits
    default = success_rate(outcomes(k, n))
    assert default.low == pytest.approx(max(low, 0.0), rel=1e-6, abs=1e-12)
    assert default.high == pytest.approx(min(high, 1.0), rel=1e-6, abs=1e-12)


@pytest.mark.parametrize(
    "k, n, low, high",
    [
        # Newcombe (1998), "Two-sided confidence intervals for the single proportion",
        # Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score, no correction)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # 0/10 and 10/10: z^2 / (n + z^2) = 3.8415 / 13.8415; 5/10 symmetric about 1/2
        (0, 10, 0.0000, 0.2775),
        (10, 10, 0.7225, 1.0000),
        (5, 10, 0.2366, 0.7634),
    ],
)
def test_published_intervals(k, n, low, high):
    rate = success_rate(outcomes(k, n))
    assert round(rate.low, 4) == low
    assert round(rate.high, 4) == high


@pytest.mark.parametrize("n", [1, 2, 10, 100, 1000])
def test_no_successes_and_all_successes(n):
    none = success_rate(np.zeros(n, dtype=bool), z=Z95)
    assert none.low == 0.0 and none.value == 0.0
    assert none.high == pytest.approx(Z95**2 / (n + Z95**2), rel=1e-12)
    every = success_rate(np.ones(n, dtype=bool), z=Z95)
    assert every.high == 1.0 and every.value == 1.0
    assert every.low == pytest.approx(n / (n + Z95**2), rel=1e-12)
    # with the default z too, the bounds at 0 and n are exactly 0 and 1
    assert success_rate(np.zeros(n, dtype=bool)).low == 0.0
    assert success_rate(np.ones(n, dtype=bool)).high == 1.0


def test_default_z_is_the_95_percent_normal_quantile():
    rate = success_rate(outcomes(13, 40))
    for bound, expected in zip((rate.low, rate.high), wilson(13, 40, Z95)):
        assert bound == pytest.approx(expected, rel=1e-6)


def test_interval_contains_the_estimate_and_stays_in_unit_range():
    for n in range(1, 61):
        for k in range(n + 1):
            rate = success_rate(np.arange(n) < k)
            assert 0.0 <= rate.low <= rate.value <= rate.high <= 1.0, (k, n)
            if 0 < k < n:
                assert rate.low < rate.value < rate.high, (k, n)


def test_interval_is_symmetric_under_swapping_successes_and_failures():
    for k, n in [(0, 7), (2, 7), (3, 11), (40, 100)]:
        rate = success_rate(np.arange(n) < k)
        mirror = success_rate(np.arange(n) >= k)  # n - k successes
        assert rate.low == pytest.approx(1 - mirror.high, abs=1e-12)
        assert rate.high == pytest.approx(1 - mirror.low, abs=1e-12)


@pytest.mark.parametrize("p", [0.0, 0.1, 0.3, 0.5, 0.9, 1.0])
def test_interval_narrows_as_n_grows(p):
    widths = []
    for n in [10, 20, 50, 100, 200, 500, 1000, 10000]:
        rate = success_rate(np.arange(n) < round(p * n))
        assert rate.value == pytest.approx(p)
        widths.append(rate.high - rate.low)
    assert all(a > b for a, b in zip(widths, widths[1:])), widths


def test_larger_z_gives_a_wider_interval():
    flags = outcomes(6, 20)
    narrow, default = success_rate(flags, z=1.0), success_rate(flags)
    wide = success_rate(flags, z=3.0)
    assert wide.low < default.low < narrow.low < narrow.value
    assert narrow.value < narrow.high < default.high < wide.high
    for rate, z in ((narrow, 1.0), (wide, 3.0)):
        assert (rate.low, rate.high) == pytest.approx(wilson(6, 20, z), rel=1e-12)


@pytest.mark.parametrize("p", [0.05, 0.2, 0.5, 0.7, 0.95])
@pytest.mark.parametrize("n", [30, 100])
def test_95_percent_interval_covers_the_true_rate(p, n):
    rng = np.random.default_rng(20240 + int(p * 100) + n)
    draws = rng.binomial(n, p, size=2000)
    covered = 0
    for k in draws:
        rate = success_rate(np.arange(n) < k)
        covered += rate.low <= p <= rate.high
    assert covered / draws.size >= 0.93, covered / draws.size


def test_interval_is_not_the_wald_interval():
    # at k = 1 of 10 the Wald interval dips below 0; Wilson stays positive and wider above
    rate = success_rate(outcomes(1, 10))
    wald = 1.96 * math.sqrt(0.1 * 0.9 / 10)
    assert 0.1 - wald < 0 < rate.low
    assert rate.high > 0.1 + wald


# --------------------------------------------------------------------------- Rate


def test_rate_is_a_named_tuple():
    rate = success_rate(outcomes(3, 8))
    successes, trials, low, high = rate
    assert (successes, trials) == (3, 8)
    assert (low, high) == (rate.low, rate.high)


def test_str():
    rate = success_rate(outcomes(3, 4))
    text = str(rate)
    assert text.startswith("3/4 = 75.0% (95% CI ")
    assert f"{rate.low:.1%} to {rate.high:.1%})" in text
    assert str(Rate(0, 10, 0.0, 0.2775)) == "0/10 = 0.0% (95% CI 0.0% to 27.8%)"


@pytest.mark.parametrize("successes, error, message", [
    ([0.2, 0.7, np.nan], ValueError, r"^successes must be booleans \(or 0/1\), one per trial, got other values such as 0\.2$"),
    ([1, 0, np.nan], ValueError, r"successes must be booleans \(or 0/1\).*nan"),
    ([2, 1], ValueError, r"successes must be booleans \(or 0/1\).*2"),
    ([-1, 0], ValueError, r"successes must be booleans \(or 0/1\).*-1"),
    (["yes", "no"], TypeError, r"successes must be booleans.*dtype <U3"),
    ([None, True], TypeError, r"successes must be booleans.*dtype object"),
])
def test_anything_but_outcomes_is_refused(successes, error, message):
    """A number that is not 0 or 1 is not an outcome: bool() would count 0.7 or NaN as
    a success (success_rate([0.2, 0.7, nan]) used to say 3 of 3)."""
    with pytest.raises(error, match=message):
        success_rate(successes)


@pytest.mark.parametrize("z", [0, -1.96, float("nan"), "1.96", True])
def test_z_must_be_a_positive_number(z):
    with pytest.raises((TypeError, ValueError), match="z must be a positive"):
        success_rate([True, False], z=z)
