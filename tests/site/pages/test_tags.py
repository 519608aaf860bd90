"""Tag pages (generator/site/pages/tags.py) and the other small page kinds, each rendered on its own."""

from __future__ import annotations

from generator.core.model import Assignment, Enriched, Paper, TagDef, Taxonomy, Topic
from generator.site.environment import make_environment
from generator.site.pages import bibs, home, moved, tags
from generator.site.render import render_site
from generator.site.settings import Settings
from generator.site.views import Views

TAXONOMY = Taxonomy(topics=(Topic("opt", "Optimization"),), tags=(TagDef("gp", "GP"), TagDef("adam", "Adam")))
PAPERS = [Paper(id=f"p{i}", title=f"Paper {i}", abstract="", added="2024-01-01") for i in range(3)]
ENRICHED = Enriched(assignments={p.id: Assignment(topics=("opt",), tags=("gp",)) for p in PAPERS})


def test_tag_listing_pages_split_with_a_pager_and_an_index() -> None:
    model = Views(PAPERS, TAXONOMY, ENRICHED, Settings(tag_page_size=2))
    pages = tags.render_tags(model, make_environment())
    assert list(pages) == [
        "tags/adam/index.md",
        "tags/gp/index.md",
        "tags/gp-2/index.md",
        "tags/index.md",
    ]  # by label
    assert " · page: **1** · [2](../gp-2/index.md)" in pages["tags/gp/index.md"]
    assert " · page:" not in pages["tags/adam/index.md"]
    assert tags.not_in_nav(model) == {"tags/adam/index.md", "tags/gp/index.md", "tags/gp-2/index.md"}
    assert tags.head_feeds(model)["tags/gp-2/index.md"] == [("Tag GP: new papers", "feeds/tag-gp.xml")]


def test_render_site_gathers_exactly_the_pages_each_kind_returns() -> None:
    settings = Settings(tag_page_size=2)
    model = Views(PAPERS, TAXONOMY, ENRICHED, settings)
    env = make_environment()
    parts = [tags.render_tags(model, env), home.render_home(model, env), bibs.render_bibs(model, env)]
    parts.append(moved.render_moved(model, env))
    site = render_site(PAPERS, TAXONOMY, ENRICHED, settings, env)
    for part in parts:
        assert {path: site.pages[path] for path in part} == part
    assert set(parts[1]) == {"index.md"} and set(parts[3]) == {moved.PAGE}
    assert set(parts[2]) == {"bib/all.bib", "bib/topics/opt.bib", "bib/topics/unsorted.bib"}
