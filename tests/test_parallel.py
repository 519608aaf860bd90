"""The second process changes no result: enrichment and pages equal the one-process ones, and a child
that fails or dies is replaced by computing in the parent (so its error is raised as usual)."""

from __future__ import annotations

import os

import pytest
from conftest import REPO

from generator.build import pipeline
from generator.build import schedule as parallel
from generator.core.errors import ReadingListError
from generator.site import render
from generator.site.render import render_site
from generator.store import load_store
from generator.taxonomy.load import load_taxonomy


@pytest.fixture(scope="module")
def seeds():
    papers, _ = load_store(REPO / "data" / "papers.yaml")
    taxonomy = load_taxonomy(REPO / "data" / "topics.yaml", REPO / "data" / "tags.yaml")
    return papers, taxonomy


def test_enrich_in_two_processes_equals_one(seeds) -> None:
    papers, taxonomy = seeds
    assert pipeline.enrich(papers, taxonomy, parallel=True) == pipeline.enrich(
        papers, taxonomy, parallel=False
    )


def test_render_in_two_processes_equals_one(seeds) -> None:
    papers, taxonomy = seeds
    enriched = pipeline.enrich(papers, taxonomy, parallel=False)
    one = render_site(papers, taxonomy, enriched, parallel=False)
    two = render_site(papers, taxonomy, enriched, parallel=True)
    assert list(two.pages.items()) == list(one.pages.items())  # same pages, same order
    assert (two.nav, two.not_in_nav, two.locations, two.main_feed) == (
        one.nav,
        one.not_in_nav,
        one.locations,
        one.main_feed,
    )
    assert list(two.alternates.items()) == list(one.alternates.items())


def test_overlapped_enrich_and_render_equal_one_process(seeds) -> None:
    """Related papers computed in a child while this process classifies and renders the other pages."""
    papers, taxonomy = seeds
    settings = render.Settings(page_size=40, tag_page_size=25)  # several pages per topic and tag
    env = render.make_environment()
    one = pipeline.enrich_and_render(papers, taxonomy, settings, env, parallel=False)
    two = pipeline.enrich_and_render(papers, taxonomy, settings, env, parallel=True)
    assert two[0] == one[0]
    assert list(two[1].pages.items()) == list(one[1].pages.items())
    assert (two[1].nav, two[1].not_in_nav, two[1].locations) == (
        one[1].nav,
        one[1].not_in_nav,
        one[1].locations,
    )
    assert list(two[1].alternates.items()) == list(one[1].alternates.items())
    assert sum(len(links) for links in two[0].related.values()) > 1000  # related lists were rendered
    assert sum(page.count('class="rl-related"') for page in two[1].pages.values()) > 300


def test_forked_runs_in_a_child() -> None:
    parent = os.getpid()
    job = parallel.Forked(os.getpid)
    assert job.in_child
    assert job.result() not in (parent, None)


def test_a_child_that_dies_is_replaced_by_the_parent() -> None:
    parent = os.getpid()

    def compute() -> str:
        if os.getpid() != parent:
            os._exit(3)  # as if killed, e.g. out of memory
        return "computed here"

    assert parallel.Forked(compute).result() == "computed here"


def test_an_error_in_the_child_is_raised_by_the_parent() -> None:
    calls = []

    def compute() -> None:
        calls.append(os.getpid())
        raise ValueError("bad input")

    with pytest.raises(ValueError, match="bad input"):
        parallel.Forked(compute).result()
    assert calls == [os.getpid()]  # the child's call happened in its own memory


def test_jobs_setting_caps_the_cores(monkeypatch) -> None:
    monkeypatch.setenv("READINGLIST_JOBS", "1")
    assert parallel.cores() == 1
    monkeypatch.setenv("READINGLIST_JOBS", "nonsense")
    with pytest.raises(ReadingListError, match="READINGLIST_JOBS='nonsense' is not a whole number"):
        parallel.cores()
