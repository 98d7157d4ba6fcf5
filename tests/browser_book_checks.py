"""The real book in headless Chromium: the checks, shared by the two test modules
tests/test_browser_book_part1.py and tests/test_browser_book_part2.py, each of which
checks every other page of the built site (``PART`` 0 or 1). Run with
``pytest -n 2 --dist loadfile`` (the README's test command), each module goes to one
worker, so the two parts are checked at once, each by its own Chromium.

The built book (``built_book``, one build per test run): no console error, no failed
request, no request to another origin (the book renders offline), every image loads,
every internal link and #fragment resolves, the math is typeset on every page whose
source has math; and full-page light and dark screenshots of every page are saved in
``$SCRATCHNET_SCREENSHOTS`` (default ``_build/screenshots/``) for a person to look at.

Without Chromium these tests skip, unless ``SCRATCHNET_BROWSER_TEST=required`` (as
.ci/run sets it), when they fail. Not a test module itself (no ``test_`` prefix).
"""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path

import pytest

import browser_check
from browser_check import SiteReport, check_site, site_pages
from conftest import BOOK, ROOT

PARTS = 2


def png_size(path: Path) -> tuple:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def source_has_math(text: str) -> bool:
    """``$...$``, ``$$``, ``{math}`` blocks and roles, amsmath environments, outside code."""
    prose = re.sub(r"^(`{3,}|~{3,})(?!\{math\}).*?^\1", "", text, flags=re.S | re.M)
    prose = re.sub(r"`[^`\n]*`", "", prose)  # inline code (a {math}`...` role keeps {math})
    return bool(re.search(r"\$[^$\s][^$\n]*\$|\$\$|\{math\}|\\begin\{(equation|align)",
                          prose))


@pytest.fixture(scope="module")
def book(request: pytest.FixtureRequest, chromium: str, built_book: Path) -> SiteReport:
    """Every ``PARTS``-th page of the built site, from the module's ``PART`` on, checked."""
    part = request.module.PART
    site = built_book / "_build" / "html"
    shots = Path(os.environ.get("SCRATCHNET_SCREENSHOTS") or ROOT / "_build" / "screenshots")
    pages = site_pages(site)[part::PARTS]
    report = check_site(site, screenshots=shots, chromium=chromium, pages=pages,
                        report_name=f"report.part{part + 1}.txt")
    print(report.text())
    return report


def problems(report: SiteReport, *kinds: str) -> str:
    found = [f"{page}: {failure}" for kind in kinds for page, failure in report.failures(kind)]
    return (f"{len(found)} failures (whole report: {report.screenshots}/report.txt):\n"
            + "\n".join(found))


@pytest.mark.book
def test_every_page_of_the_book_was_opened(book: SiteReport, built_book: Path) -> None:
    """Together the parts open every page of the site: each opened all of its share."""
    all_pages = site_pages(built_book / "_build" / "html")
    opened = [p.page for p in book.pages]
    assert opened and set(opened) <= set(all_pages)
    assert any(opened == all_pages[part::PARTS] for part in range(PARTS))


@pytest.mark.book
def test_book_has_no_console_errors(book: SiteReport) -> None:
    assert not book.failures("console"), problems(book, "console")


@pytest.mark.book
def test_book_loads_every_asset_of_its_own(book: SiteReport) -> None:
    assert not book.failures("request") and not book.failures("load"), \
        problems(book, "request", "load")


@pytest.mark.book
def test_book_renders_offline_without_requests_to_other_origins(book: SiteReport) -> None:
    assert not book.failures("external"), problems(book, "external")


@pytest.mark.book
def test_book_images_load(book: SiteReport) -> None:
    assert not book.failures("image"), problems(book, "image")
    if "book/xor.html" in [p.page for p in book.pages]:
        assert book.page("book/xor.html").images >= 1


@pytest.mark.book
def test_book_internal_links_and_fragments_resolve(book: SiteReport) -> None:
    assert not book.failures("link"), problems(book, "link")
    assert all(p.internal_links > 0 for p in book.pages if p.redirect is None)


@pytest.mark.book
def test_book_math_is_typeset_where_the_source_has_math(book: SiteReport) -> None:
    with_math = [f"book/{md.stem}.html" for md in sorted(BOOK.glob("*.md"))
                 if source_has_math(md.read_text(encoding="utf-8"))]
    assert "book/layer.html" in with_math
    opened = {p.page for p in book.pages}
    for name in [name for name in with_math if name in opened]:
        assert book.page(name).math_elements > 0, f"{name}: math in the source, none in the HTML"
    assert not book.failures("math"), problems(book, "math")


@pytest.mark.book
def test_book_screenshots_light_and_dark(book: SiteReport) -> None:
    for report in book.pages:
        if report.redirect is not None:
            continue
        assert [s.name.split(".")[-2] for s in report.screenshots] == ["light", "dark"]
        for shot in report.screenshots:
            assert png_size(shot)[1] >= browser_check.VIEWPORT[1], shot
        assert report.dark_mode, f"{report.page}: the dark screenshot is not dark"
