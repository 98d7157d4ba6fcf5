"""Build the whole book as one PDF, ``_build/pdf/book.pdf``.

Usage (from the repository's top folder; README: "The book as a PDF")::

    .venv/bin/python tools/build_pdf.py [PROJECT] [--output PDF] [--no-build]

1. ``jupyter-book build PROJECT --builder singlehtml -W``: every page of ``_toc.yml``, in
   order, executed as in the default build (same configuration, same strictness), as one
   HTML page in ``PROJECT/_build/singlehtml/``;
2. that page is served on 127.0.0.1 and printed with ``Page.printToPDF`` by headless
   Chromium, driven over the DevTools Protocol like the browser test (its ``Browser`` and
   ``serve`` from ``tests/browser_check.py``), once every image has loaded, MathJax has
   typeset every formula, every folded solution and ``<details>`` is open and every
   animation shows its first frame. ``book/_static/print.css`` holds the print rules
   (``@media print`` only, so a page of the site printed from a browser gets them too):
   A4, code and outputs wrap instead of being cut, folded content prints open, each page
   of the book starts a new sheet, animations print as their first frame without their
   controls. Links within the book become links within the PDF; links to other files of
   the site (a workbook, the API's source) point at the published site, whose address
   ``https://OWNER.github.io/REPOSITORY/`` comes from ``repository.url`` in _config.yml.
   The PDF is tagged, with bookmarks from the headings;
3. when ``qpdf`` is installed, the PDF's objects are packed into compressed object
   streams (the tags make Chromium's PDF three times larger without it).

Needs what the default build needs (requirements.txt) and Chromium (Debian/Ubuntu:
``apt-get install chromium``; or ``SCRATCHNET_CHROMIUM``); qpdf is optional
(``apt-get install qpdf``). No TeX. Exit status 1 when the build fails or the page is
not ready to print (a formula not typeset or typeset as an error, an image that did not
load), 2 without Chromium.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_check import Browser, CDPError, find_chromium, serve  # noqa: E402

PRINTED_PAGE = "whole-book.html"  # the single page, copied to the site's top folder
PAGE_TIMEOUT = 120.0  # seconds for loading the page and typesetting its math
PRINT_TIMEOUT = 600.0  # seconds for Chromium to lay out and write the whole book

# Run in the page once it has loaded: make everything a reader of the PDF must see
# visible and final, then return what decides whether the page can be printed.
_JS_PREPARE = r"""
(async (siteUrl) => {
  const wait = ms => new Promise(done => setTimeout(done, ms));
  const html = document.documentElement;
  try { localStorage.setItem('mode', 'light'); localStorage.setItem('theme', 'light'); }
  catch (e) {}
  html.dataset.mode = 'light';
  html.dataset.theme = 'light';
  // folded content prints open: <details>, and what sphinx-togglebutton folds
  for (const d of document.querySelectorAll('details')) d.open = true;
  for (const cls of ['toggle-hidden', 'toggle-button-hidden'])
    for (const el of document.querySelectorAll('.' + cls)) el.classList.remove(cls);
  for (const img of document.images) if (img.loading === 'lazy') img.loading = 'eager';
  // matplotlib's to_jshtml players: paused, on their first frame
  const players = Array.from(document.querySelectorAll('div.animation'));
  for (let i = 0; i < 100; i++) {
    if (players.every(p => (p.querySelector('img') || {}).src)) break;
    await wait(100);
  }
  await wait(0);
  for (const p of players) {
    const pause = p.querySelector('button[title="Pause"]');
    if (pause) pause.click();
    const slider = p.querySelector('input.anim-slider');
    if (slider && slider.value !== slider.min) {
      slider.value = slider.min;
      slider.dispatchEvent(new Event('input', {bubbles: true}));
    }
  }
  const images = Array.from(document.images);
  await Promise.race([
    Promise.all(images.map(img => img.decode().catch(() => null))), wait(30000)]);
  // MathJax: its first pass over the page, then any formula shown since
  const mj = window.MathJax;
  let mathjax = 'absent';
  if (mj && mj.startup && mj.startup.promise) {
    mathjax = await Promise.race([mj.startup.promise.then(() => 'typeset'),
                                  wait(60000).then(() => 'timed out')]);
    if (mathjax === 'typeset' && mj.typesetPromise) await mj.typesetPromise();
  }
  // links: within the document when their target is in it, else to the published site
  const ids = new Set(Array.from(document.querySelectorAll('[id]'), el => el.id));
  const here = location.href.split('#')[0];
  let published = 0;
  for (const a of document.querySelectorAll('a[href]')) {
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin) continue;
    const fragment = decodeURIComponent(url.hash.slice(1));
    if (fragment && ids.has(fragment)) { a.setAttribute('href', '#' + fragment); continue; }
    if (url.href.split('#')[0] === here) { a.setAttribute('href', '#'); continue; }
    a.setAttribute('href', new URL(url.pathname.slice(1) + url.search + url.hash, siteUrl).href);
    published++;
  }
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const math = Array.from(document.querySelectorAll('.math'))
    .filter(el => !el.parentElement.closest('.math'));
  return {
    mathjax,
    math: math.length,
    mathTypeset: math.filter(el => el.querySelector('mjx-container')).length,
    untypeset: math.filter(el => !el.querySelector('mjx-container'))
      .map(el => el.textContent.trim().slice(0, 60)).slice(0, 3),
    mathErrors: Array.from(document.querySelectorAll('mjx-merror, [data-mml-node="merror"]'),
      el => el.getAttribute('data-mjx-error') || el.textContent).slice(0, 3),
    images: images.length,
    broken: images.filter(img => !img.complete || !img.naturalWidth)
      .map(img => (img.getAttribute('src') || '').slice(0, 80)).slice(0, 5),
    animations: players.length,
    details: document.querySelectorAll('details').length,
    published,
  };
})
"""

FOOTER = ('<div style="font-size:7px;width:100%;text-align:center;color:#555;">'
          '<span class="title"></span> &middot; <span class="pageNumber"></span> / '
          '<span class="totalPages"></span></div>')


def published_site(project: Path) -> str:
    """``https://OWNER.github.io/REPOSITORY/``, from ``repository.url`` in _config.yml."""
    import yaml

    config = yaml.safe_load((project / "_config.yml").read_text(encoding="utf-8")) or {}
    url = (config.get("repository") or {}).get("url", "")
    parts = urllib.parse.urlsplit(url)
    owner, _, name = parts.path.strip("/").partition("/")
    if parts.netloc != "github.com" or not owner or not name or "/" in name:
        raise ValueError(f"repository.url in _config.yml is not a GitHub repository: {url!r}")
    return f"https://{owner.lower()}.github.io/{name.removesuffix('.git')}/"


def root_document(project: Path) -> str:
    """The root page of ``_toc.yml`` (``book/intro``): the single page is named after it."""
    import yaml

    toc = yaml.safe_load((project / "_toc.yml").read_text(encoding="utf-8"))
    return str(toc["root"]).removesuffix(".md")


def build_singlehtml(project: Path) -> Path:
    """``jupyter-book build PROJECT --builder singlehtml -W``, then the single page copied
    to the site's top folder as ``whole-book.html``. Returns the site's folder.

    Sphinx writes the page as ``<root>.html`` (``book/intro.html``) but makes its links
    relative to the top folder (``_static/``, ``_images/``), hence the copy.
    """
    exe = Path(sys.executable).with_name("jupyter-book")
    env = dict(os.environ, PYTHONPATH=str(project))  # scratchnet from the book built
    result = subprocess.run([str(exe), "build", str(project), "--builder", "singlehtml", "-W"],
                            env=env, text=True, capture_output=True)
    if result.returncode != 0:
        raise RuntimeError("the single-page build failed:\n" + result.stdout[-4000:]
                           + result.stderr[-4000:])
    site = project / "_build" / "singlehtml"
    shutil.copyfile(site / f"{root_document(project)}.html", site / PRINTED_PAGE)
    return site


def print_pdf(site: Path, page: str, output: Path, *, site_url: str,
              chromium: Optional[str] = None, timeout: float = PAGE_TIMEOUT) -> Dict[str, Any]:
    """Print ``site/page`` with headless Chromium into ``output``; returns the page's facts.

    Raises RuntimeError when the page is not ready to print: a formula that MathJax did
    not typeset or typeset as an error, or an image that did not load.
    """
    chromium = chromium or find_chromium()
    if chromium is None:
        raise FileNotFoundError("no Chromium found: install chromium or set "
                                "SCRATCHNET_CHROMIUM to its path")
    with serve(Path(site)) as base, Browser(chromium, timeout=timeout) as b:
        target = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = b.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        b.call("Page.enable", session=s)
        b.call("Emulation.setEmulatedMedia", {
            "media": "print",
            "features": [{"name": "prefers-color-scheme", "value": "light"}]}, s)
        start = len(b.events)
        url = urllib.parse.urljoin(base, page)
        nav = b.call("Page.navigate", {"url": url}, s)
        if nav.get("errorText"):
            raise RuntimeError(f"{url}: {nav['errorText']}")
        if b.wait_for(lambda e: e.get("sessionId") == s
                      and e.get("method") == "Page.loadEventFired", timeout, start) is None:
            raise RuntimeError(f"{url}: no load event within {timeout:.0f} s")
        result = b.call("Runtime.evaluate", {
            "expression": f"({_JS_PREPARE})({json.dumps(site_url)})",
            "returnByValue": True, "awaitPromise": True}, s, timeout=timeout)
        if "exceptionDetails" in result:
            raise RuntimeError(f"preparing {url} failed: {result['exceptionDetails']}")
        facts = result["result"]["value"]
        problems: List[str] = []
        if facts["math"] and facts["mathTypeset"] < facts["math"]:
            problems.append(f"{facts['math'] - facts['mathTypeset']} of {facts['math']} "
                            f"formulas not typeset (MathJax: {facts['mathjax']}), e.g. "
                            + "; ".join(facts["untypeset"]))
        if facts["mathErrors"]:
            problems.append("MathJax errors: " + "; ".join(facts["mathErrors"]))
        if facts["broken"]:
            problems.append("images that did not load: " + ", ".join(facts["broken"]))
        if problems:
            raise RuntimeError(f"{page} is not ready to print: " + "; ".join(problems))
        printed = b.call("Page.printToPDF", {
            "printBackground": True,
            "preferCSSPageSize": True,        # @page in print.css: A4 and its margins
            "displayHeaderFooter": True,
            "headerTemplate": "<div></div>",
            "footerTemplate": FOOTER,
            "generateTaggedPDF": True,        # structure for screen readers, and
            "generateDocumentOutline": True,  # bookmarks from the headings (needs the tags)
            "transferMode": "ReturnAsStream",
        }, s, timeout=PRINT_TIMEOUT)
        output.parent.mkdir(parents=True, exist_ok=True)
        with open(output, "wb") as out:
            while True:
                chunk = b.call("IO.read", {"handle": printed["stream"], "size": 1 << 22}, s)
                out.write(base64.b64decode(chunk["data"]) if chunk.get("base64Encoded")
                          else chunk["data"].encode("utf-8"))
                if chunk.get("eof"):
                    break
        b.call("IO.close", {"handle": printed["stream"]}, s)
    return facts


def compress(pdf: Path) -> bool:
    """Pack the PDF's objects into compressed object streams with qpdf, if installed."""
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        return False
    packed = pdf.with_suffix(".packed.pdf")
    result = subprocess.run([qpdf, "--object-streams=generate", str(pdf), str(packed)],
                            capture_output=True, text=True)
    if result.returncode not in (0, 3):  # 3: done, with warnings
        packed.unlink(missing_ok=True)
        raise RuntimeError(f"qpdf failed: {result.stderr[-2000:]}")
    packed.replace(pdf)
    return True


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", nargs="?", type=Path, default=ROOT,
                        help="the book's folder, with _config.yml and _toc.yml "
                             "(default: this repository)")
    parser.add_argument("--output", type=Path, default=None,
                        help="the PDF (default: PROJECT/_build/pdf/book.pdf)")
    parser.add_argument("--no-build", action="store_true",
                        help=f"print PROJECT/_build/singlehtml/{PRINTED_PAGE} as it is")
    args = parser.parse_args(argv)
    project = args.project.resolve()
    output = (args.output or project / "_build" / "pdf" / "book.pdf").resolve()
    try:
        chromium = find_chromium()
    except FileNotFoundError as error:  # SCRATCHNET_CHROMIUM names no executable
        chromium, problem = None, str(error)
    else:
        problem = ("no Chromium found: install chromium or set SCRATCHNET_CHROMIUM "
                   "to its path")
    if chromium is None:
        print(f"build_pdf: {problem}", file=sys.stderr)
        return 2
    t0 = time.monotonic()
    try:
        site_url = published_site(project)
        site = project / "_build" / "singlehtml"
        if not args.no_build:
            print("building the single-page HTML (jupyter-book build --builder singlehtml -W)",
                  file=sys.stderr, flush=True)
            site = build_singlehtml(project)
        if not (site / PRINTED_PAGE).is_file():
            raise RuntimeError(f"no {site / PRINTED_PAGE}: build it first (without --no-build)")
        t1 = time.monotonic()
        print(f"printing {site / PRINTED_PAGE} with headless Chromium", file=sys.stderr,
              flush=True)
        facts = print_pdf(site, PRINTED_PAGE, output, site_url=site_url, chromium=chromium)
        t2 = time.monotonic()
        packed = compress(output)
    except (RuntimeError, ValueError, CDPError, TimeoutError, OSError) as error:
        print(f"build_pdf: {error}", file=sys.stderr)
        return 1
    print(f"{output}: {output.stat().st_size / 1e6:.1f} MB, {facts['images']} images "
          f"({facts['animations']} animations at their first frame), {facts['mathTypeset']} "
          f"formulas; build {t1 - t0:.0f} s, print {t2 - t1:.0f} s"
          + (f", qpdf {time.monotonic() - t2:.0f} s" if packed else
             " (no qpdf: the PDF is left uncompressed)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
