"""The intro page: it runs cleanly and its prose matches its own output."""

import math

import numpy as np
import pytest

import scratchnet

pytestmark = pytest.mark.book


def test_page_runs_without_stderr(run_page):
    assert run_page("intro").stream_text("stderr") == ""



def test_intro_rng_replays_the_chapter_weights_exactly(run_page):
    # "The weights agree with the chapter's to the last bit"
    assert run_page("intro").glued["intro_rng_max_diff"] == 0.0


def test_intro_prints_the_versions_it_was_built_with(run_page):
    out = run_page("intro").stream_text()
    assert f"scratchnet {scratchnet.__version__}" in out
    assert f"NumPy      {np.__version__}" in out
