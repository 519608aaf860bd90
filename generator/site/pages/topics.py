"""Topic pages: a topic's full entries split at ``page_size``, then its "Also in this topic" list."""

from __future__ import annotations

from collections.abc import Iterable

import jinja2

from generator.site.pagination import chunk, chunks, pager
from generator.site.urls import UNSORTED, bib_path, feed_path, nav_section, topic_page
from generator.site.views import Item, Views, paper_views


def render_topics(
    views: Views, env: jinja2.Environment, topic_ids: Iterable[str] | None = None
) -> dict[str, str]:
    """The pages of ``topic_ids`` (default: every topic, Unsorted last), topic by topic."""
    pages: dict[str, str] = {}
    for topic_id in views.topic_order if topic_ids is None else topic_ids:
        pages.update(render_topic(views, env, topic_id))
    return pages


def page_count(views: Views, topic_id: str) -> int:
    """How many pages a topic has: enough for its full entries and for its "Also in this topic" list."""
    full = views.full.get(topic_id, [])
    others = _others(views, topic_id)
    return max(len(chunks(full, views.settings.page_size)), len(chunks(others, views.settings.tag_page_size)))


def head_feeds(views: Views) -> dict[str, list[tuple[str, str]]]:
    """The feed each topic page links in its head: its topic's."""
    return {
        topic_page(t, number): [(f"{views.topic_title(t)}: new papers", feed_path("topic", t))]
        for t in views.topic_order
        for number in range(1, page_count(views, t) + 1)
    }


def not_in_nav(views: Views) -> set[str]:
    """A topic's second and later pages: reached from its first page's pager."""
    return {topic_page(t, n) for t in views.topic_order for n in range(2, page_count(views, t) + 1)}


def _others(views: Views, topic_id: str) -> list:
    return [p for p in views.members.get(topic_id, []) if views.primary[p.id] != topic_id]


def render_topic(views: Views, env: jinja2.Environment, topic_id: str) -> dict[str, str]:
    """One topic's pages: its full entries split at page_size, then its "Also in this topic" list."""
    template = env.get_template("topic.md.j2")
    topic = views.topics.get(topic_id)
    # Full entries are split at page_size; the one-line "Also in this topic" list at tag_page_size,
    # spread over the same pages (and more if it is longer), so that no page grows with the list.
    full_pages = chunks(views.full.get(topic_id, []), views.settings.page_size)
    other_pages = chunks(_others(views, topic_id), views.settings.tag_page_size)
    count_pages = max(len(full_pages), len(other_pages))
    title_md = views.md_plain(views.topic_title(topic_id))
    description_md = views.md_inline(topic.description) if topic and topic.description else ""
    pages = {}
    for number in range(1, count_pages + 1):
        page = topic_page(topic_id, number)
        children = [
            {
                "title_md": views.md_plain(t.title),
                "url": views.url(topic_page(t.id), page),
                "count": len(views.members.get(t.id, [])),
            }
            for t in views.taxonomy.topics
            if t.parent == topic_id
        ]
        pages[page] = template.render(
            page=page,
            topic_id=topic_id,
            title_md=title_md,
            title_plain=views.topic_title(topic_id),
            description_md=description_md,
            count=len(views.members.get(topic_id, [])),
            papers=paper_views(views, chunk(full_pages, number), page),
            others=paper_views(views, chunk(other_pages, number), page),
            pages=pager(count_pages, number, lambda n, page=page: views.url(topic_page(topic_id, n), page)),
            number=number,
            children=children,
            unsorted=topic_id == UNSORTED,
            feed_url=views.url(feed_path("topic", topic_id), page),
            bib_url=views.url(bib_path(topic_id), page),
            by_year=by_year(views, topic_id, page) if number == 1 else [],
            # a later page (outside the navigation) is shown under its first page's tab
            nav_section=nav_section(topic_page(topic_id), views.settings.directory_urls)
            if number > 1
            else "",
        )
    return pages


def by_year(views: Views, topic_id: str, page: str) -> list:
    """The topic's papers grouped by year, newest year first ("Undated" last); empty if none has a year."""
    members = views.members.get(topic_id, [])
    if not any(p.year is not None for p in members):
        return []
    groups: dict[int | None, list] = {}
    for p in members:
        groups.setdefault(p.year, []).append(p)
    years = sorted((y for y in groups if y is not None), reverse=True) + ([None] if None in groups else [])
    return [
        Item(
            label=str(y) if y is not None else "Undated",
            anchor=str(y) if y is not None else "undated",
            count=len(groups[y]),
            papers=paper_views(views, groups[y], page),
        )
        for y in years
    ]
