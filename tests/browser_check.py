"""Open every page of a built HTML site in headless Chromium and check what a reader sees.

Usage::

    python tests/browser_check.py _build/html [--screenshots DIR] [--page book/xor.html ...]
                                  [--browsers N] [--no-axe]

The site is served on 127.0.0.1 (a random free port) and every page (every ``*.html``
outside folders whose name starts with ``_`` or ``.``) is opened in headless Chromium,
driven through the DevTools Protocol over a pipe (stdlib only). Per page:

console   no uncaught JavaScript exception, no ``console.error``, no browser log error
request   every request to the site itself succeeds (no network error, no HTTP status
          >= 400, none left pending). The one exception, reported as a note: the request
          Chromium makes by itself for /favicon.ico when a page declares no icon.
external  EXTERNAL-REQUEST POLICY: the site must render offline, so every request to
          another origin (a CDN script, a web font, a beacon) is a failure, whether or
          not it succeeded. Links (``<a href>``) to other sites are fine: they are
          counted, not followed. Chromium runs as if offline, whatever the machine's
          network: no host name resolves (the site is served on 127.0.0.1), so what the
          screenshots show is what a reader without a network sees.
image     every ``<img>`` loaded (``complete`` and ``naturalWidth > 0``)
link      every ``<a href>`` of the rendered page into the site resolves to a file of
          the site, and its ``#fragment``, if any, is an ``id`` (or ``<a name>``) in the
          served HTML of the target page
math      on a page with math (Sphinx marks it with class ``math``), every math element
          was typeset by MathJax (holds an ``mjx-container``) and none is an error
animation every animated figure (matplotlib's ``to_jshtml`` player: a ``div.animation``
          with an ``<img id="_anim_img...">`` and an ``<input type=range class=anim-slider>``)
          shows a frame that decodes; setting the slider to its last frame (its value set,
          ``input`` and ``change`` dispatched, as the player listens for ``oninput``) shows
          another frame, setting it back shows the first again, and the slider moves one
          frame with the keyboard (a real ArrowRight key press, then Home); its frames are
          data: URIs, so the ``external`` check covers what it requests
axe       axe-core (``tests/vendor/axe-core/axe.min.js``, injected into the page with
          Runtime.evaluate: nothing is requested) runs its WCAG 2 A and AA rules (tags
          ``wcag2a``, ``wcag2aa``) on the whole document in light mode and again in dark
          mode; every violation fails the page, reported with the rule id, its impact, the
          modes, how many elements, a short selector of the first ones, axe's help text
          and, for the first element, what axe measured (a contrast ratio, say)
load      the page loads and stays where it was opened (a ``<meta http-equiv=refresh>``
          page must arrive at its target instead; it is checked for that only)

and two full-page PNG screenshots at 1280 px wide, ``<page>.light.png`` and
``<page>.dark.png`` (``/`` in the page's path becomes ``__``), for a person to look at;
dark mode as the pydata/sphinx-book theme sets it: ``localStorage`` ``mode``/``theme``
and the ``data-mode``/``data-theme`` attributes of ``<html>``, plus
``prefers-color-scheme: dark``. The report is printed and saved as ``report.txt`` beside
the screenshots. The exit status is 1 when any check failed, 2 when no Chromium was found
(set ``SCRATCHNET_CHROMIUM`` to its path) or a ``--page`` is not a file of the site.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import functools
import html.parser
import http.server
import json
import os
import posixpath
import re
import select
import shutil
import subprocess
import sys
import tempfile
import struct
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
VIEWPORT = (1280, 900)
MAX_SCREENSHOT_HEIGHT = 32000  # CSS pixels; a longer page is cut there (and a note says so)
# axe-core, vendored (tests/vendor/axe-core/README.txt says which release and how to upgrade)
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ("wcag2a", "wcag2aa")  # the WCAG 2.0 A and AA rules; none is left out


# --------------------------------------------------------------------------- Chromium


def find_chromium() -> Optional[str]:
    """``$SCRATCHNET_CHROMIUM`` if set, else the first Chromium/Chrome on ``PATH``, else None."""
    explicit = os.environ.get("SCRATCHNET_CHROMIUM")
    if explicit:
        found = shutil.which(explicit)
        if found is None:
            raise FileNotFoundError(f"SCRATCHNET_CHROMIUM={explicit!r} is not an executable")
        return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class CDPError(RuntimeError):
    """Chromium answered a DevTools command with an error, or stopped answering."""


# Chromium's --remote-debugging-pipe reads commands from fd 3 and writes to fd 4.
# subprocess can keep fds open in the child but not renumber them, so this trampoline
# (a fresh interpreter: no threads, unlike preexec_fn) moves them into place and execs.
_TRAMPOLINE = (
    "import os, sys\n"
    "cmd_fd, evt_fd = int(sys.argv[1]), int(sys.argv[2])\n"
    "os.dup2(cmd_fd, 3); os.dup2(evt_fd, 4); os.close(cmd_fd); os.close(evt_fd)\n"
    "os.execv(sys.argv[3], sys.argv[3:])\n"
)


class Browser:
    """Headless Chromium and a DevTools Protocol connection to it over a pipe.

    Use as a context manager: the process is terminated, the pipes closed and the
    temporary profile removed on exit, whatever happened.
    """

    def __init__(self, executable: str, *, timeout: float = 30.0) -> None:
        self.executable = executable
        self.timeout = timeout
        self.proc: Optional[subprocess.Popen] = None
        self._profile: Optional[tempfile.TemporaryDirectory] = None
        self._cmd_w: Optional[int] = None
        self._evt_r: Optional[int] = None
        self._buffer = b""
        self._next_id = 0
        self._responses: Dict[int, Dict[str, Any]] = {}
        self.events: List[Dict[str, Any]] = []
        self.version = ""

    # ---- lifecycle

    def __enter__(self) -> "Browser":
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        import fcntl  # POSIX only; imported here so that the module imports everywhere

        self._profile = tempfile.TemporaryDirectory(prefix="browser-check-",
                                                    ignore_cleanup_errors=True)
        profile = Path(self._profile.name)
        cmd_r, self._cmd_w = os.pipe()
        self._evt_r, evt_w = os.pipe()
        # fds >= 10, so that moving them onto 3 and 4 in the child cannot clobber one another
        child_cmd = fcntl.fcntl(cmd_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_evt = fcntl.fcntl(evt_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(cmd_r)
        os.close(evt_w)
        flags = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--remote-debugging-pipe", f"--user-data-dir={profile / 'profile'}",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
            "--force-color-profile=srgb", f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}",
            # offline, with or without a network: no host name resolves (the site is
            # served on an IP address), so a CDN fails fast and the same way everywhere
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "about:blank",
        ]
        try:
            with open(profile / "chromium.log", "wb") as log:
                self.proc = subprocess.Popen(
                    [sys.executable, "-c", _TRAMPOLINE, str(child_cmd), str(child_evt),
                     self.executable, *flags],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                    pass_fds=(child_cmd, child_evt),
                )
        finally:
            os.close(child_cmd)
            os.close(child_evt)
        self.version = self.call("Browser.getVersion")["product"]

    def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            try:
                if proc.poll() is None and self._cmd_w is not None:
                    with contextlib.suppress(OSError):
                        self.send("Browser.close")
                    try:
                        proc.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        proc.terminate()
                        try:
                            proc.wait(timeout=5)
                        except subprocess.TimeoutExpired:
                            proc.kill()
                            proc.wait()
            finally:
                if proc.poll() is None:  # an exception (KeyboardInterrupt) above
                    proc.kill()
                    proc.wait()
        for name in ("_cmd_w", "_evt_r"):
            fd = getattr(self, name)
            if fd is not None:
                os.close(fd)
                setattr(self, name, None)
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    def log_tail(self, chars: int = 2000) -> str:
        """The end of Chromium's own stderr, for error messages."""
        if self._profile is None:
            return ""
        path = Path(self._profile.name) / "chromium.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    # ---- messages

    def send(self, method: str, params: Optional[dict] = None,
             session: Optional[str] = None) -> int:
        self._next_id += 1
        message: Dict[str, Any] = {"id": self._next_id, "method": method,
                                   "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        assert self._cmd_w is not None, "the browser is not running"
        while data:
            data = data[os.write(self._cmd_w, data):]
        return self._next_id

    def _read_one(self, deadline: float) -> None:
        """Read one message: a response is filed under its id, an event appended to events."""
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self._evt_r], [], [], min(remaining, 1.0))
            if ready:
                chunk = os.read(self._evt_r, 1 << 20)
                if not chunk:
                    raise CDPError("Chromium closed the pipe (it exited?):\n" + self.log_tail())
                self._buffer += chunk
            elif self.proc is not None and self.proc.poll() is not None:
                raise CDPError(f"Chromium exited with {self.proc.returncode}:\n"
                               + self.log_tail())
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message = json.loads(raw)
        if "id" in message:
            self._responses[message["id"]] = message
        else:
            self.events.append(message)

    def call(self, method: str, params: Optional[dict] = None,
             session: Optional[str] = None, timeout: Optional[float] = None) -> Dict[str, Any]:
        """Send a command and return its result; a protocol error raises CDPError."""
        ident = self.send(method, params, session)
        deadline = time.monotonic() + (timeout or self.timeout)
        while ident not in self._responses:
            try:
                self._read_one(deadline)
            except TimeoutError:
                raise TimeoutError(f"no answer to {method} within "
                                   f"{timeout or self.timeout:.0f} s") from None
        response = self._responses.pop(ident)
        if "error" in response:
            raise CDPError(f"{method}: {response['error']}")
        return response.get("result", {})

    def pump(self, seconds: float) -> None:
        """Read events for ``seconds`` (or until nothing more arrives in that time)."""
        deadline = time.monotonic() + seconds
        with contextlib.suppress(TimeoutError):
            while True:
                self._read_one(deadline)

    def wait_for(self, predicate: Callable[[Dict[str, Any]], bool], timeout: float,
                 start: int = 0) -> Optional[Dict[str, Any]]:
        """The first event from index ``start`` on satisfying ``predicate``, or None on timeout."""
        deadline = time.monotonic() + timeout
        index = start
        while True:
            while index < len(self.events):
                if predicate(self.events[index]):
                    return self.events[index]
                index += 1
            try:
                self._read_one(deadline)
            except TimeoutError:
                return None


@functools.lru_cache(maxsize=None)
def axe_source() -> str:
    """The text of the vendored ``axe.min.js``, evaluated in every page checked."""
    return AXE_JS.read_text(encoding="utf-8")


def _axe_version() -> str:
    with contextlib.suppress(OSError):
        with open(AXE_JS, encoding="utf-8") as f:
            match = re.search(r"axe v(\S+)", f.read(200))
            if match:
                return match.group(1)
    return "missing"


AXE_VERSION = _axe_version()


# --------------------------------------------------------------------------- serving


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Chromium hanging up early (a cancelled request) is not the site's problem
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="browser-check-http",
                              daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --------------------------------------------------------------------------- static HTML


class _Anchors(html.parser.HTMLParser):
    """The ids (and ``<a name>``s) of a page, and its meta-refresh target if any."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set = set()
        self.refresh: Optional[str] = None
        self.icon = False  # declares a <link rel="icon">

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "link" and "icon" in (a.get("rel") or "").lower().split():
            self.icon = True
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            match = re.search(r"url\s*=\s*['\"]?([^'\"]+)", a.get("content") or "", re.I)
            if match:
                self.refresh = match.group(1).strip()


@functools.lru_cache(maxsize=None)
def _anchors(path: Path) -> _Anchors:
    parser = _Anchors()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


def site_pages(root: Path) -> List[str]:
    """Every ``*.html`` of the site, relative and sorted, outside ``_*``/``.*`` folders."""
    pages = []
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root)
        if not any(part.startswith(("_", ".")) for part in rel.parts[:-1]):
            pages.append(rel.as_posix())
    return pages


def resolve_link(root: Path, base: str, url: str) -> Tuple[Optional[Path], Optional[str]]:
    """The file a same-site URL serves (None when there is none) and an error message.

    ``base`` is the site's base URL; a directory serves its ``index.html``, like the
    server does. Fragments and queries are ignored here.
    """
    parts = urllib.parse.urlsplit(url)
    base_path = urllib.parse.urlsplit(base).path  # ends with "/"
    raw = urllib.parse.unquote(parts.path) or "/"
    path = posixpath.normpath(raw)
    as_dir = path if path.endswith("/") else path + "/"
    if not as_dir.startswith(base_path):
        return None, "outside the site"
    rel = path[len(base_path):].lstrip("/")
    target = root / rel if rel else root
    if raw.endswith("/") or target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return None, f"no such file: {target.relative_to(root).as_posix()}"
    return target, None


# --------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class Failure:
    kind: str  # console, request, external, image, link, math, animation, axe, load
    message: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.message}"


@dataclass
class PageReport:
    page: str  # relative to the site root, e.g. "book/xor.html"
    url: str
    failures: List[Failure] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    final_url: str = ""
    redirect: Optional[str] = None
    images: int = 0
    internal_links: int = 0
    external_links: int = 0
    math_elements: int = 0
    math_typeset: int = 0
    requests: int = 0
    dark_mode: Optional[bool] = None  # the dark screenshot really shows the dark theme
    animations: int = 0  # matplotlib jshtml players on the page
    # axe-core's violations, {mode: {rule id: number of elements}}, per mode it ran in
    axe: Dict[str, Dict[str, int]] = field(default_factory=dict)
    axe_seconds: float = 0.0  # injecting axe-core and running it in both modes
    screenshots: List[Path] = field(default_factory=list)
    seconds: float = 0.0

    def fail(self, kind: str, message: str) -> None:
        failure = Failure(kind, message)
        if failure not in self.failures:
            self.failures.append(failure)

    def kinds(self) -> set:
        return {f.kind for f in self.failures}

    def summary(self) -> str:
        status = "FAIL" if self.failures else "ok  "
        if self.redirect is not None:
            facts = f"redirect to {self.redirect}"
        else:
            facts = (f"{self.images} images, {self.internal_links} internal links, "
                     f"math {self.math_typeset}/{self.math_elements}, "
                     f"{self.requests} requests")
            if self.animations:
                facts += f", {self.animations} animations"
            if self.axe:
                found = sum(f.kind == "axe" for f in self.failures)
                facts += (f", axe {'found ' + str(found) if found else 'clean'} in "
                          f"{'+'.join(self.axe)} ({self.axe_seconds:.1f} s)")
        return f"{status} {self.page}  ({facts}; {self.seconds:.1f} s)"


@dataclass
class SiteReport:
    root: Path
    pages: List[PageReport]
    browser: str = ""
    screenshots: Optional[Path] = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not any(p.failures for p in self.pages)

    def page(self, name: str) -> PageReport:
        return next(p for p in self.pages if p.page == name)

    def failures(self, kind: Optional[str] = None) -> List[Tuple[str, Failure]]:
        return [(p.page, f) for p in self.pages for f in p.failures
                if kind is None or f.kind == kind]

    def text(self) -> str:
        lines = [f"{self.browser}: {len(self.pages)} pages of {self.root} "
                 f"in {self.seconds:.1f} s"]
        axed = [p for p in self.pages if p.axe]
        if axed:
            lines[0] += (f" (axe-core {AXE_VERSION}: {sum(p.axe_seconds for p in axed):.1f} s "
                         f"on {len(axed)} pages, {max(p.axe_seconds for p in axed):.1f} s "
                         f"at most)")
        for p in self.pages:
            lines.append(p.summary())
            lines += [f"    {f}" for f in p.failures]
            lines += [f"    note: {n}" for n in p.notes]
        # the same failure on many pages once (an exception's "at <page>:<line>" aside)
        grouped: Dict[str, List[str]] = defaultdict(list)
        for page, failure in self.failures():
            grouped[re.sub(r" at \S+:\d+$", "", str(failure))].append(page)
        if grouped:
            lines.append(f"FAILED: {len(grouped)} distinct failures "
                         f"on {sum(bool(p.failures) for p in self.pages)} pages:")
            for failure, pages in grouped.items():
                where = pages[0] if len(pages) == 1 else f"{len(pages)} pages"
                lines.append(f"  {failure}  ({where})")
        else:
            lines.append("PASSED: every check on every page.")
        if self.screenshots is not None:
            lines.append(f"Screenshots: {self.screenshots}")
        return "\n".join(lines)


# --------------------------------------------------------------------------- one page

# Run in the page once it has loaded: make lazy images load now and wait for every image.
_JS_IMAGES_SETTLED = """
(async () => {
  const images = Array.from(document.images);
  images.forEach(img => { if (img.loading === 'lazy') img.loading = 'eager'; });
  const pending = images.filter(img => !img.complete).map(img => new Promise(done => {
    img.addEventListener('load', done, {once: true});
    img.addEventListener('error', done, {once: true});
  }));
  const timeout = new Promise(done => setTimeout(done, %d));
  await Promise.race([Promise.all(pending), timeout]);
  return true;
})()
"""

_JS_MATHJAX_READY = """
(async () => {
  const mj = window.MathJax;
  if (!(mj && mj.startup && mj.startup.promise)) return 'not loaded';
  const timeout = new Promise(done => setTimeout(() => done('timed out'), %d));
  return await Promise.race([mj.startup.promise.then(() => 'typeset'), timeout]);
})()
"""

_JS_FACTS = r"""
(() => {
  const math = Array.from(document.querySelectorAll('.math'))
    .filter(el => !el.parentElement.closest('.math'));
  const mj = window.MathJax;
  // A formula MathJax could not parse becomes an <merror>; an undefined macro becomes
  // red text (the noundefined extension). Read both from MathJax's own list of formulas,
  // whatever the output (CHTML or SVG); without that list, from the DOM.
  const mathErrors = [];
  const doc = mj && mj.startup && mj.startup.document;
  if (doc && doc.math && mj.startup.toMML) {
    for (const item of Array.from(doc.math)) {
      let mml = '';
      try { mml = mj.startup.toMML(item.root); } catch (e) { continue; }
      const error = mml.match(/<merror[^>]*>[\s\S]*?<mtext[^>]*>([^<]*)/);
      const undefinedMacro = mml.match(/<mtext mathcolor="red">(\\[^<]*)<\/mtext>/);
      if (error) mathErrors.push(`${error[1]} in ${item.math}`);
      else if (undefinedMacro)
        mathErrors.push(`undefined control sequence ${undefinedMacro[1]} in ${item.math}`);
    }
  } else {
    for (const el of document.querySelectorAll('mjx-merror, [data-mml-node="merror"]'))
      mathErrors.push(el.getAttribute('data-mjx-error') || el.textContent);
  }
  return {
    location: location.href,
    images: Array.from(document.images).map(img => ({
      src: img.currentSrc || img.src || img.getAttribute('src') || '',
      alt: img.getAttribute('alt'),
      complete: img.complete,
      naturalWidth: img.naturalWidth,
    })),
    links: Array.from(document.querySelectorAll('a[href]')).map(a => ({
      href: a.href, raw: a.getAttribute('href'),
    })),
    math: math.length,
    mathTypeset: math.filter(el => el.querySelector('mjx-container')).length,
    mathErrors: mathErrors.map(text => text.slice(0, 200)).slice(0, 10),
    untypeset: math.filter(el => !el.querySelector('mjx-container'))
      .map(el => el.textContent.trim().replace(/\s+/g, ' ').slice(0, 60)).slice(0, 3),
    mathjax: mj === undefined ? 'absent'
      : (mj.version ? 'MathJax ' + mj.version : 'configured, but its script never ran'),
  };
})()
"""

_JS_DARK = """
(() => {
  try { localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark'); }
  catch (e) {}
  document.documentElement.dataset.mode = 'dark';
  document.documentElement.dataset.theme = 'dark';
  return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(
    () => setTimeout(done, 150))));
})()
"""

# Let CSS transitions and animations (a sidebar sliding in) finish before a screenshot.
_JS_ANIMATIONS_DONE = """
(async () => {
  const running = document.getAnimations().filter(a => a.playState === 'running'
    && a.effect && a.effect.getComputedTiming().iterations !== Infinity);
  const timeout = new Promise(done => setTimeout(done, 3000));
  await Promise.race([Promise.all(running.map(a => a.finished.catch(() => null))), timeout]);
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  return running.length;
})()
"""

_JS_BACKGROUND = r"""
(() => {
  for (const el of [document.body, document.documentElement]) {
    const bg = getComputedStyle(el).backgroundColor;
    const m = bg.match(/rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)/);
    if (m && (m[4] === undefined || parseFloat(m[4]) > 0))
      return (0.2126 * m[1] + 0.7152 * m[2] + 0.0722 * m[3]) / 255;
  }
  return 1.0;
})()
"""


# axe-core's WCAG 2 A and AA rules on the whole document (after axe.min.js was evaluated).
# resultTypes: only the violations are wanted in full (the other result types keep one
# element per rule, which makes a run on a long page faster).
_JS_AXE_RUN = r"""
(async () => {
  if (!window.axe || !window.axe.run) return {error: 'axe-core did not load'};
  const result = await window.axe.run(document, {
    runOnly: {type: 'tag', values: %s}, resultTypes: ['violations'],
  });
  const firstMessage = node => {
    for (const check of [...node.any, ...node.all, ...node.none])
      if (check.message) return check.message;
    return '';
  };
  return {
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact || '', help: v.help,
      targets: v.nodes.map(n => n.target.map(String).join(' >> ')),
      detail: v.nodes.length ? firstMessage(v.nodes[0]) : '',
    })),
  };
})()
"""

# matplotlib's to_jshtml players: each one's first frame, then the slider moved to the
# last frame and back, as a script would (value set, 'input' and 'change' dispatched: the
# player listens with oninput). The keyboard is tried from Python (_Page.check_players).
_JS_PLAYERS = r"""
(async () => {
  const wait = ms => new Promise(done => setTimeout(done, ms));
  const players = Array.from(document.querySelectorAll('div.animation'));
  const found = [];
  for (const [index, player] of players.entries()) {
    const img = player.querySelector('img[id^="_anim_img"]');
    const slider = player.querySelector('input[type="range"].anim-slider');
    const name = img ? '#' + img.id : `div.animation number ${index + 1}`;
    const result = {name, problems: [], frames: 0, slider: slider ? slider.id : ''};
    found.push(result);
    if (!img || !slider) {
      result.problems.push('not a to_jshtml player: no ' + (img ? 'anim-slider' : '_anim_img'));
      continue;
    }
    // the player is made in a setTimeout after its script ran; it then shows frame 0
    for (let i = 0; i < 10 && !img.getAttribute('src'); i++) await wait(100);
    const decodes = async what => {
      try { await img.decode(); } catch (e) {
        result.problems.push(`${what} does not decode (${e.name})`); return false;
      }
      if (!img.naturalWidth) { result.problems.push(`${what} has no width`); return false; }
      return true;
    };
    const first = img.getAttribute('src') || '';
    if (!first) { result.problems.push('shows no frame: its image has no src'); continue; }
    if (!await decodes('the first frame')) continue;
    const pause = player.querySelector('button[title="Pause"]');
    if (pause) pause.click();  // a playing player changes frames by itself
    const min = parseInt(slider.min || '0', 10), max = parseInt(slider.max || '0', 10);
    result.frames = max - min + 1;
    const move = value => {
      slider.value = String(value);
      slider.dispatchEvent(new Event('input', {bubbles: true}));
      slider.dispatchEvent(new Event('change', {bubbles: true}));
    };
    move(max);
    await wait(0);
    const last = img.getAttribute('src') || '';
    if (max <= min) {
      result.problems.push(`its slider has one position only (min ${min}, max ${max})`);
    } else if (last === first) {
      result.problems.push(`the slider moved to frame ${max} and the image stayed the same`);
    } else if (await decodes(`frame ${max}`)) {
      move(min);
      await wait(0);
      if (img.getAttribute('src') !== first)
        result.problems.push(`the slider moved back to frame ${min}, `
                             + 'the first frame did not come back');
    }
  }
  return found;
})()
"""

# The state of one player, for the keyboard check (the slider's id is the argument).
_JS_PLAYER_STATE = """
(() => {
  const slider = document.getElementById(%s);
  const img = slider.closest('div.animation').querySelector('img[id^="_anim_img"]');
  const src = img.getAttribute('src') || '';
  let hash = 2166136261;  // FNV-1a of the frame's data URI: which frame is shown
  for (let i = 0; i < src.length; i++) hash = Math.imul(hash ^ src.charCodeAt(i), 16777619);
  return {value: slider.value, frame: `${src.length}:${hash >>> 0}`,
          focused: document.activeElement === slider};
})()
"""


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _is_network(url: str) -> bool:
    return urllib.parse.urlsplit(url).scheme in ("http", "https", "ws", "wss", "ftp")


def _console_text(args: List[Dict[str, Any]]) -> str:
    parts = []
    for arg in args:
        if "value" in arg:
            parts.append(str(arg["value"]))
        else:
            parts.append(arg.get("description") or arg.get("type", "?"))
    return " ".join(parts)[:500]


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _shot_name(page: str, mode: str) -> str:
    return page[: -len(".html")].replace("/", "__") + f".{mode}.png"


class _Page:
    """One page opened in its own browser context (fresh storage, no shared cache)."""

    def __init__(self, browser: Browser, root: Path, base: str, page: str,
                 shots: Optional[Path], timeout: float, axe: bool = True) -> None:
        self.b, self.root, self.base, self.timeout = browser, root, base, timeout
        self.shots, self.axe = shots, axe
        self.report = PageReport(page=page, url=urllib.parse.urljoin(base, page))
        self.session = ""
        self._axe: Dict[str, List[Dict[str, Any]]] = {}  # mode: axe-core's violations

    def evaluate(self, expression: str, timeout: Optional[float] = None) -> Any:
        result = self.b.call("Runtime.evaluate", {
            "expression": expression, "returnByValue": True, "awaitPromise": True,
        }, self.session, timeout=timeout or self.timeout)
        if "exceptionDetails" in result:
            raise CDPError(f"evaluation failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def mine(self, start: int, method: Optional[str] = None) -> List[Dict[str, Any]]:
        return [e for e in self.b.events[start:]
                if e.get("sessionId") == self.session
                and (method is None or e.get("method") == method)]

    def run(self) -> PageReport:
        t0 = time.monotonic()
        b, report = self.b, self.report
        context = b.call("Target.createBrowserContext")["browserContextId"]
        try:
            target = b.call("Target.createTarget", {"url": "about:blank",
                                                    "browserContextId": context})["targetId"]
            self.session = b.call("Target.attachToTarget",
                                  {"targetId": target, "flatten": True})["sessionId"]
            start = len(b.events)
            try:
                self.visit(start)
            except (CDPError, TimeoutError) as error:  # report it, go on with the next page
                report.fail("load", f"the check of this page stopped: {error}")
            finally:
                self.judge_events(start)
                with contextlib.suppress(CDPError, TimeoutError):
                    b.call("Target.closeTarget", {"targetId": target})
        finally:
            with contextlib.suppress(CDPError, TimeoutError):
                b.call("Target.disposeBrowserContext", {"browserContextId": context})
        report.seconds = time.monotonic() - t0
        return report

    # ---- the visit

    def visit(self, start: int) -> None:
        b, s, report = self.b, self.session, self.report
        for domain in ("Page", "Runtime", "Log", "Network"):
            b.call(f"{domain}.enable", session=s)
        b.call("Network.setCacheDisabled", {"cacheDisabled": True}, s)
        b.call("Emulation.setDeviceMetricsOverride", {
            "width": VIEWPORT[0], "height": VIEWPORT[1], "deviceScaleFactor": 1,
            "mobile": False}, s)
        b.call("Emulation.setEmulatedMedia", {
            "features": [{"name": "prefers-color-scheme", "value": "light"}]}, s)

        static = _anchors(self.root / report.page)
        nav = b.call("Page.navigate", {"url": report.url}, s)
        if nav.get("errorText"):
            report.fail("load", f"navigation failed: {nav['errorText']}")
            return
        loaded = b.wait_for(lambda e: e.get("sessionId") == s
                            and e.get("method") == "Page.loadEventFired", self.timeout, start)
        if loaded is None:  # still check (and photograph) what is there
            report.fail("load", f"no load event within {self.timeout:.0f} s")

        if static.refresh is not None:
            self.follow_redirect(static.refresh)
            return

        self.network_idle(start)
        self.evaluate(_JS_IMAGES_SETTLED % int(self.timeout * 1000 / 2))
        facts = self.evaluate(_JS_FACTS)
        if facts["math"] or facts["mathjax"] != "absent":
            state = self.evaluate(_JS_MATHJAX_READY % int(self.timeout * 1000 / 2))
            self.settle_math()
            facts = self.evaluate(_JS_FACTS)
            if state == "timed out":
                report.notes.append("MathJax did not finish typesetting in time")
        report.final_url = facts["location"]
        if facts["location"].split("#")[0] != report.url:
            report.fail("load", f"the page navigated away to {facts['location']}")
        self.check_images(facts["images"])
        self.check_links(facts["links"])
        self.check_math(facts)
        self.check_players()  # each animation is left at its first frame
        try:
            if self.shots is not None:
                self.screenshot("light")
            self.check_axe("light")
            self.go_dark()
            self.evaluate(_JS_ANIMATIONS_DONE)  # colours may fade into the dark theme
            self.check_axe("dark")
        finally:
            self.judge_axe()
        if self.shots is not None:
            self.screenshot("dark")
        self.network_idle(start)

    def follow_redirect(self, target: str) -> None:
        """A meta-refresh page is checked for arriving at its target, which is a page too."""
        report = self.report
        expected = urllib.parse.urljoin(report.url, target)
        report.redirect = target
        path, error = resolve_link(self.root, self.base, expected)
        if error:
            report.fail("link", f"redirect target {target}: {error}")
            return
        deadline = time.monotonic() + self.timeout
        location = ""
        while time.monotonic() < deadline:
            with contextlib.suppress(CDPError):
                location = self.evaluate("location.href")
                if location.split("#")[0] == expected.split("#")[0]:
                    break
            self.b.pump(0.2)
        report.final_url = location
        if location.split("#")[0] != expected.split("#")[0]:
            report.fail("load", f"redirect did not arrive at {expected} "
                                f"(still at {location}) within {self.timeout:.0f} s")

    def in_flight(self, start: int) -> Dict[str, str]:
        pending: Dict[str, str] = {}
        for e in self.mine(start):
            method, params = e.get("method"), e.get("params", {})
            if method == "Network.requestWillBeSent":
                pending[params["requestId"]] = params["request"]["url"]
            elif method in ("Network.loadingFinished", "Network.loadingFailed"):
                pending.pop(params["requestId"], None)
        return pending

    def network_idle(self, start: int, quiet: float = 0.25) -> None:
        """Wait (at most timeout/2) until no request is in flight or starts for ``quiet`` s."""
        deadline = time.monotonic() + self.timeout / 2
        while time.monotonic() < deadline:
            if self.in_flight(start):
                self.b.pump(0.1)
                continue
            seen = len(self.b.events)
            self.b.pump(quiet)
            if not self.mine(seen, "Network.requestWillBeSent") and not self.in_flight(start):
                return

    def settle_math(self) -> None:
        """Wait until the number of typeset formulas stops changing."""
        last, stable = -1, 0
        deadline = time.monotonic() + self.timeout / 2
        while stable < 2 and time.monotonic() < deadline:
            count = self.evaluate("document.querySelectorAll('mjx-container').length")
            stable = stable + 1 if count == last else 0
            last = count
            self.b.pump(0.25)

    def go_dark(self) -> None:
        b, s, report = self.b, self.session, self.report
        b.call("Emulation.setEmulatedMedia", {
            "features": [{"name": "prefers-color-scheme", "value": "dark"}]}, s)
        self.evaluate(_JS_DARK)
        luminance = self.evaluate(_JS_BACKGROUND)
        theme = self.evaluate("document.documentElement.dataset.theme || ''")
        report.dark_mode = theme == "dark" and luminance < 0.5
        if not report.dark_mode:
            report.notes.append(f"dark mode did not darken the page (background luminance "
                                f"{luminance:.2f}): the site has no dark theme?")

    def screenshot(self, mode: str) -> None:
        """A full-page PNG: the viewport is made as tall as the page, captured, restored.

        (``captureBeyondViewport`` alone keeps the layout of the 900 px window, which
        clips sticky sidebars such as the page's table of contents.)
        """
        b, s, report = self.b, self.session, self.report
        assert self.shots is not None
        self.evaluate(_JS_ANIMATIONS_DONE)
        height = 0
        for _ in range(3):  # the page may grow with the window (min-height: 100vh)
            size = b.call("Page.getLayoutMetrics", session=s)["cssContentSize"]
            wanted = min(max(VIEWPORT[1], int(size["height"] + 0.5)), MAX_SCREENSHOT_HEIGHT)
            if wanted == height:
                break
            height = wanted
            b.call("Emulation.setDeviceMetricsOverride", {
                "width": VIEWPORT[0], "height": height, "deviceScaleFactor": 1,
                "mobile": False}, s)
            self.evaluate(_JS_ANIMATIONS_DONE)
        if height >= MAX_SCREENSHOT_HEIGHT:
            report.notes.append(f"{mode} screenshot cut at {MAX_SCREENSHOT_HEIGHT} px")
        try:
            shot = b.call("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": False, "optimizeForSpeed": True,
                "clip": {"x": 0, "y": 0, "width": VIEWPORT[0], "height": height, "scale": 1},
            }, s, timeout=max(self.timeout, 60))
        finally:
            b.call("Emulation.setDeviceMetricsOverride", {
                "width": VIEWPORT[0], "height": VIEWPORT[1], "deviceScaleFactor": 1,
                "mobile": False}, s)
        path = self.shots / _shot_name(report.page, mode)
        path.write_bytes(base64.b64decode(shot["data"]))
        report.screenshots.append(path)

    # ---- checks

    def check_images(self, images: List[Dict[str, Any]]) -> None:
        self.report.images = len(images)
        for img in images:
            if not img["complete"]:
                self.report.fail("image", f"still loading: {img['src']}")
            elif img["naturalWidth"] == 0:
                alt = f" (alt: {img['alt'][:60]!r})" if img["alt"] else ""
                self.report.fail("image", f"did not load: {img['src']}{alt}")

    def check_links(self, links: List[Dict[str, Any]]) -> None:
        report, site = self.report, _origin(self.base)
        for link in links:
            href = link["href"]
            if not _is_network(href):
                continue  # mailto:, javascript:, data:
            if _origin(href) != site:
                report.external_links += 1
                continue
            report.internal_links += 1
            path, error = resolve_link(self.root, self.base, href)
            if error:
                report.fail("link", f"{link['raw']}: {error}")
                continue
            fragment = urllib.parse.unquote(urllib.parse.urlsplit(href).fragment)
            if not fragment:
                continue
            if path.suffix != ".html":
                report.fail("link", f"{link['raw']}: #{fragment} into a non-HTML file")
            elif fragment not in _anchors(path).ids:
                target = path.relative_to(self.root).as_posix()
                report.fail("link", f"{link['raw']}: no id {fragment!r} in {target}")

    def check_players(self) -> None:
        """Every matplotlib to_jshtml player on the page loads and its slider moves it."""
        report = self.report
        players = self.evaluate(_JS_PLAYERS, timeout=max(self.timeout, 30))
        report.animations = len(players)
        for player in players:
            for problem in player["problems"]:
                report.fail("animation", f"{player['name']}: {problem}")
            if not player["problems"] and player["frames"] > 1:
                problem = self.try_keyboard(player["slider"])
                if problem:
                    report.fail("animation", f"{player['name']}: {problem}")

    def try_keyboard(self, slider_id: str) -> Optional[str]:
        """ArrowRight on the focused slider shows the next frame, Home the first again."""
        state = _JS_PLAYER_STATE % json.dumps(slider_id)
        self.evaluate(f"document.getElementById({json.dumps(slider_id)})"
                      ".focus({preventScroll: true})")
        before = self.evaluate(state)
        if not before["focused"]:
            return "its slider cannot take the keyboard focus"
        problem = None
        for key, code in (("ArrowRight", 39), ("Home", 36)):
            for kind in ("rawKeyDown", "keyUp"):
                self.b.call("Input.dispatchKeyEvent", {
                    "type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code,
                    "nativeVirtualKeyCode": code}, self.session)
            after = self.evaluate(state)
            if key == "ArrowRight":
                if after["value"] == before["value"]:
                    problem = "its slider does not move with the keyboard (ArrowRight)"
                elif after["frame"] == before["frame"]:
                    problem = (f"ArrowRight moved its slider to {after['value']}, "
                               "the frame shown stayed the same")
                if problem:
                    break
            elif after["value"] != before["value"] or after["frame"] != before["frame"]:
                problem = "Home did not bring its slider back to the first frame"
        self.evaluate("document.activeElement && document.activeElement.blur()")
        return problem

    def check_axe(self, mode: str) -> None:
        """axe-core's WCAG 2 A and AA rules in the page as it is now (light or dark)."""
        if not self.axe:
            return
        t0 = time.monotonic()
        timeout = max(self.timeout, 60)
        if not self.evaluate("typeof window.axe === 'object' && !!window.axe.run"):
            result = self.b.call("Runtime.evaluate", {
                "expression": axe_source(), "silent": True, "returnByValue": True,
            }, self.session, timeout=timeout)
            if "exceptionDetails" in result:
                self.report.fail("axe", f"axe-core did not load: "
                                        f"{result['exceptionDetails'].get('text', '')}")
                return
        found = self.evaluate(_JS_AXE_RUN % json.dumps(list(AXE_TAGS)), timeout=timeout)
        self.report.axe_seconds += time.monotonic() - t0
        if found.get("error"):
            self.report.fail("axe", found["error"])
            return
        self._axe[mode] = found["violations"]
        self.report.axe[mode] = {v["id"]: len(v["targets"]) for v in found["violations"]}

    def judge_axe(self) -> None:
        """One failure per rule and set of elements, naming the modes it was found in."""
        modes: Dict[Tuple[str, Tuple[str, ...]], List[str]] = {}
        violation: Dict[Tuple[str, Tuple[str, ...]], Dict[str, Any]] = {}
        for mode, violations in self._axe.items():
            for v in violations:
                key = (v["id"], tuple(v["targets"]))
                modes.setdefault(key, []).append(mode)
                violation.setdefault(key, v)
        for key, where in modes.items():
            v = violation[key]
            targets = [_short(t, 90) for t in v["targets"][:3]]
            more = len(v["targets"]) - len(targets)
            elements = "; ".join(targets) + (f"; and {more} more" if more else "")
            count = len(v["targets"])
            detail = f" [{_short(v['detail'], 220)}]" if v["detail"] else ""
            self.report.fail("axe", f"{v['id']} ({v['impact'] or 'no impact'}) in "
                                    f"{' and '.join(where)} mode, {count} element"
                                    f"{'s' if count != 1 else ''}: {elements}: "
                                    f"{v['help']}{detail}")

    def check_math(self, facts: Dict[str, Any]) -> None:
        report = self.report
        report.math_elements, report.math_typeset = facts["math"], facts["mathTypeset"]
        if facts["math"] and facts["mathTypeset"] < facts["math"]:
            examples = "; ".join(facts["untypeset"])
            report.fail("math", f"{facts['math'] - facts['mathTypeset']} of {facts['math']} "
                                f"formulas not typeset (MathJax: {facts['mathjax']}); "
                                f"e.g. {examples}")
        for error in facts["mathErrors"]:
            report.fail("math", f"MathJax error: {error}")

    def judge_events(self, start: int) -> None:
        """Console errors, exceptions, failed and external requests, from the events."""
        report, site = self.report, _origin(self.base)
        everything = events = self.mine(start)
        # a redirect page is judged on what it did before it navigated to its target
        # (the requests it made then are followed to their outcome, whenever that came)
        if report.redirect is not None:
            for i, e in enumerate(events):
                if (e.get("method") == "Page.frameNavigated"
                        and not e["params"]["frame"].get("parentId")
                        and e["params"]["frame"]["url"] != report.url):
                    events = events[:i]
                    break
        urls: Dict[str, str] = {}
        requested: List[str] = []
        for e in events:
            if e.get("method") == "Network.requestWillBeSent":
                urls[e["params"]["requestId"]] = e["params"]["request"]["url"]
                requested.append(e["params"]["requestId"])
        status: Dict[str, int] = {}
        failed: Dict[str, str] = {}
        finished: set = set()
        for e in everything:
            method, p = e.get("method"), e.get("params", {})
            if method == "Network.requestWillBeSent":
                if p.get("redirectResponse"):
                    status[p["requestId"]] = p["redirectResponse"]["status"]
            elif method == "Network.responseReceived":
                status[p["requestId"]] = p["response"]["status"]
            elif method == "Network.loadingFailed":
                failed[p["requestId"]] = p.get("errorText", "failed") + (
                    " (cancelled)" if p.get("canceled") else "") + (
                    f" (blocked: {p['blockedReason']})" if p.get("blockedReason") else "")
            elif method == "Network.loadingFinished":
                finished.add(p["requestId"])
        reported_urls = set()
        seen = set()
        # Chromium asks for /favicon.ico by itself when a page declares no icon: that
        # request is the browser's, not the page's, so its 404 is a note, not a failure.
        automatic_icon = (None if _anchors(self.root / report.page).icon
                          else urllib.parse.urljoin(self.base, "/favicon.ico"))
        for rid in requested:
            url = urls[rid]
            if not _is_network(url) or (rid, url) in seen:
                continue
            seen.add((rid, url))
            code = status.get(rid)
            outcome = (f"HTTP {code}" if code is not None and (code >= 400 or rid not in failed)
                       else failed.get(rid) or ("finished" if rid in finished
                                                else "still pending"))
            if _origin(url) != site:
                report.fail("external", f"{url} ({outcome})")
                reported_urls.add(url)
            elif url == automatic_icon:
                if outcome != "HTTP 200":
                    report.notes.append(f"the browser's own request for {url}: {outcome} "
                                        "(the site declares no icon)")
                reported_urls.add(url)
            elif rid in failed or (code or 200) >= 400 or outcome == "still pending":
                report.fail("request", f"{url} ({outcome})")
                reported_urls.add(url)
        report.requests = len(seen)
        for e in events:
            method, p = e.get("method"), e.get("params", {})
            if method == "Runtime.exceptionThrown":
                d = p["exceptionDetails"]
                text = (d.get("exception") or {}).get("description") or d.get("text", "")
                where = f" at {d.get('url', '')}:{d.get('lineNumber', 0) + 1}" if d.get(
                    "url") else ""
                report.fail("console", f"uncaught exception: {text.splitlines()[0][:300]}"
                                       f"{where}")
            elif method == "Runtime.consoleAPICalled":
                if p["type"] in ("error", "assert"):
                    report.fail("console", f"console.{p['type']}: {_console_text(p['args'])}")
                elif p["type"] == "warning":
                    report.notes.append(f"console.warn: {_console_text(p['args'])}")
            elif method == "Log.entryAdded":
                entry = p["entry"]
                # a failed request also logs "Failed to load resource": reported above
                if entry.get("source") == "network" and entry.get("url") in reported_urls:
                    continue
                if entry["level"] == "error":
                    url = f" ({entry['url']})" if entry.get("url") else ""
                    report.fail("console", f"{entry['source']}: {entry['text'][:300]}{url}")
                elif entry["level"] == "warning":
                    report.notes.append(f"{entry['source']} warning: {entry['text'][:200]}")


# --------------------------------------------------------------------------- the site


def _markup_size(path: Path) -> int:
    """How many tags a page has, roughly (its ``<``s; a data: URI has none)."""
    return path.read_bytes().count(b"<")


def png_size(path: Path) -> Tuple[int, int]:
    """The width and height of a PNG file, from its header."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def check_site(root: Path, *, screenshots: Optional[Path] = None,
               pages: Optional[List[str]] = None, chromium: Optional[str] = None,
               timeout: float = 30.0, progress: Optional[Callable[[str], None]] = None,
               report_name: str = "report.txt", browsers: int = 1,
               axe: bool = True) -> SiteReport:
    """Serve ``root``, open each page in headless Chromium and report what failed.

    ``screenshots``: a folder for ``<page>.light.png`` and ``<page>.dark.png`` (created;
    when the whole site is checked, earlier ``*.light.png``/``*.dark.png`` there are
    removed first), or None for none.
    ``pages``: relative paths (default: :func:`site_pages`). ``chromium``: the
    executable (default: :func:`find_chromium`). Raises FileNotFoundError without one.
    ``report_name``: the file in ``screenshots`` the text report is written to.
    ``browsers``: how many Chromiums check pages at once, each its own share, one page
    at a time (a page's check is mostly waiting: for the network to go quiet, for
    MathJax, for the screenshots).
    ``axe``: run axe-core in each page (False only to measure what it costs, or to
    look at something else quickly: the book's test always runs it).
    """
    if isinstance(browsers, bool) or not isinstance(browsers, int) or browsers < 1:
        raise ValueError(f"browsers must be a positive integer, got {browsers!r}")
    t0 = time.monotonic()
    root = Path(root).resolve()
    chromium = chromium or find_chromium()
    if chromium is None:
        raise FileNotFoundError("no Chromium found: install chromium or set "
                                "SCRATCHNET_CHROMIUM to its path")
    whole_site = pages is None
    pages = site_pages(root) if pages is None else list(pages)
    missing = [page for page in pages if not (root / page).is_file()]
    if missing:
        raise FileNotFoundError(f"not pages of {root}: {', '.join(missing)}")
    if screenshots is not None:
        screenshots = Path(screenshots).resolve()
        screenshots.mkdir(parents=True, exist_ok=True)
        if whole_site:  # no screenshot of a page that is gone
            for old in [*screenshots.glob("*.light.png"), *screenshots.glob("*.dark.png")]:
                old.unlink()
    _anchors.cache_clear()
    # list.pop is atomic: each page is taken once. The pages with the most elements
    # (axe-core's time grows with them) are taken first, so that no long page is left
    # for the end while the other Chromiums have nothing more to do.
    queue = sorted(pages, key=lambda page: (_markup_size(root / page), page))
    done: Dict[str, PageReport] = {}
    versions: List[str] = []
    errors: List[BaseException] = []

    def check_share(base: str) -> None:
        try:
            with Browser(chromium, timeout=timeout) as browser:
                versions.append(browser.version)
                while True:
                    try:
                        page = queue.pop()
                    except IndexError:
                        return
                    report = _Page(browser, root, base, page, screenshots, timeout,
                                   axe=axe).run()
                    done[page] = report
                    browser.events.clear()
                    if progress:
                        progress(report.summary())
        except BaseException as error:  # re-raised below, in the caller's thread
            errors.append(error)

    with serve(root) as base:
        threads = [threading.Thread(target=check_share, args=(base,), name=f"browser-{i}")
                   for i in range(min(browsers, len(pages)) or 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]
    site = SiteReport(root=root, pages=[done[page] for page in pages],
                      browser=versions[0] if versions else "", screenshots=screenshots,
                      seconds=time.monotonic() - t0)
    if screenshots is not None:
        (screenshots / report_name).write_text(site.text() + "\n", encoding="utf-8")
    return site


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="the built HTML, e.g. _build/html")
    parser.add_argument("--screenshots", type=Path, default=None,
                        help="folder for the PNGs (default: screenshots/ next to the site, "
                             "e.g. _build/screenshots)")
    parser.add_argument("--no-screenshots", action="store_true")
    parser.add_argument("--page", action="append", dest="pages",
                        help="check only this page (relative path; repeatable)")
    parser.add_argument("--chromium", help="the Chromium executable "
                                           "(default: $SCRATCHNET_CHROMIUM or PATH)")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds per page load (default 30)")
    parser.add_argument("--browsers", type=int, default=1,
                        help="Chromiums checking pages at once (default 1)")
    parser.add_argument("--no-axe", action="store_true",
                        help="skip axe-core (to measure its cost; the test always runs it)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file() and not args.pages:
        parser.error(f"{args.site} has no index.html: is it a built site?")
    shots = None if args.no_screenshots else (
        args.screenshots or args.site.resolve().parent / "screenshots")
    try:
        report = check_site(args.site, screenshots=shots, pages=args.pages,
                            chromium=args.chromium, timeout=args.timeout,
                            progress=lambda line: print(line, file=sys.stderr, flush=True),
                            browsers=args.browsers, axe=not args.no_axe)
    except FileNotFoundError as error:  # no Chromium, or no such page
        print(f"browser_check: {error}", file=sys.stderr)
        return 2
    print(report.text())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
