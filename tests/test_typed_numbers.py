"""No number typed by hand: every number a reader sees on a chapter page of the built
book is glued from the build, inside code or math, or on the allow-list of
tests/typed_numbers.py (the chapter's own layer sizes and hyperparameters)."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT
from typed_numbers import typed_numbers

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import claims  # noqa: E402

PAGES = [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in claims.chapter_pages(ROOT)]


@pytest.mark.book
@pytest.mark.parametrize("page", PAGES)
def test_no_typed_numbers_on_the_built_page(built_book, page):
    html = (built_book / "_build" / "html" / page).read_text(encoding="utf-8")
    assert "bd-article" in html
    assert typed_numbers(html) == []


SAMPLE = """
<nav>3 things</nav>
<article class="bd-article">
<h2>3. A question</h2>
<p>The loss ends at <span class="pasted-text">0.4774</span> after 10,000 epochs,
<span class="math notranslate nohighlight">\\(\\sigma = 0.001\\)</span>, see
<a class="reference internal" href="#equation-eq-bce">(7)</a> and
<a class="reference internal" href="references.html#id3">Nielsen, 2015</a>.</p>
<p>It learns in 57% of runs.</p>
<img src="x.png" alt="The loss falls from 0.69 to 0.48.">
<div class="pasted-md"><table><tr><td>65%</td></tr></table></div>
<div class="cell_output"><pre>Epoch 9000, Loss: 0.4774</pre></div>
<table><tr><td>0.25</td></tr></table>
<div class="exercise admonition" id="xor-plateau"><p class="admonition-title">
<span class="caption-number">Exercise 13 </span>(The plateau)</p><p>Why 3 of 4?</p></div>
<div class="solution dropdown admonition"><p class="admonition-title">Solution to
<a class="reference internal" href="#xor-plateau"> Exercise 13 (The plateau)</a></p>
<p>It is 7 times larger.</p></div>
</article>
<footer>2026</footer>
"""


def test_the_scan_finds_typed_numbers_and_only_those():
    found = typed_numbers(SAMPLE)
    # the numbers of exercises (and links to them) are the book's numbering, not results
    assert [f.split(" in ")[0] for f in found] == ["'57%'", "'0.69'", "'0.48'", "'0.25'",
                                                   "'3'", "'7'"]
    assert "alt text" in found[1]
