"""Where every page and file of the site lives, and the links between them (the one owner of path -> URL).

Paths are docs-relative (``topics/opt/index.md``, ``feeds/all.xml``); :func:`page_url` is the URL MkDocs gives
a path, :func:`relative` the Markdown link between two pages, :func:`url_between` the URL between two
built files (for files MkDocs does not rewrite: feeds, SVG). :class:`Links` is :func:`relative`
memoized for a whole build.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

UNSORTED = "unsorted"  # the topic of papers no rule placed; it always has a page, maybe empty

# Every page's source is the ``index.md`` of its URL's folder (``topics/opt/index.md`` -> ``topics/opt/``),
# so that a relative link means the same to every engine wherever it is written: MkDocs and ProperDocs
# leave the links inside raw HTML (the pre-rendered paper entries, the map's SVG, the search page) as
# written, i.e. relative to the page's URL, while Zensical (0.0.73) resolves every relative link, raw
# HTML included, against the Markdown file's folder and re-relativizes it to the page's URL. For an
# index.md the two folders are one, with or without directory URLs (README "Engines").
HOME_PAGE = "index.md"
TAGS_INDEX = "tags/index.md"
MAP_PAGE = "map/index.md"
SEARCH_PAGE = "search/index.md"  # the paper search (pages/search.py)
MOVED_PAGE = "moved/index.md"  # old ids (aliases) -> the papers' entries (pages/moved.py)
FEEDS_SITEMAP = "feeds/sitemap.xml"


@dataclass(frozen=True)
class Ref:
    """A link target: a page (docs-relative path) and an optional anchor."""

    path: str
    anchor: str = ""


def relative(target: Ref, page: str) -> str:
    """The Markdown link from ``page`` to ``target`` (both docs-relative .md paths)."""
    return _link(target.path, page, target.anchor, posixpath.relpath)


def _link(path: str, page: str, anchor: str, relpath: Callable[[str, str], str]) -> str:
    if path == page and anchor:
        return f"#{anchor}"
    rel = relpath(path, page.rpartition("/")[0] or ".")
    return f"{rel}#{anchor}" if anchor else rel


class Links:
    """:func:`relative` for a whole site, memoized per (target page, linking page's folder): a site has
    thousands of pages but few folders, and ``posixpath.relpath`` is the costliest part of a link."""

    def __init__(self) -> None:
        self._relpath = lru_cache(maxsize=None)(posixpath.relpath)

    def __call__(self, path: str, page: str, anchor: str = "") -> str:
        return _link(path, page, anchor, self._relpath)


def page_url(path: str, directory_urls: bool = True) -> str:
    """The site-relative URL MkDocs gives a page: ``topics/x/index.md`` -> ``topics/x/``; files keep theirs"""
    if not path.endswith(".md"):
        return path
    stem = path[: -len(".md")]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def nav_section(path: str, directory_urls: bool = True) -> str:
    """How a page outside the navigation names the navigation page whose tab it belongs under (front matter
    ``nav_section``, compared by overrides/partials/tabs.html with each navigation page's URL): that page's
    URL from the site root with a leading slash, ``/`` for the home page."""
    return "/" + page_url(path, directory_urls)


def url_between(source: str, target: str, anchor: str = "", directory_urls: bool = True) -> str:
    """The URL of docs path ``target`` relative to the built page (or file) of docs path ``source``."""
    source_url = page_url(source, directory_urls)
    is_folder = source_url.endswith("/") or not source_url
    base = source_url.rstrip("/") if is_folder else posixpath.dirname(source_url)
    target_url = page_url(target, directory_urls)
    rel = posixpath.relpath(target_url or ".", base or ".")
    if not target_url or target_url.endswith("/"):
        rel = rel + "/" if rel != "." else "./"
    return f"{rel}#{anchor}" if anchor else rel


def absolute_url(site_url: str, path: str, anchor: str = "", directory_urls: bool = True) -> str:
    """The absolute URL of a docs path when the site URL is known, else ""."""
    if not site_url:
        return ""
    url = site_url.rstrip("/") + "/" + page_url(path, directory_urls)
    return f"{url}#{anchor}" if anchor else url


def feed_path(kind: str = "", key: str = "") -> str:
    """Where a feed is written: ``feeds/all.xml``, ``feeds/topic-<id>.xml`` or ``feeds/tag-<id>.xml``.

    One flat folder with a sitemap of its feeds (``feeds/sitemap.xml``): Material's JavaScript fetches
    ``sitemap.xml`` beside every ``<link rel="alternate">`` of a page head (zensical/zensical#908).
    """
    return f"feeds/{kind}-{key}.xml" if kind else "feeds/all.xml"


def bib_path(topic_id: str = "") -> str:
    """Where a .bib file is written: ``bib/all.bib`` or ``bib/topics/<id>.bib``."""
    return f"bib/topics/{topic_id}.bib" if topic_id else "bib/all.bib"


def topic_page(topic_id: str, number: int = 1) -> str:
    """Page ``number`` of a topic: ``topics/<id>/index.md``, ``topics/<id>-2/index.md``; Unsorted at the top
    level (``unsorted/index.md``)."""
    suffix = "" if number == 1 else f"-{number}"
    return f"topics/{topic_id}{suffix}/index.md" if topic_id != UNSORTED else f"unsorted{suffix}/index.md"


def tag_page(tag_id: str, number: int = 1) -> str:
    """Page ``number`` of a tag's listing: ``tags/<id>/index.md``, ``tags/<id>-2/index.md``."""
    return f"tags/{tag_id}{'' if number == 1 else f'-{number}'}/index.md"
