"""book/_ext/book_fixes.py's merge of a cell's printed chunks (no book build needed)."""

from __future__ import annotations

import sys

import nbformat
import pytest

from conftest import BOOK

sys.path.insert(0, str(BOOK / "_ext"))
from book_fixes import coalesce_streams_in_place  # noqa: E402


def stream(text: str, name: str = "stdout") -> nbformat.NotebookNode:
    return nbformat.v4.new_output("stream", name=name, text=text)


@pytest.mark.parametrize("chunks", [
    ["NeuralNetwork([2, 4, 1])\nequal: True\n"],                   # one flush
    ["NeuralNetwork([2, 4, 1])", "\nequal: True\n"],               # print's text, then its newline
    ["Neural", "Network([2, 4, 1])\n", "equal: ", "True\n"],       # any other split
])
def test_printed_lines_do_not_depend_on_where_the_kernel_flushed(chunks):
    """A line the kernel flushed in two parts used to gain a blank line after it, so the
    build and a second execution of the same page could differ (tests/determinism_checks.py)."""
    outputs = [stream(c) for c in chunks]
    merged = coalesce_streams_in_place(outputs)
    assert [o["text"] for o in merged] == ["NeuralNetwork([2, 4, 1])\nequal: True\n"]
    assert outputs == merged  # written back into the cell


def test_streams_stay_apart_and_other_outputs_keep_their_place():
    picture = nbformat.v4.new_output("display_data", data={"text/plain": "<figure>"})
    outputs = [stream("a"), stream("warn\n", "stderr"), picture, stream("b\n")]
    merged = coalesce_streams_in_place(outputs)
    texts = [(o.get("name"), o.get("text")) for o in merged if o["output_type"] == "stream"]
    assert texts == [("stdout", "ab\n"), ("stderr", "warn\n")]
    assert picture in merged
