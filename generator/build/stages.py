"""The build as one linear list of phases: load + validate, enrich, render, (write: ``output``).

Each phase calls plain stage functions (``load_store``, ``assign_all``, ``related_papers``, the page
renderers of ``generator.site``); this module alone decides which run in a second process
(``schedule.Forked``) and which whole phases come from the cache (``cache.Cache``). Results are the
same either way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import jinja2

from generator.build.cache import Cache, enrich_key, site_key
from generator.build.schedule import (
    PARALLEL_MIN,
    RELATED_PARALLEL_MIN,
    Forked,
    gc_paused,
    split_by_weight,
    worth_forking,
)
from generator.checks import check_papers, raise_errors
from generator.core.errors import Problem
from generator.core.model import Enriched, Paper, Taxonomy, visible
from generator.core.project import Project
from generator.search.records import PaperRecord, paper_records
from generator.site.environment import reused_environment
from generator.site.pages.topics import render_topics
from generator.site.render import Site, assemble_site, render_other_pages
from generator.site.settings import Settings, load_settings
from generator.site.views import Views
from generator.store import load_store
from generator.taxonomy.load import load_taxonomy

# The share of topic entries a child renders while the parent renders the other pages (tag listings,
# feeds, BibTeX, home, map); those cost about as much as the remaining ~20% of topic entries (measured
# at 10k-100k papers), so both processes finish together. Only balance depends on it, never a page.
REST_SHARE = 0.8

# Called with the paper search's records once they are known: the MkDocs hook starts Pagefind on them.
# In one process that is before the pages are rendered (Pagefind indexes on the idle core meanwhile);
# with a second process both cores are busy rendering, so it is after (measured: starting it early
# there made a 10k build slower, benchmarks/README.md).
RecordsReady = Callable[[list[PaperRecord]], None]


@dataclass
class Model:
    """The store and taxonomy as loaded and validated, and their derived data."""

    papers: list[Paper]
    taxonomy: Taxonomy
    enriched: Enriched
    problems: list[Problem]


def _fork(papers: list[Paper], parallel: bool | None, minimum: int = PARALLEL_MIN) -> bool:
    return worth_forking(len(visible(papers)), minimum) if parallel is None else parallel


# Phase 1: load and validate.
def load_checked(project: Project) -> tuple[list[Paper], Taxonomy, list[Problem]]:
    """Read and validate the store and taxonomy; raises ReadingListError on any error."""
    with gc_paused():  # many small records and no cycles
        papers, problems = load_store(project.store)
    taxonomy = load_taxonomy(project.topics, project.tags)
    problems = problems + check_papers(papers, taxonomy, str(project.store))
    raise_errors(problems)
    return papers, taxonomy, problems


# Phase 2: enrich.
def enrich(papers: list[Paper], taxonomy: Taxonomy, parallel: bool | None = None) -> Enriched:
    """Topics and tags, and related papers, of the visible papers. The two halves are independent: with
    two or more cores and at least RELATED_PARALLEL_MIN papers (or ``parallel=True``), related papers are
    computed in a forked child meanwhile; the result is the same either way."""
    # Imported here: NumPy and SciPy cost ~0.4 s, which a build that finds everything cached never needs.
    from generator.enrich.classify import assign_all
    from generator.enrich.related import related_papers

    listed = visible(papers)
    related = Forked(lambda: related_papers(listed), fork=_fork(papers, parallel, RELATED_PARALLEL_MIN))
    assignments = assign_all(listed, taxonomy)
    return Enriched(assignments=assignments, related=related.result())


def load_model(project: Project, cache: Cache | None = None, key: str | None = None) -> Model:
    """Phases 1 and 2: the validated store and taxonomy, enriched (from the cache when ``key`` matches)."""
    papers, taxonomy, problems = load_checked(project)
    if cache is None or key is None:
        return Model(papers, taxonomy, enrich(papers, taxonomy), problems)
    return Model(papers, taxonomy, cache.phase("enriched", key, lambda: enrich(papers, taxonomy)), problems)


# Phase 3: render.
def _render_topics_split(
    views: Views, env: jinja2.Environment, share: float, meanwhile: Callable[[], None] | None = None
) -> dict[str, str]:
    """Topic pages in taxonomy order, the topics holding ``share`` of the entries rendered by a forked
    child; ``meanwhile()``, if given, runs here before this process renders the other topics."""
    topic_ids = views.topic_order
    theirs = split_by_weight(topic_ids, {t: len(views.full.get(t, [])) for t in topic_ids}, share)
    job = Forked(lambda: {t: render_topics(views, env, [t]) for t in theirs}) if theirs else None
    if meanwhile is not None:
        meanwhile()
    parts = {t: render_topics(views, env, [t]) for t in topic_ids if t not in theirs}
    parts.update(job.result() if job else {})
    return {page: text for t in topic_ids for page, text in parts[t].items()}


def _records(views: Views, records_ready: RecordsReady | None) -> list[PaperRecord]:
    """The paper search's records (they need topics and tags, not related papers), announced."""
    records = paper_records(views)
    if records_ready is not None:
        records_ready(records)
    return records


def render(
    papers: list[Paper],
    taxonomy: Taxonomy,
    enriched: Enriched,
    settings: Settings,
    env: jinja2.Environment,
    parallel: bool | None = None,
    records_ready: RecordsReady | None = None,
) -> Site:
    """Every page, as ``site.render.render_site`` renders them; on 2+ cores a forked child renders about
    80% of the topic entries while this process renders the other pages, then the remaining topics."""
    views = Views(papers, taxonomy, enriched, settings)
    records = _records(views, records_ready)
    if not _fork(papers, parallel):
        other = render_other_pages(views, env)
        return assemble_site(views, render_topics(views, env), other, records)
    other: dict[str, str] = {}
    topic_pages = _render_topics_split(
        views, env, REST_SHARE, meanwhile=lambda: other.update(render_other_pages(views, env))
    )
    return assemble_site(views, topic_pages, other, records)


def enrich_and_render(
    papers: list[Paper],
    taxonomy: Taxonomy,
    settings: Settings,
    env: jinja2.Environment,
    parallel: bool | None = None,
    records_ready: RecordsReady | None = None,
) -> tuple[Enriched, Site]:
    """Phases 2 and 3, overlapped on 2+ cores: related papers (the longest part of enriching) are
    computed in a child while this process classifies and then renders every page that does not show
    related papers; topic pages follow once they arrive, half of them in a second child."""
    if not _fork(papers, parallel):
        enriched = enrich(papers, taxonomy, parallel=parallel)  # related papers may still fork
        return enriched, render(papers, taxonomy, enriched, settings, env, False, records_ready)
    from generator.enrich.classify import assign_all
    from generator.enrich.related import related_papers

    listed = visible(papers)
    related = Forked(lambda: related_papers(listed))
    assignments = assign_all(listed, taxonomy)
    views = Views(papers, taxonomy, Enriched(assignments=assignments), settings)
    other = render_other_pages(views, env)
    enriched = Enriched(assignments=assignments, related=related.result())
    views = views.with_enriched(replace(enriched, related=dict(enriched.related)))
    topic_pages = _render_topics_split(views, env, 0.5)
    # Both cores were busy until here (the children): the indexer starts now, not before the pages.
    return enriched, assemble_site(views, topic_pages, other, _records(views, records_ready))


def site_settings(project: Project, site_url: str = "", directory_urls: bool = True) -> Settings:
    """data/site.yaml's settings with mkdocs.yml's address and URL style (the hook passes them)."""
    settings = load_settings(project)
    return replace(settings, site_url=site_url or settings.site_url, directory_urls=directory_urls)


def build_site(
    project: Project,
    use_cache: bool = True,
    *,
    site_url: str = "",
    directory_urls: bool = True,
    records_ready: RecordsReady | None = None,
) -> Site:
    """The whole site in memory. Raises ReadingListError (file, line, hint) on any bad input.

    ``site_url`` and ``directory_urls`` come from mkdocs.yml (the hook passes them): feeds and citations
    link absolutely when the site's address is known (else to data/site.yaml's ``site_url``, if set).
    The cache wraps whole phases: the site, else the enrichment (e.g. only a template changed).
    ``records_ready`` is called with the search records once they are known (``RecordsReady``; not when
    the whole site comes from the cache: they are ``site.search_records`` then).
    """
    cache = Cache(project.cache, use_cache)
    key = enrich_key(project)

    def fresh_site() -> Site:
        papers, taxonomy, _ = load_checked(project)
        env = reused_environment(project.templates)
        settings = site_settings(project, site_url, directory_urls)
        enriched = cache.get("enriched", key)
        if enriched is not None:
            return render(papers, taxonomy, enriched, settings, env, records_ready=records_ready)
        enriched, site = enrich_and_render(papers, taxonomy, settings, env, records_ready=records_ready)
        cache.put("enriched", key, enriched)
        return site

    return cache.phase("site", site_key(project, key, site_url, directory_urls), fresh_site)
