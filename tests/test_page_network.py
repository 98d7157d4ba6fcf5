"""The network page: it runs cleanly and its prose matches its own output."""

import math

import numpy as np
import pytest

import scratchnet

pytestmark = pytest.mark.book


def test_page_runs_without_stderr(run_page):
    assert run_page("network").stream_text("stderr") == ""



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


def test_network_page_save_load_round_trip_is_bit_exact(run_page):
    assert run_page("network").glued["net_saved_bit_exact"] is True
