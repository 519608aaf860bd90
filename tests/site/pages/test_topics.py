"""Topic pages (generator/site/pages/topics.py), rendered on their own from a hand-built model."""

from __future__ import annotations

from generator.core.model import Assignment, Enriched, Paper, TagDef, Taxonomy, Topic
from generator.site.environment import make_environment
from generator.site.pages import topics
from generator.site.settings import Settings
from generator.site.views import Views

TAXONOMY = Taxonomy(
    topics=(Topic("opt", "Optimization"), Topic("sgd", "SGD", parent="opt")), tags=(TagDef("gp", "GP"),)
)


def views(page_size: int, tag_page_size: int = 500) -> Views:
    papers = [
        Paper(id=f"p{i}", title=f"Paper {i}", abstract="", added=f"2024-01-{i + 1:02d}") for i in range(5)
    ]
    papers.append(Paper(id="side", title="Side", abstract="", added="2024-02-01"))
    assignments = {p.id: Assignment(topics=("opt",), tags=()) for p in papers[:5]}
    assignments["side"] = Assignment(topics=("sgd", "opt"), tags=())
    return Views(
        papers,
        TAXONOMY,
        Enriched(assignments=assignments),
        Settings(page_size=page_size, tag_page_size=tag_page_size),
    )


def test_topic_pages_split_and_carry_a_pager() -> None:
    model = views(page_size=2)
    pages = topics.render_topic(model, make_environment(), "opt")
    assert list(pages) == ["topics/opt/index.md", "topics/opt-2/index.md", "topics/opt-3/index.md"]
    assert (
        "Page 2 of 3: [1](../opt/index.md) · **2** · [3](../opt-3/index.md)" in pages["topics/opt-2/index.md"]
    )
    assert topics.page_count(model, "opt") == 3
    assert topics.not_in_nav(model) == {"topics/opt-2/index.md", "topics/opt-3/index.md"}
    feeds = topics.head_feeds(model)
    assert set(feeds) == {
        "topics/opt/index.md",
        "topics/opt-2/index.md",
        "topics/opt-3/index.md",
        "topics/sgd/index.md",
        "unsorted/index.md",
    }
    assert feeds["topics/opt-3/index.md"] == [("Optimization: new papers", "feeds/topic-opt.xml")]


def test_one_page_topics_have_no_pager_and_every_topic_renders() -> None:
    model = views(page_size=10)
    pages = topics.render_topics(model, make_environment())
    assert list(pages) == [
        "topics/opt/index.md",
        "topics/sgd/index.md",
        "unsorted/index.md",
    ]  # taxonomy order, Unsorted last
    assert "Page 1 of" not in pages["topics/opt/index.md"]
    assert "Subtopics: [SGD](../sgd/index.md) (1)" in pages["topics/opt/index.md"]
    assert topics.not_in_nav(model) == set()


def test_page_count_covers_full_entries_and_the_also_in_list() -> None:
    model = views(page_size=10, tag_page_size=1)
    assert topics.page_count(model, "opt") == 1  # one paper elsewhere: one listing page
    model = views(page_size=1, tag_page_size=1)
    assert topics.page_count(model, "sgd") == 1 and topics.page_count(model, "opt") == 5
