"""Moved and merged papers: an old id (``aliases``) keeps working as an anchor on the paper's page and on
the "Moved papers" page, which links to the current entry. Checked on a real `mkdocs build --strict`,
whose anchor validation fails the build if a curator's link to an old id does not resolve.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import make_project, mkdocs_build

from generator.core.model import Assignment, Enriched, Paper, Taxonomy, Topic
from generator.site.render import render_site


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.links: dict[str, list[str]] = {}  # id of the enclosing .rl-moved block -> hrefs in it
        self._moved: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids[a["id"]] += 1
        if tag == "div" and "rl-moved" in (a.get("class") or ""):
            self._moved = a.get("id")
            self.links[self._moved] = []
        if tag == "a" and self._moved and a.get("href"):
            self.links[self._moved].append(a["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            self._moved = None


def read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def resolve(page: Path, href: str) -> tuple[Path, str]:
    path, _, anchor = href.partition("#")
    target = Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), path)))
    return (target / "index.html" if path.endswith("/") else target), anchor


RECORDS = [
    {
        "id": "sharpness-aware-minimization",
        "title": "Sharpness-aware minimization",
        "abstract": "Stochastic gradient descent and the loss landscape.",
        "added": "2024-01-02",
        "topics": ["optimization"],
        "aliases": ["sam-old-name", "sam-duplicate-record"],
    },
    {
        "id": "plain-paper",
        "title": "A plain paper",
        "abstract": "Momentum and learning rate schedules.",
        "added": "2024-01-01",
        "topics": ["optimization"],
    },
]

# A curator's page with links to the old ids: `mkdocs build --strict` fails unless both anchors exist.
OLD_LINKS = """# Old links

- [via the moved page](moved/index.md#sam-old-name)
- [the old anchor on the topic page](topics/optimization/index.md#sam-duplicate-record)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("redirects"), RECORDS)
    (project / "docs" / "old-links.md").write_text(OLD_LINKS, encoding="utf-8")
    mkdocs_build(project, project / "site")  # strict: broken anchors would fail here
    return project / "site"


def test_moved_page_links_each_old_id_to_the_current_entry(site: Path) -> None:
    moved = site / "moved" / "index.html"
    page = read(moved)
    assert set(page.links) == {"sam-old-name", "sam-duplicate-record"}
    for alias, hrefs in page.links.items():
        assert page.ids[alias] == 1
        (href,) = hrefs
        target, anchor = resolve(moved, href)
        assert anchor == "sharpness-aware-minimization", alias
        assert read(target).ids[anchor] == 1


def test_old_anchor_works_on_the_current_page_and_ids_stay_unique(site: Path) -> None:
    topic = site / "topics" / "optimization" / "index.html"
    page = read(topic)
    for anchor in ("sharpness-aware-minimization", "sam-old-name", "sam-duplicate-record", "plain-paper"):
        assert page.ids[anchor] == 1, anchor
    duplicates = {k: n for k, n in page.ids.items() if n > 1}
    assert duplicates == {}
    old_links = site / "old-links" / "index.html"
    hrefs = [h for h in _hrefs(old_links) if "#sam-" in h]
    assert len(hrefs) == 2
    for href in hrefs:
        target, anchor = resolve(old_links, href)
        assert read(target).ids[anchor] == 1, href


def _hrefs(path: Path) -> list[str]:
    class _A(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hrefs: list[str] = []

        def handle_starttag(self, tag, attrs) -> None:
            if tag == "a" and dict(attrs).get("href"):
                self.hrefs.append(dict(attrs)["href"])

    parser = _A()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.hrefs


def test_moved_page_is_not_in_the_navigation(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Moved papers" not in home


def test_render_records_aliases_and_an_empty_moved_page() -> None:
    papers = [
        Paper(id="new-id", title="T", abstract="", added="2024-01-01", aliases=("old-id",)),
        Paper(id="other", title="U", abstract="", added="2024-01-01"),
    ]
    taxonomy = Taxonomy(topics=(Topic("alpha", "Alpha"),), tags=())
    enriched = Enriched(assignments={"new-id": Assignment(topics=("alpha",), tags=())})
    site = render_site(papers, taxonomy, enriched)
    assert site.locations["old-id"] == site.locations["new-id"] == "topics/alpha/index.md"
    assert "moved/index.md" in site.not_in_nav
    assert '<div class="rl-alias" id="old-id"></div>' in site.pages["topics/alpha/index.md"]
    assert "](../topics/alpha/index.md#new-id)" in site.pages["moved/index.md"]
    empty = render_site(papers[1:], taxonomy, Enriched())
    assert "No paper has moved." in empty.pages["moved/index.md"]
