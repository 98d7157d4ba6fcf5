"""The book as one PDF (``tools/build_pdf.py``: the single-page build printed by headless
Chromium).

In the normal test run (a few seconds, no book build): the print step on a small page
made here, with what the book's pages hold (a formula, a figure, a code line longer than
the page is wide, a folded solution, a ``<details>``, an animation, a second chapter), and
the intro's link to the published PDF.

On the whole book, when ``SCRATCHNET_PDF_BOOK`` names the folder where
``tools/build_pdf.py`` built it (``_build/pdf/book.pdf``; the publishing workflow sets it
right after building the PDF): every page of ``_toc.yml`` starts a sheet, in order, with
its title; every figure caption, every equation number, every bibliography entry and every
``{glue:text}`` value of the XOR pages is in the PDF's text (``pdftotext``); every code
line longer than a printed line is there whole; every image of the page (the figures and
each animation's first frame) is in the PDF at its size (``pdfimages -list``). That build
takes as long as the book's own, which is why the normal run leaves it out.

``pdftotext`` and ``pdfimages`` come with Debian's poppler-utils: without them these tests
are skipped, unless ``SCRATCHNET_PDF_TEST=required`` (which also makes a missing
``SCRATCHNET_PDF_BOOK`` a failure). Without Chromium, the print step's tests are skipped
like the browser test, unless ``SCRATCHNET_BROWSER_TEST=required``.
"""

from __future__ import annotations

import base64
import html.parser
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional

import pytest
import yaml

from book_build import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import build_pdf  # noqa: E402

REQUIRED = os.environ.get("SCRATCHNET_PDF_TEST", "") == "required"
XOR_PAGES = ["xor", "xor_diagnosis"]


def need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        message = f"{tool} not found (Debian/Ubuntu: apt-get install poppler-utils)"
        if REQUIRED:
            pytest.fail(f"SCRATCHNET_PDF_TEST=required, but {message}")
        pytest.skip(message)
    return found


def pdf_pages(pdf: Path) -> List[str]:
    """The text of each page (``pdftotext -layout``: lines as printed)."""
    out = subprocess.run([need("pdftotext"), "-layout", "-enc", "UTF-8", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def pdf_images(pdf: Path) -> Counter:
    """(width, height) of every image drawn in the PDF, counted (``pdfimages -list``)."""
    out = subprocess.run([need("pdfimages"), "-list", str(pdf)],
                         capture_output=True, text=True, check=True).stdout
    sizes: Counter = Counter()
    for line in out.splitlines()[2:]:
        fields = line.split()
        if len(fields) > 4 and fields[2] == "image":
            sizes[int(fields[3]), int(fields[4])] += 1
    return sizes


FOOTER = re.compile(r"^.*\u00b7 \d+ / \d+\s*$", re.MULTILINE)  # "<title> · 12 / 285"


def flat(text: str) -> str:
    """Whitespace collapsed, typographic quotes made plain: text as it reads."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


def squash(text: str) -> str:
    """Text without any whitespace and with plain quotes: a line wrapped anywhere (or
    across a page break), or spaced differently around inline code, is found whole."""
    return re.sub(r"\s+", "", flat(text))


def joined(pages: List[str]) -> str:
    """All the pages' text without the footers, squashed."""
    return squash(FOOTER.sub("", "\n".join(pages)))


def png_size(data: bytes) -> tuple:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


# ---------------------------------------------------------------------- the intro's link


def test_the_intro_links_the_published_pdf() -> None:
    """The intro links book.pdf at the published site's address, which comes from
    ``repository.url`` like every other link to the book's home: an absolute URL, since a
    local build has no book.pdf and the browser test fails a same-site link to a missing
    file. Moving the repository without updating the link fails here."""
    url = build_pdf.published_site(ROOT) + "book.pdf"
    intro = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    assert f"]({url})" in intro, f"book/intro.md does not link {url}"


# ---------------------------------------------------------------------- the print step

SMALL_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>A small book</title>
<link rel="stylesheet" href="_static/print.css">
<script>window.MathJax = {"options": {"processHtmlClass": "math"}}</script>
<script defer src="_static/mathjax/tex-svg.js"></script>
</head><body>
<section id="a-small-book"><h1>A small book</h1><p>The root page.</p></section>
<span id="document-book/one"></span><section id="one"><h2>Chapter one</h2>
<p>A formula: <span class="math notranslate nohighlight">\\(\\sigma(z) = 1/(1+e^{-z})\\)</span>.</p>
<div class="math notranslate nohighlight" id="equation-one">
<span class="eqno">(1)</span>\\[z = a W + b\\]</div>
<figure><img src="_images/figure.png" alt="a figure">
<figcaption><p>Fig. 1 A small figure.</p></figcaption></figure>
<div class="highlight"><pre>LONG_LINE</pre></div>
<div class="solution dropdown admonition toggle toggle-hidden">
<p class="admonition-title">Solution</p><p>The folded solution prints open.</p></div>
<details><summary>Test</summary><p>The details print open.</p></details>
<p><a href="workbooks/one.ipynb">the workbook</a>, <a href="#two">chapter two</a></p>
<div class="animation"><img id="_anim_img_x" alt="an animation" src="FRAME">
<div class="anim-controls"><input type="range" class="anim-slider" min="0" max="1" value="0">
<div class="anim-buttons"><button title="Play">Play the animation</button></div></div></div>
</section>
<span id="document-book/two"></span><section id="two"><h2>Chapter two</h2>
<p>The last page.</p></section>
</body></html>
"""

LONG_LINE = "values = [" + ", ".join(f"{i}.{i}{i}" for i in range(40)) + "]  # END_OF_LINE"
SITE_URL = "https://example.github.io/book/"


def make_png(width: int, height: int) -> bytes:
    """An RGB gradient as a PNG (stdlib only)."""
    rows = b"".join(b"\0" + b"".join(bytes((x * 255 // width, y * 255 // height, 128))
                                      for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> Dict:
    """The small page printed by tools/build_pdf.py's print step, once."""
    site = tmp_path_factory.mktemp("small_book")
    (site / "_static").mkdir()
    shutil.copy(ROOT / "book" / "_static" / "print.css", site / "_static" / "print.css")
    (site / "_static" / "mathjax").symlink_to(ROOT / "book" / "_static" / "mathjax")
    (site / "_images").mkdir()
    (site / "_images" / "figure.png").write_bytes(make_png(120, 80))
    frame = base64.b64encode(make_png(90, 60)).decode("ascii")
    page = (SMALL_PAGE.replace("LONG_LINE", LONG_LINE)
            .replace("FRAME", f"data:image/png;base64,{frame}"))
    (site / "whole-book.html").write_text(page, encoding="utf-8")
    output = site / "pdf" / "book.pdf"
    facts = build_pdf.print_pdf(site, "whole-book.html", output, site_url=SITE_URL,
                                chromium=chromium, timeout=60)
    return {"pdf": output, "facts": facts, "pages": pdf_pages(output)}


def test_the_print_waits_for_mathjax_and_the_images(small_pdf: Dict) -> None:
    facts = small_pdf["facts"]
    assert facts["math"] == facts["mathTypeset"] == 2, facts
    assert facts["images"] == 2 and facts["animations"] == 1, facts


def test_each_chapter_starts_a_sheet(small_pdf: Dict) -> None:
    pages = [flat(FOOTER.sub("", page)) for page in small_pdf["pages"]]
    assert [page.split(" ")[0:2] for page in pages] == [
        ["A", "small"], ["Chapter", "one"], ["Chapter", "two"]], pages


def test_code_wraps_and_folded_content_prints_open(small_pdf: Dict) -> None:
    text = flat("\n".join(small_pdf["pages"]))
    assert squash(LONG_LINE) in joined(small_pdf["pages"])
    assert "The folded solution prints open." in text
    assert "The details print open." in text
    assert "Fig. 1 A small figure." in text
    assert "(1)" in text
    assert "Play the animation" not in text  # an animation's controls are not printed


def test_the_figure_and_the_animation_s_first_frame_are_printed(small_pdf: Dict) -> None:
    images = pdf_images(small_pdf["pdf"])
    assert images[120, 80] >= 1 and images[90, 60] >= 1, images


def test_links_to_the_site_go_to_the_published_site(small_pdf: Dict) -> None:
    """A workbook is not in the PDF: its link points at the published site's copy."""
    data = small_pdf["pdf"].read_bytes()  # as Chromium wrote it: link annotations in clear
    assert f"{SITE_URL}workbooks/one.ipynb".encode() in data
    assert b"127.0.0.1" not in data


# ---------------------------------------------------------------------- the whole book


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class _Facts(html.parser.HTMLParser):
    """What the single page shows: its figure captions (as the text between formulas),
    equation numbers, bibliography entries, images and the lines of its code blocks.
    Formulas and the ``#`` links beside headings (not printed) are left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.captions: List[List[str]] = []
        self.eqnos: List[str] = []
        self.citations: List[str] = []
        self.images: List[str] = []
        self.code: List[str] = []
        self._stack: List[Optional[str]] = []  # per open element: what it collects, if any
        self._buffer: List[str] = []

    def _kind(self) -> Optional[str]:
        return next((kind for kind in reversed(self._stack) if kind), None)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "img" and a.get("src"):
            self.images.append(a["src"])
        if tag in VOID:
            return
        kind = None
        if tag == "figcaption":
            kind = "caption"
            self.captions.append([])
        elif tag == "span" and "eqno" in classes:
            kind = "eqno"
        elif tag == "div" and "citation" in classes:
            kind = "citation"
        elif tag == "pre":
            kind = "code"
        elif self._stack and ("math" in classes or "headerlink" in classes):
            kind = "skip"
        if kind:
            self._flush()
        self._stack.append(kind)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not self._stack:
            return
        if self._stack[-1]:
            self._flush()
        self._stack.pop()

    def handle_data(self, data: str) -> None:
        if self._kind() not in (None, "skip"):
            self._buffer.append(data)

    def _flush(self) -> None:
        text, self._buffer = "".join(self._buffer), []
        kind = self._kind()
        if kind == "caption":
            self.captions[-1].append(text)
        elif kind == "eqno" and text.strip():
            self.eqnos.append(text.strip())
        elif kind == "citation":
            self.citations.append(text)
        elif kind == "code":
            self.code.extend(text.splitlines())


@pytest.fixture(scope="module")
def book() -> Path:
    """The folder where tools/build_pdf.py built the whole book (SCRATCHNET_PDF_BOOK)."""
    folder = os.environ.get("SCRATCHNET_PDF_BOOK")
    if not folder:
        message = ("SCRATCHNET_PDF_BOOK is not set: build the PDF with tools/build_pdf.py "
                   "and set it to that folder")
        if REQUIRED:
            pytest.fail(f"SCRATCHNET_PDF_TEST=required, but {message}")
        pytest.skip(message)
    root = Path(folder).resolve()
    assert (root / "_build" / "pdf" / "book.pdf").is_file(), f"no _build/pdf/book.pdf in {root}"
    return root


@pytest.fixture(scope="module")
def book_pages(book: Path) -> List[str]:
    return pdf_pages(book / "_build" / "pdf" / "book.pdf")


@pytest.fixture(scope="module")
def book_text(book_pages: List[str]) -> str:
    """The whole PDF's text, squashed (see :func:`squash`)."""
    return joined(book_pages)


@pytest.fixture(scope="module")
def shown(book: Path) -> _Facts:
    """What the printed single page held."""
    parser = _Facts()
    page = book / "_build" / "singlehtml" / build_pdf.PRINTED_PAGE
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


def page_titles(book: Path) -> List[tuple]:
    """(page, title) of every page of _toc.yml, in order, from its first ``# `` line."""
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries: list) -> None:
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    walk(toc.get("parts", []) + toc.get("chapters", []))
    titles = []
    for name in files:
        source = (book / f"{name}.md").read_text(encoding="utf-8")
        title = re.search(r"^# (.+)$", source, re.MULTILINE).group(1)
        titles.append((name, flat(re.sub(r"[`*]", "", title))))
    return titles


def test_every_page_starts_a_sheet_with_its_title_in_toc_order(
        book: Path, book_pages: List[str]) -> None:
    starts = [flat(page) for page in book_pages]
    found = []
    for name, title in page_titles(book):
        at = [i + 1 for i, text in enumerate(starts) if text.startswith(title)]
        assert at, f"{name}: no sheet of the PDF starts with its title {title!r}"
        found.append((at[0], name))
    assert found == sorted(found), f"pages out of the _toc.yml order: {found}"


def test_every_figure_caption_is_in_the_pdf(book: Path, shown: _Facts,
                                            book_text: str) -> None:
    figures = sum(len(re.findall(r"^(?:```|:::)\{(?:glue:)?figure\}", page.read_text(
        encoding="utf-8"), re.MULTILINE)) for page in (book / "book").rglob("*.md"))
    assert len(shown.captions) == figures, (len(shown.captions), figures)
    for caption in shown.captions:
        for part in caption:  # the text between formulas
            if squash(part):
                assert squash(part) in book_text, f"caption text not in the PDF: {part!r}"


def test_every_glued_value_of_the_xor_pages_is_in_the_pdf(book: Path, book_text: str) -> None:
    from myst_nb.core.variables import format_plain_text

    for name in XOR_PAGES:
        glued = json.loads((book / "_build" / "jupyter_execute" / "book" / f"{name}.glue.json")
                           .read_text(encoding="utf-8"))
        source = (book / "book" / f"{name}.md").read_text(encoding="utf-8")
        roles = re.findall(r"\{glue:text\}`([^`]+)`", source)
        assert roles, f"{name}: no {{glue:text}} role"
        for role in roles:
            key, _, spec = role.partition(":")
            text = format_plain_text(glued[key]["data"]["text/plain"], spec)
            assert squash(text) in book_text, f"{name}: {role} = {text!r} not in the PDF"


def test_every_equation_number_is_in_the_pdf(shown: _Facts, book_pages: List[str]) -> None:
    """Each numbered equation's number, at the right end of its line, as on the site."""
    assert shown.eqnos, "no numbered equation in the single page"
    printed = Counter(re.findall(r"(\(\d+(?:\.\d+)*\))[ \t]*$", "\n".join(book_pages),
                                 re.MULTILINE))
    for number, count in Counter(shown.eqnos).items():
        assert printed[number] >= count, (
            f"equation {number}: {count} on the page, {printed[number]} in the PDF")


def test_every_bibliography_entry_is_in_the_pdf(shown: _Facts, book_text: str) -> None:
    assert shown.citations, "no bibliography in the single page"
    for entry in shown.citations:
        assert squash(entry) in book_text, f"bibliography entry not in the PDF: {entry[:80]!r}"


def test_no_code_line_is_cut(shown: _Facts, book_pages: List[str]) -> None:
    """Every line of code or output longer than a printed line (about 95 characters of
    the monospace font on A4) is in the PDF whole: it wraps instead of being cut."""
    everything = joined(book_pages)
    long_lines = [line for line in shown.code if len(line.rstrip()) > 90]
    assert long_lines, "no long code line to check"
    for line in long_lines:
        assert squash(line) in everything, f"cut: {line!r}"


def test_every_image_is_in_the_pdf_at_its_size(book: Path, shown: _Facts) -> None:
    """The figures and each animation's first frame (the image a to_jshtml player shows
    before it plays), each at its own pixel size. SVG images are drawn, not embedded."""
    site = book / "_build" / "singlehtml"
    wanted: Counter = Counter()
    for src in dict.fromkeys(shown.images):  # Chromium embeds an image once
        if src.startswith("data:image/png;base64,"):
            data = base64.b64decode(src.split(",", 1)[1])
        elif src.lower().endswith(".png"):
            data = (site / src).read_bytes()
        else:
            continue
        wanted[png_size(data)] += 1
    assert wanted, "no raster image in the single page"
    printed = pdf_images(book / "_build" / "pdf" / "book.pdf")
    missing = {size: n for size, n in wanted.items() if printed[size] < n}
    assert not missing, f"images not in the PDF (width, height: count): {missing}"
