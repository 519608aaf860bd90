"""Render the whole model into a :class:`Site`: every page (``{docs-relative path: text}``), the
navigation and what MkDocs needs to know of each page.

Pure: takes papers, the taxonomy and derived data, returns strings. Each page kind is a module of
``generator.site.pages`` whose renderer returns its pages; this module gathers them. Whether some run
in another process is the build's business (``generator.build.stages``), never this module's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import jinja2

from generator.core.errors import ReadingListError
from generator.core.model import Enriched, Paper, Taxonomy
from generator.search.records import PaperRecord, paper_records
from generator.site.environment import TEMPLATES, make_environment
from generator.site.nav import site_nav
from generator.site.pages import bibs, feeds, home, map, moved, search, tags, topics
from generator.site.settings import Settings
from generator.site.urls import UNSORTED, Ref, relative, tag_page, topic_page
from generator.site.views import Views

# Names other modules and tests import from here (their owners are the modules above).
__all__ = [
    "TEMPLATES",
    "UNSORTED",
    "Ref",
    "Settings",
    "Site",
    "assemble_site",
    "make_environment",
    "relative",
    "render_other_pages",
    "render_site",
    "tag_page",
    "topic_page",
]


@dataclass
class Site:
    """The rendered site: pages by docs path, the navigation, and per-page facts for MkDocs."""

    pages: dict[str, str] = field(default_factory=dict)
    nav: list = field(default_factory=list)
    not_in_nav: set[str] = field(default_factory=set)
    locations: dict[str, str] = field(default_factory=dict)  # paper id (and aliases) -> page path
    main_feed: tuple[str, str] | None = None  # (title, feed path) linked from every page's head
    alternates: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # page -> more feeds
    search_records: list[PaperRecord] = field(default_factory=list)  # the paper search's index input

    def head_feeds(self, page: str) -> list[tuple[str, str]]:
        """The feeds a page links in its head: the whole list's, then its own (topic or tag)."""
        return [*([self.main_feed] if self.main_feed else []), *self.alternates.get(page, [])]


# Every page kind but the topic pages, in the order their pages are gathered. None of them shows
# related papers, so they can be rendered before related papers are known.
OTHER_PAGES = (
    tags.render_tags,
    home.render_home,
    feeds.render_feeds,
    bibs.render_bibs,
    map.render_map,
    moved.render_moved,
    search.render_search,
)


def render_other_pages(views: Views, env: jinja2.Environment) -> dict[str, str]:
    """Every page but the topic pages."""
    pages: dict[str, str] = {}
    owners: dict[str, str] = {}
    for render in OTHER_PAGES:
        gather_pages(pages, owners, render(views, env), f"{render.__module__}.{render.__name__}")
    return pages


def gather_pages(
    pages: dict[str, str], owners: dict[str, str], new: Mapping[str, str], producer: str
) -> None:
    """Add ``new`` to ``pages``; two producers of one path are an error naming both (as Pelican's writer
    refuses to overwrite a file it wrote in the same run), never a page silently replaced."""
    for path in new:
        if path in pages:
            raise ReadingListError(
                f"two pages would be written to {path}: by {owners[path]} and by {producer}",
                path,
                hint="a topic or tag id may name a page of the site; rename it",
            )
        owners[path] = producer
    pages.update(new)


def assemble_site(
    views: Views,
    topic_pages: Mapping[str, str],
    other_pages: Mapping[str, str],
    records: list[PaperRecord] | None = None,
) -> Site:
    """The site from its rendered pages (topic pages first, as :func:`render_site` orders them), with the
    search ``records`` if they were made already (``paper_records(views)``)."""
    locations = dict(views.location)
    for p in views.papers:
        for alias in p.aliases:
            locations.setdefault(alias, views.location[p.id])
    pages: dict[str, str] = {}
    owners: dict[str, str] = {}
    gather_pages(pages, owners, topic_pages, "topics.render_topics")
    gather_pages(pages, owners, other_pages, "the other pages")
    return Site(
        pages=pages,
        nav=site_nav(views.taxonomy),
        not_in_nav=topics.not_in_nav(views) | tags.not_in_nav(views) | {moved.PAGE},
        locations=locations,
        main_feed=feeds.main_feed(views),
        alternates={**topics.head_feeds(views), **tags.head_feeds(views)},
        search_records=paper_records(views) if records is None else records,
    )


def render_site(
    papers: Sequence[Paper],
    taxonomy: Taxonomy,
    enriched: Enriched,
    settings: Settings | None = None,
    env: jinja2.Environment | None = None,
) -> Site:
    """Render every page of the site from the full model, in this process."""
    env = env or make_environment()
    views = Views(papers, taxonomy, enriched, settings or Settings())
    other = render_other_pages(views, env)
    return assemble_site(views, topics.render_topics(views, env), other)
