"""The one "newest first" order (generator/site/recency.py) and where the site uses it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.core.model import Paper
from generator.site.recency import listed_date, newest_first


@pytest.mark.parametrize(
    ("listed", "added", "expected"),
    [
        ("Mar 13", "2026-11-25", "2026-03-13"),
        ("Dec 30", "2026-01-05", "2025-12-30"),  # a listing day after the ingest day is last year's
        ("Nov 25", "2026-11-25", "2026-11-25"),
        ("Mar 13, 2024", "2026-11-25", "2024-03-13"),
        ("13 Mar 2024", "2026-11-25", "2024-03-13"),
        ("Wed, 13 Mar 2024", "2026-11-25", "2024-03-13"),
        ("2024-03-13", "2026-11-25", "2024-03-13"),
        ("Feb 29", "2026-03-01", "2024-02-29"),  # the last Feb 29 on or before the ingest day
        ("Feb 30", "2026-03-01", ""),
        ("Foo 3", "2026-03-01", ""),
        ("", "2026-03-01", ""),
        (None, "2026-03-01", ""),
        ("soon", "2026-03-01", ""),
    ],
)
def test_listed_date_reads_listing_date_lines(listed, added, expected) -> None:
    assert listed_date(listed, added) == expected


def _paper(pid: str, added: str, listed: str | None = None, needs_title: bool = False) -> Paper:
    return Paper(id=pid, title=pid, abstract="", added=added, listed=listed, needs_title=needs_title)


def test_newest_first_orders_by_added_then_titled_then_listing_date_then_store_position() -> None:
    papers = [
        _paper("untitled", "2026-11-25", needs_title=True),
        _paper("march-1", "2026-11-25", "Mar 13"),
        _paper("march-2", "2026-11-25", "Mar 13"),
        _paper("june", "2026-11-25", "Jun 4"),
        _paper("bibtex", "2026-11-25"),
        _paper("older", "2026-11-01", "Oct 30"),
        _paper("newer-untitled", "2026-11-26", needs_title=True),
    ]
    order = [p.id for p in newest_first(papers)]
    assert order == ["newer-untitled", "june", "march-1", "march-2", "bibtex", "untitled", "older"]
    assert [p.id for p in newest_first(list(reversed(papers)))][:3] == ["newer-untitled", "june", "march-2"]


def test_seed_feed_and_bib_lead_with_titled_papers_in_that_order(seed_site: Path) -> None:
    from conftest import REPO

    from generator.store import load_store

    papers, _ = load_store(REPO / "data" / "papers.yaml")
    visible = [p for p in papers if not p.hidden]
    expected = [p for p in newest_first(visible)]
    assert any(p.needs_title for p in visible), "the seeds should hold untitled abstracts"
    head = expected[:10]
    assert not any(p.needs_title for p in head), "provisional titles lead the newest-first order"
    feed = (seed_site / "feeds" / "all.xml").read_text(encoding="utf-8")
    ids = re.findall(r"<id>urn:readinglist:paper:([^<]+)</id>", feed)
    assert ids[:10] == [p.id for p in head]
    bib = (seed_site / "bib" / "all.bib").read_text(encoding="utf-8")
    titles = re.findall(r"^\s*title = \{(.*)\},?$", bib, re.M)
    assert len(titles) >= 10
    assert not any("…" in t for t in titles[:10]), titles[:10]
