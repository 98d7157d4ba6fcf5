"""Shared fixtures: the project's paths and the book's pages, executed once per session."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"


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
