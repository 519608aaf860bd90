"""Property tests: any text survives the readers, normalization, the store and rendering as literal text.

Hypothesis generates text from the whole of Unicode (astral, bidi and control characters), Markdown,
HTML, LaTeX, Jinja and MkDocs syntax, and very long lines. Rendering goes through the real templates
(``render_site``) and the real Python-Markdown with the extensions listed in mkdocs.yml; the HTML is
then parsed and compared with the stored text and with the same page rendered from plain text.

Examples per property: ``HYPOTHESIS_PROFILE=quick|default|thorough`` (50 / 300 / 3000); CI runs the
default. The HTML helpers at the bottom are shared with test_hostile.py.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml
from conftest import REPO, load_mkdocs_yml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.core.errors import ReadingListError
from generator.core.model import Assignment, Enriched, Link, Paper, Rule, Source, TagDef, Taxonomy, Topic
from generator.site.authors import short_authors
from generator.site.escape import _MATH_ATTRS, _MATH_TAGS
from generator.site.render import Settings, make_environment, render_site
from generator.sources.normalize import normalize_text
from generator.sources.parse import parse_abstracts, parse_bibtex, parse_file, parse_listing, parse_yaml_list
from generator.store import dump_papers, parse_store

_COUNTS = {"quick": 50, "default": 300, "thorough": 3000}
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
EXAMPLES = settings(
    max_examples=_COUNTS.get(PROFILE, _COUNTS["default"]),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ---------------------------------------------------------------- strategies

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
CONTROLS = "".join(map(chr, [*range(0, 32), *range(127, 160)])) + "\u2028\u2029\ufeff\ufffe\uffff"
SPECIALS = "\\`*_{}[]()#+-!?|~=^:<>&\"'$%@/.;,\n\t " + BIDI
FRAGMENTS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</div>",
    "<!-- x -->",
    "<![CDATA[x]]>",
    "[x](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "<http://evil.test>",
    "![i](x.png)",
    "[x]: /etc/passwd",
    "[^1]",
    '{: onclick="alert(1)" }',
    "{ #id .cls }",
    "{: .x }",
    '--8<-- "/etc/passwd"',
    ';--8<-- "x"',
    "{{ 7*7 }}",
    "{% include 'x' %}",
    "{# c #}",
    "<!-- material/tags -->",
    "<!-- material/tags { include: [x] } -->",
    "# H",
    "## H { #x }",
    "> q",
    "- item",
    "1. item",
    "1) x",
    "* x",
    "    code",
    "```",
    "~~~",
    "`",
    "``x``",
    "**b**",
    "_e_",
    "~~s~~",
    "==m==",
    "^^i^^",
    "!!! note",
    "??? quote",
    '=== "Tab"',
    "| a | b |",
    "---",
    "***",
    "<br>",
    "&amp;",
    "&#60;",
    "&lt;",
    "&",
    "\\",
    "\\\\",
    "$",
    "$x$",
    "$a_1$",
    "$\\frac{a}{b}$",
    "$$x$$",
    "$5 and $10",
    "$\\href{javascript:alert(1)}{x}$",
    "$\\text{<b>x</b>}$",
    "$\\style{color:red}{x}$",
    "\\(x\\)",
    "\\'e",
    '\\"o',
    "\\c{c}",
    "{\\em x}",
    "\\textbf{x}",
    "\\today",
    "\\cite{k}",
    "\\url{javascript:x}",
    "``q''",
    "'s'",
    "a---b",
    "\x00",
    "\x02wzxhzdk:0\x03",
    "\x03",
    "\r\n",
    "\u2028",
    "\u00a0",
    "\u200b",
    "\U0001f600",
    "\U0001d400",
    "\U00010348",
    "\u0301",
    "e\u0301",
    "\ufb01",
    "\u212b",
    "\ufdd0",
    "Abstract:",
    "@article{k,",
    "Subscribe",
    "Mar 13",
    "- title: x",
    "title: x",
    "]",
    "[",
    "{",
    "}",
    "&#x27;",
    "%",
)
characters = st.characters(blacklist_categories=("Cs",))
piece = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(alphabet=SPECIALS + CONTROLS, max_size=4),
    st.text(alphabet=characters, max_size=6),
    st.text(alphabet="abcdefghij ", min_size=1, max_size=8),
)
joined = st.lists(piece, max_size=24).map("".join)


def long_lines(most: int) -> st.SearchStrategy[str]:
    """A few pieces repeated into one line of ``most // 10`` to ``most`` characters."""
    units = st.lists(piece, min_size=1, max_size=4).map(lambda parts: "".join(parts) + " ")
    return st.builds(lambda unit, n: (unit * n)[:n], units, st.integers(most // 10, most))


medium_text = st.one_of(st.text(alphabet=characters), joined)
any_text = st.one_of(medium_text, joined, long_lines(20_000))
page_text = st.one_of(medium_text, joined, long_lines(4_000))  # for tests that render or store several
short_text = st.one_of(st.text(alphabet=characters, max_size=30), st.lists(piece, max_size=6).map("".join))
slug = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def title_of(text: str) -> str:
    return normalize_text(text) or "Untitled"


# ---------------------------------------------------------------- (a) readers and normalization


@EXAMPLES
@given(any_text)
@example("\\\\'")  # "\\" -> "\" exposed a new accent on a second pass (normalize was not idempotent)
@example("\\$a$\\'e$")  # an unescaped "$" re-paired the math on a second pass
@example(("_e_0\\'e$5 and $10 " * 600)[:9289])  # a chunk cut inside $...$ paired the dollars anew
def test_normalize_text_is_total_and_idempotent(text: str) -> None:
    out = normalize_text(text)
    assert normalize_text(out) == out
    assert out == out.strip() and "  " not in out and "\n" not in out
    assert not _CONTROL_RE.search(out)
    assert unicodedata.is_normalized("NFC", out)


def test_normalize_text_keeps_clock_and_citation_macros() -> None:
    """pylatexenc turns \\today into the date of the run and \\cite{k} into "<cit.>": both kept as written."""
    for text in ("Results as of \\today", "as in \\cite{smith2020} and \\ref{fig:1}", "\\citep{a,b}"):
        assert normalize_text(text) == text


def _assert_normalized(entries) -> None:
    for entry in entries:
        for text in (entry.title, entry.abstract):
            if text is not None:
                assert normalize_text(text) == text


@EXAMPLES
@given(any_text)
def test_readers_never_crash_and_emit_normalized_text(text: str) -> None:
    for parser, label in ((parse_listing, "x.txt"), (parse_abstracts, "x.txt"), (parse_bibtex, "x.bib")):
        _assert_normalized(parser(text, label).entries)
    for label in ("x.yaml", "x.json"):
        try:
            _assert_normalized(parse_yaml_list(text, label).entries)
        except ReadingListError as exc:  # documented: a file that is not a YAML/JSON list is refused
            assert exc.path == label


@EXAMPLES
@given(medium_text, medium_text, st.lists(short_text, max_size=3), short_text)
def test_yaml_and_json_dumps_round_trip_any_text(
    title: str, abstract: str, authors: list[str], junk: str
) -> None:
    record = {"title": title, "abstract": abstract, "authors": authors, "year": junk, "url": junk}
    for label, text in (
        ("x.yaml", yaml.safe_dump([record], allow_unicode=True)),
        ("x.json", json.dumps([record], ensure_ascii=False)),
    ):
        result = parse_yaml_list(text, label)
        if not normalize_text(title) and not normalize_text(abstract):
            assert result.entries == []
            continue
        (entry,) = result.entries
        assert (entry.title or "", entry.abstract) == (normalize_text(title), normalize_text(abstract))
        fields = dict(entry.fields)
        assert fields.get("authors", ()) == tuple(n for n in map(normalize_text, authors) if n)
        assert "url" not in fields  # never a valid http(s) URL here: dropped with a warning
        assert isinstance(fields.get("year", 0), int)


@EXAMPLES
@given(any_text)
def test_abstract_blocks_round_trip_any_single_line(abstract: str) -> None:
    line = abstract.replace("\n", " ").replace("\r", " ")
    result = parse_abstracts(f"Abstract: {line}\n", "x.txt")
    expected = normalize_text(line)
    assert [e.abstract for e in result.entries] == ([expected] if expected else [])


@EXAMPLES
@given(any_text, any_text)
def test_bibtex_shaped_input_never_crashes(title: str, abstract: str) -> None:
    text = f"@article{{key,\n  title = {{{title}}},\n  abstract = {{{abstract}}},\n  url = {{{title}}}\n}}\n"
    result = parse_bibtex(text, "x.bib")
    _assert_normalized(result.entries)
    for entry in result.entries:
        assert "url" not in dict(entry.fields) or dict(entry.fields)["url"].startswith(
            ("http://", "https://")
        )


@EXAMPLES
@given(
    st.one_of(st.binary(max_size=4000), any_text.map(lambda t: t.encode("utf-8", "surrogatepass"))),
    st.sampled_from(["dump.txt", "dump.bib", "dump.yaml", "dump.json", "dump"]),
)
def test_parse_file_takes_any_bytes(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            result = parse_file(path, name)
        except ReadingListError as exc:  # empty, binary or not a YAML list: refused with the file named
            assert exc.path == name
            return
        _assert_normalized(result.entries)


# ---------------------------------------------------------------- (b) the store


@st.composite
def stored_papers(draw) -> list[Paper]:
    ids = draw(st.lists(slug, min_size=1, max_size=3, unique=True))
    papers = []
    for number, pid in enumerate(ids):
        papers.append(
            Paper(
                id=pid,
                title=title_of(draw(page_text)),
                abstract=normalize_text(draw(page_text)),
                added=draw(st.dates().map(lambda d: d.isoformat()).filter(lambda s: len(s) == 10)),
                sources=tuple(
                    Source(
                        draw(short_text) or "raw/x.txt",
                        draw(st.integers(0, 10**6)),
                        tuple(draw(st.lists(short_text, max_size=2))),
                    )
                    for _ in range(draw(st.integers(0, 2)))
                ),
                needs_title=draw(st.booleans()),
                listed=draw(st.none() | short_text.filter(bool)),
                authors=tuple(draw(st.lists(short_text, max_size=3))),
                year=draw(st.none() | st.integers(0, 9999)),
                url=draw(
                    st.none() | st.sampled_from(["https://example.org/a?b=1&c=2#x", "http://x.test/(a)[b]"])
                ),
                doi=draw(st.none() | st.just("10.1234/abc(1)[2]_x")),
                arxiv=draw(st.none() | st.just("2301.01234v2")),
                notes=draw(st.none() | page_text.filter(bool)),
                topics=tuple(draw(st.lists(slug, max_size=2))),
                tags=tuple(draw(st.lists(slug, max_size=2))),
                hidden=draw(st.booleans()),
                aliases=tuple(f"old-{number}-{a}" for a in draw(st.lists(slug, max_size=2, unique=True))),
            )
        )
    return papers


@EXAMPLES
@given(stored_papers())
@example([Paper("0", "Untitled", "", "2000-01-01", authors=("A\n",))])  # "$" matched before the "\n"
@example([Paper("1984", "Yes", "", "2000-01-01", authors=("Smith, J.",))])  # int id; comma in a flow list
def test_store_round_trips_every_paper(papers: list[Paper]) -> None:
    text = dump_papers(papers)
    loaded, problems = parse_store(text, "data/papers.yaml")
    assert problems == []
    assert [dataclasses.replace(p, line=None) for p in loaded] == papers
    assert dump_papers(loaded) == text  # same papers, same bytes


# ---------------------------------------------------------------- (c) rendering


def _markdown() -> markdown.Markdown:
    """Python-Markdown with exactly the extensions (and their options) that mkdocs.yml lists."""
    config = load_mkdocs_yml(REPO / "mkdocs.yml")
    names, options = [], {}
    for item in config["markdown_extensions"]:
        name, option = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        options[name] = option or {}
    return markdown.Markdown(extensions=names, extension_configs=options)


MD = _markdown()
ENV = make_environment()
TAXONOMY = Taxonomy(
    topics=(Topic("t", "Topic T", "About T.", rules=(Rule("x"),)),), tags=(TagDef("g", "Tag G"),)
)
ENRICHED = Enriched(
    assignments={"p": Assignment(("t",), ("g",)), "q": Assignment(("t",), ())},
    related={"p": (Link("q", 0.5, ("alpha",)),), "q": (Link("p", 0.5, ("alpha",)),)},
)
NEIGHBOUR = Paper("q", "Benign neighbour", "A plain abstract.", "2024-01-01")


def render_html(paper: Paper) -> dict[str, str]:
    """Every page of a two-paper site (``paper`` and a plain neighbour) as the HTML Python-Markdown makes
    (feeds and .bib files as they are)."""
    site = render_site([paper, NEIGHBOUR], TAXONOMY, ENRICHED, Settings(), ENV)
    pages = {}
    for path, text in site.pages.items():
        if path.endswith(".md"):
            body, _ = get_data(text)
            MD.reset()
            text = MD.convert(body)
        pages[path] = text
    return pages


@functools.lru_cache(maxsize=64)
def _plain_twin(abstract: bool, authors: bool, notes: bool, listed: bool, needs_title: bool) -> dict:
    """The skeleton of each page when the paper's texts are plain words (same fields present)."""
    paper = Paper(
        "p",
        "Plain title",
        "Plain abstract." if abstract else "",
        "2024-01-02",
        authors=("Author",) if authors else (),
        notes="A note." if notes else None,
        listed="Mar 1" if listed else None,
        needs_title=needs_title,
    )
    pages = render_html(paper)
    return {path: skeleton(parse_html(html)) for path, html in pages.items() if path.endswith(".md")}


@st.composite
def rendered_papers(draw) -> Paper:
    return Paper(
        id="p",
        title=title_of(draw(page_text)),
        abstract=normalize_text(draw(page_text)),
        added="2024-01-02",
        authors=tuple(draw(st.lists(short_text, max_size=2))),
        notes=draw(st.none() | page_text.filter(bool)),
        listed=draw(st.none() | short_text.filter(bool)),
        needs_title=draw(st.booleans()),
    )


@EXAMPLES
@given(rendered_papers())
@example(Paper("p", "$0$", "0", "2024-01-02"))  # a heading that starts with math
@example(Paper("p", "x", "y", "2024-01-02", authors=("\x02wzxhzdk:0\x03",)))  # a Markdown stash placeholder
@example(Paper("p", "x", "y", "2024-01-02", listed="x\t\x1b"))  # a tab left at the end of a line made a <br>
def test_rendered_text_is_exactly_the_stored_text(paper: Paper) -> None:
    pages = render_html(paper)
    authors, notes = without_controls(short_authors(paper.authors)), without_controls(paper.notes or "")
    twin = _plain_twin(
        bool(paper.abstract), bool(collapse(authors)), bool(notes), bool(paper.listed), paper.needs_title
    )
    heading, entry = paper_entry(parse_html(pages["topics/t/index.md"]), "p")
    assert visible_text(heading) == paper.title
    (abstract,) = [n for n in entry if "rl-abstract" in n.classes]
    assert visible_text(abstract) == (paper.abstract or "No abstract recorded.")
    shown_notes = [collapse(visible_text(n)) for n in entry if "rl-notes" in n.classes]
    assert shown_notes == ([collapse(notes)] if notes else [])
    (meta,) = [n for n in entry if "rl-meta" in n.classes]
    assert collapse(visible_text(meta)).startswith(collapse(authors))
    tooltips = [n.attrs.get("title", "") for n in meta.walk() if "rl-authors" in n.classes]
    full = collapse(without_controls(", ".join(paper.authors)))
    assert [collapse(t) for t in tooltips] == ([full] if collapse(authors) else []), tooltips
    links = 0
    for path, html in pages.items():
        if path.endswith(".xml"):
            assert_feed_titles(html, paper)
        if not path.endswith(".md"):
            continue
        root = parse_html(html)
        for link in links_to(root, "p"):  # home page, tag page, the neighbour's related list
            assert visible_text(link) == paper.title, path
            links += 1
        assert_math_is_mathml(root)
        assert skeleton(root) == twin[path], f"{path}: elements or attributes differ from the plain twin"
    assert links >= 3


def assert_feed_titles(xml: str, paper: Paper) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for entry in ET.fromstring(xml.encode("utf-8")).findall("a:entry", ns):
        if entry.findtext("a:id", namespaces=ns).endswith(":p"):
            assert entry.findtext("a:title", namespaces=ns) == paper.title


def collapse(text: str) -> str:
    return " ".join(text.split())


def without_controls(text: str) -> str:
    """Curator text as pages show it: control characters (Markdown's placeholder syntax) dropped, or
    spaces where they are whitespace (form feed, NEL)."""
    return re.sub(
        r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]",
        lambda m: " " if m.group(0).isspace() else "",
        text,
    )


# ---------------------------------------------------------------- HTML helpers (also used by test_hostile)

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
    "circle",
    "rect",
    "path",
    "line",
    "polyline",
    "polygon",
    "ellipse",
    "use",
    "stop",
}
# Attributes whose value depends on the text's words (map coordinates), not on markup.
GEOMETRY = {
    "cx",
    "cy",
    "r",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "width",
    "height",
    "d",
    "points",
    "transform",
    "viewbox",
    "dy",
    "text-anchor",
}


class Node:
    """An element of a parsed page: tag, attributes, children (nodes and text)."""

    def __init__(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tag = tag
        self.attrs = {name: value or "" for name, value in attrs}
        self.children: list[Node | str] = []

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find(self, tag: str) -> Node | None:
        return next((n for n in self.walk() if n.tag == tag and n is not self), None)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [])
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs) -> None:
        node = Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.stack[-1].children.append(Node(tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        self.stack[-1].children.append(Node("#comment", [("text", data)]))


def parse_html(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _is_math(node: Node) -> bool:
    """A MathML formula, or the attribute-less span that keeps a formula at the start of a line inline."""
    if node.tag == "math":
        return True
    kids = [c for c in node.children if not (isinstance(c, str) and not c.strip())]
    return (
        node.tag == "span"
        and not node.attrs
        and len(kids) == 1
        and isinstance(kids[0], Node)
        and kids[0].tag == "math"
    )


def visible_text(node: Node) -> str:
    """What a reader sees as text: formulas count as their TeX source, permalink anchors are left out."""
    out = []
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
        elif _is_math(child):
            annotation = next(n for n in child.walk() if n.tag == "annotation")
            out.append(visible_text(annotation))
        elif "headerlink" not in child.classes and child.tag != "#comment":
            out.append(visible_text(child))
    return "".join(out)


def skeleton(node: Node) -> list:
    """The page's markup without its text: elements with their attributes, leaving out formulas, and the
    inside of highlighted code (Pygments spans, which follow the words) as one token."""
    out: list = []
    for child in node.children:
        if not isinstance(child, Node):
            continue
        if _is_math(child):  # checked by assert_math_is_mathml; the text check covers its source
            continue
        # a tooltip (title=) is text, compared with the stored text by the caller
        attrs = tuple(sorted((k, "" if k in GEOMETRY or k == "title" else v) for k, v in child.attrs.items()))
        out.append((child.tag, attrs))
        if child.tag == "code" and all(n.tag == "span" for n in child.walk() if n is not child):
            out.append("code")
        else:
            out.extend(skeleton(child))
        out.append("/")
    return out


def paper_entry(root: Node, paper_id: str) -> tuple[Node, list[Node]]:
    """A paper's ``<h2 id=...>`` and the elements after it up to the next heading (its entry)."""
    for parent in root.walk():
        kids = [c for c in parent.children if isinstance(c, Node)]
        for index, node in enumerate(kids):
            if node.tag == "h2" and node.attrs.get("id") == paper_id:
                rest = kids[index + 1 :]
                end = next((i for i, n in enumerate(rest) if n.tag in ("h1", "h2")), len(rest))
                return node, rest[:end]
    raise AssertionError(f"no <h2 id={paper_id!r}>")


def links_to(root: Node, paper_id: str) -> list[Node]:
    """Links whose target is the paper's entry (``...#id``), except permalinks and map dots."""
    return [
        n
        for n in root.walk()
        if n.tag == "a"
        and n.attrs.get("href", "").endswith(f"#{paper_id}")
        and "headerlink" not in n.classes
        and "data-paper" not in n.attrs
    ]


def assert_math_is_mathml(root: Node) -> None:
    """Every formula is MathML from the allowlist, carrying its TeX source as annotation."""
    for node in root.walk():
        if node.tag != "math":
            continue
        for inner in node.walk():
            assert inner.tag in _MATH_TAGS, inner.tag
            assert set(inner.attrs) <= _MATH_ATTRS, inner.attrs
        annotation = node.find("annotation")
        assert annotation is not None and annotation.attrs.get("encoding") == "application/x-tex"
