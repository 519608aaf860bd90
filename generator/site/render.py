"""Render the whole model into pages: ``{docs-relative path: text}`` plus the navigation.

Pure: takes papers, the taxonomy and derived data, returns strings. Templates are Jinja2 files in
``generator/templates/``; a file of the same name in ``data/templates/`` overrides one. Templates only
ever receive escaped text (``*_md`` for Markdown contexts, ``*_html`` for raw HTML), never raw titles.
"""

from __future__ import annotations

import html
import json
import posixpath
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import jinja2

from generator.site import map as graph
from generator.site.cite import bib_file, bibtex_entry, citation_keys
from generator.site.escape import html_text, md_inline, md_plain
from generator.site.feeds import Feed, FeedEntry, atom_feed, feeds_sitemap, newest
from generator.core.model import Enriched, Link, Paper, Taxonomy
from generator.build.schedule import Forked, worth_forking

UNSORTED = "unsorted"
TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Settings:
    """Site settings a curator may set in data/site.yaml."""

    title: str = "Reading list"
    intro: str = ""
    recent: int = 10
    page_size: int = 200  # full paper entries per topic page before it is split
    tag_page_size: int = 500  # one-line entries per listing page (tags; a topic's "Also in this topic")
    repo_url: str = ""
    site_url: str = ""  # absolute links in feeds and citations; the mkdocs hook passes mkdocs.yml's
    directory_urls: bool = True  # page URLs as MkDocs writes them (mkdocs.yml use_directory_urls)
    feed_size: int = 50  # newest entries per Atom feed
    map_papers: int = 1000  # newest papers drawn on the paper map


@dataclass
class Site:
    pages: dict[str, str] = field(default_factory=dict)
    nav: list = field(default_factory=list)
    not_in_nav: set[str] = field(default_factory=set)
    locations: dict[str, str] = field(default_factory=dict)  # paper id (and aliases) -> page path
    main_feed: tuple[str, str] | None = None  # (title, feed path) linked from every page's head
    alternates: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # page -> more feeds

    def head_feeds(self, page: str) -> list[tuple[str, str]]:
        """The feeds a page links in its head: the whole list's, then its own (topic or tag)."""
        return [*([self.main_feed] if self.main_feed else []), *self.alternates.get(page, [])]


@dataclass(frozen=True)
class Ref:
    """A link target: a page (docs-relative path) and an optional anchor."""

    path: str
    anchor: str = ""


def relative(target: Ref, page: str) -> str:
    """The Markdown link from ``page`` to ``target`` (both docs-relative .md paths)."""
    return _link(target.path, page, target.anchor, posixpath.relpath)


def _link(path: str, page: str, anchor: str, relpath) -> str:
    if path == page and anchor:
        return f"#{anchor}"
    rel = relpath(path, page.rpartition("/")[0] or ".")
    return f"{rel}#{anchor}" if anchor else rel


class _Links:
    """:func:`relative` for a whole site, memoized per (target page, linking page's folder): a site has
    thousands of pages but few folders, and ``posixpath.relpath`` is the costliest part of a link."""

    def __init__(self) -> None:
        self._relpath = lru_cache(maxsize=None)(posixpath.relpath)

    def __call__(self, path: str, page: str, anchor: str = "") -> str:
        return _link(path, page, anchor, self._relpath)


def make_environment(override_dir: Path | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if override_dir is not None and override_dir.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(override_dir)))
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,  # output is Markdown; text arrives pre-escaped as *_md / *_html
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no stat() of the template file at every include
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_inline
    env.filters["md_plain"] = md_plain
    env.filters["html"] = html_text
    env.filters["yaml"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    return env


def page_url(path: str, directory_urls: bool = True) -> str:
    """The site-relative URL MkDocs gives a docs page: ``topics/x.md`` -> ``topics/x/``; files keep theirs."""
    if not path.endswith(".md"):
        return path
    stem = path[: -len(".md")]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


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


def feed_path(kind: str = "", key: str = "") -> str:
    """Where a feed is written: ``feeds/all.xml``, ``feeds/topic-<id>.xml`` or ``feeds/tag-<id>.xml``.

    One flat folder with a sitemap of its feeds (``feeds/sitemap.xml``): Material's JavaScript fetches
    ``sitemap.xml`` beside every ``<link rel="alternate">`` of a page head (zensical/zensical#908).
    """
    return f"feeds/{kind}-{key}.xml" if kind else "feeds/all.xml"


FEEDS_SITEMAP = "feeds/sitemap.xml"


def bib_path(topic_id: str = "") -> str:
    """Where a .bib file is written: ``bib/all.bib`` or ``bib/topics/<id>.bib``."""
    return f"bib/topics/{topic_id}.bib" if topic_id else "bib/all.bib"


def topic_page(topic_id: str, number: int = 1) -> str:
    suffix = "" if number == 1 else f"-{number}"
    return f"topics/{topic_id}{suffix}.md" if topic_id != UNSORTED else f"unsorted{suffix}.md"


def tag_page(tag_id: str, number: int = 1) -> str:
    return f"tags/{tag_id}{'' if number == 1 else f'-{number}'}.md"


def _chunks(items: Sequence, size: int) -> list[Sequence]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


class _Model:
    """The full model of the site, built before any page is rendered (cross-links need all of it)."""

    def __init__(self, papers: Sequence[Paper], taxonomy: Taxonomy, enriched: Enriched, settings: Settings):
        self.settings = settings
        self.taxonomy = taxonomy
        self.papers = [p for p in papers if not p.hidden]
        self.position = {p.id: i for i, p in enumerate(self.papers)}
        self.by_id = {p.id: p for p in self.papers}
        self.topics = {t.id: t for t in taxonomy.topics}
        self.tags = {t.id: t for t in taxonomy.tags}
        self.enriched = enriched
        # Every title, label and link is written many times (a paper's title in its entry, its tag
        # listings and other papers' related lists): escape and resolve each once per build.
        self.url = _Links()
        self.md_inline = lru_cache(maxsize=None)(md_inline)
        self.md_plain = lru_cache(maxsize=None)(md_plain)
        # Newest first; within a day, in store order (the order the curator's dumps listed them).
        self.order = sorted(self.papers, key=lambda p: (_neg_date(p.added), self.position[p.id]))
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
            for number, chunk in enumerate(_chunks(entries, settings.page_size), start=1):
                for p in chunk:
                    self.location[p.id] = topic_page(topic_id, number)
        self.keys = citation_keys(self.papers)  # store order: an older paper keeps its key
        self.bibtex = {
            p.id: bibtex_entry(p, self.keys[p.id], self.absolute(self.location[p.id], p.id))
            for p in self.papers
        }

    def topic_title(self, topic_id: str) -> str:
        return self.topics[topic_id].title if topic_id in self.topics else "Unsorted"

    def paper_url(self, paper_id: str, page: str) -> str:
        return self.url(self.location[paper_id], page, paper_id)

    def topic_link(self, topic_id: str, page: str) -> _Item:
        return _Item(
            title_md=self.md_plain(self.topic_title(topic_id)), url=self.url(topic_page(topic_id), page)
        )

    def absolute(self, path: str, anchor: str = "") -> str:
        """The absolute URL of a docs path when the site URL is known, else ""."""
        if not self.settings.site_url:
            return ""
        url = self.settings.site_url.rstrip("/") + "/" + page_url(path, self.settings.directory_urls)
        return f"{url}#{anchor}" if anchor else url

    def link(self, source: str, target: str, anchor: str = "") -> str:
        """A URL in a file MkDocs does not rewrite (feeds, SVG): absolute if possible, else relative."""
        absolute = self.absolute(target, anchor)
        return absolute or url_between(source, target, anchor, self.settings.directory_urls)


def _neg_date(date: str) -> str:
    # Sort dates descending with a string key: invert each digit.
    return date.translate(str.maketrans("0123456789", "9876543210"))


# A record of fields a template reads as ``x.name`` (or ``x["name"]``). Jinja tries attribute access
# first, so a dict would cost a caught AttributeError on every read of every field.
_Item = SimpleNamespace


class _lazy:
    """A computed attribute, stored on the instance when first read (``functools.cached_property``
    without its per-read lock in Python 3.11, which costs more than these fields do)."""

    def __init__(self, compute):
        self.compute = compute
        self.name = compute.__name__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


class _PaperView:
    """What templates see of a paper on a given page: escaped text and page-relative links.

    Fields are computed when a template first reads them: a listing line reads three of them, a full
    entry all of them, and a curator's template may read any.
    """

    def __init__(self, model: _Model, paper: Paper, page: str):
        self._model = model
        self._paper = paper
        self._page = page
        self.id = paper.id
        self.needs_title = paper.needs_title
        self.added = paper.added
        self.listed = paper.listed or ""
        self.year = paper.year

    @_lazy
    def title_md(self) -> str:
        return self._model.md_inline(self._paper.title)

    @_lazy
    def title_plain_md(self) -> str:
        return self._model.md_plain(self._paper.title)

    @_lazy
    def toc_label_md(self) -> str:
        """The table of contents' label for a title with math: its text, formulas as TeX (the TOC would
        otherwise show the MathML's text and then its TeX annotation). Empty for other titles."""
        return self.title_plain_md if "<math" in self.title_md else ""

    @_lazy
    def abstract_html(self) -> str:
        return html_text(self._paper.abstract) if self._paper.abstract else ""

    @_lazy
    def authors_md(self) -> str:
        return md_plain(", ".join(self._paper.authors)) if self._paper.authors else ""

    @_lazy
    def notes_html(self) -> str:
        return html_text(self._paper.notes) if self._paper.notes else ""

    @_lazy
    def url(self) -> str:
        return self._model.paper_url(self.id, self._page)

    @_lazy
    def _topics(self) -> list[str]:
        return self._model.topic_ids[self.id]

    @_lazy
    def primary(self) -> _Item:
        return self._model.topic_link(self._topics[0], self._page)

    @_lazy
    def also_in(self) -> list[_Item]:
        return [self._model.topic_link(t, self._page) for t in self._topics[1:]]

    @_lazy
    def tags(self) -> list[_Item]:
        model, a = self._model, self._model.enriched.assignments.get(self.id)
        return [
            _Item(label_md=model.md_plain(model.tags[t].label), url=model.url(tag_page(t), self._page))
            for t in (a.tags if a else ())
            if t in model.tags
        ]

    @_lazy
    def links(self) -> list[_Item]:
        return external_links(self._paper)

    @_lazy
    def bibtex(self) -> str:
        return self._model.bibtex[self.id]

    @_lazy
    def aliases_html(self) -> list[str]:
        return [html.escape(alias, quote=True) for alias in self._paper.aliases]

    @_lazy
    def related(self) -> list[_Item]:
        model = self._model
        return [
            _Item(
                title_md=model.md_inline(model.by_id[link.target].title),
                url=model.paper_url(link.target, self._page),
                score=f"{link.score:.2f}",
                terms_md=model.md_plain(", ".join(link.terms)),
            )  # the same for both ends of a link
            for link in model.enriched.related.get(self.id, ())
            if link.target in model.by_id
        ]


def external_links(paper: Paper) -> list[_Item]:
    """Links out, built only from validated fields (store.check_links): http(s), DOI, arXiv."""
    links = []
    if paper.arxiv:
        links.append({"label": f"arXiv:{paper.arxiv}", "href": f"https://arxiv.org/abs/{paper.arxiv}"})
    if paper.doi:
        links.append({"label": f"doi:{paper.doi}", "href": f"https://doi.org/{paper.doi}"})
    if paper.url:
        links.append({"label": "link", "href": paper.url})
    return [
        _Item(label_md=md_plain(x["label"]), href=x["href"].replace(" ", "%20").replace(">", "%3E"))
        for x in links
    ]


def render_site(
    papers: Sequence[Paper],
    taxonomy: Taxonomy,
    enriched: Enriched,
    settings: Settings = Settings(),
    env: jinja2.Environment | None = None,
    parallel: bool | None = None,
    related: Callable[[], Mapping[str, tuple[Link, ...]]] | None = None,
) -> Site:
    """Render every page of the site from the full model.

    Only the full entries on topic pages show related papers; every other page needs just the topics
    and tags. So ``related``, if given, is called for ``enriched.related`` once those other pages are
    done: the enrich stage can still be computing it in another process meanwhile (pipeline.py).

    With two or more cores and at least PARALLEL_MIN papers (or ``parallel=True``), topic pages are
    rendered by two processes, a forked child taking about half (generator.parallel). The pages are the
    same either way, and in the same order.
    """
    env = env or make_environment()
    model = _Model(papers, taxonomy, enriched, settings)
    if parallel is None:
        parallel = worth_forking(len(model.papers))
    topic_ids = [*(t.id for t in model.taxonomy.topics), UNSORTED]  # Unsorted always exists, maybe empty
    if related is None and parallel:  # the other pages can be rendered here while a child renders topics
        job = Forked(lambda: _render_topic_part(env, model, _share(model, topic_ids, REST_SHARE)))
        rest = _render_rest(env, model)
        parts = [job.result()]
        parts.append(_render_topic_part(env, model, [t for t in topic_ids if t not in parts[0]]))
    else:
        rest = _render_rest(env, model)
        if related is not None:
            model.enriched = replace(enriched, related=dict(related()))
        half = _share(model, topic_ids, 0.5) if parallel else []
        job = Forked(lambda: _render_topic_part(env, model, half)) if half else None
        parts = [_render_topic_part(env, model, [t for t in topic_ids if t not in half])]
        parts.append(job.result() if job else {})
    by_topic = {**parts[0], **parts[1]}
    topics = [by_topic[t] for t in topic_ids]  # taxonomy order, whichever process rendered a topic
    site = Site(
        pages={page: text for part in (*topics, rest) for page, text in part.pages.items()},
        nav=site_nav(model),
        not_in_nav=set().union(rest.not_in_nav, *(part.not_in_nav for part in topics)),
        locations=dict(model.location),
        main_feed=rest.main_feed,
        alternates={page: feeds for part in (*topics, rest) for page, feeds in part.alternates.items()},
    )
    for p in model.papers:
        for alias in p.aliases:
            site.locations.setdefault(alias, model.location[p.id])
    return site


# The share of topic entries a child renders while the parent renders the other pages (tag listings,
# feeds, BibTeX, home, map); those cost about as much as the remaining ~20% of topic entries (measured
# at 10k-100k papers), so both processes finish together. Only balance depends on it, never a page.
REST_SHARE = 0.8


def _share(model: _Model, topic_ids: list[str], share: float) -> list[str]:
    """Topics (in order) holding about ``share`` of all full entries: the half a child renders."""
    total = sum(len(model.full.get(t, [])) for t in topic_ids)
    chosen, count = [], 0
    for t in sorted(topic_ids, key=lambda t: -len(model.full.get(t, []))):
        if count + len(model.full.get(t, [])) <= share * total:
            chosen.append(t)
            count += len(model.full.get(t, []))
    return [t for t in topic_ids if t in chosen]


def _render_rest(env: jinja2.Environment, model: _Model) -> Site:
    """Every page but the topic pages: none of them shows related papers."""
    rest = Site()
    render_tags(env, model, rest)
    render_home(env, model, rest)
    render_feeds(model, rest)
    render_bibs(model, rest)
    render_map(env, model, rest)
    render_moved(env, model, rest)
    return rest


def _render_topic_part(env: jinja2.Environment, model: _Model, topic_ids: list[str]) -> dict[str, Site]:
    """The pages of the given topics, one Site per topic."""
    parts = {}
    for topic_id in topic_ids:
        parts[topic_id] = Site()
        render_topic(env, model, topic_id, parts[topic_id])
    return parts


def render_topic(env: jinja2.Environment, model: _Model, topic_id: str, site: Site) -> None:
    """One topic's pages: its full entries split at page_size, then its "Also in this topic" list."""
    template = env.get_template("topic.md.j2")
    topic = model.topics.get(topic_id)
    full = model.full.get(topic_id, [])
    others = [p for p in model.members.get(topic_id, []) if model.primary[p.id] != topic_id]
    # Full entries are split at page_size; the one-line "Also in this topic" list at tag_page_size,
    # spread over the same pages (and more if it is longer), so that no page grows with the list.
    chunks = _chunks(full, model.settings.page_size)
    other_chunks = _chunks(others, model.settings.tag_page_size)
    count_pages = max(len(chunks), len(other_chunks))
    title_md = model.md_plain(model.topic_title(topic_id))
    description_md = md_inline(topic.description) if topic and topic.description else ""
    for number in range(1, count_pages + 1):
        page = topic_page(topic_id, number)
        chunk = chunks[number - 1] if number <= len(chunks) else []
        other_chunk = other_chunks[number - 1] if number <= len(other_chunks) else []
        pages = [
            {"number": n, "url": model.url(topic_page(topic_id, n), page), "current": n == number}
            for n in range(1, count_pages + 1)
        ]
        children = [
            {
                "title_md": model.md_plain(t.title),
                "url": model.url(topic_page(t.id), page),
                "count": len(model.members.get(t.id, [])),
            }
            for t in model.taxonomy.topics
            if t.parent == topic_id
        ]
        site.pages[page] = template.render(
            page=page,
            topic_id=topic_id,
            title_md=title_md,
            title_plain=model.topic_title(topic_id),
            description_md=description_md,
            count=len(model.members.get(topic_id, [])),
            papers=[_PaperView(model, p, page) for p in chunk],
            others=[_PaperView(model, p, page) for p in other_chunk],
            pages=pages if count_pages > 1 else [],
            number=number,
            children=children,
            unsorted=topic_id == UNSORTED,
            feed_url=model.url(feed_path("topic", topic_id), page),
            bib_url=model.url(bib_path(topic_id), page),
        )
        feed_title = f"{model.topic_title(topic_id)}: new papers"
        site.alternates[page] = [(feed_title, feed_path("topic", topic_id))]
        if number > 1:
            site.not_in_nav.add(page)


def site_nav(model: _Model) -> list:
    """The site's navigation: home, the topics, the tag index and the map."""
    return [{"Home": "index.md"}, {"Topics": _topic_nav(model)}, {"Tags": "tags/index.md"}, {"Map": "map.md"}]


def _topic_nav(model: _Model) -> list:
    """Navigation follows the taxonomy order; children nest under their parent; Unsorted last."""
    nav: list = []
    for t in model.taxonomy.topics:
        if t.parent:
            continue
        kids = [c for c in model.taxonomy.topics if c.parent == t.id]
        if kids:
            nav.append({t.title: [topic_page(t.id), *({k.title: topic_page(k.id)} for k in kids)]})
        else:
            nav.append({t.title: topic_page(t.id)})
    nav.append({"Unsorted": topic_page(UNSORTED)})
    return nav


def render_tags(env: jinja2.Environment, model: _Model, site: Site) -> None:
    listing = env.get_template("tag.md.j2")
    tags = sorted(model.taxonomy.tags, key=lambda t: (t.label.casefold(), t.id))
    for tag in tags:
        entries = sorted(model.tagged.get(tag.id, []), key=lambda p: (p.title.casefold(), p.id))
        chunks = _chunks(entries, model.settings.tag_page_size)
        for number, chunk in enumerate(chunks, start=1):
            page = tag_page(tag.id, number)
            site.pages[page] = listing.render(
                page=page,
                tag_id=tag.id,
                label_md=md_plain(tag.label),
                description_md=md_inline(tag.description) if tag.description else "",
                count=len(entries),
                papers=[_PaperView(model, p, page) for p in chunk],
                pages=[
                    {"number": n, "url": model.url(tag_page(tag.id, n), page), "current": n == number}
                    for n in range(1, len(chunks) + 1)
                ]
                if len(chunks) > 1
                else [],
                index_url=model.url("tags/index.md", page),
                feed_url=model.url(feed_path("tag", tag.id), page),
            )
            site.alternates[page] = [(f"Tag {tag.label}: new papers", feed_path("tag", tag.id))]
            site.not_in_nav.add(page)
    page = "tags/index.md"
    site.pages[page] = env.get_template("tags_index.md.j2").render(
        page=page,
        tags=[
            {
                "id": t.id,
                "label_md": md_plain(t.label),
                "count": len(model.tagged.get(t.id, [])),
                "url": model.url(tag_page(t.id), page),
            }
            for t in tags
        ],
    )


def render_home(env: jinja2.Environment, model: _Model, site: Site) -> None:
    page = "index.md"
    topics = [
        {
            "id": t.id,
            "title_md": md_plain(t.title),
            "count": len(model.members.get(t.id, [])),
            "description_md": md_inline(t.description) if t.description else "",
            "parent": t.parent,
            "url": model.url(topic_page(t.id), page),
        }
        for t in model.taxonomy.topics
    ]
    recent = model.order[: model.settings.recent]
    curation = [p for p in model.papers if p.needs_title]
    site.pages[page] = env.get_template("home.md.j2").render(
        page=page,
        settings=model.settings,
        intro_md=md_inline(model.settings.intro) if model.settings.intro else "",
        total=len(model.papers),
        topics=topics,
        unsorted={
            "count": len(model.members.get(UNSORTED, [])),
            "url": model.url(topic_page(UNSORTED), page),
        },
        tag_count=sum(1 for t in model.taxonomy.tags if model.tagged.get(t.id)),
        tags_url=model.url("tags/index.md", page),
        recent=[_PaperView(model, p, page) for p in recent],
        curation=[_PaperView(model, p, page) for p in curation],
        feed_url=model.url(feed_path(), page),
        bib_url=model.url(bib_path(), page),
        map_url=model.url("map.md", page),
    )


def render_feeds(model: _Model, site: Site) -> None:
    """Atom feeds of the newest papers: the whole list, each topic (Unsorted too) and each tag."""
    title = model.settings.title
    site.main_feed = (f"{title}: new papers", feed_path())
    feeds = [(feed_path(), "all", title, "index.md", model.order)]
    feeds += [
        (
            feed_path("topic", t),
            f"topics/{t}",
            f"{title}: {model.topic_title(t)}",
            topic_page(t),
            model.members.get(t, []),
        )
        for t in [*model.topics, UNSORTED]
    ]
    feeds += [
        (
            feed_path("tag", t.id),
            f"tags/{t.id}",
            f"{title}: tag {t.label}",
            tag_page(t.id),
            model.tagged.get(t.id, []),
        )
        for t in model.taxonomy.tags
    ]
    dated = []
    made: dict[tuple[str, str], FeedEntry] = {}  # a paper is in several feeds; every feed is in feeds/

    def entry(paper: Paper, feed: str) -> FeedEntry:
        key = (paper.id, posixpath.dirname(feed))
        if key not in made:
            made[key] = _feed_entry(model, paper, feed)
        return made[key]

    for path, key, feed_title, page, papers in feeds:
        entries = tuple(entry(p, path) for p in newest(papers, model.settings.feed_size))
        site.pages[path] = atom_feed(
            Feed(
                key=key,
                title=feed_title,
                subtitle=f"The newest papers on {feed_title}",
                author=title,
                self_link=model.absolute(path) or posixpath.basename(path),
                page_link=model.link(path, page),
                entries=entries,
            )
        )
        dated.append((model.absolute(path), max((e.updated for e in entries), default="")))
    site.pages[FEEDS_SITEMAP] = feeds_sitemap([(url, date) for url, date in dated if url])


def _feed_entry(model: _Model, paper: Paper, feed: str) -> FeedEntry:
    a = model.enriched.assignments.get(paper.id)
    tags = [(t, model.tags[t].label) for t in (a.tags if a else ()) if t in model.tags]
    return FeedEntry(
        paper_id=paper.id,
        title=paper.title,
        summary=paper.abstract,
        link=model.link(feed, model.location[paper.id], paper.id),
        updated=paper.added,
        categories=tuple(tags),
        authors=paper.authors,
    )


def render_bibs(model: _Model, site: Site) -> None:
    """BibTeX files: every paper (bib/all.bib) and the papers of each topic (bib/topics/<id>.bib)."""
    title = model.settings.title
    site.pages[bib_path()] = bib_file((model.bibtex[p.id] for p in model.order), title)
    for topic_id in [*model.topics, UNSORTED]:
        papers = model.members.get(topic_id, [])
        site.pages[bib_path(topic_id)] = bib_file(
            (model.bibtex[p.id] for p in papers), f"{title}: {model.topic_title(topic_id)}"
        )


def render_map(env: jinja2.Environment, model: _Model, site: Site) -> None:
    """The map page: topics linked by shared papers, and the newest papers placed by their text."""
    page = "map.md"
    topic_ids = [*model.topics, UNSORTED]
    hues = graph.topic_hues(topic_ids)
    directory_urls = model.settings.directory_urls

    def url(path: str, anchor: str = "") -> str:
        return url_between(page, path, anchor, directory_urls)

    nodes = [
        graph.Node(t, model.topic_title(t), len(model.members.get(t, [])), url(topic_page(t)), hues[t])
        for t in topic_ids
    ]
    edges = graph.shared_papers({t: [p.id for p in model.members.get(t, [])] for t in topic_ids})
    papers = list(newest(model.order, model.settings.map_papers))
    coords = graph.paper_coordinates(papers)
    points = [
        graph.Point(p.id, p.title, url(model.location[p.id], p.id), hues[model.primary[p.id]], x, y)
        for p, (x, y) in zip(papers, coords.tolist(), strict=True)
    ]
    site.pages[page] = env.get_template("map.md.j2").render(
        page=page,
        style=graph.STYLE,
        topic_svg=graph.topic_map_svg(nodes, edges, "Topics linked by shared papers"),
        paper_svg=graph.paper_map_svg(points, "Papers placed by the words of their titles and abstracts"),
        topics=[
            {"title_md": md_plain(n.title), "count": n.count, "url": model.url(topic_page(n.id), page)}
            for n in nodes
        ],
        paper_count=len(points),
        total=len(model.papers),
    )


def render_moved(env: jinja2.Environment, model: _Model, site: Site) -> None:
    """The "Moved papers" page: one anchor per old id (alias), linking to the paper's current entry."""
    page = "moved.md"
    moved = sorted(((alias, p) for p in model.papers for alias in p.aliases), key=lambda item: item[0])
    site.pages[page] = env.get_template("moved.md.j2").render(
        page=page,
        moved=[
            {
                "alias_html": html.escape(alias, quote=True),
                "alias_md": md_plain(alias),
                "title_md": md_inline(p.title),
                "url": model.paper_url(p.id, page),
            }
            for alias, p in moved
        ],
    )
    site.not_in_nav.add(page)
