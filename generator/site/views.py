"""What templates see: the whole site's model (:class:`Views`) and each paper's escaped, linked view.

The model is built from all papers before any page is rendered (cross-links need all of it): which
topics and tags hold which papers, the page holding each paper's full entry, citation keys. Every
title, label and link is written many times (a paper's title in its entry, its tag listings and other
papers' related lists), so each is escaped and resolved once per build.
"""

from __future__ import annotations

import copy
import html
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from generator.core.model import Enriched, Link, Paper, Taxonomy
from generator.site.authors import short_authors
from generator.site.cite import bibtex_entry, citation_keys
from generator.site.escape import html_plain, html_text, md_inline, md_plain
from generator.site.pagination import chunks
from generator.site.recency import newest_first
from generator.site.settings import Settings
from generator.site.urls import UNSORTED, Links, absolute_url, tag_page, topic_page, url_between

# A record of fields a template reads as ``x.name`` (or ``x["name"]``). Jinja tries attribute access
# first, so a dict would cost a caught AttributeError on every read of every field.
Item = SimpleNamespace


class Views:
    """The full model of the site, built before any page is rendered, with memoized escaping and links."""

    def __init__(self, papers: Sequence[Paper], taxonomy: Taxonomy, enriched: Enriched, settings: Settings):
        self.settings = settings
        self.taxonomy = taxonomy
        self.papers = [p for p in papers if not p.hidden]
        self.position = {p.id: i for i, p in enumerate(self.papers)}
        self.by_id = {p.id: p for p in self.papers}
        self.topics = {t.id: t for t in taxonomy.topics}
        self.tags = {t.id: t for t in taxonomy.tags}
        self.enriched = enriched
        self.url = Links()
        self.md_inline = lru_cache(maxsize=None)(md_inline)
        self.md_plain = lru_cache(maxsize=None)(md_plain)
        self.html_plain = lru_cache(maxsize=None)(html_plain)  # e.g. a link's reason, shown at both ends
        self.order = newest_first(self.papers)  # the one "newest first" (site/recency.py)
        self.primary: dict[str, str] = {}
        self.topic_ids: dict[str, list[str]] = {}  # paper -> its topics (primary first), or [UNSORTED]
        self.members: dict[str, list[Paper]] = defaultdict(list)  # topic -> all papers in it
        self.full: dict[str, list[Paper]] = defaultdict(list)  # topic -> papers whose full entry is there
        self.tagged: dict[str, list[Paper]] = defaultdict(list)
        for p in self.order:
            a = enriched.assignments.get(p.id)
            topics = [t for t in (a.topics if a else ()) if t in self.topics] or [UNSORTED]
            self.primary[p.id] = topics[0]
            self.topic_ids[p.id] = topics
            for t in topics:
                self.members[t].append(p)
            self.full[topics[0]].append(p)
            for tag in a.tags if a else ():
                if tag in self.tags:
                    self.tagged[tag].append(p)
        self.location: dict[str, str] = {}
        for topic_id, entries in self.full.items():
            for number, part in enumerate(chunks(entries, settings.page_size), start=1):
                for p in part:
                    self.location[p.id] = topic_page(topic_id, number)
        self.keys = citation_keys(self.papers)  # store order: an older paper keeps its key
        self.bibtex = {
            p.id: bibtex_entry(p, self.keys[p.id], self.absolute(self.location[p.id], p.id))
            for p in self.papers
        }

    def with_enriched(self, enriched: Enriched) -> Views:
        """The same views over other derived data of the same papers (e.g. once related papers arrive):
        a new object sharing this one's model and caches; this one is unchanged."""
        views = copy.copy(self)
        views.enriched = enriched
        return views

    @property
    def topic_order(self) -> list[str]:
        """Every topic id in taxonomy order, then Unsorted (which always exists, maybe empty)."""
        return [*(t.id for t in self.taxonomy.topics), UNSORTED]

    def topic_title(self, topic_id: str) -> str:
        return self.topics[topic_id].title if topic_id in self.topics else "Unsorted"

    def paper_url(self, paper_id: str, page: str) -> str:
        return self.url(self.location[paper_id], page, paper_id)

    def topic_link(self, topic_id: str, page: str) -> Item:
        return Item(
            title_md=self.md_plain(self.topic_title(topic_id)),
            url=self.url(topic_page(topic_id), page),
            title_html=html_plain(self.topic_title(topic_id)),
        )

    def absolute(self, path: str, anchor: str = "") -> str:
        """The absolute URL of a docs path when the site URL is known, else ""."""
        return absolute_url(self.settings.site_url, path, anchor, self.settings.directory_urls)

    def href(self, target: str, page: str, anchor: str = "") -> str:
        """The final URL from ``page`` to docs path ``target`` (``#anchor``), HTML-escaped, for raw HTML
        (MkDocs rewrites ``.md`` links in Markdown only). Memoized per (page, target) for the build."""
        if target == page and anchor:
            return f"#{html.escape(anchor, quote=True)}"
        cache = self.__dict__.setdefault("_hrefs", {})
        url = cache.get((page, target))
        if url is None:
            url = cache[(page, target)] = html.escape(
                url_between(page, target, "", self.settings.directory_urls), quote=True
            )
        return f"{url}#{html.escape(anchor, quote=True)}" if anchor else url

    def html_inline(self, text: str) -> str:
        """:func:`html_text` on one line, memoized for the build (titles in entries and related lists)."""
        cache = self.__dict__.setdefault("_html_inline", {})
        value = cache.get(text)
        if value is None:
            value = cache[text] = html_text(" ".join(text.split()))
        return value

    def tag_item(self, tag_id: str, page: str) -> Item:
        """A tag's link from ``page`` (its label and URL, Markdown and HTML), memoized per (tag, page): the
        papers of one page share their tags' links. Templates cannot change an item (no attribute
        assignment in Jinja), so every entry can show the same one."""
        cache = self.__dict__.setdefault("_tag_items", {})
        item = cache.get((tag_id, page))
        if item is None:
            label = self.tags[tag_id].label
            item = cache[(tag_id, page)] = Item(
                label_md=self.md_plain(label),
                url=self.url(tag_page(tag_id), page),
                label_html=html_plain(label),
                href=self.href(tag_page(tag_id), page),
            )
        return item

    def related_item(self, link: Link, page: str) -> Item:
        """A related-paper link shown on ``page``: the target's title and URL (memoized per (target, page))
        and the link's reason."""
        targets = self.__dict__.setdefault("_related_targets", {})
        target = targets.get((link.target, page))
        if target is None:
            title = self.by_id[link.target].title
            target = targets[(link.target, page)] = {
                "title_md": self.md_inline(title),
                "url": self.paper_url(link.target, page),
                "title_html": self.html_inline(title),
                "href": self.href(self.location[link.target], page, link.target),
            }
        terms = ", ".join(link.terms)
        terms_md, terms_html = self.md_plain(terms), self.html_plain(terms)
        return Item(**target, score=f"{link.score:.2f}", terms_md=terms_md, terms_html=terms_html)

    def link(self, source: str, target: str, anchor: str = "") -> str:
        """A URL in a file MkDocs does not rewrite (feeds, SVG): absolute if possible, else relative."""
        absolute = self.absolute(target, anchor)
        return absolute or url_between(source, target, anchor, self.settings.directory_urls)


class lazy:  # noqa: N801 - used as a decorator, like functools.cached_property
    """A computed attribute, stored on the instance when first read (``functools.cached_property``
    without its per-read lock in Python 3.11, which costs more than these fields do)."""

    def __init__(self, compute: Callable[[Any], Any]):
        self.compute = compute
        self.name = compute.__name__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


class PaperView:
    """What templates see of a paper on a given page: escaped text and page-relative links.

    Fields are computed when a template first reads them: a listing line reads three of them, a full
    entry all of them, and a curator's template may read any.
    """

    def __init__(self, views: Views, paper: Paper, page: str):
        self._model = views
        self._paper = paper
        self._page = page
        self.id = paper.id
        self.needs_title = paper.needs_title
        self.added = paper.added
        self.listed = paper.listed or ""
        self.year = paper.year

    @lazy
    def title_md(self) -> str:
        return self._model.md_inline(self._paper.title)

    @lazy
    def title_html(self) -> str:
        """The title for raw HTML (one-line listings: tag pages, by year, also in this topic)."""
        return self._model.html_inline(self._paper.title)

    @lazy
    def title_plain_md(self) -> str:
        return self._model.md_plain(self._paper.title)

    @lazy
    def toc_label_md(self) -> str:
        """The table of contents' label for a title with math: its text, formulas as TeX (the TOC would
        otherwise show the MathML's text and then its TeX annotation). Empty for other titles."""
        return self.title_plain_md if "<math" in self.title_md else ""

    @lazy
    def abstract_html(self) -> str:
        return html_text(self._paper.abstract) if self._paper.abstract else ""

    @lazy
    def authors_md(self) -> str:
        return md_plain(", ".join(self._paper.authors)) if self._paper.authors else ""

    @lazy
    def authors_html(self) -> str:
        """The shortened author list ("A. Author, B. Author, … C. Author")."""
        return html_plain(short_authors(self._paper.authors)) if self._paper.authors else ""

    @lazy
    def authors_full_html(self) -> str:
        """Every author, for the shortened list's tooltip."""
        return html_plain(", ".join(self._paper.authors)) if self._paper.authors else ""

    @lazy
    def venue_html(self) -> str:
        return html_plain(self._paper.venue) if self._paper.venue else ""

    @lazy
    def _byline(self) -> str:
        """Authors (shortened), year and venue, " · " between them."""
        p = self._paper
        parts = [short_authors(p.authors)] if p.authors else []
        if p.year is not None:
            parts.append(str(p.year))
        if p.venue:
            parts.append(p.venue)
        return " · ".join(parts)

    @lazy
    def byline_md(self) -> str:
        """The byline on one Markdown line, for one-line listings."""
        return md_plain(self._byline) if self._byline else ""

    @lazy
    def byline_html(self) -> str:
        """The byline for raw HTML (one-line listings)."""
        return html_plain(self._byline) if self._byline else ""

    @lazy
    def listed_html(self) -> str:
        return html_plain(self.listed) if self.listed else ""

    @lazy
    def notes_html(self) -> str:
        return html_text(self._paper.notes) if self._paper.notes else ""

    @lazy
    def url(self) -> str:
        return self._model.paper_url(self.id, self._page)

    @lazy
    def href(self) -> str:
        """The final URL of the paper's full entry from this page, for raw HTML."""
        return self._model.href(self._model.location[self.id], self._page, self.id)

    @lazy
    def _topics(self) -> list[str]:
        return self._model.topic_ids[self.id]

    @lazy
    def primary(self) -> Item:
        return self._model.topic_link(self._topics[0], self._page)

    @lazy
    def also_in(self) -> list[Item]:
        """The paper's other topics: ``title_md``/``url`` for Markdown, ``title_html``/``href`` for HTML."""
        model, page = self._model, self._page
        return [
            Item(**vars(model.topic_link(t, page)), href=model.href(topic_page(t), page))
            for t in self._topics[1:]
        ]

    @lazy
    def tags(self) -> list[Item]:
        model, a = self._model, self._model.enriched.assignments.get(self.id)
        return [model.tag_item(t, self._page) for t in (a.tags if a else ()) if t in model.tags]

    @lazy
    def links(self) -> list[Item]:
        return external_links(self._paper)

    @lazy
    def bibtex(self) -> str:
        return self._model.bibtex[self.id]

    @lazy
    def bibtex_html(self) -> str:
        """The BibTeX entry for a ``<pre><code>`` block (no highlighting pass)."""
        return html.escape(self._model.bibtex[self.id].strip("\n"), quote=False)

    @lazy
    def aliases_html(self) -> list[str]:
        return [html.escape(alias, quote=True) for alias in self._paper.aliases]

    @lazy
    def related(self) -> list[Item]:
        model = self._model
        return [
            model.related_item(link, self._page)  # the same for both ends of a link
            for link in model.enriched.related.get(self.id, ())
            if link.target in model.by_id
        ]


def paper_views(views: Views, papers: Sequence[Paper], page: str) -> list[PaperView]:
    """The views of ``papers`` as shown on ``page``."""
    return [PaperView(views, p, page) for p in papers]


def external_links(paper: Paper) -> list[Item]:
    """Links out, built only from validated fields (store.check_links): http(s), DOI, arXiv."""
    links = []
    if paper.arxiv:
        links.append({"label": f"arXiv:{paper.arxiv}", "href": f"https://arxiv.org/abs/{paper.arxiv}"})
        links.append({"label": "PDF", "href": f"https://arxiv.org/pdf/{paper.arxiv}"})
    if paper.doi:
        links.append({"label": f"doi:{paper.doi}", "href": f"https://doi.org/{paper.doi}"})
    if paper.url and paper.url not in {x["href"] for x in links}:  # resolve's url may be the arXiv page
        links.append({"label": "link", "href": paper.url})
    items = []
    for x in links:
        href = x["href"].replace(" ", "%20").replace(">", "%3E")
        items.append(
            Item(
                label_md=md_plain(x["label"]),
                href=href,
                label_html=html_plain(x["label"]),
                href_html=html.escape(href, quote=True),
            )
        )
    return items
