"""The whole book builds with -W, shows what it claims, and never serves stale outputs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT

pytestmark = pytest.mark.book

SOURCES = ["_config.yml", "_toc.yml", "book", "scratchnet", "pyproject.toml"]


def jupyter_book(project: Path) -> subprocess.CompletedProcess:
    """``jupyter-book build <project> -W``, importing scratchnet from ``project``."""
    env = dict(os.environ, PYTHONPATH=str(project))
    exe = Path(sys.executable).with_name("jupyter-book")
    return subprocess.run(
        [str(exe), "build", str(project), "-W"],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )


def executed_pages(log: str) -> list[str]:
    return re.findall(r"(\S+\.md): Executed notebook", log)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the book's sources, built once, cold."""
    root = tmp_path_factory.mktemp("book")
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("__pycache__", "_build"))
        else:
            shutil.copy2(src, root / name)
    result = jupyter_book(root)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return root


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


def test_nothing_changed_rebuild_executes_nothing(project: Path) -> None:
    result = jupyter_book(project)
    assert result.returncode == 0, result.stdout[-4000:]
    assert executed_pages(result.stdout) == []


def test_changed_package_reexecutes_every_page(project: Path) -> None:
    """jupyter-cache and Sphinx key on page source only; the book must still notice."""
    init = project / "scratchnet" / "__init__.py"
    source = init.read_text()
    marker = "0.0.0+stale-output-check"
    init.write_text(re.sub(r'__version__ = "[^"]+"', f'__version__ = "{marker}"', source))

    result = jupyter_book(project)
    assert result.returncode == 0, result.stdout[-4000:]
    n_pages = len(list((project / "book").glob("*.md")))
    assert len(executed_pages(result.stdout)) == n_pages
    assert marker in html(project, "intro")
