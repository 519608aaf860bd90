"""Seed papers resolved through the fake services, then the real `mkdocs build --strict` of the site:
authors, year and links show, and the BibTeX parses back with author and year."""

from __future__ import annotations

import re

import bibtexparser
import pytest
import yaml
from conftest import REPO, make_project, mkdocs_build, run_cli

SEEDS = (
    "despite-clear-performance-benefits-data-augmentations-little",  # untitled: found by its abstract
    "equivariance-guarantees-that-models-predictions-capture-key",  # untitled
    "mechanistic-mode-connectivity",
    "pitfalls-simplicity-bias-neural-networks",
    "sharper-bounds-ell-p-sensitivity-sampling",  # math lost in the dump
)


@pytest.mark.slow
def test_resolve_seed_papers_then_build_the_site(tmp_path, arxiv_server, openalex_server) -> None:
    seeds = [p for p in yaml.safe_load((REPO / "data" / "papers.yaml").read_text()) if p["id"] in SEEDS]
    assert len(seeds) == len(SEEDS)
    root = make_project(tmp_path / "p", seeds)
    env = {
        "READINGLIST_ARXIV_API": arxiv_server.api,
        "READINGLIST_OPENALEX_API": openalex_server.url,
        "READINGLIST_ARXIV_DELAY": "0",
        "READINGLIST_CONTACT": "curator@example.org",
        "READINGLIST_TODAY": "2026-12-01",
    }
    result = run_cli("resolve", cwd=root, env=env, check=True)
    assert "papers resolved: 5" in result.stdout, result.stdout
    mkdocs_build(root, root / "site")

    pages = "\n".join(p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html"))
    assert "How Much Data Are Augmentations Worth?" in pages  # the real title of an untitled paper
    assert "The Lie Derivative for Measuring Learned Equivariance" in pages
    assert "Ekdeep Singh Lubana" in pages and "(2023)" in pages
    assert 'id="by-year"' in pages and 'id="year-2023"' in pages  # topic pages can be read by year
    assert "E. S. Lubana, E. J. Bigelow, … H. Tanaka" in pages  # shortened authors
    assert 'href="https://arxiv.org/pdf/2211.08422"' in pages
    assert "International Conference on Machine Learning" in pages  # the venue
    for arxiv in ("2210.06441", "2210.02984", "2211.08422", "2006.07710", "2306.00732"):
        assert f'href="https://arxiv.org/abs/{arxiv}"' in pages

    bib = bibtexparser.parse_string((root / "site" / "bib" / "all.bib").read_text(encoding="utf-8"))
    assert not bib.failed_blocks and len(bib.entries) == 5
    for entry in bib.entries:
        fields = {k.lower(): v.value for k, v in entry.fields_dict.items()}
        assert fields["author"] and re.fullmatch(r"\d{4}", fields["year"]), entry.key
        assert fields["archiveprefix"] == "arXiv" and fields["eprint"]
        assert entry.entry_type in ("inproceedings", "article", "misc")
    mmc = next(e for e in bib.entries if "Mechanistic" in e.fields_dict["title"].value)
    assert "Lubana" in mmc.fields_dict["author"].value and mmc.fields_dict["year"].value == "2023"
    assert mmc.entry_type == "inproceedings"
    assert mmc.fields_dict["booktitle"].value == "International Conference on Machine Learning"

    import feedparser

    feed = feedparser.parse((root / "site" / "feeds" / "all.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 5
    names = {e.title: [a.name for a in e.get("authors", [])] for e in feed.entries}
    assert names["Mechanistic Mode Connectivity"][0] == "Ekdeep Singh Lubana"
