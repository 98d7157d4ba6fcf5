"""Pages a reader can take in: no code shown on a page runs over 40 lines.

The chapter's own code (``tests/seed_chapter.py``) is the exception: the page that
compares it with scratchnet shows each of its objects whole, as the chapter prints them
(its ``run_seed`` is 41 lines).

Every ``literalinclude`` is read with Sphinx's own reader (the same options, the same
filters: ``pyobject``, ``start-at``, ``end-before``, ``lines``, ...), so the count is
the number of lines the built page shows. Every code cell whose source the reader sees
(not tagged ``remove-input``, ``remove-cell`` or ``hide-input``) is counted too.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from sphinx.directives.code import LiteralIncludeReader

from conftest import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from claims import chapter_pages  # noqa: E402

LIMIT = 40
INCLUDE = re.compile(r"```\{literalinclude\} (?P<path>\S+)\n(?P<options>(?::[^\n]*\n)*)```")
CELL = re.compile(r"```\{code-cell\}[^\n]*\n(?P<body>.*?)```", re.DOTALL)
HIDDEN = ("remove-input", "remove-cell", "hide-input")


def shown_include_lines(page: Path, path: str, options: str) -> int:
    """Lines the built page shows for one literalinclude directive."""
    parsed = {}
    for line in options.splitlines():
        key, _, value = line[1:].partition(":")
        parsed[key.strip()] = value.strip() or True
    if "dedent" in parsed and parsed["dedent"] is not True:
        parsed["dedent"] = int(parsed["dedent"])
    config = SimpleNamespace(source_encoding="utf-8")
    text, _ = LiteralIncludeReader(str((page.parent / path).resolve()), parsed, config).read()
    return len(text.splitlines())


def visible_cells(text: str):
    """(first line, lines of code) of every code cell the reader sees."""
    for match in CELL.finditer(text):
        body = match.group("body")
        options = [line for line in body.splitlines() if line.startswith(":")]
        if any(tag in line for line in options for tag in HIDDEN):
            continue
        code = [line for line in body.splitlines() if not line.startswith(":")]
        while code and not code[0].strip():
            code.pop(0)
        yield text[:match.start()].count("\n") + 1, len(code)


PAGES = chapter_pages(ROOT)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_no_include_or_visible_cell_runs_over_40_lines(page):
    """Every literalinclude of scratchnet's code (counted with Sphinx's own reader) and
    every visible code cell of the page shows at most 40 lines."""
    text = page.read_text(encoding="utf-8")
    too_long = []
    for match in INCLUDE.finditer(text):
        if match.group("path").endswith("tests/seed_chapter.py"):
            continue  # the chapter's own code, shown whole
        n = shown_include_lines(page, match.group("path"), match.group("options"))
        if n > LIMIT:
            line = text[:match.start()].count("\n") + 1
            too_long.append(f"line {line}: include of {match.group('path')} shows {n} lines")
    for line, n in visible_cells(text):
        if n > LIMIT:
            too_long.append(f"line {line}: a visible code cell of {n} lines")
    assert not too_long, f"{page.name}: " + "; ".join(too_long)


def test_the_counts_can_fail():
    """The counter sees a long include and a long visible cell, and skips a hidden one."""
    page = ROOT / "book" / "layer.md"
    assert shown_include_lines(page, "../scratchnet/fitting.py", ":pyobject: fit\n") > LIMIT
    long_cell = "```{code-cell} ipython3\n" + "x = 1\n" * 50 + "```\n"
    hidden = "```{code-cell} ipython3\n:tags: [remove-input]\n" + "x = 1\n" * 50 + "```\n"
    assert [n for _, n in visible_cells(long_cell + hidden)] == [50]
