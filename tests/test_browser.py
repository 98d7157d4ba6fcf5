"""The built book, opened page by page in headless Chromium (tests/browser_check.py).

Two parts:

* the checker on a tiny hand-made site: every check reports the failure it is for, and
  a clean page passes (fast: one Chromium, a few seconds);
* the real book (tests/test_browser_book.py).

Without Chromium these tests skip, unless ``SCRATCHNET_BROWSER_TEST=required`` (as
.ci/run sets it), when they fail.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Dict

import pytest

import browser_check
from browser_check import SiteReport, check_site, png_size, resolve_link, site_pages



# ================================================================== the checker itself


def tiny_png(rgb: tuple = (200, 30, 30), size: int = 4) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\0" + bytes(rgb) * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


# Stands in for MathJax (no network here): the same API the checker reads
# (MathJax.version, startup.promise, startup.document.math, startup.toMML), resolving
# late on purpose, so that the checker must wait for it.
FAKE_MATHJAX = r"""
window.MathJax = {version: 'fake', startup: {}};
MathJax.startup.promise = new Promise(done => setTimeout(() => {
  const items = [];
  for (const el of document.querySelectorAll('.math')) {
    const tex = el.textContent.replace(/^\\\(|\\\)$/g, '');
    const box = document.createElement('mjx-container');
    box.textContent = tex;
    el.textContent = '';
    el.appendChild(box);
    items.push({math: tex, root: tex});
  }
  MathJax.startup.document = {math: items};
  MathJax.startup.toMML = tex => tex.includes('\\bad')
    ? '<math><merror data-mjx-error="Missing argument for \\frac"><mtext>Missing '
      + 'argument for \\frac</mtext></merror></math>'
    : '<math><mi>' + tex + '</mi></math>';
  done();
}, 300));
"""

STYLE = """<style>
body { font-family: sans-serif; background: #fff; color: #000; }
html[data-theme=dark] body { background: #111; color: #eee; }
</style>"""


def page(body: str, head: str = "") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title>'
            f'<link rel="icon" href="data:,">{STYLE}{head}</head><body>{body}</body></html>')


def tiny_site(root: Path, elsewhere: str) -> Path:
    """One clean page (and two it links to) and one page per failure the checker knows."""
    pages: Dict[str, str] = {
        "index.html": page(
            '<h1 id="top">Clean</h1><img src="img/dot.png" alt="a dot">'
            '<p><a href="other.html#here">other</a> <a href="#top">top</a> '
            '<a href="sub/">sub</a> <a href="sub/index.html#deep%20id">deep</a> '
            '<a href="https://example.org/">far away</a> <a href="mailto:a@b.c">mail</a></p>'
            '<p><span class="math">\\(x^2\\)</span></p>'
            '<div class="math">\\[\\frac{a}{b}\\]</div>'
            '<div style="height: 3000px"></div><p id="bottom">the end</p>',
            head='<script src="mathjax.js" defer></script>'),
        "other.html": page('<h2 id="here">Here</h2><a href="index.html">back</a>'),
        "sub/index.html": page('<p id="deep id">deep</p><a href="../index.html#top">up</a>'),
        "redirect.html": ('<!DOCTYPE html><html><head><meta http-equiv="refresh" '
                          'content="0; url=other.html"></head><body></body></html>'),
        "broken/image.html": page('<img src="../img/missing.png" alt="gone">'),
        "broken/links.html": page(
            '<a href="../nowhere.html">a</a> <a href="../other.html#nowhere">b</a> '
            '<a href="#not-here">c</a> <a href="../index.html#top">fine</a>'),
        "broken/console.html": page('<script>console.error("deliberate console error")'
                                    '</script>'),
        "broken/exception.html": page('<script>null.deliberate;</script>'),
        "broken/stylesheet.html": page('<link rel="stylesheet" href="missing.css">'),
        "broken/external.html": page(
            f'<script src="{elsewhere}elsewhere.js"></script>'
            '<script src="https://cdn.example.org/lib.js"></script>'),
        "broken/math_raw.html": page('<span class="math">\\(x^2\\)</span>'),
        "broken/math_error.html": page(
            '<span class="math">\\(\\bad{a}\\)</span> <span class="math">\\(y\\)</span>',
            head='<script src="../mathjax.js" defer></script>'),
        "broken/redirect.html": ('<!DOCTYPE html><html><head><meta http-equiv="refresh" '
                                 'content="0; url=gone.html"></head><body></body></html>'),
    }
    for name, text in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "mathjax.js").write_text(FAKE_MATHJAX, encoding="utf-8")
    (root / "img").mkdir()
    (root / "img" / "dot.png").write_bytes(tiny_png())
    (root / "_static").mkdir()
    (root / "_static" / "template.html").write_text("<p>{{ not a page }}</p>")
    return root


@pytest.fixture(scope="module")
def tiny(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> SiteReport:
    """The checker run once over the tiny site; a second origin serves 'elsewhere.js'."""
    other = tmp_path_factory.mktemp("elsewhere")
    (other / "elsewhere.js").write_text("window.fromElsewhere = true;\n")
    root = tmp_path_factory.mktemp("tiny")
    with browser_check.serve(other) as elsewhere:
        tiny_site(root, elsewhere)
        # three Chromiums share the pages (as for the book); test_the_command_line_exit_status
        # checks pages with one
        return check_site(root, screenshots=root.parent / (root.name + "-shots"),
                          chromium=chromium, timeout=20, browsers=3)


def failures(report: SiteReport, page_name: str) -> Dict[str, list]:
    kinds: Dict[str, list] = {}
    for failure in report.page(page_name).failures:
        kinds.setdefault(failure.kind, []).append(failure.message)
    return kinds


def test_pages_are_the_html_files_outside_underscore_folders(tiny: SiteReport) -> None:
    pages = [p.page for p in tiny.pages]
    assert pages == site_pages(tiny.root)
    assert "index.html" in pages and "sub/index.html" in pages
    assert not any(p.startswith("_static") for p in pages)


def test_a_clean_page_passes_every_check(tiny: SiteReport) -> None:
    index = tiny.page("index.html")
    assert index.failures == [], tiny.text()
    assert index.images == 1
    assert index.internal_links == 4 and index.external_links == 1
    assert index.math_elements == index.math_typeset == 2  # waited for the late MathJax
    for name in ("other.html", "sub/index.html", "redirect.html"):
        assert tiny.page(name).failures == [], tiny.text()


def test_a_redirect_page_arrives_at_its_target(tiny: SiteReport) -> None:
    redirect = tiny.page("redirect.html")
    assert redirect.redirect == "other.html"
    assert redirect.final_url.endswith("/other.html")
    assert "link" in failures(tiny, "broken/redirect.html")


def test_a_broken_image_is_reported(tiny: SiteReport) -> None:
    kinds = failures(tiny, "broken/image.html")
    assert set(kinds) == {"image", "request"}
    assert "missing.png" in kinds["image"][0] and "gone" in kinds["image"][0]
    assert "HTTP 404" in kinds["request"][0]


def test_broken_links_and_missing_fragments_are_reported(tiny: SiteReport) -> None:
    kinds = failures(tiny, "broken/links.html")
    assert set(kinds) == {"link"}
    messages = "\n".join(kinds["link"])
    assert len(kinds["link"]) == 3, messages
    assert "../nowhere.html: no such file: nowhere.html" in messages
    assert "no id 'nowhere' in other.html" in messages
    assert "#not-here: no id 'not-here' in broken/links.html" in messages


def test_console_errors_and_exceptions_are_reported(tiny: SiteReport) -> None:
    console = failures(tiny, "broken/console.html")
    assert set(console) == {"console"}
    assert "deliberate console error" in console["console"][0]
    exception = failures(tiny, "broken/exception.html")
    assert set(exception) == {"console"}
    assert "uncaught exception: TypeError" in exception["console"][0]


def test_a_missing_stylesheet_is_a_failed_request(tiny: SiteReport) -> None:
    kinds = failures(tiny, "broken/stylesheet.html")
    assert set(kinds) == {"request"}
    assert "missing.css (HTTP 404)" in kinds["request"][0]


def test_any_request_to_another_origin_fails_even_when_it_succeeds(tiny: SiteReport) -> None:
    kinds = failures(tiny, "broken/external.html")
    assert set(kinds) == {"external"}
    assert len(kinds["external"]) == 2
    assert "elsewhere.js (HTTP 200)" in kinds["external"][0]
    # no host name resolves, network or not: the page is seen as an offline reader sees it
    assert "https://cdn.example.org/lib.js (net::ERR_NAME_NOT_RESOLVED)" in kinds["external"][1]


def test_untypeset_math_and_math_errors_are_reported(tiny: SiteReport) -> None:
    raw = failures(tiny, "broken/math_raw.html")
    assert set(raw) == {"math"}
    assert "1 of 1 formulas not typeset (MathJax: absent)" in raw["math"][0]
    error = failures(tiny, "broken/math_error.html")
    assert error == {"math": ["MathJax error: Missing argument for \\frac in \\bad{a}"]}


def test_light_and_dark_full_page_screenshots(tiny: SiteReport) -> None:
    assert tiny.screenshots is not None
    index = tiny.page("index.html")
    light, dark = index.screenshots
    assert light.name == "index.light.png" and dark.name == "index.dark.png"
    assert png_size(light)[0] == browser_check.VIEWPORT[0]
    assert png_size(light)[1] > 3000  # the whole page, not just the window
    assert png_size(dark) == png_size(light)
    assert light.read_bytes() != dark.read_bytes()
    assert index.dark_mode is True
    assert tiny.page("sub/index.html").screenshots[0].name == "sub__index.light.png"
    assert tiny.page("redirect.html").screenshots == []
    assert "PASSED" not in (tiny.screenshots / "report.txt").read_text()


def test_the_report_counts_a_failure_repeated_on_many_pages_once() -> None:
    pages = [browser_check.PageReport(page=f"p{i}.html", url="", failures=[
        browser_check.Failure("console", f"uncaught exception: SyntaxError: x at "
                                         f"http://127.0.0.1:1/p{i}.html:{60 + i}")])
             for i in range(3)]
    text = SiteReport(root=Path("site"), pages=pages).text()
    assert "FAILED: 1 distinct failures on 3 pages:" in text
    assert "  [console] uncaught exception: SyntaxError: x  (3 pages)" in text
    assert "p2.html:62" in text  # each page's own line keeps where it happened


def test_resolve_link(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("a")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "index.html").write_text("i")
    (tmp_path / "empty").mkdir()
    base = "http://127.0.0.1:8000/"
    assert resolve_link(tmp_path, base, base + "a.html#x") == (tmp_path / "a.html", None)
    assert resolve_link(tmp_path, base, base + "dir/") == (tmp_path / "dir/index.html", None)
    assert resolve_link(tmp_path, base, base + "dir") == (tmp_path / "dir/index.html", None)
    assert resolve_link(tmp_path, base, base)[0] is None  # no index.html at the top
    assert resolve_link(tmp_path, base, base + "empty/")[1] == "no such file: empty/index.html"
    assert resolve_link(tmp_path, base, base + "b.html")[1] == "no such file: b.html"
    assert resolve_link(tmp_path, base, base + "dir/../a.html?q=1")[0] == tmp_path / "a.html"
    site = "http://127.0.0.1:8000/site/"
    assert resolve_link(tmp_path, site, "http://127.0.0.1:8000/other/a.html")[1] == \
        "outside the site"


def test_the_command_line_exit_status(chromium: str, tiny: SiteReport,
                                      capsys: pytest.CaptureFixture) -> None:
    root = str(tiny.root)
    args = ["--no-screenshots", "--chromium", chromium, "--page"]
    assert browser_check.main([root, *args, "other.html"]) == 0
    assert "PASSED" in capsys.readouterr().out
    assert browser_check.main([root, *args, "broken/console.html"]) == 1
    assert "[console]" in capsys.readouterr().out


def test_every_page_is_reported_once_in_the_site_s_order(tiny: SiteReport) -> None:
    assert [p.page for p in tiny.pages] == site_pages(tiny.root)
    assert len({p.page for p in tiny.pages}) == len(tiny.pages)


@pytest.mark.parametrize("browsers", [0, -1, 1.5, "2"])
def test_browsers_must_be_a_positive_integer(browsers, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(page("<p>hi</p>"))
    with pytest.raises(ValueError, match="browsers must be a positive integer"):
        check_site(tmp_path, chromium="unused", browsers=browsers)


def test_no_chromium_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SCRATCHNET_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(FileNotFoundError, match="SCRATCHNET_CHROMIUM"):
        browser_check.find_chromium()
    monkeypatch.delenv("SCRATCHNET_CHROMIUM")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert browser_check.find_chromium() is None
    with pytest.raises(FileNotFoundError, match="no Chromium found"):
        check_site(tmp_path)
