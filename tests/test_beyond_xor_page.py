"""The "Beyond XOR" page: every claim its prose makes, checked against what it glued.

The page reports one run of each experiment. The tests at the end repeat the
experiments on other random seeds (other data, other initial weights, other batch
orders), so the claims must hold for the method, not only for the page's draw.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from scratchnet import Identity, NeuralNetwork, ReLU, SoftmaxCrossEntropy, accuracy, fit
from scratchnet.datasets import spirals, train_test_split
from scratchnet.optimizers import SGD, Adam, RMSProp

pytestmark = pytest.mark.book


@pytest.fixture(scope="module")
def page(run_page):
    return run_page("beyond_xor")


@pytest.fixture(scope="module")
def g(page):
    return page.glued


def test_page_runs_without_stderr(page):
    assert page.stream_text("stderr") == ""


def test_figures_are_glued(g):
    for key in ["regions_fig", "optimizers_fig", "l2_regions_fig", "batches_fig"]:
        assert "image/png" in g[key], key


# --------------------------------------------------------------------------- data


def test_split(g):
    assert g["n_train"] + g["n_test"] == g["n_samples"]
    assert g["n_test"] == round(g["test_fraction"] * g["n_samples"])


# --------------------------------------------------------------------------- softmax


def test_log_sum_exp_claims(g):
    # "e^z overflows float64 once z exceeds ..." and the example score is beyond that
    assert g["exp_limit"] == pytest.approx(math.log(np.finfo(np.float64).max))
    assert g["big_score"] > g["exp_limit"]
    # "1 of its three probabilities is nan"; "the stable one returns 3 finite"
    assert g["naive_n_nan"] == 1
    assert g["stable_n_finite"] == 3
    # "the loss ... is exactly the gap"
    assert g["big_score_loss"] == pytest.approx(g["big_score"], rel=1e-12)


def test_fused_gradient_matches_numerical(g):
    # "below about 1e-7 means the gradient is right"
    assert g["softmax_grad_error"] < 1e-7


# --------------------------------------------------------------------------- fit


def test_hidden_layer_beats_linear(g):
    # "more than the 1/3 of guessing, far from all of them"
    assert 1 / 3 + 0.05 < g["linear_test_acc"] < 0.7
    assert g["sgd_test_acc"] > g["linear_test_acc"] + 0.3
    assert g["sgd_train_acc"] > 0.9
    assert g["hidden"] > 0 and g["epochs"] > 0 and g["batch"] < g["n_train"]


# --------------------------------------------------------------------------- optimizers


def test_momentum_beats_plain_sgd(g):
    # below HIGH much sooner, and a clearly lower final loss
    assert g["momentum_epochs_high"] * 3 < g["sgd_epochs_high"]
    assert g["momentum_final_loss"] * 2 < g["sgd_final_loss"]


def test_adaptive_optimizers(g):
    # "get below HIGH about as soon" as momentum
    for key in ["rmsprop", "adam"]:
        assert g[f"{key}_epochs_high"] <= 2 * g["momentum_epochs_high"]
        # "and then go further: below LOW after ... where momentum needs ..."
        assert g[f"{key}_epochs_low"] < g["momentum_epochs_low"]
        assert g[f"{key}_final_loss"] < g["momentum_final_loss"]
    # "plain SGD never gets there (its lowest loss is ...)"
    assert g["sgd_epochs_low"] is None
    assert g["sgd_min_loss"] > g["low"]
    assert g["low"] < g["high"]


def test_test_accuracies_close_together(g):
    accs = [g[f"{key}_test_acc"] for key in ["sgd", "momentum", "rmsprop", "adam"]]
    # "the four end close together" / "on the test set the gain is small"
    assert max(accs) - min(accs) < 0.05
    assert min(accs) > 0.9


# --------------------------------------------------------------------------- regularization


def test_regularization_setup(g):
    assert g["n_flip"] / g["n_small"] == pytest.approx(g["flip_fraction"])
    assert g["clean_fraction"] == pytest.approx(1 - g["flip_fraction"])
    assert g["n_holdout"] > 10 * g["n_small"]  # "the test set is large"


def test_without_l2_the_network_memorizes(g):
    # "gets ... of the training labels right, wrong ones included" (near 100%)
    assert g["noreg_train_acc"] >= 0.95
    assert g["noreg_train_acc"] > g["clean_fraction"] + 0.1
    assert g["noreg_kept_wrong"] >= 0.8
    # "on the test set it gets only ..."
    assert g["noreg_test_acc"] < g["noreg_train_acc"] - 0.1


def test_l2_generalizes_better(g):
    # "the training accuracy drops to ..., close to the fraction of correct labels"
    assert g["l2_train_acc"] < g["noreg_train_acc"] - 0.1
    assert abs(g["l2_train_acc"] - g["clean_fraction"]) < 0.06
    # "only ... of the wrong labels are reproduced; for ... the true arm instead"
    assert g["l2_kept_wrong"] < 0.35
    assert g["l2_true_arm"] > 0.5
    assert g["l2_kept_wrong"] + g["l2_true_arm"] <= 1
    # "its test accuracy rises to ..., ... percentage points more"
    assert g["l2_test_gain"] == pytest.approx(100 * (g["l2_test_acc"] - g["noreg_test_acc"]))
    assert g["l2_test_gain"] > 5
    # "the sum of squared weights is ... times smaller"
    assert g["weight_ratio"] == pytest.approx(g["noreg_weight_sq"] / g["l2_weight_sq"])
    assert g["weight_ratio"] > 10


# --------------------------------------------------------------------------- batches


def test_mini_batches(g):
    assert g["steps_per_epoch"] == math.ceil(g["n_train"] / g["batch"])
    # "per epoch, the loss falls much faster"
    assert g["mini_final_loss"] * 3 < g["full_final_loss"]
    assert g["adam_epochs_high"] * 3 < g["full_epochs_high"]
    # the times are reported, never compared: they only have to exist
    assert g["full_seconds"] > 0 and g["mini_seconds"] > 0


# --------------------------------------------------------------------------- other seeds


def _spiral_runs(seed: int) -> dict:
    """The page's optimizer and batch experiments, from other random numbers."""
    rng = np.random.default_rng(seed)
    X, labels = spirals(600, n_classes=3, noise=0.2, rng=rng)
    X_train, X_test, y_train, y_test = train_test_split(X, labels, test_size=0.25, rng=rng)
    runs = {
        "sgd": (SGD(0.1), 32),
        "momentum": (SGD(0.1, momentum=0.9), 32),
        "rmsprop": (RMSProp(0.01), 32),
        "adam": (Adam(0.01), 32),
        "full": (Adam(0.01), len(X_train)),
    }
    out = {}
    for name, (optimizer, batch_size) in runs.items():
        net = NeuralNetwork(
            [2, 64, 3], [ReLU(), Identity()], init="he", rng=np.random.default_rng(seed + 1)
        )
        history = fit(net, X_train, y_train, loss=SoftmaxCrossEntropy(), optimizer=optimizer,
                      epochs=200, batch_size=batch_size, rng=np.random.default_rng(seed + 2))
        out[name] = (history.loss[-1], accuracy(net.forward(X_test), y_test))
    linear = NeuralNetwork([2, 3], [Identity()], rng=np.random.default_rng(seed + 1))
    fit(linear, X_train, y_train, loss=SoftmaxCrossEntropy(), optimizer=SGD(0.1),
        epochs=200, batch_size=32, rng=np.random.default_rng(seed + 2))
    out["linear_test_acc"] = accuracy(linear.forward(X_test), y_test)
    return out


@pytest.mark.parametrize("seed", [100, 200])
def test_optimizer_and_batch_claims_hold_on_other_seeds(seed):
    runs = _spiral_runs(seed)
    loss = {name: value[0] for name, value in runs.items() if name != "linear_test_acc"}
    assert loss["momentum"] * 2 < loss["sgd"]
    assert loss["adam"] < loss["momentum"]
    assert loss["rmsprop"] < loss["momentum"]
    assert loss["adam"] * 3 < loss["full"]
    assert runs["linear_test_acc"] < 0.7
    assert runs["sgd"][1] > runs["linear_test_acc"] + 0.25


def _regularization_run(seed: int) -> dict:
    """The page's regularization experiment, from other random numbers."""
    rng = np.random.default_rng(seed)
    X, labels = spirals(120 + 2000, noise=0.2, rng=rng)
    X_small, X_holdout, y_small, y_holdout = train_test_split(X, labels, test_size=2000, rng=rng)
    flipped = rng.choice(120, size=24, replace=False)
    y_noisy = y_small.copy()
    y_noisy[flipped] = (y_small[flipped] + rng.integers(1, 3, 24)) % 3
    out = {}
    for key, l2 in [("noreg", 0.0), ("l2", 1e-3)]:
        net = NeuralNetwork(
            [2, 200, 3], [ReLU(), Identity()], init="he", rng=np.random.default_rng(seed + 1)
        )
        fit(net, X_small, y_noisy, loss=SoftmaxCrossEntropy(), optimizer=Adam(0.03),
            epochs=2000, l2=l2)
        predicted = net.forward(X_small).argmax(axis=1)
        out[key] = {
            "train": accuracy(net.forward(X_small), y_noisy),
            "test": accuracy(net.forward(X_holdout), y_holdout),
            "kept_wrong": float(np.mean(predicted[flipped] == y_noisy[flipped])),
        }
    return out


@pytest.mark.parametrize("seed", [101, 202, 303])
def test_l2_claims_hold_on_other_seeds(seed):
    run = _regularization_run(seed)
    noreg, reg = run["noreg"], run["l2"]
    assert noreg["train"] >= 0.93
    assert noreg["kept_wrong"] >= 0.6
    assert reg["kept_wrong"] < noreg["kept_wrong"] - 0.4
    assert reg["test"] > noreg["test"] + 0.03


def test_fit_and_the_plain_path_agree_up_to_rounding(g):
    # "the two networks' weights differ by at most ...: rounding"
    assert 0 <= g["fast_weight_difference"] < 1e-12
    assert g["xor_epochs"] >= 1000
