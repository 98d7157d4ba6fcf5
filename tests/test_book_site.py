"""The whole book, as the test run's build made it: every page of the table of contents
is built and executed, and the XOR page shows its figure and the numbers it computed."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT

pytestmark = pytest.mark.book


@pytest.fixture
def project(built_book: Path) -> Path:
    """A copy of the book's sources, built once per run, cold (the session's ``built_book``)."""
    return built_book


def html(project: Path, page: str) -> str:
    return (project / "_build" / "html" / "book" / f"{page}.html").read_text(encoding="utf-8")


def test_every_toc_page_is_built_and_executed(project: Path) -> None:
    pages = sorted(p.stem for p in (ROOT / "book").glob("*.md"))
    for page in pages:
        assert (project / "_build" / "html" / "book" / f"{page}.html").exists(), page
    toc = (ROOT / "_toc.yml").read_text()
    for page in pages:
        assert f"book/{page}" in toc, f"book/{page}.md is not listed in _toc.yml"


def test_xor_page_shows_the_loss_figure_and_glued_numbers(project: Path) -> None:
    from scratchnet import NeuralNetwork, ReLU, Sigmoid, train, xor

    X, y = xor()
    network = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(42))
    losses = train(network, X, y, epochs=10000, learning_rate=0.1)
    page = html(project, "xor")

    assert re.search(r'<img[^>]+alt="Loss against epoch[^"]*"[^>]+src="[^"]+\.png"', page) or \
        re.search(r'<img[^>]+src="[^"]+\.png"[^>]+alt="Loss against epoch', page)
    assert 'id="fig-xor-seed-loss"' in page
    assert f"{losses[-1]:.4f}" in page
    for p in network.forward(X)[:, 0]:
        assert f"{p:.4f}" in page
    assert "does not learn XOR" in page


def test_every_page_with_exercises_links_its_workbook_and_folds_its_solutions(project: Path) -> None:
    """Each page with exercises: its workbook is in the site, linked from the page, and is
    the page as a notebook with the solutions' code stubbed (the same code cells, in
    order, no outputs); every solution in the HTML is folded (a dropdown) and holds its
    executed output."""
    import jupytext
    import nbformat
    from workbooks import make_workbook, pages_with_exercises

    pages = pages_with_exercises(ROOT)
    assert len(pages) >= 7
    for page in pages:
        name = page.stem
        built = project / "_build" / "html" / "workbooks" / f"{name}.ipynb"
        assert built.exists(), name
        assert f'href="../workbooks/{name}.ipynb"' in html(project, name), name
        shipped = nbformat.read(str(built), as_version=4)
        nbformat.validate(shipped)
        expected = make_workbook(jupytext.read(page), name)
        assert [c.source for c in shipped.cells] == [c.source for c in expected.cells], name
        assert not any(c.get("outputs") for c in shipped.cells if c.cell_type == "code")
        solutions = re.findall(r'<div class="solution dropdown admonition"', html(project, name))
        exercises = re.findall(r'<div class="exercise admonition"', html(project, name))
        assert 2 <= len(exercises) == len(solutions) <= 5, (name, len(exercises), len(solutions))
