"""Sphinx extension with three workarounds for upstream bugs in the book's toolchain.

1. **Merged output streams, stored once, joined exactly.** With ``nb_merge_streams``
   myst-nb merges a cell's printed chunks into one block for the HTML, but its ``coalesce_streams``
   appends the later chunks to the first *in place* and the notebook saved afterwards
   (``_build/jupyter_execute``, and the ``.ipynb`` readers download) keeps the later
   chunks too: a training loop's printed lines appear twice. Here the merged outputs
   replace the cell's outputs, so the HTML and the saved notebook show each line once.
   (myst-nb 1.4.0, ``myst_nb/core/render.py``; its own comment there reads "TODO should
   this be saved on the output notebook".) It also ends every chunk with a newline, which
   puts a blank line into a line the kernel flushed in two parts: the chunks are joined
   exactly first.
2. **Inline scripts once.** Sphinx 7.4 writes some inline ``<script>`` snippets of
   extensions (sphinx-thebe's ``const THEBE_JS_URL = ...``) into every page twice, and
   the second ``const`` throws a SyntaxError in the browser. Duplicates are dropped from
   the page's script list (fixed upstream in sphinx-doc/sphinx#13402, Sphinx 8).

3. **The executed notebook saved in cache mode.** With ``execute_notebooks: cache``
   (book/_ext/page_runner.py) myst-nb's cache client merges the outputs into a *copy* of
   the notebook, renders the page from the copy, and then saves the notebook it read,
   without outputs, to ``_build/jupyter_execute`` (myst-nb 1.4.0: ``sphinx_.py`` writes
   ``notebook``, not ``nb_client.notebook``). Here the merged cells are put back into the
   notebook myst-nb read, so the saved notebook is the executed one.

``tests/determinism_checks.py`` and ``tests/test_browser.py`` fail without them.
"""

from __future__ import annotations

from typing import Any, List

from myst_nb.core import render, utils
from myst_nb.core.execute.cache import NotebookClientCache
from sphinx.application import Sphinx


def coalesce_streams_in_place(outputs: List[Any]) -> List[Any]:
    """myst-nb's ``coalesce_streams``, with the merged list written back into the cell.

    Each stream's chunks are first joined exactly as the kernel sent them: myst-nb ends
    every chunk with a newline, so a line that the kernel happened to flush in two parts
    (``print`` writes the text and its newline separately) came out with a blank line
    after it, in some builds and not in others.
    """
    joined: List[Any] = []
    first: dict = {}
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") in first:
            first[output["name"]]["text"] += output["text"]
            continue
        if output.get("output_type") == "stream":
            first[output["name"]] = output
        joined.append(output)
    merged = utils.coalesce_streams(joined)
    outputs[:] = merged
    return outputs


_start_cache_client = NotebookClientCache.start_client


def start_cache_client_in_place(client: NotebookClientCache) -> None:
    """myst-nb's cache client, with the cached outputs merged into the notebook it read."""
    read = client.notebook
    _start_cache_client(client)
    merged = client.notebook
    if merged is not read:
        read.cells[:] = merged.cells
        read.metadata.clear()
        read.metadata.update(merged.metadata)
        client._notebook = read


def drop_duplicate_scripts(app: Sphinx, pagename: str, templatename: str,
                           context: dict, doctree: Any) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # the same snippet comes once with filename None and once with "": same script
        filename = getattr(script, "filename", script) or ""
        key = (str(filename), tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app: Sphinx) -> dict:
    if render.coalesce_streams is not utils.coalesce_streams:
        raise RuntimeError(
            "book_fixes: myst_nb.core.render.coalesce_streams is no longer myst-nb's own "
            "function; check whether this workaround is still needed"
        )
    render.coalesce_streams = coalesce_streams_in_place
    NotebookClientCache.start_client = start_cache_client_in_place
    app.connect("html-page-context", drop_duplicate_scripts)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
