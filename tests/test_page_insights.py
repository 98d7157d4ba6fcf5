"""The insights page: it runs cleanly and its prose matches its own output."""

import math

import numpy as np
import pytest

import scratchnet

pytestmark = pytest.mark.book


def test_page_runs_without_stderr(run_page):
    assert run_page("insights").stream_text("stderr") == ""



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
