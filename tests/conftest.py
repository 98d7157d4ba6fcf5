"""Shared fixtures: the project's paths, the whole book built once per test run
(``built_book``), and each page as that build executed it (``run_page``)."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"

# What a build of the book needs, copied to a temporary directory by ``built_book``:
# tests/ too, since the chapter-code page shows tests/seed_chapter.py and the claims
# extension reads which test checks each claim.
SOURCES = ["_config.yml", "_toc.yml", "book", "scratchnet", "pyproject.toml", "tests"]


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


def glued_output_values(outputs: List[Any]) -> Dict[str, Any]:
    """The ``myst_nb.glue`` values among a notebook's outputs.

    Plain values (numbers, strings, lists) come back as Python objects, parsed from
    their ``text/plain`` form; anything else (a figure) comes back as its mime bundle.
    """
    values: Dict[str, Any] = {}
    for out in outputs:
        meta = out.get("metadata", {}).get("scrapbook")
        if not meta:
            continue
        prefix = meta.get("mime_prefix", "")
        # in the notebook the mime types carry the prefix; in <name>.glue.json they do not
        data = {k[len(prefix):] if k.startswith(prefix) else k: v
                for k, v in out["data"].items()}
        if set(data) == {"text/plain"}:
            try:
                values[meta["name"]] = ast.literal_eval(data["text/plain"])
                continue
            except (ValueError, SyntaxError):
                pass
        values[meta["name"]] = data
    return values


def glued_values(notebook: Any) -> Dict[str, Any]:
    """Every ``myst_nb.glue`` value of a notebook executed outside the build."""
    return glued_output_values(
        [out for cell in notebook.cells if cell.cell_type == "code"
         for out in cell.get("outputs", [])]
    )


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
def chromium() -> str:
    """The Chromium executable; skips without one, unless the browser test is required."""
    import browser_check

    required = os.environ.get("SCRATCHNET_BROWSER_TEST", "") == "required"
    if os.environ.get("SCRATCHNET_CHROMIUM"):
        return browser_check.find_chromium()  # a wrong explicit path is an error, never a skip
    problem = None
    if os.name != "posix":
        problem = "the browser test drives Chromium through pipes, which needs a POSIX system"
    elif browser_check.find_chromium() is None:
        problem = ("no Chromium found: install it (Debian/Ubuntu: apt-get install chromium) "
                   "or set SCRATCHNET_CHROMIUM to its path")
    if problem is None:
        return browser_check.find_chromium()
    if required:
        pytest.fail(f"SCRATCHNET_BROWSER_TEST=required, but {problem}")
    pytest.skip(f"{problem} (set SCRATCHNET_BROWSER_TEST=required to fail instead)")


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
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "_build", ".hypothesis", ".pytest_cache"))
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    return root


def build_book_copy(root: Path) -> Path:
    """Copy the book's sources into ``root`` and build them cold with ``-W``."""
    copy_sources(root, SOURCES)
    result = jupyter_book(root, "-W")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return root


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the book's sources, built once per test run, cold, with ``-W``.

    Returns the copy's root; the site is in ``<root>/_build/html``. The one whole-book
    build of a test run, shared by every test that needs the built site or the executed
    pages (``run_page``): page claims, the book, the browser, determinism, typed numbers.
    Tests that need a second build (rebuilds, broken pages) use a book of one or two tiny
    pages (tests/test_book.py). No test may change it.

    With pytest-xdist the workers share it too: the first worker to ask builds it, in
    the run's common temporary folder, while the others wait for it.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return build_book_copy(tmp_path_factory.mktemp("book"))
    shared = tmp_path_factory.getbasetemp().parent
    root, done, failed = shared / "book", shared / "book.done", shared / "book.failed"
    try:
        fd = os.open(shared / "book.lock", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        deadline = time.monotonic() + 1500
        while not (done.exists() or failed.exists()):
            if time.monotonic() > deadline:
                pytest.fail("timed out waiting for another worker's book build")
            time.sleep(0.5)
        if failed.exists():
            pytest.fail("the book build failed in another worker:\n" + failed.read_text())
        return root
    os.close(fd)
    try:
        root.mkdir()
        build_book_copy(root)
    except BaseException as error:
        failed.write_text(str(error))
        raise
    done.write_text("built\n")
    return root


def built_page(root: Path, name: str) -> ExecutedPage:
    """``book/<name>.md`` as the build in ``root`` executed it, with what it glued.

    myst-nb saves the executed notebook in ``_build/jupyter_execute`` and its glued
    values beside it (``<name>.glue.json``), taken out of the notebook's outputs.
    """
    import nbformat

    executed = root / "_build" / "jupyter_execute" / "book"
    notebook = nbformat.read(executed / f"{name}.ipynb", as_version=4)
    glue_file = executed / f"{name}.glue.json"
    glue = json.loads(glue_file.read_text(encoding="utf-8")) if glue_file.exists() else {}
    return ExecutedPage(name, notebook, glued_output_values(list(glue.values())))


@pytest.fixture(scope="session")
def run_page(built_book: Path) -> Callable[[str], ExecutedPage]:
    """``run_page("xor")``: the page as the session's one book build executed it.

    The page tests check the prose against exactly the outputs the site shows;
    tests/test_build_determinism.py executes every page once more and compares.
    """
    cache: Dict[str, ExecutedPage] = {}

    def run(name: str) -> ExecutedPage:
        if name not in cache:
            cache[name] = built_page(built_book, name)
        return cache[name]

    return run


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    """Test modules that need the built book run last (stable order otherwise).

    With pytest-xdist, the worker that first needs the book builds it while the other
    runs the tests that need no build, instead of waiting for the build from the start.
    A module moves as a whole, so its module-scoped fixtures are set up once.
    """
    needs_book = {getattr(item, "module", None) for item in items
                  if "built_book" in getattr(item, "fixturenames", ())}
    items.sort(key=lambda item: getattr(item, "module", None) in needs_book)
