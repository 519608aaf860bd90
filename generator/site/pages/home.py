"""The home page: the intro, the newest papers with a real title, and every topic with its count.

Papers whose title is provisional are never headlines here; `python -m generator check` lists them for the
curator, by id."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice

import jinja2

from generator.core.model import Paper
from generator.site.urls import MAP_PAGE, TAGS_INDEX, UNSORTED, bib_path, feed_path, topic_page
from generator.site.views import Views, paper_views

PAGE = "index.md"


def recent_papers(order: Sequence[Paper], limit: int) -> list[Paper]:
    """The first ``limit`` papers of a newest-first order that have a real title."""
    return list(islice((p for p in order if not p.needs_title), max(limit, 0)))


def render_home(views: Views, env: jinja2.Environment) -> dict[str, str]:
    """``index.md``."""
    page = PAGE
    topics = [
        {
            "id": t.id,
            "title_md": views.md_plain(t.title),
            "count": len(views.members.get(t.id, [])),
            "description_md": views.md_inline(t.description) if t.description else "",
            "parent": t.parent,
            "url": views.url(topic_page(t.id), page),
        }
        for t in views.taxonomy.topics
    ]
    settings = views.settings
    text = env.get_template("home.md.j2").render(
        page=page,
        settings=settings,
        intro_md=views.md_inline(settings.intro) if settings.intro else "",
        total=len(views.papers),
        topics=topics,
        unsorted={
            "count": len(views.members.get(UNSORTED, [])),
            "url": views.url(topic_page(UNSORTED), page),
        },
        tag_count=sum(1 for t in views.taxonomy.tags if views.tagged.get(t.id)),
        tags_url=views.url(TAGS_INDEX, page),
        recent=paper_views(views, recent_papers(views.order, settings.recent), page),
        feed_url=views.url(feed_path(), page),
        bib_url=views.url(bib_path(), page),
        map_url=views.url(MAP_PAGE, page),
    )
    return {page: text}
