"""The real book in headless Chromium: every page of the built site, checked by
``BROWSERS`` Chromiums at once (a page's check is mostly waiting; three at once take
about 45 % of the time of one on 2 cores, six at once longer again).

The built book (``built_book``, one build per test run): no console error, no failed
request, no request to another origin (the book renders offline), every image loads,
every internal link and #fragment resolves, the math is typeset on every page whose
source has math, every animation loads and its slider changes the frame, and axe-core's
WCAG 2 A and AA rules find nothing on any page in light or in dark mode; and full-page
light and dark screenshots of every page are saved in ``$SCRATCHNET_SCREENSHOTS``
(default ``_build/screenshots/``) for a person to look at.

Without Chromium these tests skip, unless ``SCRATCHNET_BROWSER_TEST=required`` (as
.ci/run sets it), when they fail.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import browser_check
from browser_check import SiteReport, check_site, png_size, site_pages
from conftest import BOOK, ROOT

BROWSERS = 3
RUN_EARLY = True  # the longest module of the book tests (tests/conftest.py orders them)


def source_has_math(text: str) -> bool:
    """``$...$``, ``$$``, ``{math}`` blocks and roles, amsmath environments, outside code."""
    prose = re.sub(r"^(`{3,}|~{3,})(?!\{math\}).*?^\1", "", text, flags=re.S | re.M)
    prose = re.sub(r"`[^`\n]*`", "", prose)  # inline code (a {math}`...` role keeps {math})
    return bool(re.search(r"\$[^$\s][^$\n]*\$|\$\$|\{math\}|\\begin\{(equation|align)",
                          prose))


@pytest.fixture(scope="module")
def book(chromium: str, built_book: Path) -> SiteReport:
    """Every page of the built site, checked."""
    site = built_book / "_build" / "html"
    shots = Path(os.environ.get("SCRATCHNET_SCREENSHOTS") or ROOT / "_build" / "screenshots")
    report = check_site(site, screenshots=shots, chromium=chromium, browsers=BROWSERS)
    print(report.text())
    return report


def problems(report: SiteReport, *kinds: str) -> str:
    found = [f"{page}: {failure}" for kind in kinds for page, failure in report.failures(kind)]
    return (f"{len(found)} failures (whole report: {report.screenshots}/report.txt):\n"
            + "\n".join(found))


@pytest.mark.book
def test_every_page_of_the_book_was_opened(book: SiteReport, built_book: Path) -> None:
    """Every page of the site was opened, once, and is reported in the site's order."""
    all_pages = site_pages(built_book / "_build" / "html")
    assert [p.page for p in book.pages] == all_pages
    assert all(p.seconds > 0 for p in book.pages)


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
def test_book_passes_axe_wcag2_a_and_aa_in_light_and_dark_mode(book: SiteReport) -> None:
    """No violation of axe-core's WCAG 2 A and AA rules on any page, in either mode
    (book/_ext/a11y.py and book/_static/custom.css fix what upstream gets wrong)."""
    for report in book.pages:
        if report.redirect is None:
            assert set(report.axe) == {"light", "dark"}, f"{report.page}: axe did not run"
    assert not book.failures("axe"), problems(book, "axe")


@pytest.mark.book
def test_book_animations_load_and_move(book: SiteReport, built_book: Path) -> None:
    """Every matplotlib player in the served HTML was found and works: it shows a frame
    that decodes, and its slider (set by script, and by the keyboard) changes the frame."""
    site = built_book / "_build" / "html"
    for report in book.pages:
        served = (site / report.page).read_text(encoding="utf-8")
        if report.redirect is None:
            assert report.animations == served.count('<div class="animation">'), report.page
    assert not book.failures("animation"), problems(book, "animation")


@pytest.mark.book
def test_book_screenshots_light_and_dark(book: SiteReport) -> None:
    for report in book.pages:
        if report.redirect is not None:
            continue
        assert [s.name.split(".")[-2] for s in report.screenshots] == ["light", "dark"]
        for shot in report.screenshots:
            assert png_size(shot)[1] >= browser_check.VIEWPORT[1], shot
        assert report.dark_mode, f"{report.page}: the dark screenshot is not dark"


@pytest.mark.book
def test_every_page_of_the_book_is_a_page_of_the_site(built_book: Path) -> None:
    pages = site_pages(built_book / "_build" / "html")
    for source in sorted(BOOK.glob("*.md")):
        assert f"book/{source.stem}.html" in pages
    assert "index.html" in pages
