"""The workbook generator (book/_ext/workbooks.py), on small made-up pages (no build).

The book's own workbooks are checked where the pages run: tests/determinism_checks.py
runs each page with its workbook's stubs (every checker must stop on its stub, then
pass with the solution), and tests/test_book_site.py checks the files the build wrote.
"""

from __future__ import annotations

import ast

import jupytext
import pytest

from conftest import BOOK, execute_page  # noqa: F401 (conftest puts book/_ext on sys.path)
from workbooks import make_workbook, pages_with_exercises, stub_source

PAGE = '''---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
# A page

```{code-cell} ipython3
import numpy as np
```

## Exercises

```{exercise} Write double
:label: demo-double

Write `double(x)`.
```

```{solution-start} demo-double
:class: dropdown
```

Multiply by two.

```{code-cell} ipython3
:tags: [solution]
def double(x):
    """Twice x."""
    return 2 * x
```

```{code-cell} ipython3
check_double(double)
```

```{solution-end}
```

```{exercise} Think
:label: demo-think

Why?
```

```{solution-start} demo-think
:class: dropdown
```

Because the answer is {glue:text}`answer`.

```{solution-end}
```

Back to the page.
'''


def workbook(text: str = PAGE):
    return make_workbook(jupytext.reads(text, fmt="md:myst"), "demo")


def test_a_solution_becomes_a_stub_and_its_prose_goes():
    cells = workbook().cells
    text = "\n".join(cell.source for cell in cells)
    assert "Multiply by two" not in text and "Because the answer" not in text
    assert "return 2 * x" not in text
    assert "raise NotImplementedError('double: your code here (exercise demo-double)')" in text
    assert '"""Twice x."""' in text  # the docstring says what to write
    assert "check_double(double)" in text
    assert "**Exercise `demo-double`: Write double**" in text  # plain Markdown for Jupyter
    assert "**Exercise `demo-think`: Think**" in text
    assert text.count("*Your turn: write your answer to exercise") == 2
    assert text.rstrip().endswith("Back to the page.")
    assert "{solution" not in text and "{exercise}" not in text


def test_the_workbook_keeps_every_code_cell_in_order_without_outputs():
    page = jupytext.reads(PAGE, fmt="md:myst")
    page.cells[1].outputs = [{"output_type": "stream", "name": "stdout", "text": "x"}]
    book = make_workbook(page, "demo")
    ours = [c for c in page.cells if c.cell_type == "code"]
    theirs = [c for c in book.cells if c.cell_type == "code"]
    assert len(ours) == len(theirs) == 3
    assert [c.source for c in theirs][::2] == [c.source for c in ours][::2]
    assert all(c.outputs == [] and c.execution_count is None for c in theirs)
    assert page.cells[1].outputs  # the page itself is not changed


def test_a_stub_defines_the_same_names_and_raises():
    source = (
        "import numpy as np\n\n"
        "class MyLayer:\n"
        '    """A layer."""\n\n'
        "    def __init__(self, n):\n"
        "        self.n = n\n\n"
        "    @staticmethod\n"
        "    def forward(x):\n"
        '        """Forward."""\n'
        "        y = x + 1\n"
        "        return y\n\n"
        "def only_doc():\n"
        '    """Nothing else."""\n'
    )
    stub = stub_source(source, "demo-layer")
    namespace: dict = {}
    exec(compile(stub, "<stub>", "exec"), namespace)
    with pytest.raises(NotImplementedError, match=r"__init__: your code here \(exercise demo-layer\)"):
        namespace["MyLayer"](3)
    with pytest.raises(NotImplementedError, match="forward"):
        namespace["MyLayer"].forward(1)
    with pytest.raises(NotImplementedError, match="only_doc"):
        namespace["only_doc"]()
    assert "@staticmethod" in stub and '"""Forward."""' in stub and "x + 1" not in stub
    assert {type(n).__name__ for n in ast.parse(stub).body} == {"Import", "ClassDef", "FunctionDef"}


@pytest.mark.parametrize("source, found", [
    ("x = 1\n", "Assign"),
    ("def f():\n    return 1\n\nprint(f())\n", "Expr"),
])
def test_a_solution_cell_that_does_more_than_define_is_refused(source, found):
    with pytest.raises(ValueError, match=f"may define only functions and classes.*{found}"):
        stub_source(source, "demo")


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace("check_double(double)", "print(double(2))"), "calls a checker"),
    (lambda t: t.replace("```{solution-end}\n```\n\n```{exercise} Think", "```{exercise} Think"),
     "not closed|has no"),
    (lambda t: t.replace("```{solution-end}\n```\n\nBack", "Back"), "has no {solution-end}"),
    (lambda t: t.replace("```{solution-start} demo-double\n:class: dropdown\n```\n", ""),
     "outside a solution block"),
])
def test_a_malformed_page_is_an_error_not_a_silent_workbook(change, message):
    with pytest.raises(ValueError, match=message):
        workbook(change(PAGE))


def test_every_page_with_exercises_has_a_coding_or_a_written_solution():
    """The book's own pages: each workbook can be made, and each page with chapter code
    has at least one coding exercise (a stub)."""
    pages = {page.stem: page for page in pages_with_exercises(BOOK.parent)}
    assert {"activations", "layer", "network", "xor"} <= set(pages)
    for name, page in pages.items():
        book = make_workbook(jupytext.read(page), name)
        stubs = [c for c in book.cells if c.cell_type == "code" and "NotImplementedError" in c.source]
        if name in {"activations", "layer", "network", "xor"}:
            assert stubs, f"{name}: no coding exercise"
