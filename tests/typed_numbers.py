"""Find numbers typed by hand in a built page: every number a reader sees must come from
the build (glued), from code or from an equation, or be on the short allow-list.

Scanned: the article of each chapter page, its prose, tables, figure captions and image
alt text. Not scanned: glued values (``span.pasted-text``/``pasted-inline``, and glued
Markdown tables, which the ``claims`` extension wraps in ``div.pasted-md``), code and
cell outputs (``pre``, ``code``, ``.cell_output``), math (``.math``), numbered
references (figure and equation numbers Sphinx writes), citations (their years), the
page's table of contents, a heading's leading "3." (the chapter numbers its questions),
and the claim marks. This is not a test module; tests/test_typed_numbers.py uses it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import List, Tuple

# Numbers a reader may see typed: the bits of XOR and the bounds of a probability, the
# chapter's layer sizes (2 -> 4 -> 1) and hyperparameters (learning rate 0.1, weight
# scale 0.01, 10,000 epochs printed every 1,000, seed 42) and the 0.5 threshold.
ALLOWED = {"0", "1", "2", "4", "0.1", "0.01", "0.5", "10,000", "10000", "1,000", "1000", "42"}

NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?:[eE][-+]?\d+)?%?(?![\w])")

SKIP_TAGS = {"script", "style", "pre", "code", "svg", "mjx-container", "nav"}
SKIP_CLASSES = {
    "pasted-text", "pasted-inline", "cell_output", "math", "caption-number",
    "std-numref", "claim", "headerlink", "highlight", "eqno", "pasted-md",
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
VOID = {"img", "br", "hr", "meta", "link", "input", "source", "wbr", "col", "area", "base"}


class _Scanner(HTMLParser):
    def __init__(self, numbered: frozenset = frozenset()) -> None:
        super().__init__(convert_charrefs=True)
        self.numbered = numbered  # ids of numbered blocks (exercises): links to them say "Exercise 7"
        self.depth_in_article = 0
        self.stack: List[Tuple[str, bool]] = []   # (tag, skipped) of open elements
        self.skipping = 0
        self.texts: List[Tuple[str, str]] = []    # (where, text)

    def _skipped(self, tag: str, attrs: dict) -> bool:
        classes = set((attrs.get("class") or "").split())
        href = attrs.get("href") or ""
        if tag in SKIP_TAGS or classes & SKIP_CLASSES:
            return True
        if tag == "a" and ("references.html#" in href or "#equation-" in href):
            return True
        if tag == "a" and href.partition("#")[2] in self.numbered:
            return True
        return False

    def handle_starttag(self, tag, attrs_list):
        attrs = dict(attrs_list)
        in_article = self.depth_in_article > 0
        if tag == "article" and "bd-article" in (attrs.get("class") or ""):
            self.depth_in_article = 1
            self.stack.append((tag, False))
            return
        if not in_article:
            return
        if tag == "img" and not self.skipping:
            alt = attrs.get("alt") or ""
            if alt:
                self.texts.append(("alt text", alt))
        if tag in VOID:
            return
        skipped = self._skipped(tag, attrs)
        self.stack.append((tag, skipped))
        if skipped:
            self.skipping += 1

    def handle_endtag(self, tag):
        if not self.stack or tag in VOID:
            return
        # close up to the matching tag (HTML is forgiving; so are we)
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for _, skipped in self.stack[i:]:
                    if skipped:
                        self.skipping -= 1
                if self.stack[i][0] == "article" and i == 0:
                    self.depth_in_article = 0
                del self.stack[i:]
                return

    def handle_data(self, data):
        if self.depth_in_article and not self.skipping and data.strip():
            if any(tag in HEADINGS for tag, _ in self.stack):
                data = re.sub(r"^\s*\d+\.\s", " ", data)  # "3. How initialization ...": the chapter's numbering
            self.texts.append(("text", data))


def typed_numbers(html: str, allowed=frozenset(ALLOWED)) -> List[str]:
    """Every number in the page's reader-visible text that is neither glued nor allowed,
    each with a little context."""
    exercises = frozenset(re.findall(r'<div class="exercise[^"]*" id="([^"]+)"', html))
    scanner = _Scanner(exercises)
    scanner.feed(html)
    found = []
    for where, text in scanner.texts:
        for match in NUMBER.finditer(text):
            if match.group(0) not in allowed:
                lo, hi = max(0, match.start() - 40), match.end() + 40
                context = " ".join(text[lo:hi].split())
                found.append(f"{match.group(0)!r} in {where}: ...{context}...")
    return found
