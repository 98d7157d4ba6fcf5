"""Sphinx extension: a workbook notebook for every page with exercises.

A page's exercises are ``{exercise}`` blocks, each followed by its solution between
``{solution-start}`` and ``{solution-end}`` (sphinx-exercise's gated syntax, so the
solution can hold code cells that the build executes). A coding exercise's solution
has a code cell tagged ``solution`` that only defines functions and classes, and
right after it a code cell that calls a checker from :mod:`scratchnet.exercises`.

The workbook is the same page as a notebook, with

* every ``solution`` cell replaced by its *stub*: the same ``def`` and ``class`` lines
  and docstrings, each body a ``raise NotImplementedError`` that names what to write;
* the solution's prose left out (a line says the solution is in the book);
* every other cell kept, the checker calls among them.

Run as shipped, a workbook stops at the first checker call, on the first stub; with
the solutions filled back in it is the page itself. ``tests/determinism_checks.py``
checks both in its second execution of each page. The workbooks are written to
``_build/html/workbooks/<page>.ipynb``, and each exercises section links its own.

The functions are used by the extension (``setup``) and by the tests, so the rules
are written once.
"""

from __future__ import annotations

import ast
import copy
import re
from pathlib import Path
from typing import Any, Iterator, List, Tuple

SOLUTION_TAG = "solution"
START = re.compile(r"^[`:]{3,}\{solution-start\}\s*(\S+)", re.MULTILINE)
END = re.compile(r"^[`:]{3,}\{solution-end\}", re.MULTILINE)
FENCE = re.compile(r"^[`:]{3,}[ \t]*$", re.MULTILINE)
EXERCISE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{exercise\}[ \t]*(?P<title>[^\n]*)\n(?P<options>(?::[\w-]+:[^\n]*\n)*)"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL)
WORKBOOK_DIR = "workbooks"


def is_solution(cell: Any) -> bool:
    """Whether ``cell`` is a code cell tagged ``solution``."""
    return cell.get("cell_type") == "code" and SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def stub_source(source: str, label: str) -> str:
    """The stub of a solution cell: its ``def`` and ``class`` lines (and docstrings and
    imports), every function body replaced by ``raise NotImplementedError``.

    A solution cell may hold only imports, functions and classes (so that its stub
    defines the same names); anything else is an error here, not a silent workbook.
    """
    tree = ast.parse(source)
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
            raise ValueError(
                f"solution of {label!r}: a solution cell may define only functions and "
                f"classes (and import), got {type(node).__name__} on line {node.lineno}"
            )
    lines = source.splitlines()
    replaced: List[Tuple[int, int, str]] = []  # (first line, last line, new text), 1-based
    for function in _functions(tree):
        body = function.body
        docstring = ast.get_docstring(function, clean=False) is not None
        first = body[1] if docstring and len(body) > 1 else (None if docstring else body[0])
        indent = " " * (function.col_offset + 4)
        message = f"{function.name}: your code here (exercise {label})"
        stub = f"{indent}raise NotImplementedError({message!r})"
        if first is None:  # a docstring and nothing else: add the raise after it
            replaced.append((body[0].end_lineno + 1, body[0].end_lineno, stub))
        else:
            replaced.append((first.lineno, body[-1].end_lineno, stub))
    for first, last, text in sorted(replaced, reverse=True):
        lines[first - 1:last] = [text]
    return "\n".join(lines)


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef]:
    """The functions of a cell and the methods of its classes (not nested functions)."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            yield node
        elif isinstance(node, ast.ClassDef):
            yield from (n for n in node.body if isinstance(n, ast.FunctionDef))


def check_cell_after(cells: List[Any], index: int) -> int:
    """The index of the code cell after solution cell ``index``: it must call a checker."""
    for later in range(index + 1, len(cells)):
        if cells[later].get("cell_type") == "code":
            if not re.search(r"\bcheck_\w+\(", cells[later]["source"]):
                break
            return later
    raise ValueError(f"cell {index}: a solution cell must be followed by a code cell that "
                     "calls a checker from scratchnet.exercises")


def _after_end(text: str, end: re.Match) -> int:
    """Where the text after a ``{solution-end}`` directive (and its closing fence) starts."""
    closing = FENCE.search(text, end.end())
    return closing.end() if closing else len(text)


def plain_exercise(match: re.Match) -> str:
    """An ``{exercise}`` block as plain Markdown, for Jupyter, which knows no directives."""
    label = re.search(r"^:label:\s*(\S+)", match["options"], re.MULTILINE)
    name = f" `{label.group(1)}`" if label else ""
    title = f": {match['title'].strip()}" if match["title"].strip() else ""
    return f"**Exercise{name}{title}**\n\n{match['body'].strip()}"


def make_workbook(notebook: Any, page: str) -> Any:
    """The workbook of ``notebook`` (a page read by jupytext): see the module's description."""
    workbook = copy.deepcopy(notebook)
    keep: List[Any] = []
    label = None  # the solution being read, if any
    for index, cell in enumerate(workbook.cells):
        if cell.cell_type == "code":
            if is_solution(cell):
                if label is None:
                    raise ValueError(f"cell {index}: a solution cell outside a solution block")
                check_cell_after(workbook.cells, index)
                cell.source = stub_source(cell.source, label)
                cell.metadata["tags"] = [t for t in cell.metadata["tags"] if t != SOLUTION_TAG]
            cell.outputs, cell.execution_count = [], None
            keep.append(cell)
            continue
        text, parts, position = cell.source, [], 0
        if label is not None:  # a solution's prose, up to its end
            end, start = END.search(text), START.search(text)
            if start and (end is None or start.start() < end.start()):
                raise ValueError(f"solution of {label!r} is not closed before {start.group(1)!r}")
            if end is None:
                continue
            position, label = _after_end(text, end), None
        while True:
            start = START.search(text, position)
            if start is None:
                parts.append(text[position:])
                break
            parts += [text[position:start.start()],
                      f"*Your turn: write your answer to exercise `{start.group(1)}` here. "
                      f"The solution is on the book's page `{page}`.*"]
            end = END.search(text, start.end())
            if end is None:
                label = start.group(1)
                break
            position = _after_end(text, end)
        joined = "\n\n".join(part.strip("\n") for part in parts if part.strip())
        joined = EXERCISE.sub(plain_exercise, joined)
        if joined:
            cell.source = joined
            keep.append(cell)
    if label is not None:
        raise ValueError(f"solution of {label!r} has no {{solution-end}}")
    workbook.cells = keep
    return workbook


def pages_with_exercises(root: Path) -> List[Path]:
    from claims import chapter_pages  # the book's page list, read from _toc.yml

    return [page for page in chapter_pages(root)
            if START.search(page.read_text(encoding="utf-8"))]


def write_workbooks(root: Path, outdir: Path) -> List[Path]:
    """Write the workbook of every page with exercises into ``outdir/workbooks``."""
    import jupytext
    import nbformat

    folder = outdir / WORKBOOK_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for page in pages_with_exercises(root):
        workbook = make_workbook(jupytext.read(page), page.stem)
        target = folder / f"{page.stem}.ipynb"
        nbformat.write(workbook, str(target))
        written.append(target)
    return written


def setup(app: Any) -> dict:
    def on_finished(app: Any, exception: Exception | None) -> None:
        if exception is None and app.builder.format == "html":
            write_workbooks(Path(app.confdir), Path(app.outdir))

    app.connect("build-finished", on_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
