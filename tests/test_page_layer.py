"""The layer page: it runs cleanly and its prose matches its own output."""

import math

import numpy as np
import pytest

import scratchnet

pytestmark = pytest.mark.book


def test_page_runs_without_stderr(run_page):
    assert run_page("layer").stream_text("stderr") == ""



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
