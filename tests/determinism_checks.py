"""Two executions of the book give identical outputs: the build's and one more.

The checks, shared by tests/test_build_determinism_part1.py (the questions page, which
takes about as long to execute as all the others together) and
tests/test_build_determinism_part2.py (every other page with code). With the README's
``pytest -n 2 --dist loadfile`` each part runs on its own worker, and both start at
once, while the book build runs in the background: each page is executed here first,
and only then does the test wait for the build to compare. Not a test module.

The session's book build (``built_book``: ``jupyter-book build``, myst-nb's executor)
and a second execution of each page here (``execute_page``: jupytext + nbclient, in
another kernel, at another time) run every page independently. Every printed line and every glued number must come out the
same, except what measures wall time (lines with a time in seconds, and the glued
values named after seconds or time) and the line that prints the package's version. Figures are compared by their glued keys only (a
PNG also records time-dependent curves, such as loss against wall time).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable

from conftest import BOOK, execute_page
from workbooks import check_cell_after, is_solution

PAGES = sorted(p.stem for p in BOOK.glob("*.md") if "```{code-cell}" in p.read_text(encoding="utf-8"))
HEAVY = ["questions"]


def pages(part: int) -> list[str]:
    """The pages of part 0 (``HEAVY``) or part 1 (every other page with code)."""
    return [p for p in PAGES if (p in HEAVY) == (part == 0)]
# Lines that measure wall time.
VOLATILE_LINE = re.compile(r"\d+(\.\d+)? ?[µm]?s\b|seconds")
TIMING_KEY = re.compile(r"seconds|time")
# The one line a checker of scratchnet.exercises prints when the reader's code is right.
PASSED = re.compile(r"^check_\w+: .* passed", re.MULTILINE)


def stdout(cell) -> str:
    return "".join(out.get("text", "") for out in cell.get("outputs", [])
                   if out.get("output_type") == "stream" and out.get("name") == "stdout")


def printed_lines(cells) -> list[str]:
    """Every printed line and every displayed text of a page's code cells, in order."""
    lines = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        outputs = cell.get("outputs", [])
        streamed = "".join(
            "".join(out["text"]) if isinstance(out.get("text"), list) else out.get("text", "")
            for out in outputs if out.get("output_type") == "stream"
        )
        shown = "".join(
            "".join(text) if isinstance(text, list) else text
            for out in outputs
            if not out.get("metadata", {}).get("scrapbook")  # glued values: compared below
            for text in [out.get("data", {}).get("text/plain", "")]
        )
        for text in (streamed, shown):
            lines.extend(line for line in text.splitlines() if not VOLATILE_LINE.search(line))
    return lines


def glued_text(values: dict) -> dict[str, str]:
    """Glued values as text, without those that measure time (and without figures)."""
    return {
        key: value for key, value in values.items()
        if isinstance(value, str) and not TIMING_KEY.search(key)
    }


def built_page(root: Path, name: str) -> tuple[list[str], dict[str, str], set[str]]:
    executed = root / "_build" / "jupyter_execute" / "book"
    cells = json.loads((executed / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    glue_file = executed / f"{name}.glue.json"
    glue = json.loads(glue_file.read_text(encoding="utf-8")) if glue_file.exists() else {}
    values = {key: out["data"].get("text/plain") if set(out["data"]) == {"text/plain"} else None
              for key, out in glue.items()}
    return printed_lines(cells), glued_text(values), set(glue)


def second_execution(page) -> tuple[list[str], dict[str, str], set[str]]:
    raw = {}
    for cell in page.notebook.cells:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook")
            if meta:
                data = {k[len(meta["mime_prefix"]):]: v for k, v in out["data"].items()}
                raw[meta["name"]] = data["text/plain"] if set(data) == {"text/plain"} else None
    return printed_lines(page.notebook.cells), glued_text(raw), set(raw)


def check_page(book_build: Callable[[], Path], name: str) -> None:
    """Execute ``name`` once more, then wait for the build and compare the two."""
    executed = execute_page(name)
    solutions = [cell for cell in executed.notebook.cells if is_solution(cell)]
    assert len(executed.stubs) == len(solutions), f"{name}: a stub did not stop its checker"
    for message, cell in zip(executed.stubs, solutions):
        assert "your code here (exercise" in message, (name, message)
        checked = executed.notebook.cells[check_cell_after(executed.notebook.cells,
                                                           executed.notebook.cells.index(cell))]
        assert PASSED.search(stdout(checked)), (name, stdout(checked))
    other_lines, other_glued, other_keys = second_execution(executed)
    lines, glued, keys = built_page(book_build(), name)
    assert keys == other_keys
    assert glued == other_glued
    assert lines == other_lines
    assert lines or glued or name in {"intro", "insights"}, f"{name}: nothing was compared"
