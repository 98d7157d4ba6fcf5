"""Shared fixtures: the project's paths, the whole book built once per test run
(``built_book``), and each page as that build executed it (``run_page``)."""

from __future__ import annotations

import ast
import copy
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest

from book_build import ROOT

BOOK = ROOT / "book"
sys.path.insert(0, str(BOOK / "_ext"))  # workbooks.py, claims.py: the book's rules, shared


@dataclass
class ExecutedPage:
    """A page of the book run top to bottom as a notebook, and what it glued."""

    name: str
    notebook: Any
    glued: Dict[str, Any]
    stubs: List[str] = field(default_factory=list)

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
    """Execute ``book/<name>.md`` with jupytext + nbclient, failing on any cell error.

    The page's workbook (``book/_ext/workbooks.py``) is run along the way: at each
    solution, its stub is run first, and the checker call after it must stop with the
    stub's ``NotImplementedError``; then the solution itself runs, and the page goes on.
    So the cells before the first stub are the workbook as shipped, and the whole run
    is the workbook with the solutions filled back in. ``ExecutedPage.stubs`` lists the
    stopping messages, one per solution.
    """
    import jupytext
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from workbooks import make_workbook

    notebook = jupytext.read(BOOK / f"{name}.md")
    shipped = [cell for cell in make_workbook(notebook, name).cells if cell.cell_type == "code"]
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(BOOK)}},
    )
    stubs: List[str] = []
    code = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
    assert len(code) == len(shipped), "the workbook must keep every code cell of the page"
    with client.setup_kernel():
        for position, (index, stub) in enumerate(zip(code, shipped)):
            cell = notebook.cells[index]
            if stub.source != cell.source:  # a solution: the workbook has its stub here
                client.execute_cell(stub, index)
                checker = copy.deepcopy(notebook.cells[code[position + 1]])
                try:
                    client.execute_cell(checker, code[position + 1])
                except CellExecutionError as error:
                    assert error.ename == "NotImplementedError", (name, error.ename, error.evalue)
                    stubs.append(error.evalue)
                else:
                    raise AssertionError(f"{name}: the checker after cell {index} passed a stub")
            client.execute_cell(cell, index)
    return ExecutedPage(name, notebook, glued_values(notebook), stubs)


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


BUILD_TIMEOUT = 1500  # seconds a test waits for the run's book build


def book_folder(config: pytest.Config) -> Path:
    """Where this test run's book is built: the run's temporary folder, which
    pytest-xdist's workers share (each has its own subfolder of it)."""
    base = config._tmp_path_factory.getbasetemp()  # the folder tmp_path_factory uses
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


_build_process: "subprocess.Popen[bytes] | None" = None


def start_book_build(folder: Path) -> None:
    """Start tests/book_build.py in the background, once per test run: the first
    process to create ``book.lock`` starts it, every other call does nothing."""
    global _build_process
    try:
        fd = os.open(folder / "book.lock", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    os.close(fd)
    with open(folder / "book.log", "wb") as log:
        _build_process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "book_build.py"), str(folder)],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_for_book(folder: Path) -> Path:
    """The built copy's root, once ``book.done`` is there; fails on ``book.failed``."""
    done, failed = folder / "book.done", folder / "book.failed"
    deadline = time.monotonic() + BUILD_TIMEOUT
    while not (done.exists() or failed.exists()):
        if time.monotonic() > deadline:
            pytest.fail(f"the book build did not finish in {BUILD_TIMEOUT} s "
                        f"(its output: {folder / 'book.log'})")
        time.sleep(0.2)
    if failed.exists():
        pytest.fail("the book build failed:\n" + failed.read_text(encoding="utf-8"))
    return folder / "book"


def needs_book(item: pytest.Item) -> bool:
    return "book_build" in getattr(item, "fixturenames", ())


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the book build as soon as the run is known to need it, so it runs while
    the tests that need no build do (each xdist worker collects; one starts it)."""
    if session.config.option.collectonly:
        return
    if any(needs_book(item) for item in session.items):
        start_book_build(book_folder(session.config))
        # The build is the run's longest task, and most tests wait for it: the tests
        # that run meanwhile yield the CPU to it (a lower priority, for this process
        # and what it starts; the build was started before).
        if hasattr(os, "nice"):
            os.nice(10)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A build this process started ends with the run: it is stopped when the run was
    interrupted or stopped early (``-x``), otherwise waited for (another xdist worker
    may still be waiting for it)."""
    if _build_process is None or _build_process.poll() is not None:
        return
    if exitstatus == pytest.ExitCode.INTERRUPTED or session.shouldstop or session.shouldfail:
        os.killpg(_build_process.pid, signal.SIGTERM)
    _build_process.wait()


@pytest.fixture(scope="session")
def book_build(request: pytest.FixtureRequest) -> Callable[[], Path]:
    """The test run's one build of the whole book, started if it has not been:
    call the result to wait for the built copy's root.

    A test that has work to do before it needs the build (tests/determinism_checks.py
    executes each page once more) asks for this, does its work, then waits.
    """
    folder = book_folder(request.config)
    start_book_build(folder)
    return lambda: wait_for_book(folder)


@pytest.fixture(scope="session")
def built_book(book_build: Callable[[], Path]) -> Path:
    """A copy of the book's sources, built once per test run, cold, with ``-W``.

    Returns the copy's root; the site is in ``<root>/_build/html``. The one whole-book
    build of a test run (tests/book_build.py, started in the background when the run is
    collected), shared by every test and every xdist worker that needs the built site or
    the executed pages (``run_page``): page claims, the book, the browser, determinism,
    typed numbers. Tests that need a second build (rebuilds, broken pages) use a book of
    one or two tiny pages (tests/test_book.py). No test may change it.
    """
    return book_build()


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
    tests/determinism_checks.py executes every page once more and compares.
    """
    cache: Dict[str, ExecutedPage] = {}

    def run(name: str) -> ExecutedPage:
        if name not in cache:
            cache[name] = built_page(built_book, name)
        return cache[name]

    return run


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    """Order the test modules by when they can run (stable order otherwise): first those
    that need no build, then those with work to do before they need it (the second
    execution of the pages, which then waits for the build to compare), and last those
    that need the built book (in these, the tests that need no build first). The second
    execution of the questions page, the longest, starts before everything.

    With pytest-xdist (and ``--no-loadscope-reorder``, in pyproject.toml, so that xdist
    keeps this order) both workers are busy while the build runs in the background. A
    module moves as a whole, so its module-scoped fixtures are set up once.
    """
    by_module: Dict[Any, List[pytest.Item]] = {}
    for item in items:
        by_module.setdefault(getattr(item, "module", None), []).append(item)

    def phase(uses: List[pytest.Item]) -> int:
        if any("built_book" in getattr(item, "fixturenames", ()) for item in uses):
            return 2
        return 1 if any(needs_book(item) for item in uses) else 0

    def rank(module: Any, uses: List[pytest.Item]) -> tuple:
        # A module that takes long (RUN_EARLY = True) starts first in its phase, so that
        # it does not end the run alone on one worker; one with work to do before the
        # build is needed starts before everything, on the first worker.
        early = getattr(module, "RUN_EARLY", False)
        p = phase(uses)
        return (-1 if p == 1 and early else p, not early)

    order = {module: (*rank(module, uses), i) for i, (module, uses) in enumerate(by_module.items())}
    # each module's tests stay together; in a module that needs the built book, its
    # tests that do not come first
    items.sort(key=lambda item: (order[getattr(item, "module", None)],
                                 "built_book" in getattr(item, "fixturenames", ())))
