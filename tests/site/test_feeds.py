"""Atom feeds: valid (feedparser reads them without complaint), newest first, capped, escaped, linked.

Unit tests render small models with ``render_site``; the end-to-end tests run the real
`mkdocs build --strict` on a small project and on the seed site and follow the links they contain.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
import yaml
from conftest import REPO, make_project, mkdocs_build

from generator.core.model import Assignment, Enriched, Paper, TagDef, Taxonomy, Topic
from generator.site.feeds import Feed, FeedEntry, atom_feed, entry_id
from generator.site.render import render_site
from generator.site.settings import Settings

SITE_URL = "https://example.github.io/readinglist/"  # mkdocs.yml's site_url
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def paper(pid: str, added: str, title: str | None = None, **fields) -> Paper:
    return Paper(id=pid, title=title or f"Paper {pid}", abstract=f"Abstract of {pid}.", added=added, **fields)


TAXONOMY = Taxonomy(
    topics=(Topic("alpha", "Alpha & <Beta>"), Topic("gamma", "Gamma")),
    tags=(TagDef("t-one", "Tag <one> & co"), TagDef("t-two", "Two")),
)


def render(
    papers: list[Paper],
    topics: dict[str, tuple[str, ...]],
    tags: dict[str, tuple[str, ...]] | None = None,
    **settings,
):
    enriched = Enriched(
        assignments={
            p.id: Assignment(topics=topics.get(p.id, ()), tags=(tags or {}).get(p.id, ())) for p in papers
        }
    )
    return render_site(papers, TAXONOMY, enriched, Settings(**settings))


def parse(text: str):
    feed = feedparser.parse(text)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


# ---------------------------------------------------------------- the XML itself


def test_feed_text_is_escaped_and_round_trips() -> None:
    nasty = "A <b>bold</b> & ]]> \"quoted\" 'title' $x<y$ \U0001f600 \x01end"
    feed = Feed(
        key="all",
        title="List & <co>",
        subtitle="",
        self_link="all.xml",
        page_link="../",
        author="Curator <me>",
        entries=(
            FeedEntry(
                "p-1",
                nasty,
                "Abstract with <script>alert(1)</script> & more",
                "../t/#p-1",
                "2024-05-01",
                (("t-one", "Tag <one>"),),
                ("Ann <A> Author",),
            ),
        ),
    )
    parsed = parse(atom_feed(feed))
    assert parsed.version == "atom10"
    assert parsed.feed.title == "List & <co>"
    (entry,) = parsed.entries
    assert entry.title == nasty.replace("\x01", "")  # a character XML cannot carry is dropped, the rest kept
    assert entry.title_detail.type == "text/plain"
    assert entry.summary == "Abstract with <script>alert(1)</script> & more"
    assert entry.id == "urn:readinglist:paper:p-1"
    assert [t.term for t in entry.tags] == ["t-one"] and entry.tags[0].label == "Tag <one>"
    assert entry.authors[0].name == "Ann <A> Author"
    assert entry.updated == "2024-05-01T00:00:00Z"


def test_empty_feed_is_valid_and_dated_deterministically() -> None:
    text = atom_feed(Feed("tags/x", "Empty", "", "x.xml", "../", "Me", ()))
    parsed = parse(text)
    assert parsed.entries == []
    assert parsed.feed.updated == "1970-01-01T00:00:00Z"


# ---------------------------------------------------------------- which papers, in which order


def test_whole_list_feed_is_newest_first_ties_in_store_order_and_capped() -> None:
    papers = [
        paper("a", "2024-01-01"),
        paper("b", "2024-03-01"),
        paper("c", "2024-02-01"),
        paper("d", "2024-03-01"),
        paper("e", "2023-12-31"),
        paper("hidden", "2025-01-01", hidden=True),
    ]
    site = render(papers, {p.id: ("alpha",) for p in papers}, feed_size=4)
    parsed = parse(site.pages["feeds/all.xml"])
    assert [e.id for e in parsed.entries] == [entry_id(i) for i in ("b", "d", "c", "a")]
    assert parsed.feed.updated == "2024-03-01T00:00:00Z"  # the newest paper's date, never the clock


def test_topic_and_tag_feeds_hold_exactly_their_papers_with_tags_as_categories() -> None:
    papers = [
        paper("a", "2024-01-01"),
        paper("b", "2024-01-02"),
        paper("c", "2024-01-03"),
        paper("z", "2024-01-04"),
    ]
    topics = {"a": ("alpha",), "b": ("gamma", "alpha"), "c": ("gamma",)}
    site = render(papers, topics, tags={"a": ("t-one",), "c": ("t-one", "t-two")})
    ids = {
        path: [e.id.rsplit(":", 1)[1] for e in parse(text).entries]
        for path, text in site.pages.items()
        if path.startswith("feeds/") and path != "feeds/sitemap.xml"
    }
    assert ids == {
        "feeds/all.xml": ["z", "c", "b", "a"],
        "feeds/topic-alpha.xml": ["b", "a"],  # b is in alpha too (not its primary topic)
        "feeds/topic-gamma.xml": ["c", "b"],
        "feeds/topic-unsorted.xml": ["z"],
        "feeds/tag-t-one.xml": ["c", "a"],
        "feeds/tag-t-two.xml": ["c"],
    }
    entry = next(e for e in parse(site.pages["feeds/all.xml"]).entries if e.id.endswith(":c"))
    assert [(t.term, t.label) for t in entry.tags] == [("t-one", "Tag <one> & co"), ("t-two", "Two")]
    assert parse(site.pages["feeds/topic-alpha.xml"]).feed.title == "Reading list: Alpha & <Beta>"


def test_entry_links_are_absolute_with_a_site_url_and_resolve_relatively_without() -> None:
    papers = [paper("a", "2024-01-01"), paper("b", "2024-01-02")]
    topics = {"a": ("alpha",), "b": ("gamma",)}
    absolute = parse(render(papers, topics, site_url="https://ex.org/rl").pages["feeds/topic-alpha.xml"])
    assert absolute.entries[0].link == "https://ex.org/rl/topics/alpha/#a"
    assert absolute.feed.links[0].href == "https://ex.org/rl/feeds/topic-alpha.xml"
    relative_text = render(papers, topics).pages["feeds/all.xml"]
    hrefs = re.findall(r'<link rel="alternate" type="text/html" href="([^"]+)"', relative_text)
    base = "https://host/site/feeds/all.xml"
    assert [urljoin(base, h) for h in hrefs] == [
        "https://host/site/",
        "https://host/site/topics/gamma/#b",
        "https://host/site/topics/alpha/#a",
    ]
    flat = render(papers, topics, directory_urls=False).pages["feeds/all.xml"]
    assert 'href="../topics/gamma/index.html#b"' in flat


def test_feeds_folder_has_a_sitemap_of_its_feeds() -> None:
    papers = [paper("a", "2024-01-01"), paper("b", "2024-01-05")]
    topics = {"a": ("alpha",), "b": ("alpha",)}
    sitemap = ET.fromstring(render(papers, topics, site_url="https://ex.org/rl/").pages["feeds/sitemap.xml"])
    entries = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in sitemap}
    assert entries["https://ex.org/rl/feeds/all.xml"] == "2024-01-05"
    assert entries["https://ex.org/rl/feeds/topic-alpha.xml"] == "2024-01-05"
    assert entries["https://ex.org/rl/feeds/topic-gamma.xml"] is None  # an empty feed has no date
    assert len(entries) == 1 + 3 + 2  # whole list, alpha, gamma, unsorted, two tags
    # Without the site's address there is nothing absolute to list: a valid, empty sitemap.
    assert list(ET.fromstring(render(papers, topics).pages["feeds/sitemap.xml"])) == []


def test_feeds_are_deterministic() -> None:
    papers = [paper(str(i), f"2024-01-0{1 + i % 3}") for i in range(6)]
    topics = {p.id: ("alpha",) for p in papers}
    first, second = render(papers, topics), render(papers, topics)
    assert {k: v for k, v in first.pages.items() if k.endswith(".xml")} == {
        k: v for k, v in second.pages.items() if k.endswith(".xml")
    }


def test_pages_declare_their_feeds() -> None:
    site = render([paper("a", "2024-01-01")], {"a": ("alpha",)}, tags={"a": ("t-one",)})
    assert site.head_feeds("index.md") == [("Reading list: new papers", "feeds/all.xml")]
    assert [p for _, p in site.head_feeds("topics/alpha/index.md")] == [
        "feeds/all.xml",
        "feeds/topic-alpha.xml",
    ]
    assert [p for _, p in site.head_feeds("tags/t-one/index.md")] == ["feeds/all.xml", "feeds/tag-t-one.xml"]
    assert "(../../feeds/topic-alpha.xml)" in site.pages["topics/alpha/index.md"]
    assert "(../../feeds/tag-t-one.xml)" in site.pages["tags/t-one/index.md"]
    assert "(feeds/all.xml)" in site.pages["index.md"]


# ---------------------------------------------------------------- the built site


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.alternates: list[tuple[str, str]] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "link" and a.get("rel") == "alternate" and a.get("type") == "application/atom+xml":
            self.alternates.append((a.get("title") or "", a.get("href") or ""))
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])


def read_page(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def local_target(site: Path, page: Path, href: str) -> tuple[Path, str]:
    """The file an href of ``page`` points to inside ``site`` (directory URLs end in index.html)."""
    parts = urlsplit(href)
    if parts.scheme:
        assert href.startswith(SITE_URL), href
        path = parts.path[len(urlsplit(SITE_URL).path) :]
        target = site / path
    else:
        target = Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), parts.path)))
    if href.endswith("/") or parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Path:
    records = [
        {
            "id": "sgd-noise",
            "title": "Noise <in> SGD & friends",
            "abstract": "Stochastic gradient descent with "
            "momentum and learning rate schedules for deep networks.",
            "added": "2024-02-01",
            "authors": ["Ann Smith"],
            "year": 2023,
        },
        {
            "id": "diffusion-thing",
            "title": "A diffusion model thing",
            "abstract": "Score-based diffusion models generate images.",
            "added": "2024-03-01",
        },
        {
            "id": "plain-one",
            "title": "Plain one",
            "abstract": "Nothing in particular here.",
            "added": "2024-01-01",
        },
    ]
    project = make_project(tmp_path_factory.mktemp("feeds"), records)
    mkdocs_build(project, project / "site")
    return project / "site"


def test_built_feeds_are_valid_and_every_entry_link_lands_on_its_entry(small_site: Path) -> None:
    feeds = sorted(p for p in (small_site / "feeds").glob("*.xml") if p.name != "sitemap.xml")
    assert small_site / "feeds" / "all.xml" in feeds and len(feeds) > 3
    for feed_file in feeds:
        parsed = parse(feed_file.read_text(encoding="utf-8"))
        for entry in parsed.entries:
            target, anchor = local_target(small_site, feed_file, entry.link)
            assert anchor == entry.id.rsplit(":", 1)[1]
            assert anchor in read_page(target).ids, (feed_file, entry.link)
    whole = parse((small_site / "feeds" / "all.xml").read_text(encoding="utf-8"))
    assert [e.title for e in whole.entries] == [
        "A diffusion model thing",
        "Noise <in> SGD & friends",
        "Plain one",
    ]
    assert whole.entries[1].link.startswith(SITE_URL)


def test_every_built_page_links_its_feeds_in_the_head(small_site: Path) -> None:
    pages = [p for p in small_site.rglob("index.html") if "search" not in p.parts]
    assert len(pages) > 5
    for page in pages:
        alternates = read_page(page).alternates
        assert alternates, page
        for _title, href in alternates:
            target, _ = local_target(small_site, page, href)
            assert target.is_file() and target.suffix == ".xml", (page, href)
            # Material's JavaScript fetches sitemap.xml beside every rel=alternate link: it must exist.
            assert (target.parent / "sitemap.xml").is_file(), href
    topic_pages = [p for p in (small_site / "topics").glob("*/index.html")]
    for page in topic_pages:
        hrefs = [h for _, h in read_page(page).alternates]
        assert any(h.endswith(f"feeds/topic-{page.parent.name}.xml") for h in hrefs), page
        assert any(h.endswith(f"feeds/topic-{page.parent.name}.xml") for h in read_page(page).hrefs), page
    home = read_page(small_site / "index.html")
    assert "feeds/all.xml" in home.hrefs
    sitemap = ET.parse(small_site / "feeds" / "sitemap.xml").getroot()
    listed = sorted(u.findtext(f"{SITEMAP}loc") for u in sitemap)
    feeds = sorted(
        f"{SITE_URL}feeds/{p.name}" for p in (small_site / "feeds").glob("*.xml") if p.name != "sitemap.xml"
    )
    assert listed == feeds


def test_seed_site_feeds(seed_site: Path) -> None:
    records = yaml.safe_load((REPO / "data" / "papers.yaml").read_text(encoding="utf-8"))
    visible = [r for r in records if not r.get("hidden")]
    whole = parse((seed_site / "feeds" / "all.xml").read_text(encoding="utf-8"))
    assert len(whole.entries) == min(50, len(visible))
    dates = [e.updated for e in whole.entries]
    assert dates == sorted(dates, reverse=True)
    assert whole.feed.updated == max(f"{r['added']}T00:00:00Z" for r in visible)
    assert len({e.id for e in whole.entries}) == len(whole.entries)
    for page in (seed_site / "topics").glob("*/index.html"):
        hrefs = [h for _, h in read_page(page).alternates]
        feed_file, _ = local_target(seed_site, page, hrefs[-1])
        assert feed_file.name == f"topic-{page.parent.name}.xml"
        parsed = parse(feed_file.read_text(encoding="utf-8"))
        assert parsed.entries, feed_file
