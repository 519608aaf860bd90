"""One search record per paper, and the small HTML document Pagefind indexes for it.

Pagefind indexes HTML files, one result per file; so each paper gets a tiny document (never served,
only read by the indexer) whose ``data-pagefind-*`` attributes carry the result's metadata (``title``,
``url`` of the paper's anchor on its topic page, ``authors``, ``year``, ``topic``) and its facets
(``topic``, ``tag``, ``year``). Text is data: every field is HTML-escaped, control characters dropped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from generator.core.text import control_table
from generator.site.urls import page_url
from generator.site.views import Views

_CONTROLS = control_table(keep="")
# Facet names as they appear in the bundle, the search page and its URLs (?topic=...&tag=...&year=...).
FACETS = ("topic", "tag", "year", "venue")


@dataclass(frozen=True)
class PaperRecord:
    """What the paper search knows of one paper. ``url`` is relative to the site root (``topics/x/#id``)."""

    id: str
    url: str
    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    topic: str = ""  # the primary topic's title
    topics: tuple[str, ...] = ()  # every topic the paper is listed in (facet)
    tags: tuple[str, ...] = ()  # tag labels (facet)
    venue: str = ""  # journal or conference, when known (facet)


def _text(value: str) -> str:
    return html.escape(" ".join(value.translate(_CONTROLS).split()), quote=True)


def _meta(name: str, value: str) -> str:
    return f'<span data-pagefind-meta="{name}">{_text(value)}</span>' if value.strip() else ""


def _filter(name: str, value: str) -> str:
    return f'<span data-pagefind-filter="{name}">{_text(value)}</span>' if value.strip() else ""


def record_document(record: PaperRecord) -> str:
    """The HTML document Pagefind reads for one paper: title, authors and abstract are searchable text;
    metadata and facet values sit outside the indexed body."""
    authors = ", ".join(record.authors)
    year = str(record.year) if record.year else ""
    facets = [
        *(_filter("topic", t) for t in record.topics or (record.topic,)),
        *(_filter("tag", t) for t in record.tags),
        _filter("year", year),
        _filter("venue", record.venue),
    ]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{_text(record.title)}</title></head><body>"
        f'<main data-pagefind-body><h1 data-pagefind-meta="title">{_text(record.title)}</h1>'
        f"<p>{_text(authors)}</p><p>{_text(record.abstract)}</p></main>"
        f"<div hidden>{_meta('url', record.url)}{_meta('id', record.id)}{_meta('authors', authors)}"
        f"{_meta('year', year)}{_meta('venue', record.venue)}{_meta('topic', record.topic)}"
        f"{''.join(facets)}</div>"
        "</body></html>\n"
    )


def paper_records(views: Views) -> list[PaperRecord]:
    """A record per visible paper, in store order: its entry's URL (page and anchor, in the site's URL
    style), every topic it is listed in (primary first) and its tags, as their titles and labels."""
    directory_urls = views.settings.directory_urls
    records = []
    for paper in views.papers:
        assignment = views.enriched.assignments.get(paper.id)
        topics = tuple(views.topic_title(t) for t in views.topic_ids[paper.id])
        records.append(
            PaperRecord(
                id=paper.id,
                url=f"{page_url(views.location[paper.id], directory_urls)}#{paper.id}",
                title=paper.title,
                abstract=paper.abstract,
                authors=paper.authors,
                year=paper.year,
                topic=topics[0],
                topics=topics,
                tags=tuple(
                    views.tags[t].label for t in (assignment.tags if assignment else ()) if t in views.tags
                ),
                venue=paper.venue or "",
            )
        )
    return records
