"""The docstrings' examples run and print what they show; the API reference covers every name.

Every ``>>>`` example in every scratchnet module is executed with :mod:`doctest`, under
pytest's warning filters (``filterwarnings = error`` in pyproject.toml), so an example
that warns fails too. The API reference (book/api.md and book/api/*.md) is built from
these docstrings; the last tests check that it documents every public name.
"""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil
import re

import pytest

import scratchnet
from conftest import BOOK

MODULES = sorted(
    f"scratchnet.{info.name}"
    for info in pkgutil.iter_modules(scratchnet.__path__)
    if not info.name.startswith("_")
)

OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def close_figures() -> None:
    """Close every matplotlib figure an example opened (if matplotlib was imported)."""
    import sys

    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


@pytest.fixture(autouse=True, scope="module")
def headless_matplotlib():
    """The plotting examples draw on the non-interactive Agg backend."""
    import matplotlib

    matplotlib.use("Agg")
    yield
    close_figures()


@pytest.mark.parametrize("name", MODULES)
def test_examples_in_docstrings_run(name: str) -> None:
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder(exclude_empty=True).find(module, name)
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    report = io.StringIO()
    for test in sorted(tests, key=lambda t: t.name):
        runner.run(test, out=report.write)
        close_figures()
    result = runner.summarize(verbose=False)
    assert result.failed == 0, report.getvalue()


def test_every_module_has_examples() -> None:
    """Each module's docstrings hold at least one example, so the test above tests something."""
    for name in sorted(MODULES):
        module = importlib.import_module(name)
        examples = sum(len(t.examples) for t in doctest.DocTestFinder().find(module, name))
        assert examples > 0, f"{name} has no docstring example"


@pytest.mark.parametrize("name", scratchnet.__all__)
def test_public_name_has_a_docstring_with_an_example(name: str) -> None:
    obj = getattr(scratchnet, name)
    assert obj.__doc__ and obj.__doc__.strip(), f"scratchnet.{name} has no docstring"
    assert ">>>" in obj.__doc__, f"scratchnet.{name}'s docstring has no example"


def documented_names() -> dict[str, set[str]]:
    """``{module: {names}}`` of every ``auto*`` directive in the API reference pages.

    A class documented with ``:members:`` also contributes ``Class.member`` for each
    of its public members that has a docstring (what autodoc shows).
    """
    names: dict[str, set[str]] = {}
    for page in sorted((BOOK / "api").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        module = re.search(r"^\.\. automodule:: (\S+)$", text, re.M)
        assert module, f"{page.name} documents no module"
        found = re.findall(r"^\.\. auto(?:class|function|data):: (\w+)", text, re.M)
        names[module.group(1)] = set(found)
        with_members = re.findall(r"^\.\. autoclass:: (\w+)\n +:members:", text, re.M)
        for cls_name in with_members:
            cls = getattr(importlib.import_module(module.group(1)), cls_name)
            names[module.group(1)] |= {
                f"{cls_name}.{member}"
                for member in dir(cls)
                if not member.startswith("_") and getattr(getattr(cls, member), "__doc__", None)
            }
    return names


# {func}`~scratchnet.fitting.fit` in MyST, :func:`~scratchnet.fitting.fit` in docstrings,
# also with an explicit title: :meth:`Layer.backward <scratchnet.layer.Layer.backward>`
ROLE = re.compile(
    r"[:{](?:py:)?(?:func|class|meth|attr|mod|data|obj)[:}]`(?:[^`<]*<)?~?(scratchnet[\w.]*)>?`"
)


def test_cross_references_to_scratchnet_point_at_documented_objects() -> None:
    """Nitpicky mode is off, so Sphinx would render a broken reference as plain code."""
    documented = documented_names()
    sources = sorted(BOOK.glob("*.md")) + sorted((BOOK / "api").glob("*.md"))
    sources += [BOOK.parent / "scratchnet" / f"{m.split('.')[-1]}.py" for m in documented]
    broken = []
    for source in sources:
        for target in ROLE.findall(source.read_text(encoding="utf-8")):
            if target in documented:
                continue  # a module
            module, _, name = target.rpartition(".")
            if "." in name or name not in documented.get(module, set()):
                module, _, cls = module.rpartition(".")
                name = f"{cls}.{name}"
            if name not in documented.get(module, set()):
                broken.append(f"{source.name}: {target}")
    assert not broken, "references to objects the API reference does not document:\n" + (
        "\n".join(broken)
    )


def test_api_reference_documents_every_public_name_once() -> None:
    documented = documented_names()
    # module-qualified: exercises.check_layer and gradcheck.check_layer are two names
    everything = [f"{module}.{name}" for module, names in documented.items() for name in names]
    assert len(everything) == len(set(everything)), "a name is documented twice"
    for name in scratchnet.__all__:
        module = getattr(scratchnet, name).__module__
        assert name in documented.get(module, set()), (
            f"scratchnet.{name} is missing from book/api/{module.split('.')[-1]}.md"
        )


def test_api_reference_has_a_page_per_module_in_the_toc() -> None:
    toc = (BOOK.parent / "_toc.yml").read_text(encoding="utf-8")
    assert "file: book/api\n" in toc
    for name in sorted(MODULES):
        short = name.split(".")[-1]
        assert (BOOK / "api" / f"{short}.md").exists(), f"book/api/{short}.md is missing"
        assert f"file: book/api/{short}\n" in toc, f"book/api/{short} is not in _toc.yml"
