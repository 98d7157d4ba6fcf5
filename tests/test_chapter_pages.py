"""The chapter's pages: each executes cleanly and its prose matches its own output.

Every test runs a page through the ``run_page`` fixture (once per session) and
checks, against the values the page glued, each statement its text makes.
"""

import math

import numpy as np
import pytest

import scratchnet

pytestmark = pytest.mark.book

PAGES = ["intro", "activations", "layer", "network", "insights", "questions"]


@pytest.mark.parametrize("name", PAGES)
def test_page_runs_without_stderr(run_page, name):
    page = run_page(name)
    assert page.stream_text("stderr") == ""


# --------------------------------------------------------------------------- intro


def test_intro_rng_replays_the_chapter_weights_exactly(run_page):
    # "The weights agree with the chapter's to the last bit"
    assert run_page("intro").glued["intro_rng_max_diff"] == 0.0


def test_intro_prints_the_versions_it_was_built_with(run_page):
    out = run_page("intro").stream_text()
    assert f"scratchnet {scratchnet.__version__}" in out
    assert f"NumPy      {np.__version__}" in out


# --------------------------------------------------------------------------- activations


def test_activations_figure_is_glued(run_page):
    fig = run_page("activations").glued["act_fig"]
    assert "image/png" in fig


def test_activations_derivative_maxima(run_page):
    g = run_page("activations").glued
    # "never larger than 0.25, reached at x = 0"
    assert g["act_sigmoid_grad_max"] == 0.25
    assert g["act_sigmoid_grad_argmax"] == 0.0
    # "Tanh's derivative reaches 1 at x = 0, so small signals pass without shrinking"
    assert g["act_tanh_grad_max"] == 1.0
    assert g["act_tanh_grad_argmax"] == 0.0
    # "at x = 5 the derivative is only ...: a saturated sigmoid barely learns"
    assert g["act_sigmoid_grad_at_5"] < 0.01
    # "ReLU's derivative is ... 0 at the kink"
    assert g["act_relu_grad_at_0"] == 0.0


def test_activations_stable_sigmoid(run_page):
    g = run_page("activations").glued
    # "for x < -m, np.exp(-x) overflows", m the log of the largest float64
    assert g["act_exp_limit"] == pytest.approx(math.log(np.finfo(np.float64).max))
    # "Sigmoid.forward returns 0, 0.5 and 1 without any error"
    assert g["act_stable_at_minus_1000"] == 0.0
    assert g["act_stable_at_0"] == 0.5
    assert g["act_stable_at_1000"] == 1.0
    # "while the chapter's formula stops with an overflow in exp"
    assert g["act_chapter_overflows"] is True
    assert "overflow encountered in exp" in run_page("activations").stream_text()


# --------------------------------------------------------------------------- layer


def test_layer_gradient_check_passes_for_every_activation(run_page):
    g = run_page("layer").glued
    errors = [
        g[f"layer_err_{act}_{part}"]
        for act in ("relu", "sigmoid", "tanh")
        for part in ("input", "weights", "bias")
    ]
    # "The worst ... is ..., below 1e-7"
    assert g["layer_err_worst"] == max(errors)
    assert g["layer_err_worst"] < 1e-7


def test_layer_gradient_check_catches_the_bug(run_page):
    # "The worst relative error jumps to ..., far above 1e-2"
    assert run_page("layer").glued["layer_bug_err_worst"] > 1e-2


# --------------------------------------------------------------------------- network


def test_network_backward_is_gradients_plus_sgd(run_page):
    # "they are identical"
    assert run_page("network").glued["net_step_diff"] == 0.0


def test_network_shapes_and_parameter_count(run_page):
    g = run_page("network").glued
    assert g["net_shape_x"] == (4, 2)
    assert g["net_shape_w1"] == (2, 4)
    assert g["net_shape_b1"] == (1, 4)
    assert g["net_shape_z1"] == (4, 4)
    assert g["net_shape_w2"] == (4, 1)
    assert g["net_shape_b2"] == (1, 1)
    assert g["net_shape_out"] == (4, 1)
    # "The hidden layer has 12 parameters and the output layer 5, ... 17"
    assert g["net_params_hidden"] == 2 * 4 + 4
    assert g["net_params_out"] == 4 * 1 + 1
    assert g["net_params"] == g["net_params_hidden"] + g["net_params_out"]


def test_network_loss_facts(run_page):
    g = run_page("network").glued
    # "the loss is ln 2 whatever the targets"
    assert g["net_bce_half"] == pytest.approx(math.log(2), rel=1e-12)
    assert g["net_ln2"] == pytest.approx(math.log(2), rel=1e-15)
    # "differ by at most ...: rounding only"
    assert g["net_dz_diff"] < 1e-12


def test_network_gradient_check_passes(run_page):
    g = run_page("network").glued
    parts = ["w1", "b1", "w2", "b2", "x"]
    # "The worst is ..., below 1e-7"
    assert g["net_check_worst"] == max(g[f"net_check_{p}"] for p in parts)
    assert g["net_check_worst"] < 1e-7


def test_network_pitfall_at_the_chapter_start(run_page):
    g = run_page("network").glued
    # "errors on the first bias and on the input look like a bug"
    assert g["net_start_b1"] > 1e-2
    assert g["net_start_x"] > 1e-2
    # "for the input (0, 0), all hidden pre-activations are exactly zero"
    assert g["net_start_zero_z"] == g["net_start_hidden"] == 4
    # "the first-layer weights miss 1e-7 ... their gradients are tiny"
    assert g["net_start_w1"] > 1e-7
    assert g["net_start_w1_grad_median"] < 1e-6


# --------------------------------------------------------------------------- insights


def test_insights_the_chapter_run_does_not_learn_xor(run_page):
    g = run_page("insights").glued
    # "gets only n of the 4 XOR examples right. It does not learn the XOR pattern."
    assert g["ins_n_examples"] == 4
    assert g["ins_n_correct"] < g["ins_n_examples"]
    # "does not even fit its training examples": a loss far from zero
    assert g["ins_final_loss"] > 0.1


def test_insights_annotations(run_page):
    g = run_page("insights").glued
    # "starts at a loss ... close to ln 2"
    assert g["ins_ln2"] == pytest.approx(math.log(2))
    assert g["ins_first_loss"] == pytest.approx(math.log(2), abs=1e-3)
    # "the four outputs lie between ... and ..., inside (0, 1)"
    assert 0.0 < g["ins_min_output"] <= g["ins_max_output"] < 1.0


def test_network_page_save_load_round_trip_is_bit_exact(run_page):
    assert run_page("network").glued["net_saved_bit_exact"] is True
