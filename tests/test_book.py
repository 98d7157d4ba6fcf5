"""The whole book builds with -W, shows what it claims, and never serves stale outputs."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from book_build import copy_sources, jupyter_book
from conftest import ROOT

pytestmark = pytest.mark.book


def executed_pages(log: str) -> list[str]:
    return re.findall(r"(\S+\.md): Executed notebook", log)


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


# ------------------------------------------------------------------ rebuilds
# On a book of two tiny pages that import scratchnet: what is tested is the build's
# bookkeeping (book/_ext/book_guard.py), which does not depend on the pages' size.

TINY_PAGES = {
    "one": "```{code-cell} ipython3\nimport scratchnet\nprint(scratchnet.__version__)\n```\n",
    "two": "```{code-cell} ipython3\nfrom scratchnet import xor\nprint(xor()[1].ravel())\n```\n",
}


@pytest.fixture(scope="module")
def tiny_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The book's configuration, extensions and package with two tiny pages, built once."""
    root = tmp_path_factory.mktemp("tiny_book")
    copy_sources(root, ["_config.yml", "scratchnet", "pyproject.toml", "book/_ext",
                        "book/_static", "book/references.bib"])
    for name, body in TINY_PAGES.items():
        (root / "book" / f"{name}.md").write_text(PAGE_HEADER + body)
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/one\nchapters:\n"
                                   "  - file: book/two\n")
    (root / "tests").mkdir()
    result = jupyter_book(root, "-W")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert sorted(executed_pages(result.stdout)) == [
        str(root / "book" / "one.md"), str(root / "book" / "two.md")]
    return root


def test_nothing_changed_rebuild_executes_nothing(tiny_book: Path) -> None:
    result = jupyter_book(tiny_book, "-W")
    assert result.returncode == 0, result.stdout[-4000:]
    assert executed_pages(result.stdout) == []


def test_changed_package_reexecutes_every_page(tiny_book: Path) -> None:
    """jupyter-cache and Sphinx key on page source only; the book must still notice."""
    init = tiny_book / "scratchnet" / "__init__.py"
    source = init.read_text()
    marker = "0.0.0+stale-output-check"
    init.write_text(re.sub(r'__version__ = "[^"]+"', f'__version__ = "{marker}"', source))
    try:
        result = jupyter_book(tiny_book, "-W")
        assert result.returncode == 0, result.stdout[-4000:]
        assert len(executed_pages(result.stdout)) == len(TINY_PAGES)
        page = (tiny_book / "_build" / "html" / "book" / "one.html").read_text()
        assert marker in page
    finally:
        init.write_text(source)


# ------------------------------------------------------------------ failure modes

PAGE_HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A page

"""

BROKEN_PAGES = {
    "cell_error": "```{code-cell} ipython3\nraise RuntimeError('boom')\n```\n",
    "numpy_warning": "```{code-cell} ipython3\nimport numpy as np\nnp.log(np.zeros(1))\n```\n",
    "missing_pyobject": (
        "```{literalinclude} ../scratchnet/layer.py\n:pyobject: NoSuchClass\n```\n"
    ),
    "broken_link": "See {doc}`no_such_page`.\n",
}


def one_page_book(root: Path, body: str) -> Path:
    """The book's configuration and package with a single page of ``body``."""
    copy_sources(root, ["_config.yml", "scratchnet", "pyproject.toml", "book/_ext",
                        "book/_static", "book/references.bib"])
    (root / "book" / "page.md").write_text(PAGE_HEADER + body)
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/page\n")
    # what running the tests in a checkout leaves behind must not break the build
    (root / ".pytest_cache").mkdir()
    (root / ".pytest_cache" / "README.md").write_text("# pytest cache directory #\n")
    return root


@pytest.mark.parametrize("case", sorted(BROKEN_PAGES))
def test_build_fails_on_a_broken_page_even_without_W(tmp_path: Path, case: str) -> None:
    """The configuration alone is strict: plain ``jupyter-book build .`` must fail."""
    result = jupyter_book(one_page_book(tmp_path, BROKEN_PAGES[case]))
    assert result.returncode != 0, f"{case}: the build passed\n{result.stdout[-3000:]}"


def test_the_same_minimal_book_builds_when_nothing_is_broken(tmp_path: Path) -> None:
    """Control for the failure-mode tests: their scaffold itself builds cleanly."""
    body = "```{code-cell} ipython3\nprint(1 + 1)\n```\n"
    result = jupyter_book(one_page_book(tmp_path, body))
    assert result.returncode == 0, result.stdout[-3000:]
