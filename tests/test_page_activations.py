"""The activations page: it runs cleanly and its prose matches its own output."""

import math

import numpy as np
import pytest

import scratchnet

pytestmark = pytest.mark.book


def test_page_runs_without_stderr(run_page):
    assert run_page("activations").stream_text("stderr") == ""



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
