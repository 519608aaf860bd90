"""The tag index (generator/site/pages/tags.py, templates/tags_index.md.j2): compact, with counts."""

from __future__ import annotations

import re
from pathlib import Path

from generator.core.model import Assignment, Enriched, Paper, TagDef, Taxonomy, Topic
from generator.site.environment import make_environment
from generator.site.pages import tags
from generator.site.settings import Settings
from generator.site.views import Views


def test_index_lists_every_tag_with_its_count_and_the_most_used_first() -> None:
    taxonomy = Taxonomy(
        topics=(Topic("opt", "Optimization"),),
        tags=(TagDef("b", "Bee"), TagDef("a", "Ant & co"), TagDef("c", "Cat"), TagDef("z", "Unused")),
    )
    papers = [Paper(id=f"p{i}", title=f"Paper {i}", abstract="", added="2024-01-01") for i in range(4)]
    carried = {"p0": ("a", "b"), "p1": ("a", "b"), "p2": ("a",), "p3": ("c",)}
    enriched = Enriched(assignments={p.id: Assignment(topics=("opt",), tags=carried[p.id]) for p in papers})
    page = tags.render_tags(Views(papers, taxonomy, enriched, Settings()), make_environment())[
        "tags/index.md"
    ]
    index = page[page.index('<div class="rl-tag-index" markdown>') :]
    assert re.findall(r"- \[(.+?)\]\((\w+)/index\.md\) <span class=\"rl-count\">(\d+)</span>", index) == [
        ("Ant &#38; co", "a", "3"),
        ("Bee", "b", "2"),
        ("Cat", "c", "1"),
        ("Unused", "z", "0"),
    ]
    popular = page[page.index("**Most used:**") : page.index("## All tags")]
    assert re.findall(r"\]\((\w+)/index\.md\)", popular) == ["a", "b", "c"]  # by count, none unused
    assert "| Tag | Papers |" not in page


def test_seed_tag_index_fits_in_columns(seed_site: Path) -> None:
    page = (seed_site / "tags" / "index.html").read_text(encoding="utf-8")
    assert "<table" not in page
    index = page[page.index('class="rl-tag-index"') :]
    assert len(re.findall(r'<span class="rl-count">\d+</span>', index)) == sum(
        1 for p in (seed_site / "tags").iterdir() if p.is_dir() and not re.search(r"-\d+$", p.name)
    )


def test_seed_tag_pages_mark_the_tags_tab_as_current(seed_site: Path) -> None:
    active = re.compile(
        r'<li class="md-tabs__item md-tabs__item--active">\s*<a href="([^"]*)"[^>]*>\s*(\w+)\s*</a>'
    )
    pages = sorted(p for p in (seed_site / "tags").glob("*/index.html"))
    assert len(pages) > 10
    for page in [seed_site / "tags" / "index.html", *pages]:
        found = active.findall(page.read_text(encoding="utf-8"))
        assert [title for _, title in found] == ["Tags"], page
    home = active.findall((seed_site / "index.html").read_text(encoding="utf-8"))
    assert [title for _, title in home] == ["Home"]
