"""Acceptance tests of the built site: the real strict build of every engine (MkDocs with the hook,
ProperDocs and Zensical on the pages `python -m generator build` writes), read back as HTML.

The seed site (data/papers.yaml, 422 papers) is compared with `python -m generator export`: every paper
has exactly one full entry, every link and anchor resolves, tag/topic/home listings match the derived data,
the search index holds every title, and abstracts show exactly the stored text. A second, hostile project
checks that titles and abstracts are always shown as text and never act as markup, templates or code.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from conftest import REPO, load_mkdocs_yml, make_project, run_cli
from engines import ENGINES, build_with, search_docs

from generator.sources.normalize import split_math
from generator.taxonomy.load import load_taxonomy

UNSORTED = "unsorted"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_WS = re.compile(r"\s+")


# ---------------------------------------------------------------- a tiny DOM over html.parser


@dataclass(eq=False)
class Node:
    tag: str
    attrs: list[tuple[str, str]] = field(default_factory=list)
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = None

    def get(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.attrs:
            if key == name:
                return value
        return default

    @property
    def classes(self) -> set[str]:
        return set((self.get("class") or "").split())

    def elements(self) -> Iterator[Node]:
        """Every descendant element, in document order."""
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.elements()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [
            e for e in self.elements() if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)
        ]

    def find(self, tag: str | None = None, cls: str | None = None) -> Node | None:
        return next(iter(self.find_all(tag, cls)), None)

    def element_siblings_after(self) -> list[Node]:
        assert self.parent is not None
        siblings = [c for c in self.parent.children if isinstance(c, Node)]
        return siblings[siblings.index(self) + 1 :]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, [(k, v or "") for k, v in attrs], [], self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, [(k, v or "") for k, v in attrs], [], self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def visible_text(node: Node | str) -> str:
    """The text a reader sees; a <math> element counts as its LaTeX source (its TeX annotation)."""
    if isinstance(node, str):
        return node
    if node.tag in ("script", "style"):
        return ""
    if "headerlink" in node.classes:
        return ""
    if node.tag == "math":
        annotation = next(
            (e for e in node.find_all("annotation") if e.get("encoding") == "application/x-tex"), None
        )
        assert annotation is not None, "MathML without its TeX annotation"
        return visible_text(annotation)
    return "".join(visible_text(c) for c in node.children)


def collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


# ---------------------------------------------------------------- a built site, indexed


@dataclass(frozen=True)
class Entry:
    page: str  # site-relative HTML file holding the full entry
    heading: Node
    section: list[Node]  # elements after the heading, up to the next heading


class BuiltSite:
    """Every HTML file of a built site, parsed, with link resolution and ids per file."""

    def __init__(self, root: Path, base_path: str) -> None:
        self.root = root
        self.base_path = base_path  # URL path of the site root, e.g. "/readinglist/"
        self.raw = {
            p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*.html"))
        }
        self.pages = {rel: parse_html(text) for rel, text in self.raw.items()}
        self.ids = {
            rel: {e.get("id") for e in doc.elements() if e.get("id")} for rel, doc in self.pages.items()
        }

    def article(self, rel: str) -> Node:
        article = self.pages[rel].find("article", "md-content__inner")
        assert article is not None, f"{rel}: no content article"
        return article

    def resolve(self, page: str, href: str) -> tuple[str, str] | None:
        """(site-relative file, fragment) an internal href points at, or None for an external URL."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None
        path = unquote(parts.path)
        if not path:
            return page, unquote(parts.fragment)
        if path.startswith("/"):
            assert path.startswith(self.base_path), f"{page}: absolute link {href!r} outside the site"
            target = posixpath.normpath(path[len(self.base_path) :] or ".")
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        assert target != ".." and not target.startswith("../"), f"{page}: {href!r} leaves the site"
        if target == ".":
            target = "index.html"
        elif path.endswith("/") or (self.root / target).is_dir():
            target = f"{target}/index.html"
        return target, unquote(parts.fragment)

    def entries(self, paper_ids: set[str]) -> dict[str, list[Entry]]:
        """Full paper entries: an <h2> with a paper id, followed (before the next heading) by its abstract."""
        found: dict[str, list[Entry]] = defaultdict(list)
        for rel, doc in self.pages.items():
            for h2 in doc.find_all("h2"):
                if h2.get("id") not in paper_ids:
                    continue
                section = []
                for sibling in h2.element_siblings_after():
                    if sibling.tag in ("h1", "h2"):
                        break
                    section.append(sibling)
                if any(e.tag == "div" and "rl-abstract" in e.classes for e in section):
                    found[h2.get("id")].append(Entry(rel, h2, section))
        return found


def section_part(entry: Entry, tag: str, cls: str) -> Node | None:
    return next((e for e in entry.section if e.tag == tag and cls in e.classes), None)


def base_path_of(project: Path) -> str:
    path = urlsplit(load_mkdocs_yml(project / "mkdocs.yml").get("site_url") or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def export_records(project: Path) -> list[dict]:
    result = run_cli("export", cwd=project, check=True)
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def topic_pages(site: BuiltSite, topic_id: str) -> list[str]:
    """The HTML files of a topic (split pages included), in page order."""
    stem = UNSORTED if topic_id == UNSORTED else f"topics/{topic_id}"
    pages = [f"{stem}/index.html"]
    number = 2
    while f"{stem}-{number}/index.html" in site.pages:
        pages.append(f"{stem}-{number}/index.html")
        number += 1
    assert pages[0] in site.pages, f"missing page {pages[0]}"
    return pages


# ---------------------------------------------------------------- the seed site


@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Every test of a built site runs once per engine."""
    return request.param


@pytest.fixture(scope="module")
def engine_site(engine: str, seed_site: Path, tmp_path_factory) -> Path:
    """The seed site as ``engine`` builds it (MkDocs: the session's seed build)."""
    if engine == "mkdocs":
        return seed_site
    project = make_project(
        tmp_path_factory.mktemp(f"seed-{engine}"),
        store_text=(REPO / "data" / "papers.yaml").read_text(encoding="utf-8"),
    )
    build_with(engine, project)
    return project / "site"


@pytest.fixture(scope="module")
def site(engine_site: Path) -> BuiltSite:
    return BuiltSite(engine_site, base_path_of(engine_site.parent))


@pytest.fixture(scope="module")
def records(seed_site: Path) -> list[dict]:
    return export_records(seed_site.parent)


@pytest.fixture(scope="module")
def visible(records: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in records if not r["hidden"]}


@pytest.fixture(scope="module")
def entries(site: BuiltSite, records: list[dict]) -> dict[str, Entry]:
    found = site.entries({r["id"] for r in records})
    return {pid: hits[0] for pid, hits in found.items() if len(hits) == 1}


@pytest.fixture(scope="module")
def taxonomy(seed_site: Path):
    data = seed_site.parent / "data"
    return load_taxonomy(data / "topics.yaml", data / "tags.yaml")


def test_the_seed_store_is_what_the_site_was_built_from(
    records: list[dict], visible: dict[str, dict]
) -> None:
    stored = yaml.safe_load((REPO / "data" / "papers.yaml").read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == [r["id"] for r in stored]
    assert len(visible) == 422


def test_every_visible_paper_has_exactly_one_full_entry(
    site: BuiltSite, records: list[dict], visible: dict[str, dict]
) -> None:
    found = site.entries({r["id"] for r in records})
    counts = {pid: len(hits) for pid, hits in found.items()}
    assert {pid for pid, n in counts.items() if n > 1} == set(), "papers with several full entries"
    assert set(counts) == set(visible), "full entries differ from the visible papers"
    hidden = {r["id"] for r in records if r["hidden"]}
    assert not any(pid in site.ids[rel] for rel in site.pages for pid in hidden)


def test_every_internal_link_and_anchor_resolves(site: BuiltSite) -> None:
    broken: list[str] = []
    checked = 0
    for rel, doc in site.pages.items():
        for element in doc.elements():
            for attr in ("href", "src"):
                value = element.get(attr)
                if value is None or (element.tag == "link" and element.get("rel") == "canonical"):
                    continue
                try:
                    target = site.resolve(rel, value)
                except AssertionError as exc:  # a link that leaves the site
                    broken.append(str(exc).split("\n")[0])
                    continue
                if target is None:
                    continue
                checked += 1
                path, fragment = target
                if not (site.root / path).is_file():
                    broken.append(f"{rel}: {attr}={value!r} -> missing file {path}")
                elif fragment and (path not in site.ids or fragment not in site.ids[path]):
                    broken.append(f"{rel}: {attr}={value!r} -> no id {fragment!r} in {path}")
    assert checked > 5000  # sanity: the checker really looked at the site's links
    assert broken == []


def test_link_checker_catches_broken_links(site: BuiltSite, entries: dict[str, Entry]) -> None:
    # The resolver must map what exists and reject what does not, or the test above proves nothing.
    pid, entry = next(iter(sorted(entries.items())))
    page_dir = posixpath.dirname(entry.page)
    assert site.resolve(entry.page, f"#{pid}") == (entry.page, pid)
    assert site.resolve("index.html", f"{page_dir}/#{pid}") == (entry.page, pid)
    assert site.resolve("index.html", "https://example.org/x") is None
    assert not (site.root / site.resolve("index.html", "topics/no-such-topic/")[0]).exists()
    assert "no-such-anchor" not in site.ids[entry.page]


def test_every_abstract_shows_exactly_the_stored_text(
    visible: dict[str, dict], entries: dict[str, Entry]
) -> None:
    assert set(entries) == set(visible)
    wrong = {}
    math_seen = 0
    for pid, record in visible.items():
        div = section_part(entries[pid], "div", "rl-abstract")
        if not record["abstract"]:
            assert "rl-empty" in div.classes
            continue
        math_seen += len(div.find_all("math"))
        if collapse(visible_text(div)) != collapse(record["abstract"]):
            wrong[pid] = (collapse(visible_text(div))[:200], collapse(record["abstract"])[:200])
    assert wrong == {}
    assert math_seen >= 1  # the seeds hold inline math: it must be MathML, yet read back as its source


def test_every_heading_shows_the_stored_title(visible: dict[str, dict], entries: dict[str, Entry]) -> None:
    wrong = {
        pid: visible_text(e.heading)
        for pid, e in entries.items()
        if collapse(visible_text(e.heading)) != collapse(visible[pid]["title"])
    }
    assert wrong == {}


def test_related_links_land_on_the_full_entry(
    site: BuiltSite, visible: dict[str, dict], entries: dict[str, Entry]
) -> None:
    with_links = 0
    for pid, record in visible.items():
        entry = entries[pid]
        block = section_part(entry, "div", "rl-related")
        expected = [t for t in record["related"] if t in visible]
        if not expected:
            assert block is None, f"{pid}: related block without related papers"
            continue
        with_links += 1
        assert block is not None, f"{pid}: related papers missing"
        links = block.find_all("a")
        assert [site.resolve(entry.page, a.get("href")) for a in links] == [
            (entries[t].page, t) for t in expected
        ], pid
        assert [collapse(visible_text(a)) for a in links] == [collapse(visible[t]["title"]) for t in expected]
    assert with_links > len(visible) // 4  # related lists are sparse: strong evidence only


def test_topic_pages_list_exactly_their_papers(
    site: BuiltSite, visible: dict[str, dict], entries: dict[str, Entry], taxonomy
) -> None:
    topic_ids = [t.id for t in taxonomy.topics]
    members: dict[str, set[str]] = defaultdict(set)
    primary: dict[str, set[str]] = defaultdict(set)
    for pid, record in visible.items():
        topics = record["topics"] or [UNSORTED]
        assert set(topics) <= {*topic_ids, UNSORTED}
        primary[topics[0]].add(pid)
        for t in topics:
            members[t].add(pid)
    for topic_id in [*topic_ids, UNSORTED]:
        pages = topic_pages(site, topic_id)
        full = {pid for pid, e in entries.items() if e.page in pages}
        assert full == primary[topic_id], topic_id
        also: set[str] = set()
        first = site.pages[pages[0]]
        heading = next((h for h in first.find_all("h2") if h.get("id") == "also-in-this-topic"), None)
        if heading is not None:
            listing = next(e for e in heading.element_siblings_after() if e.tag == "ul")
            for a in listing.find_all("a"):
                target, fragment = site.resolve(pages[0], a.get("href"))
                assert (target, fragment) == (entries[fragment].page, fragment)
                also.add(fragment)
        assert not (also & full), topic_id
        assert full | also == members[topic_id], topic_id


def test_also_in_names_every_other_topic_of_a_paper(
    site: BuiltSite, visible: dict[str, dict], entries: dict[str, Entry]
) -> None:
    for pid, record in visible.items():
        entry = entries[pid]
        meta = section_part(entry, "p", "rl-meta")
        assert meta is not None
        topic_links = [site.resolve(entry.page, a.get("href")) for a in meta.find_all("a")]
        topic_links = [t for t in topic_links if t[0].startswith("topics/")]
        assert topic_links == [(f"topics/{t}/index.html", "") for t in record["topics"][1:]], pid


def test_tag_pages_list_exactly_the_tagged_papers(
    site: BuiltSite, visible: dict[str, dict], entries: dict[str, Entry], taxonomy
) -> None:
    tagged: dict[str, set[str]] = defaultdict(set)
    for pid, record in visible.items():
        for tag in record["tags"]:
            tagged[tag].add(pid)
    assert set(tagged) <= {t.id for t in taxonomy.tags}
    index = site.article("tags/index.html")
    index_counts = {}
    for item in index.find("div", "rl-tag-index").find_all("li"):  # each tag: its link, then its count
        target, _ = site.resolve("tags/index.html", item.find("a").get("href"))
        index_counts[target] = int(visible_text(item.find("span", "rl-count")))
    for tag in taxonomy.tags:
        pages = [f"tags/{tag.id}/index.html"]
        while f"tags/{tag.id}-{len(pages) + 1}/index.html" in site.pages:
            pages.append(f"tags/{tag.id}-{len(pages) + 1}/index.html")
        listed: Counter[str] = Counter()
        for page in pages:
            for a in site.article(page).find_all("a"):
                target = site.resolve(page, a.get("href"))
                if target and target[1] in visible:
                    assert target == (entries[target[1]].page, target[1])
                    listed[target[1]] += 1
        assert set(listed) == tagged[tag.id], tag.id
        assert max(listed.values(), default=1) == 1, f"{tag.id}: a paper listed twice"
        assert index_counts[pages[0]] == len(tagged[tag.id]), tag.id
    assert sum(len(v) for v in tagged.values()) > 400


def test_home_lists_every_topic_with_its_count(site: BuiltSite, visible: dict[str, dict], taxonomy) -> None:
    counts = Counter(t for r in visible.values() for t in (r["topics"] or [UNSORTED]))
    rows = {}
    for row in site.article("index.html").find_all("tr"):
        cells = row.find_all("td")
        if cells and cells[0].find("a") is not None:
            target, _ = site.resolve("index.html", cells[0].find("a").get("href"))
            rows[target] = (collapse(visible_text(cells[0])), int(visible_text(cells[1])))
    expected = {f"topics/{t.id}/index.html": (t.title, counts[t.id]) for t in taxonomy.topics}
    expected[f"{UNSORTED}/index.html"] = ("Unsorted", counts[UNSORTED])
    assert {k: (title.removeprefix("↳ "), n) for k, (title, n) in rows.items()} == expected


def test_search_index_holds_every_title(
    site: BuiltSite, visible: dict[str, dict], entries: dict[str, Entry]
) -> None:
    index = search_docs(site.root)
    docs = {doc.location: doc for doc in index}

    def text(value: str) -> str:
        return collapse(html.unescape(re.sub(r"<[^>]+>", " ", value)))

    for pid, record in visible.items():
        location = f"{posixpath.dirname(entries[pid].page)}/#{pid}".lstrip("/")
        assert location in docs, pid
        assert text(docs[location].title) == collapse(record["title"]), pid
        if "$" not in record["abstract"]:
            assert collapse(record["abstract"]) in text(docs[location].text), pid
    # Related lists are excluded from search: their "0.24 · term, term" explanations never reach the index.
    assert not [d.location for d in index if re.search(r"\d\.\d\d · \w", text(d.text))]


# ---------------------------------------------------------------- a hostile project


SECRET = "rl-secret-7f3a9c0e"
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '{: onclick="alert(1)" }',
    '--8<-- "/etc/hostname"',
    '--8<-- "{secret}"',
    "{{ config }}",
    "{% raw %}",
    "<!-- material/tags -->",
    "<!-- comment -->",
    "|a|b|",
    "*emph*",
    "_u_",
    "`code`",
    "a ` lone backtick",
    "# not a heading",
    "$x_t$",
    "$\\href{javascript:alert(1)}{x}$",
    "$\\text{<script>}$",
]
SAFE_MATH = "$x_t$"
UNSAFE_MATH = ("$\\href{javascript:alert(1)}{x}$", "$\\text{<script>}$")


def _hostile_records(secret_file: Path) -> list[dict]:
    payloads = [p.replace("{secret}", str(secret_file)) for p in PAYLOADS]
    records = []
    for i, payload in enumerate(payloads):
        other = payloads[(i + 7) % len(payloads)]
        record = {
            "id": f"hostile-{i:02d}",
            "title": payload if i % 3 == 0 else f"Gradient descent {payload} study",
            "abstract": f"{payload} We study gradient descent with {other} and momentum. {payload}",
            "added": f"2024-01-{i + 1:02d}",
        }
        if i % 2 == 0:
            record["topics"] = ["optimization", "generalization-theory"]
            record["tags"] = ["adaptive-optimizers"]
        records.append(record)
    return records


def _clean_records() -> list[dict]:
    return [
        {
            "id": f"plain-{i}",
            "title": f"Plain gradient descent paper {i}",
            "abstract": "We study gradient descent and momentum on plain problems.",
            "added": "2024-02-01",
            **(
                {"topics": ["optimization", "generalization-theory"], "tags": ["adaptive-optimizers"]}
                if i
                else {}
            ),
        }
        for i in range(3)
    ]


@pytest.fixture(scope="module")
def hostile(engine: str, tmp_path_factory) -> tuple[BuiltSite, BuiltSite, list[dict], Path]:
    root = tmp_path_factory.mktemp(f"hostile-{engine}")
    secret = root / "secret.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    project = make_project(root / "project", _hostile_records(secret))
    clean = make_project(root / "clean", _clean_records())
    build_with(engine, project)
    build_with(engine, clean)
    return (
        BuiltSite(project / "site", base_path_of(project)),
        BuiltSite(clean / "site", base_path_of(clean)),
        export_records(project),
        project,
    )


def _scripts(site: BuiltSite) -> Iterator[tuple[str, Node]]:
    for rel, doc in site.pages.items():
        for script in doc.find_all("script"):
            yield rel, script


def _signature(script: Node) -> tuple[str, str]:
    return (script.get("src") or "", "".join(c for c in script.children if isinstance(c, str)).strip())


def test_hostile_text_adds_no_script(hostile) -> None:
    site, clean, _, _ = hostile
    allowed = {_signature(s) for _, s in _scripts(clean)}
    assert allowed, "the clean build has Material's scripts"
    extra = [(rel, _signature(s)) for rel, s in _scripts(site) if _signature(s) not in allowed]
    assert extra == []
    for rel, raw in site.raw.items():
        assert len(re.findall(r"<script\b", raw, re.IGNORECASE)) == len(site.pages[rel].find_all("script")), (
            rel
        )


def test_hostile_text_adds_no_event_handler_or_javascript_url(hostile) -> None:
    site, _, _, _ = hostile
    for rel, doc in site.pages.items():
        for element in doc.elements():
            for name, value in element.attrs:
                assert not name.startswith("on"), f"{rel}: <{element.tag} {name}={value!r}>"
                if name in ("href", "src", "action", "formaction", "xlink:href"):
                    assert not value.strip().lower().startswith(("javascript:", "data:text")), (
                        f"{rel}: {value!r}"
                    )
        assert all(img.get("src") != "x" for img in doc.find_all("img")), rel


def test_hostile_text_includes_no_file(hostile) -> None:
    site, clean, _, _ = hostile
    everything = "".join(site.raw.values()) + "".join(d.title + d.text for d in search_docs(site.root))
    assert SECRET not in everything
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    if hostname and hostname not in "".join(clean.raw.values()):
        assert hostname not in everything


def test_hostile_titles_and_abstracts_show_as_stored(hostile) -> None:
    site, _, records, _ = hostile
    by_id = {r["id"]: r for r in records}
    assert len(by_id) == len(PAYLOADS)
    found = site.entries(set(by_id))
    assert {pid: len(hits) for pid, hits in found.items()} == dict.fromkeys(by_id, 1)
    links = 0
    for pid, (entry,) in found.items():
        assert visible_text(entry.heading) == by_id[pid]["title"], pid
        assert visible_text(section_part(entry, "div", "rl-abstract")) == by_id[pid]["abstract"], pid
    for rel in site.pages:
        for a in site.article(rel).find_all("a"):
            target = site.resolve(rel, a.get("href") or "")
            if target and target[1] in by_id and "headerlink" not in a.classes:
                links += 1
                assert visible_text(a) == by_id[target[1]]["title"], (rel, a.get("href"))
    assert links >= len(by_id)  # the home page's recent list, related lists, tag and also-in listings


# Presentation attributes MathML may carry; nothing that links, styles or scripts.
MATHML_ATTRIBUTES = {
    *("xmlns", "display", "encoding", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace"),
    *("form", "accent", "accentunder", "movablelimits", "largeop", "symmetric", "width", "height", "depth"),
    *("linethickness", "columnalign", "rowalign", "rowspacing", "columnspacing", "displaystyle"),
    *("scriptlevel", "notation", "minsize", "maxsize", "columnlines", "rowlines", "frame"),
}


def test_hostile_math_is_mathml_only_when_safe(hostile) -> None:
    site, _, records, _ = hostile
    found = site.entries({r["id"] for r in records})
    annotations: Counter[str] = Counter()
    for (entry,) in found.values():
        for part in (entry.heading, section_part(entry, "div", "rl-abstract")):
            for element in part.find_all("math"):
                annotations[visible_text(element)] += 1
                assert not {"script", "a", "style"} & {e.tag for e in element.elements()}
                names = {name for e in [element, *element.elements()] for name, _ in e.attrs}
                assert names <= MATHML_ATTRIBUTES, names - MATHML_ATTRIBUTES
    assert annotations[SAFE_MATH] >= 3  # the title that holds it, and the abstracts
    for unsafe in UNSAFE_MATH:
        assert annotations[unsafe] == 0, unsafe
        shown = [visible_text(section_part(e, "div", "rl-abstract")) for (e,) in found.values()]
        assert any(unsafe in text for text in shown), unsafe


# ---------------------------------------------------------------- what every engine must link and index

ATOM = "application/atom+xml"


def head_feeds(site: BuiltSite, rel: str) -> list[tuple[str, str]]:
    """(title, site-relative feed file) of every Atom feed the page links in its head."""
    head = site.pages[rel].find("head")
    assert head is not None, f"{rel}: no <head>"
    return [
        (link.get("title") or "", site.resolve(rel, link.get("href") or "")[0])
        for link in head.find_all("link")
        if link.get("rel") == "alternate" and link.get("type") == ATOM
    ]


def test_every_page_links_its_feeds_in_its_head(site: BuiltSite, taxonomy) -> None:
    own: dict[str, str] = {}  # page -> the feed of its topic or tag
    for topic_id in [*(t.id for t in taxonomy.topics), UNSORTED]:
        for page in topic_pages(site, topic_id):
            own[page] = f"feeds/topic-{topic_id}.xml"
    for tag in taxonomy.tags:
        number, page = 1, f"tags/{tag.id}/index.html"
        while page in site.pages:
            own[page] = f"feeds/tag-{tag.id}.xml"
            number += 1
            page = f"tags/{tag.id}-{number}/index.html"
    checked = 0
    for rel in site.pages:
        if rel == "404.html":  # the engines' error page is no page of ours
            continue
        feeds = head_feeds(site, rel)
        expected = ["feeds/all.xml", *([own[rel]] if rel in own else [])]
        assert [path for _, path in feeds] == expected, rel
        assert all(title.strip() for title, _ in feeds), rel
        assert all((site.root / path).is_file() for _, path in feeds), rel
        checked += 1
    assert checked > 100 and len(own) > 100


def _search_tokens(text: str) -> set[str]:
    """Words as both engines' search tokenizers split them (lowercased; on spaces, hyphens, punctuation)."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", text)).lower()
    return {t for t in re.split(r"[\s\-_,:;.!?=\[\]()\\\"`/'“”‘’]+", plain) if t}


def test_search_finds_every_paper_by_a_title_word_and_an_abstract_word(
    site: BuiltSite, visible: dict[str, dict], entries: dict[str, Entry]
) -> None:
    """A query for the rarest word of a paper's title (matched against the index's titles), and one for
    the rarest word of its abstract (against the texts), both list that paper's entry."""
    docs = search_docs(site.root)
    titles = {d.location: _search_tokens(d.title) for d in docs}
    texts = {d.location: _search_tokens(d.text) for d in docs}
    title_count = Counter(t for words in titles.values() for t in words)
    text_count = Counter(t for words in texts.values() for t in words)
    for pid, record in visible.items():
        location = f"{posixpath.dirname(entries[pid].page)}/#{pid}".lstrip("/")
        assert location in titles, f"{pid}: not in the search index"
        plain_title = "".join(p for is_math, p in split_math(record["title"]) if not is_math)
        plain_abstract = "".join(p for is_math, p in split_math(record["abstract"]) if not is_math)
        title_word = min(_search_tokens(plain_title), key=lambda w: (title_count[w], w))
        hits = {loc for loc, words in titles.items() if title_word in words}
        assert location in hits, (pid, title_word)
        if not record["abstract"]:
            continue
        abstract_word = min(_search_tokens(plain_abstract), key=lambda w: (text_count[w], w))
        hits = {loc for loc, words in texts.items() if abstract_word in words}
        assert location in hits, (pid, abstract_word)
