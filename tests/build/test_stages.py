"""The build's phases (generator/build/stages.py): the second process changes no result (enrichment and
pages equal the one-process ones), and the build reads settings and runs its phases as the CLI does."""

from __future__ import annotations

import pytest
from conftest import REPO, make_project

from generator.build import stages
from generator.core.project import Project
from generator.site.environment import make_environment
from generator.site.render import render_site
from generator.site.settings import Settings
from generator.store import load_store
from generator.taxonomy.load import load_taxonomy


@pytest.fixture(scope="module")
def seeds():
    papers, _ = load_store(REPO / "data" / "papers.yaml")
    taxonomy = load_taxonomy(REPO / "data" / "topics.yaml", REPO / "data" / "tags.yaml")
    return papers, taxonomy


def test_enrich_in_two_processes_equals_one(seeds) -> None:
    papers, taxonomy = seeds
    assert stages.enrich(papers, taxonomy, parallel=True) == stages.enrich(papers, taxonomy, parallel=False)


def assert_same_site(two, one) -> None:
    assert list(two.pages.items()) == list(one.pages.items())  # same pages, same order
    assert (two.nav, two.not_in_nav, two.locations, two.main_feed) == (
        one.nav,
        one.not_in_nav,
        one.locations,
        one.main_feed,
    )
    assert list(two.alternates.items()) == list(one.alternates.items())


def test_render_in_two_processes_equals_one(seeds) -> None:
    papers, taxonomy = seeds
    enriched = stages.enrich(papers, taxonomy, parallel=False)
    env = make_environment()
    one = stages.render(papers, taxonomy, enriched, Settings(), env, parallel=False)
    two = stages.render(papers, taxonomy, enriched, Settings(), env, parallel=True)
    assert_same_site(two, one)
    assert_same_site(render_site(papers, taxonomy, enriched), one)  # the site's own, one-process render


def test_overlapped_enrich_and_render_equal_one_process(seeds) -> None:
    """Related papers computed in a child while this process classifies and renders the other pages."""
    papers, taxonomy = seeds
    settings = Settings(page_size=40, tag_page_size=25)  # several pages per topic and tag
    env = make_environment()
    one = stages.enrich_and_render(papers, taxonomy, settings, env, parallel=False)
    two = stages.enrich_and_render(papers, taxonomy, settings, env, parallel=True)
    assert two[0] == one[0]
    assert list(two[1].pages.items()) == list(one[1].pages.items())
    assert (two[1].nav, two[1].not_in_nav, two[1].locations) == (
        one[1].nav,
        one[1].not_in_nav,
        one[1].locations,
    )
    assert list(two[1].alternates.items()) == list(one[1].alternates.items())
    assert sum(len(links) for links in two[0].related.values()) > 100  # related lists were rendered
    assert sum(page.count('class="rl-related"') for page in two[1].pages.values()) > 100


def test_build_site_uses_site_settings_and_mkdocs_urls(tmp_path) -> None:
    root = make_project(tmp_path)
    (root / "data" / "site.yaml").write_text("title: My list\nsite_url: https://a.org/\n", encoding="utf-8")
    project = Project(root)
    site = stages.build_site(project, use_cache=False)
    assert site.main_feed == ("My list: new papers", "feeds/all.xml")
    assert "https://a.org/feeds/all.xml" in site.pages["feeds/all.xml"]  # data/site.yaml's address
    other = stages.build_site(project, use_cache=False, site_url="https://b.org/", directory_urls=False)
    assert "https://b.org/feeds/all.xml" in other.pages["feeds/all.xml"]  # mkdocs.yml's wins
    assert "https://b.org/index.html" in other.pages["feeds/all.xml"]  # use_directory_urls: false
    assert "https://a.org/" not in other.pages["feeds/all.xml"]


@pytest.mark.parametrize("parallel", [False, True])
def test_the_search_records_are_announced_once_and_first_in_one_process(seeds, monkeypatch, parallel) -> None:
    """The hook starts Pagefind from ``records_ready``: in one process before any page is rendered, so
    that it indexes meanwhile; the records are announced once and are the site's own (made from topics
    and tags, not related papers)."""
    from generator.search.records import paper_records
    from generator.site.views import Views

    papers, taxonomy = seeds
    events: list[object] = []
    real = stages.render_other_pages
    monkeypatch.setattr(stages, "render_other_pages", lambda *a: events.append("render") or real(*a))
    settings = Settings(page_size=40)
    enriched, site = stages.enrich_and_render(
        papers, taxonomy, settings, make_environment(), parallel=parallel, records_ready=events.append
    )
    # One process: before any page (Pagefind uses the idle core); two: after, both cores were busy.
    expected = [site.search_records, "render"] if not parallel else ["render", site.search_records]
    assert events == expected
    assert site.search_records == paper_records(Views(papers, taxonomy, enriched, settings))
    assert len(site.search_records) > 400
