"""Tag pages: one listing per tag (split at ``tag_page_size``) and the tag index."""

from __future__ import annotations

import jinja2

from generator.core.model import TagDef
from generator.site.pagination import chunks, pager
from generator.site.urls import TAGS_INDEX, feed_path, nav_section, tag_page
from generator.site.views import Views, paper_views

POPULAR = 12  # tags shown under "Most used" on the tag index


def _sorted_tags(views: Views) -> list[TagDef]:
    return sorted(views.taxonomy.tags, key=lambda t: (t.label.casefold(), t.id))


def _listing_pages(views: Views, tag: TagDef) -> list:
    entries = sorted(views.tagged.get(tag.id, []), key=lambda p: (p.title.casefold(), p.id))
    return chunks(entries, views.settings.tag_page_size)


def render_tags(views: Views, env: jinja2.Environment) -> dict[str, str]:
    """Every tag's listing pages, then the tag index."""
    listing = env.get_template("tag.md.j2")
    tags = _sorted_tags(views)
    section = nav_section(TAGS_INDEX, views.settings.directory_urls)
    pages = {}
    for tag in tags:
        listing_pages = _listing_pages(views, tag)
        count = sum(len(part) for part in listing_pages)
        for number, part in enumerate(listing_pages, start=1):
            page = tag_page(tag.id, number)
            pages[page] = listing.render(
                page=page,
                tag_id=tag.id,
                label_md=views.md_plain(tag.label),
                description_md=views.md_inline(tag.description) if tag.description else "",
                count=count,
                papers=paper_views(views, part, page),
                pages=pager(
                    len(listing_pages),
                    number,
                    lambda n, page=page, tag=tag: views.url(tag_page(tag.id, n), page),
                ),
                index_url=views.url(TAGS_INDEX, page),
                feed_url=views.url(feed_path("tag", tag.id), page),
                nav_section=section,  # shown under the Tags tab (listings are outside the navigation)
            )
    page = TAGS_INDEX
    index = [
        {
            "id": t.id,
            "label_md": views.md_plain(t.label),
            "count": len(views.tagged.get(t.id, [])),
            "url": views.url(tag_page(t.id), page),
        }
        for t in tags
    ]
    pages[page] = env.get_template("tags_index.md.j2").render(page=page, tags=index, popular=most_used(index))
    return pages


def most_used(index: list[dict], limit: int = POPULAR) -> list[dict]:
    """The ``limit`` tags carried by most papers (ties by label), none that no paper carries."""
    ranked = sorted((t for t in index if t["count"]), key=lambda t: -t["count"])  # stable: label order
    return ranked[:limit]


def head_feeds(views: Views) -> dict[str, list[tuple[str, str]]]:
    """The feed each tag listing page links in its head: its tag's."""
    return {
        tag_page(tag.id, number): [(f"Tag {tag.label}: new papers", feed_path("tag", tag.id))]
        for tag in _sorted_tags(views)
        for number in range(1, len(_listing_pages(views, tag)) + 1)
    }


def not_in_nav(views: Views) -> set[str]:
    """Every tag listing page (the tag index is in the navigation)."""
    return set(head_feeds(views))
