"""The insights page (book/insights.md): it runs cleanly, and each claim is checked
independently: the chapter's run (seed 42) through the batched trainer and against closed
forms (ln 2, the best constant 2/3, the plateau), the configuration on other seeds."""

from __future__ import annotations

import decimal
import math

import numpy as np
import pytest

from scratchnet import (
    BinaryCrossEntropy, NetworkBatch, ReLU, Sigmoid, learned, success_rate, train_batch, xor,
)

pytestmark = pytest.mark.book

X, Y = xor()
FRESH = range(1000, 1200)  # seeds the page does not use
PLATEAU = 0.75 * math.log(3) - 0.5 * math.log(2)  # loss of the best constant answer


def _batch(seeds) -> NetworkBatch:
    return NetworkBatch([2, 4, 1], [ReLU(), Sigmoid()],
                        rngs=[np.random.RandomState(s) for s in seeds])


@pytest.fixture(scope="module")
def glued(run_page):
    return run_page("insights").glued


@pytest.fixture(scope="module")
def fresh():
    """The chapter's configuration from 200 other seeds: initial losses, final outputs."""
    batch = _batch(FRESH)
    losses = train_batch(batch, X, Y, 10000, 0.1, loss_every=10000)
    return losses[0], batch.forward(X)


@pytest.fixture(scope="module")
def seed42():
    """The chapter's run replayed with the batched trainer (not the page's ``train``)."""
    batch = _batch([42])
    train_batch(batch, X, Y, 10000, 0.1, loss_every=10000)
    return batch.forward(X)[0]


def test_page_runs_without_stderr(run_page):
    assert run_page("insights").stream_text("stderr") == ""


@pytest.mark.claim("insights-outputs-in-unit-interval")
def test_outputs_lie_inside_the_unit_interval(glued, fresh):
    """The run's largest output is the best constant 2/3 for targets 0, 1, 1 (a closed form)
    and its smallest is above 0; the outputs of 200 trained runs from other seeds all lie
    strictly inside (0, 1). In exact arithmetic (400-digit decimals) the sigmoid of -800,
    40 and 800 lies strictly between 0 and 1, while the package's floating-point sigmoid
    returns exactly 0.0 for -800 and exactly 1.0 for 40 and 800."""
    assert 0.0 < glued["ins_min_output"] < 0.01
    assert glued["ins_max_output"] == pytest.approx(2 / 3, abs=1e-3)
    _, outputs = fresh
    assert np.all((outputs > 0) & (outputs < 1))
    inputs = [-800, 40, 800]
    with decimal.localcontext() as context:
        context.prec = 400
        exact = [1 / (1 + decimal.Decimal(-x).exp()) for x in inputs]
        assert all(0 < s < 1 for s in exact)
    assert Sigmoid().forward(np.array(inputs, dtype=float)).tolist() == [0.0, 1.0, 1.0]


@pytest.mark.claim("insights-first-loss-ln2")
def test_first_loss_is_about_ln2(glued, fresh):
    """With weights of size 0.01 every output starts near 1/2, so the first loss is near the
    closed form ln 2: it is within 0.001 of ln 2 for every one of 200 other seeds, and the
    page's value is too."""
    first_losses, _ = fresh
    assert np.all(np.abs(first_losses - math.log(2)) < 1e-3)
    assert glued["ins_ln2"] == pytest.approx(math.log(2), rel=1e-15)
    assert glued["ins_first_loss"] == pytest.approx(math.log(2), abs=1e-3)


@pytest.mark.claim("insights-seed42-not-learned", "insights-seed42-underfits")
def test_seed42_run_does_not_learn(glued, seed42):
    """Replayed with the batched trainer, the seed-42 run puts three of the four outputs on
    the right side of 0.5 ((0, 0) is wrong), and its loss is the closed-form plateau of the
    best constant answer, far above zero, not the page's number recomputed."""
    right = (seed42[:, 0] > 0.5) == (Y[:, 0] == 1)
    assert right.tolist() == [False, True, True, True]
    assert glued["ins_n_correct"] == int(right.sum())
    assert glued["ins_correct_text"] == "three of the four XOR examples"
    assert BinaryCrossEntropy().forward(seed42, Y) == pytest.approx(PLATEAU, abs=1e-3)
    assert PLATEAU < glued["ins_final_loss"] < PLATEAU + 1e-3


@pytest.mark.claim("insights-config-rate")
def test_configuration_rate_holds_on_other_seeds(glued, fresh):
    """The page trained seeds 0 to 199; 200 other seeds give a rate whose 95% Wilson interval
    overlaps the page's, and both intervals contain one half ("about half the time")."""
    _, outputs = fresh
    rate = success_rate(learned(outputs, Y))
    low, high = glued["ins_config_rate_low"], glued["ins_config_rate_high"]
    assert rate.low <= high and low <= rate.high, rate
    assert low < 0.5 < high
    assert rate.low < 0.5 < rate.high
    assert glued["set_ins_n_seeds"] >= 100
