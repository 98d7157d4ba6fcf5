"""The built book, opened page by page in headless Chromium (tests/browser_check.py).

Two parts:

* the checker on a tiny hand-made site: every check reports the failure it is for, and
  a clean page passes (three Chromiums, about 15 s for its 20 pages); the site has matplotlib's
  own ``to_jshtml`` players (made here) for the animation checks, pages with axe-core
  violations, and the upstream markup that book/_ext/a11y.py fixes, before and after;
* the real book (tests/test_browser_book.py).

Without Chromium these tests skip, unless ``SCRATCHNET_BROWSER_TEST=required`` (as
.ci/run sets it), when they fail.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path
from typing import Dict

import pytest

import a11y  # book/_ext/a11y.py (tests/conftest.py puts book/_ext on the path)
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
html[data-theme=dark] a { color: #8cf; }
</style>"""


def page(body: str, head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
            f'<link rel="icon" href="data:,">{STYLE}{head}</head><body>{body}</body></html>')


def jshtml_player(frames: int = 3, *, frozen: bool = False, accessible: bool = True) -> str:
    """matplotlib's own ``to_jshtml`` player (a line rising frame by frame; ``frozen``:
    every frame the same), as a page of the book shows it: without the Font Awesome
    stylesheet matplotlib links from a CDN (the book renders offline), with a text
    alternative for its image and, when ``accessible``, a label for its slider."""
    from matplotlib.animation import FuncAnimation
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1.2, 1.2), dpi=40)
    line, = fig.add_subplot().plot([0, 1], [0, 0])
    fig.axes[0].set_ylim(0, frames)
    markup = FuncAnimation(fig, (lambda i: None) if frozen else
                           (lambda i: line.set_ydata([0, i])), frames=frames).to_jshtml()
    markup, cdn = re.subn(r'<link rel="stylesheet"\s+href="https://[^"]+">', "", markup)
    assert cdn == 1 and "https://" not in markup, "matplotlib's player changed: look at it"
    markup = markup.replace('<img id="_anim_img', '<img alt="A line rising" id="_anim_img')
    if accessible:
        markup = markup.replace('class="anim-slider"', 'class="anim-slider" aria-label="Frame"')
    return markup


# What Sphinx, docutils, pydata-sphinx-theme and the claims page write, as the book has
# it, for the axe-core violations that book/_ext/a11y.py fixes (its docstring says how).
UPSTREAM_MARKUP = (
    # the theme's sidebar entry with sub-pages
    '<nav><ul class="nav bd-sidenav"><li class="toctree-l1 has-children"><a '
    'class="reference internal" href="../index.html">The <code class="docutils literal '
    'notranslate"><span class="pre">clean</span></code> page</a><details><summary><span '
    'class="toctree-toggle" role="presentation"><i class="fa-solid fa-chevron-down"></i>'
    '</span></summary><ul>\n<li class="toctree-l2"><a class="reference internal" '
    'href="../other.html">Other</a></li>\n</ul>\n</details></li>\n</ul></nav>\n<main>'
    # autodoc's signature, one parameter a line
    '<dl class="py function">\n<dt class="sig sig-object py" id="mod.f">\n<span '
    'class="sig-name descname"><span class="pre">f</span></span><span '
    'class="sig-paren">(</span>\n\n<dl>\n<dd><em class="sig-param"><span class="n"><span '
    'class="pre">x</span></span></em>,</dd>\n<dd><em class="sig-param"><span class="n">'
    '<span class="pre">y</span></span></em>,</dd>\n</dl>\n\n<span class="sig-paren">)'
    '</span><a class="headerlink" href="#mod.f" title="Link to this definition">#</a></dt>'
    '\n<dd><p>Adds.</p>\n</dd></dl>\n'
    # docutils' bibliography, cited once
    '<p id="id1">As in <a class="reference internal" href="#id9">GBC16</a>.</p>\n'
    '<div role="list" class="citation-list">\n<div class="citation" id="id9" '
    'role="doc-biblioentry">\n<span class="label"><span class="fn-bracket">[</span><a '
    'role="doc-backlink" href="#id1">GBC16</a><span class="fn-bracket">]</span></span>\n'
    '<p>Ian Goodfellow, Yoshua Bengio, and Aaron Courville. <em>Deep Learning</em>. '
    'MIT Press, 2016.</p>\n</div>\n</div>\n'
    # a test's source on the claims page
    '<details class="claim-test"><summary>Test <code>tests/test_x.py::test_it</code>, '
    'line 3 (<a class="reference external" href="https://example.org/test_x.py#L3-L4">'
    'source on GitHub</a>)</summary><div class="highlight"><pre><span></span>def '
    'test_it(): pass\n</pre></div></details>\n'
    # matplotlib's player (the slider without a label)
    '%s</main>')


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
        # animations: two good players; a frozen one; one whose script never ran, one
        # whose frames do not decode and a div.animation that is no player; one whose
        # slider ignores the keyboard
        "anim/players.html": page(f"<main>{jshtml_player(3)}{jshtml_player(4)}</main>"),
        "broken/anim_frozen.html": page(jshtml_player(frozen=True)),
        "broken/anim_broken.html": page(
            re.sub(r'<script language="javascript">\s*/\* Instantiate.*?</script>', "",
                   jshtml_player(), flags=re.S)
            + re.sub(r"data:image/png;base64,[^\"]+", "data:image/png;base64,AAAA",
                     jshtml_player())
            + '<div class="animation"><p>not a player</p></div>'),
        "broken/anim_keyboard.html": page(
            jshtml_player() + "<script>document.addEventListener('keydown', e => {"
            "if (e.target.matches('.anim-slider')) e.preventDefault(); }, true);</script>"),
        # axe-core: an image without a text alternative; grey text that only the dark
        # theme makes unreadable
        "broken/axe.html": page(
            '<main><img src="../img/dot.png"><p class="faint">faint in the dark</p></main>',
            head="<style>html[data-theme=dark] .faint { color: #333; }</style>"),
        # the markup book/_ext/a11y.py fixes, as upstream writes it and as fixed
        "broken/upstream.html": page(UPSTREAM_MARKUP % jshtml_player(accessible=False)),
        "a11y/fixed.html": a11y.fix_page(
            page(UPSTREAM_MARKUP % jshtml_player(accessible=False)))[0],
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
    assert index.axe == {"light": {}, "dark": {}}  # axe-core ran in both modes
    assert index.axe_seconds > 0
    for name in ("other.html", "sub/index.html", "redirect.html"):
        assert tiny.page(name).failures == [], tiny.text()
    assert tiny.page("redirect.html").axe == {}  # checked for arriving, nothing else


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


def test_animations_load_and_their_sliders_change_the_frame(tiny: SiteReport) -> None:
    players = tiny.page("anim/players.html")
    assert players.failures == [], tiny.text()
    assert players.animations == 2 and players.images == 2
    assert players.requests == 1  # the page itself: the frames are data: URIs
    assert tiny.page("index.html").animations == 0


def test_an_animation_that_does_not_load_or_move_is_reported(tiny: SiteReport) -> None:
    frozen = failures(tiny, "broken/anim_frozen.html")
    assert set(frozen) == {"animation"}
    assert frozen["animation"][0].endswith(
        ": the slider moved to frame 2 and the image stayed the same"), frozen
    broken = failures(tiny, "broken/anim_broken.html")
    assert tiny.page("broken/anim_broken.html").animations == 3
    assert set(broken) == {"animation", "image"}  # the image check sees them too
    no_script, bad_frames, no_player = broken["animation"]
    assert no_script.endswith(": shows no frame: its image has no src")
    assert re.search(r"^#_anim_img\w+: the first frame does not decode", bad_frames)
    assert no_player == "div.animation number 3: not a to_jshtml player: no _anim_img"


def test_an_animation_slider_that_ignores_the_keyboard_is_reported(tiny: SiteReport) -> None:
    kinds = failures(tiny, "broken/anim_keyboard.html")
    assert set(kinds) == {"animation"}
    assert kinds["animation"][0].endswith(
        ": its slider does not move with the keyboard (ArrowRight)")


def test_axe_violations_fail_the_page_in_the_mode_they_are_in(tiny: SiteReport) -> None:
    report = tiny.page("broken/axe.html")
    kinds = failures(tiny, "broken/axe.html")
    assert set(kinds) == {"axe"}
    image_alt, contrast = kinds["axe"]
    # rule id, impact, modes, elements (a short selector), axe's help text, the detail
    assert image_alt == ("image-alt (critical) in light and dark mode, 1 element: img: "
                         "Images must have alternative text [Element does not have an "
                         "alt attribute]")
    assert contrast.startswith("color-contrast (serious) in dark mode, 1 element: p: "
                               "Elements must meet minimum color contrast ratio thresholds "
                               "[Element has insufficient color contrast of 1.49")
    assert report.axe == {"light": {"image-alt": 1},
                          "dark": {"image-alt": 1, "color-contrast": 1}}


def test_the_upstream_markup_fails_axe_and_book_ext_a11y_fixes_it(tiny: SiteReport) -> None:
    """What Sphinx, docutils, the theme, the claims page and matplotlib write fails
    exactly the rules book/_ext/a11y.py is for; after its fixes the page passes."""
    upstream = tiny.page("broken/upstream.html")
    assert {f.kind for f in upstream.failures} == {"axe"}
    rules = {"definition-list", "aria-deprecated-role", "aria-required-children",
             "summary-name", "nested-interactive", "label"}
    assert upstream.axe == {"light": dict.fromkeys(rules, 1), "dark": dict.fromkeys(rules, 1)}
    fixed = tiny.page("a11y/fixed.html")
    assert fixed.failures == [] and fixed.animations == 1, tiny.text()
    assert fixed.internal_links == upstream.internal_links  # no link lost


def test_the_a11y_fixes_say_what_they_did_and_are_idempotent() -> None:
    text = page(UPSTREAM_MARKUP % '<input id="_anim_slider1" type="range" '
                                  'class="anim-slider" name="points">')
    fixed, counts = a11y.fix_page(text)
    assert counts == {"signature lists": 1, "bibliography roles": 1, "sidebar toggles": 1,
                      "links in summaries": 1, "animation sliders": 1}
    assert '<summary aria-label="Pages under The clean page">' in fixed
    assert ('line 3</summary><p class="summary-links"><a class="reference external" '
            'href="https://example.org/test_x.py#L3-L4">source on GitHub</a></p>') in fixed
    assert '<dl role="presentation">\n<dd role="presentation"><em' in fixed
    assert '<div class="citation" id="id9" role="listitem">' in fixed
    assert 'class="anim-slider" name="points" aria-label="Animation frame">' in fixed
    assert a11y.fix_page(fixed) == (fixed, dict.fromkeys(counts, 0))
    # a slider the page labelled keeps its label
    labelled = '<input type="range" class="anim-slider" aria-labelledby="cap">'
    assert a11y.fix_animation_sliders(labelled) == (labelled, 0)


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
    assert browser_check.main([root, *args, "broken/console.html",
                               "--page", "broken/axe.html"]) == 1
    out = capsys.readouterr().out
    assert "[console]" in out and "[axe] image-alt" in out
    assert browser_check.main([root, "--no-axe", *args, "broken/axe.html"]) == 0


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
