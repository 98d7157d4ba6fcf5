"""Building the book: a rebuild with nothing changed executes nothing, a changed package
re-executes every page, a broken page fails the build. On books of one or two tiny pages,
so these run while the test run's whole-book build does (tests/test_book_site.py checks
that build)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from book_build import copy_sources, jupyter_book

pytestmark = pytest.mark.book


def executed_pages(log: str) -> list[str]:
    return re.findall(r"(\S+\.md): Executed notebook", log)


# ------------------------------------------------------------------ rebuilds
# On a book of two tiny pages that import scratchnet: what is tested is the build's
# bookkeeping (book/_ext/book_guard.py, book/_ext/page_runner.py), which does not depend
# on the pages' size.

# Each page leaves a file and waits for the other's, so the first build only gets past
# them if it runs the two pages at once (book/_ext/page_runner.py), as it does on two or
# more cores (on one, the pages run one after the other and do not wait).
RENDEZVOUS = """```{{code-cell}} ipython3
:tags: [remove-cell]
import pathlib, time
pathlib.Path("{me}.started").touch()
for _ in range(600):
    if pathlib.Path("{other}.started").exists():
        break
    time.sleep(0.1)
else:
    raise RuntimeError("page {other} did not run while page {me} did")
```
"""
AT_ONCE = (os.cpu_count() or 1) >= 2
TINY_PAGES = {
    "one": (RENDEZVOUS.format(me="one", other="two") if AT_ONCE else "")
    + "```{code-cell} ipython3\nimport scratchnet\nprint(scratchnet.__version__)\n```\n",
    "two": (RENDEZVOUS.format(me="two", other="one") if AT_ONCE else "")
    + "```{code-cell} ipython3\nfrom scratchnet import xor\nprint(xor()[1].ravel())\n```\n",
}


@pytest.fixture(scope="module")
def tiny_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The book's configuration, extensions and package with two tiny pages, built once:
    both pages run (at the same time, given two cores), and myst-nb takes them from the
    cache."""
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
    assert "Executing notebook" not in result.stdout  # myst-nb ran nothing itself
    assert len(re.findall(r"Using cached notebook", result.stdout)) == len(TINY_PAGES)
    return root


def test_the_saved_notebooks_are_the_executed_ones(tiny_book: Path) -> None:
    """``_build/jupyter_execute`` holds each page with its outputs (book_fixes.py, fix 3),
    which the page tests and the determinism check read."""
    import nbformat

    saved = nbformat.read(tiny_book / "_build" / "jupyter_execute" / "book" / "two.ipynb", 4)
    printed = [out["text"] for cell in saved.cells if cell.cell_type == "code"
               for out in cell.get("outputs", []) if out.get("output_type") == "stream"]
    assert printed == ["[0. 1. 1. 0.]\n"]


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
