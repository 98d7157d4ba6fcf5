"""Claims as first-class objects: every result the prose states is marked and tested.

**In the pages.** A sentence that states a result ends with a claim mark,
``{claim}`xor-seed42-stuck```. The id (lower case words joined by ``-``) names the
claim; it renders as a small check mark linking to the claim's entry on the
*Claims and their evidence* page (``book/claims.md``, which holds a ``{claim-index}``
directive), where the test that checks it is shown with its source.

**In the tests.** A test that checks a claim says so with a marker,
``@pytest.mark.claim("xor-seed42-stuck")`` (several ids allowed). Its docstring says
what evidence it checks, independently of how the page computed the number.

**The rules** (the build fails, through ``-W``, and so does ``tests/test_claims.py``):

1. every claim mark names a test: an id no test is marked with is an error;
2. every id a test is marked with is made in the book: a test of a claim the book
   no longer makes is an error; each id is marked once in the book;
3. a prose block (a paragraph, a list item or a figure caption of a chapter page, not
   a question of an *Exercises* or *Questions* section, which asks rather than states)
   that states a result must carry a claim mark. A block states a result when it
   (a) shows a glued value (``{glue:text}``/``{glue}``) whose key does not start with
   ``set_`` (a glued *setting*, such as a sample size or a learning rate the page
   chose, is an input, not a result; a glued wall-clock time, key ``time_...``, is a
   measurement of one build: the block must say "this build", and no test asserts a
   time), or (b) uses one of the
   result words of ``RESULT_WORDS`` (such as "always", "never", "does not learn",
   "faster", "bit for bit") outside quotation marks and code. One mark covers its
   block (the claims page shows the words since the block's previous mark); an alt
   text cannot carry a mark, so it must not use a result word at all.

The functions below are used both by the Sphinx extension (``setup``) and by
``tests/test_claims.py``, so the rules are written once.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

from docutils import nodes
from docutils.parsers.rst import Directive

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CLAIM_ROLE = re.compile(r"\{claim\}`([^`]*)`")
GLUE_INLINE = re.compile(r"\{glue(?::text)?\}`([^`:]+)")
SETTING_PREFIX = "set_"  # a glued setting (a sample size, a chosen rate): an input, not a result
TIME_PREFIX = "time_"   # a wall-clock measurement of this build: shown as one, never tested
TIME_SCOPE = "this build"

# Words that state a result about a run, a configuration or the code's behaviour.
RESULT_WORDS = [
    r"always", r"never", r"every (?:run|seed|time)", r"in all\b", r"none of",
    r"does not learn", r"do not learn", r"did not learn", r"fails? to learn",
    r"learns", r"learned", r"gets? stuck", r"stays? stuck", r"is stuck",
    r"dead", r"dies", r"faster", r"slower", r"times as fast", r"identical",
    r"bit for bit", r"to the last bit", r"exactly the same", r"converges?",
    r"guarantee[sd]?", r"most (?:runs|seeds)", r"half (?:of )?the (?:runs|seeds)",
]
RESULT_PATTERN = re.compile(r"\b(?:" + "|".join(RESULT_WORDS) + r")\b", re.IGNORECASE)

# Sections whose list items ask the reader something rather than state a result.
QUESTION_HEADINGS = re.compile(r"^#{1,6}\s+(Exercises|Questions)\b", re.IGNORECASE)


# ----------------------------------------------------------------------------- tests


@dataclass(frozen=True)
class ClaimTest:
    """A test marked ``@pytest.mark.claim(...)``: where it is and what it checks."""

    claim_id: str
    path: str          # relative to the project root, e.g. tests/test_xor_pages.py
    name: str          # the test function
    line: int          # first line of the function (its first decorator)
    end_line: int
    doc: str           # its docstring: the evidence it checks
    source: str        # the function's source, decorators included

    @property
    def nodeid(self) -> str:
        return f"{self.path}::{self.name}"


def _claim_ids(decorator: ast.expr) -> Optional[List[str]]:
    """The ids of a ``pytest.mark.claim("a", "b")`` decorator, else None."""
    if not isinstance(decorator, ast.Call):
        return None
    func = decorator.func
    if not (isinstance(func, ast.Attribute) and func.attr == "claim"):
        return None
    mark = func.value
    if not (isinstance(mark, ast.Attribute) and mark.attr == "mark"):
        return None
    ids = []
    for arg in decorator.args:
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            raise ValueError(f"line {decorator.lineno}: claim ids must be string literals")
        ids.append(arg.value)
    return ids


def claim_tests(root: Path) -> Dict[str, List[ClaimTest]]:
    """Every test under ``root/tests`` marked with a claim, by claim id.

    The test files are parsed once for each content they have (a build asks for every
    page it writes); the result is shared, so it must not be changed.
    """
    return _claim_tests(Path(root), tests_digest(root))


@functools.lru_cache(maxsize=4)
def _claim_tests(root: Path, digest: str) -> Dict[str, List[ClaimTest]]:
    found: Dict[str, List[ClaimTest]] = {}
    for path in sorted((root / "tests").glob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text, filename=str(path))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for decorator in node.decorator_list:
                ids = _claim_ids(decorator)
                if ids is None:
                    continue
                start = min(d.lineno for d in node.decorator_list)
                end = node.end_lineno or node.lineno
                for claim_id in ids:
                    found.setdefault(claim_id, []).append(ClaimTest(
                        claim_id=claim_id,
                        path=path.relative_to(root).as_posix(),
                        name=node.name,
                        line=start,
                        end_line=end,
                        doc=ast.get_docstring(node) or "",
                        source="\n".join(lines[start - 1:end]),
                    ))
    return found


def tests_digest(root: Path) -> str:
    """A hash of the test files, so the claims page is rebuilt when a test changes."""
    digest = hashlib.sha256()
    for path in sorted((root / "tests").glob("test_*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# ----------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class Block:
    """A paragraph, list item or caption of a page's Markdown source."""

    line: int      # 1-based line of its first line in the page
    text: str


def prose_blocks(text: str) -> Iterator[Block]:
    """The prose blocks of a MyST page that can state a result.

    Skipped: the front matter, code cells and fenced code, math blocks, directive
    options, tables (they display values; the sentence about them states the
    result), headings, and the list items of *Exercises*/*Questions* sections (they ask;
    the prose of a solution there states results like any other).
    """
    lines = text.splitlines()
    i, n = 0, len(lines)
    block: List[str] = []
    start = 0
    in_questions = False

    def flush() -> Iterator[Block]:
        nonlocal block
        if block:
            yield Block(start + 1, "\n".join(block))
        block = []

    if lines and lines[0].strip() == "---":  # front matter
        i = 1
        while i < n and lines[i].strip() != "---":
            i += 1
        i += 1
    while i < n:
        line = lines[i]
        stripped = line.strip()
        fence = re.match(r"^(\s*)(`{3,}|:{3,})\s*(\{[^}]*\})?\s*(.*)$", line)
        if fence:
            yield from flush()
            marker, directive = fence.group(2), fence.group(3) or ""
            # code cells, code fences and directives whose body is code: skip entirely
            body_is_prose = directive in (
                "{glue:figure}", "{figure}", "{note}", "{warning}", "{admonition}",
                "{tip}", "{important}", "{attention}", "{caution}", "{seealso}",
                "{dropdown}", "{margin}", "{sidebar}",
            )
            i += 1
            while i < n and not re.match(r"^\s*" + re.escape(marker[0]) + "{%d,}\\s*$" % len(marker), lines[i]):
                inner = lines[i]
                if body_is_prose and not re.match(r"^\s*:[\w-]+:", inner):
                    if inner.strip():
                        if not block:
                            start = i
                        block.append(inner)
                    else:
                        yield from flush()
                i += 1
            yield from flush()
            i += 1
            continue
        if stripped.startswith("$$"):
            yield from flush()
            if stripped.count("$$") == 1 or stripped == "$$":
                i += 1
                while i < n and "$$" not in lines[i]:
                    i += 1
            i += 1
            continue
        if stripped.startswith("#"):
            yield from flush()
            in_questions = bool(QUESTION_HEADINGS.match(stripped))
            i += 1
            continue
        if not stripped or stripped.startswith("|") or stripped.startswith("<!--") \
                or stripped.startswith("+++") or re.match(r"^\(.*\)=$", stripped):
            yield from flush()
            i += 1
            continue
        item = re.match(r"^\s*(?:\d+\.|[-*+])\s", line)
        if item:  # a list item starts a block
            yield from flush()
        if in_questions and (item or line[:1].isspace()):  # a question and its indented lines
            i += 1
            continue
        if not block:
            start = i
        block.append(line)
        i += 1
    yield from flush()


def _without_quotes_and_code(text: str) -> str:
    text = re.sub(r"`[^`]*`", " ", text)                # code spans, role contents
    text = re.sub(r"\{[\w:-]+\}", " ", text)            # role names
    text = re.sub(r"\"[^\"]*\"|“[^”]*”", " ", text)      # quotations (the chapter's words)
    text = re.sub(r"\$[^$]*\$", " ", text)              # inline math
    return text


def block_needs_claim(block: Block) -> Optional[str]:
    """Why the block states a result (so needs a claim mark), or None."""
    keys = GLUE_INLINE.findall(block.text)
    results = [k for k in keys if not k.startswith((SETTING_PREFIX, TIME_PREFIX))]
    if results:
        return f"it shows the glued value {results[0]!r}"
    timings = [k for k in keys if k.startswith(TIME_PREFIX)]
    if timings and TIME_SCOPE not in " ".join(block.text.split()):
        return (f"it shows the wall-clock measurement {timings[0]!r} without saying it is "
                f"one of {TIME_SCOPE!r}")
    match = RESULT_PATTERN.search(_without_quotes_and_code(block.text))
    if match:
        return f"it says {match.group(0)!r}"
    return None


def claim_marks(text: str) -> List[Tuple[str, int]]:
    """Every ``{claim}`id``` in a page's source, with its 1-based line."""
    return [
        (m.group(1), text.count("\n", 0, m.start()) + 1) for m in CLAIM_ROLE.finditer(text)
    ]


def alt_texts(text: str) -> Iterator[Block]:
    """The ``:alt:`` text of every figure and image of a page."""
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"^\s*:alt:\s*(.*)$", line)
        if match:
            yield Block(number, match.group(1))


def unmarked_results(text: str) -> List[Tuple[Block, str]]:
    """The blocks of a page that state a result without a claim mark, and why.

    Alt text cannot carry a mark, so it describes what is drawn: a result word in an
    alt text is always reported.
    """
    found = []
    for alt in alt_texts(text):
        match = RESULT_PATTERN.search(_without_quotes_and_code(alt.text))
        if match:
            found.append((alt, f"its alt text says {match.group(0)!r}: describe what is "
                               f"drawn; the caption or the prose states the result"))
    for block in prose_blocks(text):
        if CLAIM_ROLE.search(block.text):
            continue
        reason = block_needs_claim(block)
        if reason:
            found.append((block, reason))
    return found


# The pages whose prose states results (the API reference is generated docstrings;
# the back matter lists, it does not claim).
def chapter_pages(root: Path) -> List[Path]:
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    names = re.findall(r"^\s*- file:\s*(\S+)", toc, re.MULTILINE)
    root_page = re.search(r"^root:\s*(\S+)", toc, re.MULTILINE)
    if root_page:
        names.insert(0, root_page.group(1))
    skip = ("book/api", "book/references", "book/execution", "book/claims")
    return [root / f"{name}.md" for name in names if not name.startswith(skip)]


def book_claims(root: Path) -> Dict[str, List[Tuple[str, int]]]:
    """Every claim id marked in the book, with the pages and lines that mark it."""
    found: Dict[str, List[Tuple[str, int]]] = {}
    for page in sorted((root / "book").rglob("*.md")):
        if "_build" in page.parts:
            continue
        for claim_id, line in claim_marks(page.read_text(encoding="utf-8")):
            found.setdefault(claim_id, []).append((page.relative_to(root).as_posix(), line))
    return found


def problems(root: Path) -> List[str]:
    """Everything that breaks the rules, as messages (empty when the book is sound)."""
    out: List[str] = []
    in_book = book_claims(root)
    in_tests = claim_tests(root)
    for claim_id, places in sorted(in_book.items()):
        where = ", ".join(f"{p}:{line}" for p, line in places)
        if not ID_PATTERN.match(claim_id):
            out.append(f"{where}: claim id {claim_id!r} is not lower-case words joined by '-'")
        if len(places) > 1:
            out.append(f"{where}: claim {claim_id!r} is marked {len(places)} times (once only)")
        if claim_id not in in_tests:
            out.append(f"{where}: claim {claim_id!r} has no test: mark the test that checks "
                       f"it with @pytest.mark.claim({claim_id!r})")
    for claim_id, tests in sorted(in_tests.items()):
        for test in tests:
            if claim_id not in in_book:
                out.append(f"{test.path}:{test.line}: {test.name} checks claim {claim_id!r}, "
                           f"which the book no longer makes")
            if not test.doc.strip():
                out.append(f"{test.path}:{test.line}: {test.name} checks claim {claim_id!r} "
                           f"but has no docstring saying what evidence it checks")
    for page in chapter_pages(root):
        for block, reason in unmarked_results(page.read_text(encoding="utf-8")):
            first = block.text.strip().splitlines()[0][:70]
            out.append(f"{page.relative_to(root).as_posix()}:{block.line}: states a result "
                       f"({reason}) without a claim mark: {first!r}")
    return out


# ----------------------------------------------------------------------------- Sphinx


class claim_mark(nodes.Inline, nodes.Element):
    """Placeholder for a claim mark, resolved to a link once pages are known."""


class claim_index(nodes.General, nodes.Element):
    """Placeholder for the list of every claim (the back-matter page)."""


def claim_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    claim_id = text.strip()
    node = claim_mark(rawtext, claim_id=claim_id)
    node["ids"] = [f"claim-use-{claim_id}"]
    messages = []
    if not ID_PATTERN.match(claim_id):
        msg = inliner.reporter.warning(
            f"claim id {claim_id!r} is not lower-case words joined by '-'", line=lineno)
        messages.append(msg)
    return [node], messages


class ClaimIndex(Directive):
    has_content = False

    def run(self):
        return [claim_index("")]


def pasted_markdown_directive():
    """myst-nb's ``{glue:md}``, its output wrapped in ``div.pasted-md``.

    Glued text (``{glue:text}``) is marked in the HTML by myst-nb (``span.pasted-text``);
    a glued Markdown table is not. The wrapper marks it, so the typed-number scan
    (tests/typed_numbers.py) can tell a table the build wrote from one typed by hand.
    """
    from myst_nb.ext.glue.directives import PasteMarkdownDirective

    class PasteMarkdownMarked(PasteMarkdownDirective):
        def run(self):
            result = super().run()
            box = nodes.container(classes=["pasted-md"])
            box.extend(result)
            return [box]

    return PasteMarkdownMarked


def setup(app):  # noqa: C901 (the Sphinx glue, kept in one place)
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    root = Path(app.confdir)

    def claim_parts(node) -> List[Tuple[str, str]]:
        """The words the mark closes, its block's text since the previous mark, as
        ``("text", ...)`` and ``("math", latex)`` parts (math is shown as math)."""
        parent = node.parent
        while parent is not None and not isinstance(
                parent, (nodes.paragraph, nodes.caption, nodes.list_item)):
            parent = parent.parent
        if parent is None:
            parent = node.parent
        parts: List[Tuple[str, str]] = []
        for part in parent.findall(
                lambda n: isinstance(n, (nodes.Text, nodes.math, claim_mark))):
            if part is node:
                break
            if isinstance(part, claim_mark):
                parts = []
            elif isinstance(part, nodes.math):
                parts.append(("math", part.astext()))
            elif not any(isinstance(a, nodes.math) for a in _ancestors(part)):
                parts.append(("text", part.astext()))
        # one space between words, none at either end
        joined: List[Tuple[str, str]] = []
        for kind, text in parts:
            if kind == "text":
                text = re.sub(r"\s+", " ", text)
            joined.append((kind, text))
        if joined and joined[0][0] == "text":
            joined[0] = ("text", joined[0][1].lstrip())
        if joined and joined[-1][0] == "text":
            joined[-1] = ("text", joined[-1][1].rstrip())
        return joined

    def _ancestors(node):
        while node.parent is not None:
            node = node.parent
            yield node

    def collect(app, doctree):
        env = app.env
        if not hasattr(env, "claims"):
            env.claims = {}
        found = []
        for node in doctree.findall(claim_mark):
            parts = claim_parts(node)
            found.append({"id": node["claim_id"], "parts": parts,
                          "text": "".join(text for _, text in parts),
                          "line": node.line})
        env.claims[env.docname] = found

    def purge(app, env, docname):
        if hasattr(env, "claims"):
            env.claims.pop(docname, None)

    def merge(app, env, docnames, other):
        if not hasattr(env, "claims"):
            env.claims = {}
        for docname in docnames:
            if docname in getattr(other, "claims", {}):
                env.claims[docname] = other.claims[docname]

    def lint_source(app, docname, source):
        if docname.startswith(("book/api", "book/references", "book/execution",
                               "book/claims")):
            return
        for block, reason in unmarked_results(source[0]):
            first = block.text.strip().splitlines()[0][:70]
            logger.warning(f"states a result ({reason}) without a claim mark: {first!r}",
                           location=(docname, block.line), type="claims")

    def outdated(app, env, added, changed, removed):
        digest = tests_digest(root)
        previous = getattr(env, "claims_tests_digest", None)
        env.claims_tests_digest = digest
        if added or changed or removed or previous != digest:
            index_pages = [d for d in env.found_docs if d.endswith("claims")]
            return index_pages
        return []

    def check(app, env):
        tests = claim_tests(root)
        seen: Dict[str, str] = {}
        for docname, claims in sorted(getattr(env, "claims", {}).items()):
            for claim in claims:
                claim_id = claim["id"]
                if claim_id in seen:
                    logger.warning(f"claim {claim_id!r} is already marked in {seen[claim_id]}",
                                   location=(docname, claim["line"]), type="claims")
                seen[claim_id] = docname
                if claim_id not in tests:
                    logger.warning(
                        f"claim {claim_id!r} has no test: mark the test that checks it with "
                        f"@pytest.mark.claim({claim_id!r})",
                        location=(docname, claim["line"]), type="claims")
        for claim_id, marked in sorted(tests.items()):
            if claim_id not in seen:
                for test in marked:
                    logger.warning(f"{test.nodeid} checks claim {claim_id!r}, which the book "
                                   f"no longer makes", type="claims")

    def test_url(test: ClaimTest) -> Optional[str]:
        options = app.config.html_theme_options or {}
        repo = options.get("repository_url")
        if not repo:
            return None
        branch = options.get("repository_branch") or "main"
        return f"{repo.rstrip('/')}/blob/{branch}/{test.path}#L{test.line}-L{test.end_line}"

    def resolve(app, doctree, fromdocname):
        env = app.env
        builder = app.builder
        index_docs = [d for d in env.found_docs if d.endswith("claims")
                      and d.startswith("book/")]
        index_doc = index_docs[0] if index_docs else None
        tests = claim_tests(root)
        for node in list(doctree.findall(claim_mark)):
            claim_id = node["claim_id"]
            names = ", ".join(t.nodeid for t in tests.get(claim_id, [])) or "no test"
            if index_doc is None:  # a book without a claims page: no link to make
                node.replace_self(nodes.inline("", "", ids=node["ids"]))
                continue
            uri = builder.get_relative_uri(fromdocname, index_doc) + f"#claim-{claim_id}"
            ref = nodes.reference("", "", internal=True, refuri=uri,
                                  reftitle=f"Claim {claim_id}, checked by {names}",
                                  classes=["claim-mark"])
            ref += nodes.Text("✓")
            sup = nodes.superscript("", "", ids=node["ids"], classes=["claim"])
            sup += ref
            node.replace_self(sup)
        for node in list(doctree.findall(claim_index)):
            node.replace_self(index_nodes(fromdocname, tests))
            # the claims show their math as math: the page needs MathJax, which Sphinx
            # loads only on pages whose source had math when it was read
            app.env.get_domain("math").data["has_equations"][fromdocname] = True

    def index_nodes(fromdocname, tests):
        env = app.env
        builder = app.builder
        out = []
        claims = getattr(env, "claims", {})
        total = sum(len(c) for c in claims.values())
        summary = nodes.paragraph()
        summary += nodes.Text(
            f"{total} claims on {sum(1 for c in claims.values() if c)} pages, "
            f"checked by {len({t.nodeid for ts in tests.values() for t in ts})} tests.")
        out.append(summary)
        order = [d for d in env.toctree_includes.get(env.config.root_doc, [])]
        ordered = [d for d in _toc_order(env) if d in claims and claims[d]]
        for docname in ordered or order:
            title = env.titles[docname].astext() if docname in env.titles else docname
            section = nodes.section(ids=[f"claims-{docname.replace('/', '-')}"])
            section += nodes.title("", title)
            for claim in claims[docname]:
                claim_id = claim["id"]
                entry = nodes.container(ids=[f"claim-{claim_id}"], classes=["claim-entry"])
                para = nodes.paragraph()
                back = builder.get_relative_uri(fromdocname, docname) + f"#claim-use-{claim_id}"
                link = nodes.reference("", "", internal=True, refuri=back)
                link += nodes.literal("", claim_id)
                para += link
                para += nodes.Text(": ")
                for kind, text in claim["parts"]:
                    para += nodes.math(text, text) if kind == "math" else nodes.Text(text)
                entry += para
                for test in tests.get(claim_id, []):
                    evidence = nodes.paragraph(classes=["claim-evidence"])
                    evidence += nodes.strong("", "Evidence: ")
                    evidence += nodes.Text(" ".join(test.doc.split()))
                    entry += evidence
                    if builder.format == "html":
                        # plain text: highlighted, the page's tests are ~70,000 elements,
                        # which more than double axe-core's time on this page
                        code = builder.highlighter.highlight_block(test.source, "text")
                        url = test_url(test)
                        link_html = (f' (<a class="reference external" href="{html.escape(url)}">'
                                     f"source on GitHub</a>)") if url else ""
                        entry += nodes.raw(
                            "", f'<details class="claim-test"><summary>Test '
                                f"<code>{html.escape(test.nodeid)}</code>, line {test.line}"
                                f"{link_html}</summary>{code}</details>",
                            format="html")
                    else:
                        testpara = nodes.paragraph()
                        testpara += nodes.Text("Test: ")
                        testpara += nodes.literal("", test.nodeid)
                        entry += testpara
                        entry += nodes.literal_block(test.source, test.source,
                                                     language="python")
                section += entry
            out.append(section)
        return out

    def _toc_order(env):
        seen, order = set(), []

        def walk(doc):
            if doc in seen:
                return
            seen.add(doc)
            order.append(doc)
            for child in env.toctree_includes.get(doc, []):
                walk(child)

        walk(env.config.root_doc)
        return order

    app.setup_extension("myst_nb")  # the glue domain, whose {glue:md} is wrapped below
    app.add_node(claim_mark)
    app.add_node(claim_index)
    app.add_role("claim", claim_role)
    app.add_directive("claim-index", ClaimIndex)
    app.add_directive_to_domain("glue", "md", pasted_markdown_directive(), override=True)
    app.connect("source-read", lint_source)
    app.connect("doctree-read", collect)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-outdated", outdated)
    app.connect("env-check-consistency", check)
    app.connect("doctree-resolved", resolve)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 2}
