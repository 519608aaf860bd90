"""Hostile input end to end: the corpus in tests/fixtures/hostile/ goes through the real CLI and the real
strict build of every engine (MkDocs with the hook, ProperDocs and Zensical on the written pages), and
every character of every title and abstract shows as text.

The corpus: a store (papers.yaml) whose titles and abstracts hold script and img/onerror tags,
javascript:/data: links, attribute lists, snippet includes, Jinja, Material listing markers, unbalanced
math and backticks, entities, bidi overrides and astral characters; and raw dumps in every format
(listing with a NUL byte, abstracts, BibTeX, YAML with a python/object tag, JSON with control
characters and a lone surrogate, a listing with a 100 KB abstract). Every payload names "evil" or
"alert", so any attribute or element that carries one was injected.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import bibtexparser
import pytest
from conftest import FIXTURES, make_project, run_cli
from engines import ENGINES, build_with, search_docs
from test_properties import Node, collapse, links_to, paper_entry, parse_html, visible_text, without_controls

from generator.build.pipeline import build_site
from generator.core.model import Paper
from generator.core.project import Project
from generator.site.authors import short_authors
from generator.sources.normalize import normalize_text
from generator.store import load_store

HOSTILE = FIXTURES / "hostile"
MARKERS = ("evil", "alert")
STORE_RECORDS = 15  # records in tests/fixtures/hostile/papers.yaml
RAW_PAPERS = 10  # papers the raw dumps hold (the python/object and !!binary items are skipped)
UNSAFE_SCHEMES = re.compile(r"^(?:javascript|vbscript|data|file):", re.IGNORECASE)
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}
BANNED_IN_ARTICLE = {
    "script",
    "iframe",
    "object",
    "embed",
    "form",
    "input",
    "img",
    "frame",
    "base",
    "meta",
    "link",
    "textarea",
    "button",
}


@dataclass
class Hostile:
    project: Path
    site: Path
    ingest_output: str
    check_output: str
    papers: list[Paper]
    locations: dict[str, str]

    def html(self, page: str) -> Path:
        """The HTML file MkDocs wrote for a docs-relative .md page (directory URLs)."""
        stem = page[: -len(".md")]
        return self.site / ("index.html" if stem == "index" else f"{stem.removesuffix('/index')}/index.html")


@pytest.fixture(scope="module", params=ENGINES)
def hostile(request: pytest.FixtureRequest, tmp_path_factory) -> Hostile:
    engine = request.param
    project = make_project(
        tmp_path_factory.mktemp(f"hostile-{engine}"),
        store_text=(HOSTILE / "papers.yaml").read_text(encoding="utf-8"),
    )
    shutil.copytree(HOSTILE / "raw", project / "data" / "raw")
    ingest = run_cli("ingest", "data/raw", cwd=project, env={"READINGLIST_TODAY": "2024-06-01"}, check=True)
    check = run_cli("check", cwd=project, check=True)
    build_with(engine, project)
    papers, problems = load_store(project / "data" / "papers.yaml")
    assert [p for p in problems if p.severity == "error"] == []
    site = build_site(Project(project))
    return Hostile(
        project,
        project / "site",
        ingest.stdout + ingest.stderr,
        check.stdout + check.stderr,
        papers,
        site.locations,
    )


@pytest.fixture(scope="module")
def pages(hostile: Hostile) -> dict[Path, Node]:
    return {path: parse_html(path.read_text(encoding="utf-8")) for path in hostile.site.rglob("*.html")}


def test_corpus_is_ingested_with_warnings_not_errors(hostile: Hostile) -> None:
    assert b"\x00" in (HOSTILE / "raw" / "listing.txt").read_bytes()
    assert len((HOSTILE / "raw" / "long.txt").read_text(encoding="utf-8").split("\n")[1]) == 100_000
    assert len(hostile.papers) == STORE_RECORDS + RAW_PAPERS
    warnings = (
        "raw/listing.txt:6: NUL bytes removed",
        "url \"javascript:alert('evil')\" is not",
        "url 'data:text/html,evil'",
        "url 'file:///etc/passwd'",
        "python/object/apply:os.system",
        "raw/papers.json:2: control characters removed",
        "tag:yaml.org,2002:binary not allowed",
    )
    for warning in warnings:
        assert warning in hostile.ingest_output
    assert "0 error(s)" in hostile.check_output
    by_title = {p.title: p for p in hostile.papers}
    assert "NullByte Title with a NUL" in by_title
    assert all(p.url is None or p.url.startswith("https://") for p in hostile.papers)
    (long,) = [p for p in hostile.papers if p.title == "A Paper With a 100 KB Abstract"]
    assert len(long.abstract) > 99_000


def test_stored_text_is_normalized(hostile: Hostile) -> None:
    for paper in hostile.papers:
        assert normalize_text(paper.title) == paper.title
        assert normalize_text(paper.abstract) == paper.abstract
        assert "\x00" not in paper.title and "\udc00" not in paper.abstract


def test_every_title_and_abstract_shows_exactly_as_stored(hostile: Hostile, pages: dict[Path, Node]) -> None:
    for paper in hostile.papers:
        heading, entry = paper_entry(pages[hostile.html(hostile.locations[paper.id])], paper.id)
        assert visible_text(heading) == paper.title, paper.id
        (abstract,) = [n for n in entry if "rl-abstract" in n.classes]
        assert visible_text(abstract) == (paper.abstract or "No abstract recorded."), paper.id


def test_curator_fields_show_as_text(hostile: Hostile, pages: dict[Path, Node]) -> None:
    (paper,) = [p for p in hostile.papers if p.id == "curated-fields"]
    _, entry = paper_entry(pages[hostile.html(hostile.locations[paper.id])], paper.id)
    (notes,) = [n for n in entry if "rl-notes" in n.classes]
    assert collapse(visible_text(notes)) == collapse(without_controls(paper.notes))
    (meta,) = [n for n in entry if "rl-meta" in n.classes]
    assert collapse(visible_text(meta)).startswith(collapse(without_controls(short_authors(paper.authors))))
    hrefs = [n.attrs["href"] for n in meta.walk() if n.tag == "a"]
    assert paper.url in hrefs and f"https://doi.org/{paper.doi}" in hrefs


def test_every_link_to_a_paper_shows_its_title(hostile: Hostile, pages: dict[Path, Node]) -> None:
    checked = 0
    toc_math_titles = 0  # a title with formulas is labelled with its text in the TOC (data-toc-label)
    for root in pages.values():
        for paper in hostile.papers:
            for link in links_to(root, paper.id):
                if "md-nav__link" in link.classes:  # the table of contents: Material's own markup
                    assert all(n.tag == "span" for n in link.walk() if n is not link)
                    assert collapse(visible_text(link)) == collapse(paper.title), paper.id
                    toc_math_titles += "\\sum" in paper.title
                else:
                    assert visible_text(link) == paper.title, paper.id
                checked += 1
            for dot in (n for n in root.walk() if n.attrs.get("data-paper") == paper.id):
                assert visible_text(dot.find("title")) == paper.title
                checked += 1
    assert checked > 3 * len(hostile.papers)
    assert toc_math_titles >= 1


def _without(value: str, known: list[str]) -> str:
    for text in known:
        value = value.replace(text, "")
    return value


def _tooltip(paper) -> str:
    return " ".join(without_controls(", ".join(paper.authors)).split())


def _known(hostile: Hostile) -> list[str]:
    """Paper ids (made from hostile titles), the curator's validated links and the full author list (an
    escaped tooltip on the shortened byline): these may name a marker."""
    values = (t for p in hostile.papers for t in (p.id, *p.aliases, p.url, p.doi, _tooltip(p)) if t)
    return sorted(set(values), key=len)[::-1]


def assert_nothing_injected(content: Node, known: list[str], where: object) -> None:
    """No dangerous element, and no attribute carrying a payload marker, inside ``content``."""
    for node in content.walk():
        assert node.tag not in BANNED_IN_ARTICLE, (where, node.tag)
        attrs = " ".join(f"{k}={v}" for k, v in node.attrs.items())
        assert not any(m in _without(attrs, known).lower() for m in MARKERS), (where, node.tag, attrs)
        assert not any(m in node.tag for m in MARKERS), (where, node.tag)


def test_no_element_or_attribute_was_injected(hostile: Hostile, pages: dict[Path, Node]) -> None:
    known = _known(hostile)
    for path, root in pages.items():
        for node in root.walk():
            for name, value in node.attrs.items():
                assert not name.startswith("on"), (path, node.tag, name)
                if name in URL_ATTRS:
                    assert not UNSAFE_SCHEMES.match(re.sub(r"[\s\x00-\x1f]", "", value)), (path, value)
        if path.parent.name == "search" and path.parent.parent == hostile.site:
            continue  # the paper search page: our own form and buttons, no stored text
        for article in (n for n in root.walk() if n.tag == "article"):
            assert_nothing_injected(article, known, path)


def test_no_file_contents_are_included(hostile: Hostile) -> None:
    store_header = "readinglist paper store"
    for path in hostile.site.rglob("*"):
        if path.suffix in (".html", ".xml", ".bib", ".json"):
            text = path.read_text(encoding="utf-8")
            assert "root:x:0:0" not in text and "markdown_extensions" not in text and store_header not in text


def test_feeds_and_bibtex_stay_well_formed(hostile: Hostile) -> None:
    titles = {p.id: p.title for p in hostile.papers}
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feeds = sorted((hostile.site / "feeds").rglob("*.xml"))
    assert feeds
    for feed in feeds:
        for entry in ET.parse(feed).getroot().findall("a:entry", ns):
            paper_id = entry.findtext("a:id", namespaces=ns).rsplit(":", 1)[1]
            assert entry.findtext("a:title", namespaces=ns) == titles[paper_id]
    library = bibtexparser.parse_string((hostile.site / "bib" / "all.bib").read_text(encoding="utf-8"))
    assert library.failed_blocks == []
    assert len(library.entries) == len(hostile.papers)


def test_search_index_holds_the_text_as_escaped_html(hostile: Hostile) -> None:
    """The search box shows titles and snippets from the index as HTML: they must be inert there too."""
    index = search_docs(hostile.site)
    known = _known(hostile)
    for doc in index:
        assert_nothing_injected(parse_html(doc.title), known, doc.location)
        assert_nothing_injected(parse_html(doc.text), known, doc.location)
    titles = {doc.location.rsplit("#", 1)[-1]: visible_text(parse_html(doc.title)) for doc in index}
    plain = [p for p in hostile.papers if "$" not in p.title]  # formulas are indexed as their MathML text
    assert [titles.get(p.id) for p in plain] == [p.title for p in plain]
