"""Sphinx extension: accessibility fixes of the HTML that the book's toolchain writes.

The browser test (``tests/browser_check.py``) runs axe-core's WCAG 2 A and AA rules on
every page of the built site, in light and in dark mode, and fails on any violation.
These are the violations it found in markup that upstream tools write, each fixed here
in the written pages (``build-finished``: the whole page, the theme's sidebar included,
which ``html-page-context`` does not see), idempotently, so that a page Sphinx did not
rewrite in an incremental build is left as it is. No axe rule is switched off.

1. **Multi-line signatures** (axe ``definition-list``, 46 elements on 14 API pages).
   With ``python_maximum_signature_line_length`` Sphinx 7.4's HTML writer puts a long
   signature's parameters one per line as ``<dl><dd>param,</dd>...</dl>`` inside the
   signature's ``<dt>`` (``HTML5Translator._visit_sig_parameter_list``): a definition
   list with definitions and no terms, used for layout. Assistive technology announces
   a list of definitions; axe requires ``<dt>``/``<dd>`` groups. The ``<dl>`` and its
   ``<dd>`` lines get ``role="presentation"``: the signature reads as the text it is,
   and it looks exactly as before.
2. **Bibliography entries** (axe ``aria-deprecated-role``, 7 elements, and
   ``aria-required-children``, 1, on the references page). docutils 0.21's HTML5 writer
   writes the citations as ``<div role="list" class="citation-list">`` holding
   ``<div class="citation" role="doc-biblioentry">``; DPUB-ARIA 1.1 deprecated
   ``doc-biblioentry`` (it is not a valid child of a list: use ``listitem``), so the
   list has no list items and its back-links count as stray children. Each entry gets
   ``role="listitem"``.
3. **Sidebar toggles** (axe ``summary-name``, one on each of the 35 pages).
   pydata-sphinx-theme 0.17 makes each expandable entry of the sidebar's table of
   contents a ``<details><summary>`` whose only content is a chevron icon with
   ``role="presentation"``: a control without a name ("disclosure triangle", nothing
   else). Each such ``<summary>`` gets ``aria-label="Pages under <entry title>"``, the
   title taken from the entry's link just before it.
4. **Links inside a summary** (axe ``nested-interactive``, 180 on the claims page). A
   ``<summary>`` is itself the toggle button; a link inside it is a control inside a
   control, which keyboard and screen-reader users cannot reach reliably. The claims
   page (``claims.py``) writes "Test <nodeid>, line N (source on GitHub)" as the
   summary of each test's source. A link found in a ``<summary>`` moves, with its
   parentheses, to a paragraph (``class="summary-links"``) at the start of the
   details' content, next to the source it points at. (Written that way by
   ``claims.py`` itself, this fix finds nothing to do.)
5. **Animation sliders** (axe ``label``). matplotlib's ``to_jshtml`` player has an
   ``<input type="range" class="anim-slider">`` with no label. It gets
   ``aria-label="Animation frame"`` unless the page gave it a label. (The player's
   ``<img>`` has no ``alt`` either; only the page knows what the animation shows, so
   the page must give it one, and the browser test fails until it does.)

And in ``book/_static/custom.css``, not here: sphinx-exercise tints the whole exercise
box with ``rgba(68, 138, 255, .1)``, on which sphinx-book-theme's light-mode link colour
``#176de8`` has a contrast of 4.29:1, below the 4.5:1 of WCAG AA (axe ``color-contrast``,
12 links in exercises on four chapter pages, light mode only).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Callable, Dict, List, Tuple

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------- 1. signatures

_SIGNATURE = re.compile(r'(<dt class="sig sig-object[^"]*"[^>]*>)(.*?)(</dt>)', re.S)


def fix_signature_lists(text: str) -> Tuple[str, int]:
    """``<dl>``/``<dd>`` inside a signature's ``<dt>`` become presentational."""
    count = 0

    def one(match: re.Match) -> str:
        nonlocal count
        inner = match.group(2)
        if "<dl>" not in inner:
            return match.group(0)
        count += inner.count("<dl>")
        inner = inner.replace("<dl>", '<dl role="presentation">')
        inner = inner.replace("<dd>", '<dd role="presentation">')
        return match.group(1) + inner + match.group(3)

    return _SIGNATURE.sub(one, text), count


# ---------------------------------------------------------------- 2. bibliography

_BIBLIOENTRY = re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"')


def fix_bibliography_roles(text: str) -> Tuple[str, int]:
    """Citations in docutils' citation list are list items, not ``doc-biblioentry``."""
    return _BIBLIOENTRY.subn(r'\1 role="listitem"', text)


# ---------------------------------------------------------------- 3. sidebar toggles

# an entry's link, then its <details>; the <summary> holds only the chevron
_TOGGLE = re.compile(
    r'(<a\b[^>]*>(?P<title>(?:(?!</a>).)*)</a>\s*<details\b[^>]*>\s*)'
    r'<summary>(?=\s*<span class="toctree-toggle")', re.S)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def fix_sidebar_toggles(text: str) -> Tuple[str, int]:
    """Each sidebar toggle is named after the entry it opens."""
    def one(match: re.Match) -> str:
        label = html.escape(f"Pages under {_text(match.group('title'))}", quote=True)
        return f'{match.group(1)}<summary aria-label="{label}">'

    return _TOGGLE.subn(one, text)


# ---------------------------------------------------------------- 4. links in summaries

_SUMMARY = re.compile(r"<summary\b(?P<attrs>[^>]*)>(?P<inner>(?:(?!</summary>).)*)</summary>",
                      re.S)
_SUMMARY_LINK = re.compile(r"\s*\((<a\b[^>]*>(?:(?!</a>).)*</a>)\)|(<a\b[^>]*>(?:(?!</a>).)*</a>)",
                           re.S)


def fix_links_in_summaries(text: str) -> Tuple[str, int]:
    """Links move out of a ``<summary>`` to the top of its details' content."""
    count = 0

    def one(match: re.Match) -> str:
        nonlocal count
        links: List[str] = []

        def take(link: re.Match) -> str:
            links.append(link.group(1) or link.group(2))
            return ""

        inner = _SUMMARY_LINK.sub(take, match.group("inner"))
        if not links:
            return match.group(0)
        count += len(links)
        return (f"<summary{match.group('attrs')}>{inner.rstrip()}</summary>"
                f'<p class="summary-links">{" ".join(links)}</p>')

    return _SUMMARY.sub(one, text), count


# ---------------------------------------------------------------- 5. animation sliders

_SLIDER = re.compile(r'<input\b[^>]*\bclass="anim-slider"[^>]*>')


def fix_animation_sliders(text: str) -> Tuple[str, int]:
    """matplotlib's jshtml slider gets a name, unless it has one."""
    count = 0

    def one(match: re.Match) -> str:
        nonlocal count
        tag = match.group(0)
        if re.search(r"\baria-label(ledby)?=", tag):
            return tag
        count += 1
        return tag[:-1].rstrip() + ' aria-label="Animation frame">'

    return _SLIDER.sub(one, text), count


# ---------------------------------------------------------------- the pages

FIXES: Dict[str, Callable[[str], Tuple[str, int]]] = {
    "signature lists": fix_signature_lists,
    "bibliography roles": fix_bibliography_roles,
    "sidebar toggles": fix_sidebar_toggles,
    "links in summaries": fix_links_in_summaries,
    "animation sliders": fix_animation_sliders,
}


def fix_page(text: str) -> Tuple[str, Dict[str, int]]:
    """Every fix applied to one page's HTML; the count of each (0 when already fixed)."""
    counts = {}
    for name, fix in FIXES.items():
        text, counts[name] = fix(text)
    return text, counts


def fix_site(outdir: Path) -> Dict[str, int]:
    """Fix every HTML page under ``outdir`` (not the theme's ``_static`` templates)."""
    totals: Dict[str, int] = dict.fromkeys(FIXES, 0)
    for path in sorted(Path(outdir).rglob("*.html")):
        if any(part in ("_static", "_sources") for part in path.relative_to(outdir).parts):
            continue
        text = path.read_text(encoding="utf-8")
        fixed, counts = fix_page(text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")
        for name, n in counts.items():
            totals[name] += n
    return totals


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    totals = fix_site(Path(app.outdir))
    logger.verbose("a11y: " + ", ".join(f"{name} {n}" for name, n in totals.items()))


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", on_build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
