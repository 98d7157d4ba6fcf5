"""The XOR pages: every claim their prose makes, checked against what they glued.

Where a page quotes a rate measured over random seeds, a test also measures it
again on *other* seeds: the claim must hold for the configuration, not just for
the seeds the page happened to use.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from scratchnet import NeuralNetwork, ReLU, Sigmoid, Tanh, train, xor
from scratchnet.experiments import Config, run_experiment

pytestmark = pytest.mark.book


@pytest.mark.parametrize("name", ["xor", "xor_diagnosis"])
def test_page_runs_without_stderr(run_page, name):
    assert run_page(name).stream_text("stderr") == ""


# --------------------------------------------------------------------------- xor


def test_xor_page_reports_that_the_chapter_run_does_not_learn(run_page):
    g = run_page("xor").glued
    # "Only N of the 4 predictions fall on the right side of 0.5" / "does not learn XOR"
    assert g["xor_seed_n_correct"] < 4
    # "(0, 0) is wrong", "gets (1, 1) right", "answers the same number for the other three"
    assert g["xor_seed_pred_00"] > 0.5
    assert g["xor_seed_pred_11"] < 0.5
    assert g["xor_seed_pred_00"] == pytest.approx(g["xor_seed_pred_01"], abs=1e-3)
    assert g["xor_seed_pred_00"] == pytest.approx(g["xor_seed_pred_10"], abs=1e-3)
    # "starts at ... (that is ln 2)" and "ends ... far from 0"
    assert g["xor_seed_first_loss"] == pytest.approx(math.log(2), abs=1e-4)
    assert g["xor_seed_final_loss"] > 0.4


def test_xor_page_prints_progress_like_the_chapter(run_page):
    out = run_page("xor").stream_text()
    lines = [line for line in out.splitlines() if line.startswith("Epoch ")]
    assert [line.split(",")[0] for line in lines] == [f"Epoch {e}" for e in range(0, 10000, 1000)]


# --------------------------------------------------------------------------- diagnosis


@pytest.fixture(scope="module")
def diag(run_page):
    return run_page("xor_diagnosis").glued


def test_stuck_network_gives_three_inputs_one_output(diag):
    assert diag["stuck_spread_three"] < 1e-3
    assert diag["stuck_out_11"] < 0.01
    assert 0 < diag["split_epoch"] < 10000


def test_one_dead_unit_and_three_and_detectors(diag):
    assert diag["dead_at_start"] == 1
    assert diag["dead_at_end"] == 1
    assert diag["live_units"] == 3
    # "of the live units, all fire for (1, 1) and for no other input"
    assert diag["live_units_only_11"] == diag["live_units"]
    # "starts with two negative weights and a bias of 0"
    assert diag["dead_unit_w_max"] < 0
    assert diag["dead_unit_b"] == 0


def test_plateau_is_the_best_constant(diag):
    assert diag["plateau"] == pytest.approx(
        0.75 * (math.log(3) - 2 / 3 * math.log(2)), rel=1e-12
    )
    assert 0 < diag["stuck_gap"] < 1e-3
    assert diag["stuck_same_output"] == pytest.approx(diag["best_constant"], abs=1e-3)


def test_wrong_inputs_send_no_gradient_to_the_hidden_layer(diag):
    assert diag["grad_from_three"] == 0.0
    assert diag["grad_from_11"] > 0
    # "every live unit has a negative outgoing weight"
    assert diag["live_out_weight_max"] < 0


def test_rates_support_the_page_conclusions(diag):
    assert diag["n_seeds"] >= 100
    # "a coin flip" / "about half of the seeds"
    assert 0.35 < diag["rate_chapter"] < 0.65
    # "He initialization alone helps a little"
    assert diag["rate_chapter"] < diag["rate_he"] < diag["rate_wide"]
    assert diag["rate_he"] < 0.9
    # "learns XOR almost always"
    assert diag["rate_wide"] >= 0.95
    assert diag["rate_tanh"] >= 0.95
    for key in ("chapter", "he", "wide", "tanh"):
        assert diag[f"rate_{key}_low"] <= diag[f"rate_{key}"] <= diag[f"rate_{key}_high"]


def test_learner_learns(diag):
    assert diag["learner_n_correct"] == 4
    assert diag["learner_worst_margin"] > 0.1
    assert diag["learner_final_loss"] < 0.1


def test_learner_from_seed_42_learns_independently_of_the_page():
    X, y = xor()
    net = NeuralNetwork([2, 4, 1], [Tanh(), Sigmoid()], init="xavier", rng=np.random.RandomState(42))
    train(net, X, y, epochs=10000, learning_rate=0.1)
    assert np.array_equal(net.forward(X) > 0.5, y == 1)


def _agrees(rate_page: float, low: float, high: float, fresh) -> bool:
    """A fresh estimate agrees when the two 95% intervals overlap."""
    return fresh.low <= high and low <= fresh.high


@pytest.mark.parametrize(
    "key, config",
    [
        ("chapter", Config((2, 4, 1), (ReLU(), Sigmoid()))),
        ("tanh", Config((2, 4, 1), (Tanh(), Sigmoid()), "xavier")),
    ],
)
def test_quoted_rate_holds_on_other_seeds(diag, key, config):
    """The page used seeds 0..199; seeds 1000..1199 must give a compatible rate."""
    X, y = xor()
    fresh = run_experiment(config, X, y, range(1000, 1200), loss_every=10000).rate
    assert _agrees(diag[f"rate_{key}"], diag[f"rate_{key}_low"], diag[f"rate_{key}_high"], fresh), (
        key,
        fresh,
    )
