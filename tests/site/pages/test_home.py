"""The home page (generator/site/pages/home.py): real papers first, no curator-only content."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_cli

from generator.core.model import Assignment, Enriched, Paper, Taxonomy, Topic
from generator.site.environment import make_environment
from generator.site.pages import home
from generator.site.settings import Settings
from generator.site.views import Views

TAXONOMY = Taxonomy(topics=(Topic("opt", "Optimization"),), tags=())


def _paper(
    pid: str, listed: str | None = None, needs_title: bool = False, added: str = "2024-05-01"
) -> Paper:
    title = f"{pid} provisional…" if needs_title else f"Title of {pid}"
    return Paper(
        id=pid, title=title, abstract="An abstract.", added=added, listed=listed, needs_title=needs_title
    )


def _home(papers: list[Paper], recent: int) -> str:
    enriched = Enriched(assignments={p.id: Assignment(topics=("opt",), tags=()) for p in papers})
    views = Views(papers, TAXONOMY, enriched, Settings(recent=recent))
    return home.render_home(views, make_environment())["index.md"]


def test_recent_papers_skip_provisional_titles_and_follow_the_listing_order() -> None:
    papers = [
        _paper("u1", needs_title=True),
        _paper("u2", needs_title=True),
        _paper("march", listed="Mar 13"),
        _paper("april", listed="Apr 2"),
        _paper("old", listed="Apr 30", added="2024-04-30"),
    ]
    page = _home(papers, recent=3)
    recent = page[page.index("## Recently added") : page.index("## Topics")]
    assert re.findall(r"\[Title of (\w+)\]", recent) == ["april", "march", "old"]
    assert "provisional" not in page and "u1" not in page
    assert "Needs curation" not in page and "papers.yaml" not in page


def test_no_recent_section_without_titled_papers() -> None:
    page = _home([_paper("u1", needs_title=True)], recent=5)
    assert "Recently added" not in page and "## Topics" in page


def test_seed_home_leads_with_titled_papers(seed_site: Path) -> None:
    page = (seed_site / "index.html").read_text(encoding="utf-8")
    recent = page[page.index('id="recently-added"') : page.index('id="topics"')]
    titles = re.findall(r'class="rl-recent-title"[^>]*>(.*?)</a>', recent)
    assert len(titles) == 10 and not any("…" in t for t in titles), titles
    assert "Needs curation" not in page and "needs_title" not in page


def test_check_lists_every_provisional_title_by_id(seed_site: Path) -> None:
    project = seed_site.parent
    out = run_cli("check", cwd=project)
    store = (project / "data" / "papers.yaml").read_text(encoding="utf-8")
    untitled = re.findall(r"^- id: (\S+)\n  title: .*\n  needs_title: true$", store, re.M)
    assert untitled, "the seed store should hold papers with provisional titles"
    lines = [ln for ln in (out.stdout + out.stderr).splitlines() if "provisional title" in ln]
    for pid in untitled:
        assert any(f"[{pid}]" in ln for ln in lines), pid
