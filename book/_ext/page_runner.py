"""Sphinx extension: execute the pages a build is about to read, on every core at once.

myst-nb executes a notebook page when Sphinx reads it, and Sphinx reads the pages one
after another (``jupyter-book build`` has no ``-j``, and sphinx-multitoc-numbering does
not declare itself safe for parallel reading), so the pages would run one at a time on
one core. This extension runs them before reading starts, each in its own kernel, as
many at once as the machine has cores (two here), and hands the
executed notebooks to myst-nb through its execution cache (``execute_notebooks: cache``
in ``_config.yml``). When myst-nb then reads a page it finds it executed.

Nothing stored is trusted: the cache is emptied before the pages are run, so every
output a build shows comes from that build, exactly as with ``force``. Which pages run
is Sphinx's decision, made before this: the pages whose source changed, or all of them
when the scratchnet package changed (book_guard.py). A page that raises stops the
build, naming the page and the cell's traceback, like myst-nb's ``raise_on_error``.

The pages named in the configuration value ``page_runner_first`` (the slow ones) start
first, the others after them, longest source first: a slow page started last would
keep one core busy long after the other has run out of pages.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PurePosixPath
from typing import Any, List, Optional, Tuple

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)


def notebook_pages(env: BuildEnvironment, docnames: List[str]) -> List[Tuple[str, Any]]:
    """``(path, notebook)`` for each of ``docnames`` that myst-nb reads as a notebook,
    made by myst-nb's own reader, so that the cache matches what myst-nb will look up."""
    from myst_nb.core.read import create_nb_reader

    pages = []
    excluded = env.mystnb_config.execution_excludepatterns
    for docname in docnames:
        path = env.doc2path(docname)
        if any(PurePosixPath(Path(path).as_posix()).match(p) for p in excluded):
            continue  # excluded from execution: myst-nb leaves it as it is
        text = Path(path).read_text(encoding="utf-8")
        reader = create_nb_reader(str(path), env.myst_config, env.mystnb_config, text)
        if reader is not None:
            pages.append((str(path), reader.read(text)))
    return pages


def execute(path: str, notebook: Any, timeout: Optional[int], allow_errors: bool,
            in_temp: bool) -> Tuple[Any, float, Optional[str]]:
    """Run ``notebook`` (the page at ``path``) in a fresh kernel, in the page's folder
    (or a temporary one, with myst-nb's ``execution_in_temp``), as myst-nb does. Returns
    the executed notebook, the seconds it took and, if a cell failed, its traceback.
    Runs in a worker process."""
    from jupyter_cache.executors.utils import single_nb_execution

    with (tempfile.TemporaryDirectory() if in_temp
          else contextlib.nullcontext(str(Path(path).parent))) as cwd:
        result = single_nb_execution(notebook, cwd=cwd, timeout=timeout,
                                     allow_errors=allow_errors, meta_override=True)
    return result.nb, result.time, result.exc_string if result.err else None


def run_pages(app: Sphinx, env: BuildEnvironment, docnames: List[str]) -> None:
    config = env.mystnb_config
    if config.execution_mode != "cache":
        return  # myst-nb executes (or not) by itself
    pages = notebook_pages(env, docnames)
    if not pages:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(config.execution_cache_path)
    cache.clear_cache()  # only outputs of this build are ever used
    first = list(app.config.page_runner_first)

    def order(page: Tuple[str, Any]) -> Tuple[int, int]:
        docname = env.path2doc(page[0])
        return (first.index(docname) if docname in first else len(first),
                -os.path.getsize(page[0]))

    pages.sort(key=order)
    workers = max(1, min(len(pages), os.cpu_count() or 1))
    logger.info(f"executing {len(pages)} page(s), {workers} at a time")
    # "spawn": fresh interpreters, nothing of the Sphinx process inherited
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(execute, path, notebook, config.execution_timeout,
                               config.execution_allow_errors, config.execution_in_temp)
                   for path, notebook in pages]
        for (path, _), future in zip(pages, futures):
            notebook, seconds, failure = future.result()
            if failure is not None:
                for other in futures:
                    other.cancel()
                raise ExtensionError(f"{path}: executing the page failed:\n{failure}")
            logger.info(f"{path}: Executed notebook in {seconds:.2f} seconds [page_runner]")
            cache.cache_notebook_bundle(
                CacheBundleIn(notebook, path, data={"execution_seconds": seconds}),
                check_validity=False, overwrite=True)


def setup(app: Sphinx) -> dict:
    app.add_config_value("page_runner_first", [], "env", [list])
    app.connect("env-before-read-docs", run_pages)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
