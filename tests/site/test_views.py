"""The site's model and paper views (generator/site/views.py): membership, locations, lazy fields."""

from __future__ import annotations

from generator.core.model import Assignment, Enriched, Link, Paper, TagDef, Taxonomy, Topic
from generator.site.settings import Settings
from generator.site.urls import UNSORTED
from generator.site.views import PaperView, Views, external_links

TAXONOMY = Taxonomy(
    topics=(Topic("opt", "Optimization"), Topic("bayes", "Bayes")), tags=(TagDef("gp", "GP"),)
)


def paper(pid: str, added: str, **fields) -> Paper:
    return Paper(id=pid, title=fields.pop("title", f"Paper {pid}"), abstract="", added=added, **fields)


PAPERS = [
    paper("a", "2024-01-01"),
    paper("b", "2024-03-01", title="B *bold*"),
    paper("c", "2024-03-01"),
    paper("h", "2024-05-01", hidden=True),
]
ENRICHED = Enriched(
    assignments={
        "a": Assignment(topics=("opt", "bayes"), tags=("gp",)),
        "b": Assignment(topics=("bayes",), tags=("gp", "unknown-tag")),
        "h": Assignment(topics=("opt",), tags=()),
    },
    related={"a": (Link("b", 0.5, ("x",)), Link("h", 0.4, ("y",)))},
)


def test_model_orders_newest_first_and_places_every_visible_paper() -> None:
    views = Views(PAPERS, TAXONOMY, ENRICHED, Settings(page_size=1))
    assert [p.id for p in views.order] == ["b", "c", "a"]  # same day: store order
    assert "h" not in views.by_id
    assert views.topic_ids == {"b": ["bayes"], "c": [UNSORTED], "a": ["opt", "bayes"]}
    assert [p.id for p in views.members["bayes"]] == ["b", "a"]
    assert views.location == {
        "b": "topics/bayes/index.md",
        "c": "unsorted/index.md",
        "a": "topics/opt/index.md",
    }
    assert [p.id for p in views.tagged["gp"]] == ["b", "a"]
    assert views.topic_order == ["opt", "bayes", UNSORTED]


def test_paper_view_escapes_and_links_relative_to_its_page() -> None:
    views = Views(PAPERS, TAXONOMY, ENRICHED, Settings())
    view = PaperView(views, views.by_id["b"], "tags/gp/index.md")
    assert view.title_md == r"B &#42;bold&#42;"
    assert view.url == "../../topics/bayes/index.md#b"
    assert (view.primary.title_md, view.primary.url) == ("Bayes", "../../topics/bayes/index.md")
    assert [t.label_md for t in view.tags] == ["GP"]  # the unknown tag is skipped
    a = PaperView(views, views.by_id["a"], "topics/opt/index.md")
    assert [r.url for r in a.related] == ["../bayes/index.md#b"]  # the hidden paper is skipped
    assert [t.url for t in a.also_in] == ["../bayes/index.md"]


def test_with_enriched_returns_new_views_and_leaves_the_old_ones_alone() -> None:
    views = Views(PAPERS, TAXONOMY, Enriched(assignments=ENRICHED.assignments), Settings())
    later = views.with_enriched(ENRICHED)
    assert PaperView(views, views.by_id["a"], "index.md").related == []
    assert [r.score for r in PaperView(later, later.by_id["a"], "index.md").related] == ["0.50"]
    assert later.location is views.location  # the model is shared, not rebuilt


def test_external_links_come_from_validated_fields_only() -> None:
    p = paper("x", "2024-01-01", arxiv="2101.00001", doi="10.1/x y", url="https://e.org/a>b")
    assert [(link.label_md, link.href) for link in external_links(p)] == [
        ("arXiv&#58;2101.00001", "https://arxiv.org/abs/2101.00001"),
        ("PDF", "https://arxiv.org/pdf/2101.00001"),
        ("doi&#58;10.1/x y", "https://doi.org/10.1/x%20y"),
        ("link", "https://e.org/a%3Eb"),
    ]
