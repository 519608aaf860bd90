"""Atom feeds (RFC 4287), and a sitemap of them: plain values in, well-formed XML text out.

Built with ``xml.etree`` so every text and attribute is escaped by the serializer. Deterministic: the
feed's ``updated`` is the newest entry's date (never the build time), entries keep the given order,
and ids are URNs made from paper ids, so they survive a change of the site's address.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from generator.site.math_text import readable_text

ATOM = "http://www.w3.org/2005/Atom"
EPOCH = "1970-01-01"
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class FeedEntry:
    """One paper in a feed. ``updated`` is an ISO date; ``link`` an absolute or feed-relative URL."""

    paper_id: str
    title: str
    summary: str
    link: str
    updated: str
    categories: tuple[tuple[str, str], ...] = ()  # (term, label)
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feed:
    """A feed: ``key`` names it in its id (e.g. "all", "topics/optimization")."""

    key: str
    title: str
    subtitle: str
    self_link: str
    page_link: str
    author: str
    entries: tuple[FeedEntry, ...]


def entry_id(paper_id: str) -> str:
    """The stable Atom id of a paper's entry (the same in every feed it appears in)."""
    return f"urn:readinglist:paper:{paper_id}"


def _timestamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def _author(parent: ET.Element, name: str) -> None:
    _add(_add(parent, "author"), "name", name)


def atom_feed(feed: Feed) -> str:
    """The feed as an Atom XML document (UTF-8 text with an XML declaration)."""
    root = ET.Element("feed", {"xmlns": ATOM})  # unprefixed names in the Atom namespace
    _add(root, "id", f"urn:readinglist:feed:{feed.key}")
    _add(root, "title", feed.title, type="text")
    if feed.subtitle:
        _add(root, "subtitle", feed.subtitle, type="text")
    _add(root, "updated", _timestamp(max((e.updated for e in feed.entries), default=EPOCH)))
    _add(root, "link", rel="self", type="application/atom+xml", href=feed.self_link)
    _add(root, "link", rel="alternate", type="text/html", href=feed.page_link)
    _author(root, feed.author)
    _add(root, "generator", "readinglist")
    ET.indent(root, space="  ")
    head, _, tail = ET.tostring(root, encoding="unicode").rpartition("\n</feed>")
    entries = "".join(entry_xml(entry) for entry in feed.entries)
    return f'<?xml version="1.0" encoding="utf-8"?>\n{head}{entries}\n</feed>{tail}\n'


@lru_cache(maxsize=4096)
def entry_xml(entry: FeedEntry) -> str:
    """One ``<entry>`` as it appears inside a feed (a newline, then indented one level): serialized once
    per build although the same paper is in the feed of the list, of its topics and of its tags."""
    element = ET.Element("entry")
    _add(element, "id", entry_id(entry.paper_id))
    _add(element, "title", entry.title, type="text")  # exactly as stored (tests/test_properties.py)
    _add(element, "updated", _timestamp(entry.updated))
    _add(element, "published", _timestamp(entry.updated))
    _add(element, "link", rel="alternate", type="text/html", href=entry.link)
    for name in entry.authors:
        _author(element, name)
    for term, label in entry.categories:
        _add(element, "category", term=term, label=label)
    if entry.summary:
        _add(element, "summary", readable_text(entry.summary), type="text")  # math as text, no $
    ET.indent(element, space="  ", level=1)
    return "\n  " + ET.tostring(element, encoding="unicode")


def newest(items: Sequence, limit: int) -> Sequence:
    """The first ``limit`` items of a newest-first sequence (all of them when ``limit`` <= 0)."""
    return items[:limit] if limit > 0 else items


SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def feeds_sitemap(feeds: Sequence[tuple[str, str]]) -> str:
    """A sitemap (sitemaps.org) of the feeds in a folder: (absolute URL, newest ISO date or "") pairs.

    Empty when the site's address is unknown, since a sitemap lists absolute URLs only.
    """
    root = ET.Element("urlset", {"xmlns": SITEMAP})
    for url, date in feeds:
        item = ET.SubElement(root, "url")
        ET.SubElement(item, "loc").text = _clean(url)
        if date:
            ET.SubElement(item, "lastmod").text = date
    ET.indent(root, space="  ")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{ET.tostring(root, encoding="unicode")}\n'
