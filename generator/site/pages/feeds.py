"""Atom feeds of the newest papers: the whole list, each topic (Unsorted too) and each tag, plus the
feeds' sitemap."""

from __future__ import annotations

import posixpath

import jinja2

from generator.core.model import Paper
from generator.site.feeds import Feed, FeedEntry, atom_feed, feeds_sitemap, newest
from generator.site.urls import FEEDS_SITEMAP, feed_path, tag_page, topic_page
from generator.site.views import Views


def main_feed(views: Views) -> tuple[str, str]:
    """(title, path) of the whole list's feed, linked from every page's head."""
    return (f"{views.settings.title}: new papers", feed_path())


def render_feeds(views: Views, env: jinja2.Environment | None = None) -> dict[str, str]:
    """Every feed and ``feeds/sitemap.xml`` (``env`` unused: feeds have no template)."""
    title = views.settings.title
    feeds = [(feed_path(), "all", title, "index.md", views.order)]
    feeds += [
        (
            feed_path("topic", t),
            f"topics/{t}",
            f"{title}: {views.topic_title(t)}",
            topic_page(t),
            views.members.get(t, []),
        )
        for t in views.topic_order
    ]
    feeds += [
        (
            feed_path("tag", t.id),
            f"tags/{t.id}",
            f"{title}: tag {t.label}",
            tag_page(t.id),
            views.tagged.get(t.id, []),
        )
        for t in views.taxonomy.tags
    ]
    pages = {}
    dated = []
    made: dict[tuple[str, str], FeedEntry] = {}  # a paper is in several feeds; every feed is in feeds/

    def entry(paper: Paper, feed: str) -> FeedEntry:
        key = (paper.id, posixpath.dirname(feed))
        if key not in made:
            made[key] = _feed_entry(views, paper, feed)
        return made[key]

    for path, key, feed_title, page, papers in feeds:
        entries = tuple(entry(p, path) for p in newest(papers, views.settings.feed_size))
        pages[path] = atom_feed(
            Feed(
                key=key,
                title=feed_title,
                subtitle=f"The newest papers on {feed_title}",
                author=title,
                self_link=views.absolute(path) or posixpath.basename(path),
                page_link=views.link(path, page),
                entries=entries,
            )
        )
        dated.append((views.absolute(path), max((e.updated for e in entries), default="")))
    pages[FEEDS_SITEMAP] = feeds_sitemap([(url, date) for url, date in dated if url])
    return pages


def _feed_entry(views: Views, paper: Paper, feed: str) -> FeedEntry:
    a = views.enriched.assignments.get(paper.id)
    tags = [(t, views.tags[t].label) for t in (a.tags if a else ()) if t in views.tags]
    return FeedEntry(
        paper_id=paper.id,
        title=paper.title,
        summary=paper.abstract,
        link=views.link(feed, views.location[paper.id], paper.id),
        updated=paper.added,
        categories=tuple(tags),
        authors=paper.authors,
    )
