"""Shared fixtures: the project's paths, the book's pages executed once per session, and
the whole book built once per session (``built_book``)."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"

# What a build of the book needs, copied to a temporary directory by ``built_book``.
SOURCES = ["_config.yml", "_toc.yml", "book", "scratchnet", "pyproject.toml"]


@dataclass
class ExecutedPage:
    """A page of the book run top to bottom as a notebook, and what it glued."""

    name: str
    notebook: Any
    glued: Dict[str, Any]

    def stream_text(self, stream: str = "stdout") -> str:
        return "".join(
            out.get("text", "")
            for cell in self.notebook.cells
            if cell.cell_type == "code"
            for out in cell.get("outputs", [])
            if out.get("output_type") == "stream" and out.get("name") == stream
        )


def glued_values(notebook: Any) -> Dict[str, Any]:
    """Every ``myst_nb.glue`` value of an executed notebook.

    Plain values (numbers, strings, lists) come back as Python objects, parsed from
    their ``text/plain`` form; anything else (a figure) comes back as its mime bundle.
    """
    values: Dict[str, Any] = {}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            prefix = meta.get("mime_prefix", "")
            data = {k[len(prefix):]: v for k, v in out["data"].items()}
            if set(data) == {"text/plain"}:
                try:
                    values[meta["name"]] = ast.literal_eval(data["text/plain"])
                    continue
                except (ValueError, SyntaxError):
                    pass
            values[meta["name"]] = data
    return values


def execute_page(name: str, timeout: int = 300) -> ExecutedPage:
    """Execute ``book/<name>.md`` with jupytext + nbclient, failing on any cell error."""
    import jupytext
    from nbclient import NotebookClient

    notebook = jupytext.read(BOOK / f"{name}.md")
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(BOOK)}},
    )
    client.execute()
    return ExecutedPage(name, notebook, glued_values(notebook))


@pytest.fixture(scope="session")
def run_page() -> Callable[[str], ExecutedPage]:
    """``run_page("xor")`` executes that page once per test session and caches the result."""
    cache: Dict[str, ExecutedPage] = {}

    def run(name: str) -> ExecutedPage:
        if name not in cache:
            cache[name] = execute_page(name)
        return cache[name]

    return run


# ------------------------------------------------------------------ the whole book


def jupyter_book(project: Path, *flags: str) -> subprocess.CompletedProcess:
    """``jupyter-book build <project> [flags]``, importing scratchnet from ``project``."""
    env = dict(os.environ, PYTHONPATH=str(project))
    exe = Path(sys.executable).with_name("jupyter-book")
    return subprocess.run(
        [str(exe), "build", str(project), *flags],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )


def copy_sources(root: Path, names: List[str]) -> Path:
    """Copy the named files and folders of the project into ``root``."""
    for name in names:
        src, dst = ROOT / name, root / name
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "_build"))
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    return root


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the book's sources, built once per session, cold, with ``-W``.

    Returns the copy's root; the site is in ``<root>/_build/html``. Shared by
    tests/test_book.py and tests/test_browser.py (a build takes minutes). Note that
    test_book.py's changed-package test rebuilds it in place (after patching the copy's
    ``scratchnet.__version__``): a test that runs after it still gets a complete build.
    """
    root = copy_sources(tmp_path_factory.mktemp("book"), SOURCES)
    result = jupyter_book(root, "-W")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return root
