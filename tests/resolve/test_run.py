"""The resolve command end to end against the fake services: what it writes, and when it writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import make_project

from generator.commands import check
from generator.core.project import Project
from generator.resolve.arxiv import ArxivClient
from generator.resolve.cache import ResponseCache
from generator.resolve.errors import OfflineError
from generator.resolve.http import HttpClient
from generator.resolve.openalex import OpenAlexClient
from generator.resolve.ratelimit import RateLimiter
from generator.resolve.run import resolve, review_path
from generator.resolve.service import Service
from generator.store import load_store

AUGMENT = (
    "Despite the clear performance benefits of data augmentations, little is known about why they are so "
    "effective. In this paper, we disentangle several key mechanisms through which data augmentations "
    "operate. Establishing an exchange rate between augmented and additional real data, we find that in "
    "out-of-distribution testing scenarios, augmentations which yield samples that are diverse, but "
    "inconsistent with the data distribution can be even more valuable than additional training data. "
    "Moreover, we find that data augmentations which encourage invariances can be more valuable than "
    "invariance alone, especially on small and medium sized training sets. Following this observation, we "
    "show that augmentations induce additional stochasticity during training, effectively flattening the "
    "loss landscape."
)

PAPERS = [
    {
        "id": "attention",
        "title": "Attention is all you need!",
        "abstract": "Transformers.",
        "added": "2026-11-25",
    },
    {
        "id": "not-all",
        "title": "Attention Is Not All You Need",
        "abstract": "Pure attention loses rank.",
        "added": "2026-11-25",
    },
    {
        "id": "survey",
        "title": "A Survey on Graph Neural Networks",
        "abstract": "A survey.",
        "added": "2026-11-25",
    },
    {
        "id": "despite-clear-performance-benefits",
        "title": "Despite the clear performance benefits of data augmentations, little is known about…",
        "needs_title": True,
        "abstract": AUGMENT,
        "added": "2026-11-25",
    },
    {
        "id": "alphago",
        "title": "Mastering the game of Go with deep neural networks and tree search",
        "abstract": "Go.",
        "added": "2026-11-25",
        "authors": ["D. Silver (curator spelling)"],
    },
    {
        "id": "pasta",
        "title": "Quantum gravity for cooking pasta",
        "abstract": "Pasta.",
        "added": "2026-11-25",
    },
]


def clients_for(arxiv_server, openalex_server, clock, cache: Path) -> tuple[ArxivClient, OpenAlexClient]:
    http = HttpClient("curator@example.org", attempts=2, sleep=clock.sleep)
    rc = ResponseCache(cache)
    arxiv = Service("arxiv", http, RateLimiter(3.0, clock, clock.sleep), rc)
    openalex = Service("openalex", http, RateLimiter(0.1, clock, clock.sleep), rc)
    return ArxivClient(arxiv, arxiv_server.api), OpenAlexClient(
        openalex, openalex_server.url, "c@example.org"
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Project:
    monkeypatch.setenv("READINGLIST_TODAY", "2026-12-01")
    return Project(make_project(tmp_path / "p", PAPERS))


def _papers(project: Project) -> dict:
    return {p.id: p for p in load_store(project.store)[0]}


def test_resolve_writes_matches_review_and_provenance(
    project, arxiv_server, openalex_server, clock, tmp_path
):
    clients = clients_for(arxiv_server, openalex_server, clock, tmp_path / "cache")
    report = resolve(project, clients=clients, progress=False)
    papers = _papers(project)
    a = papers["attention"]
    assert (a.arxiv, a.year, a.venue) == ("1706.03762", 2017, "Neural Information Processing Systems")
    assert a.authors[0] == "Ashish Vaswani" and a.title == "Attention is all you need!"  # title kept
    assert a.url == "https://arxiv.org/abs/1706.03762"
    assert (a.resolved.source, a.resolved.id, a.resolved.score, a.resolved.date) == (
        "arxiv+openalex",
        "1706.03762 W2626778328",
        1.0,
        "2026-12-01",
    )
    d = papers["despite-clear-performance-benefits"]
    assert not d.needs_title and d.title.startswith("How Much Data Are Augmentations Worth?")
    assert d.arxiv == "2210.06441" and d.resolved.score >= 0.9
    g = papers["alphago"]
    assert (g.doi, g.venue, g.year) == ("10.1038/nature16961", "Nature", 2016)
    assert g.authors == ("D. Silver (curator spelling)",)  # a curator's value is never overwritten
    for untouched in ("not-all", "survey", "pasta"):
        assert papers[untouched].resolved is None and papers[untouched].arxiv is None
    assert sorted(report.review) == ["not-all", "survey"] and [p for p, _ in report.not_found] == ["pasta"]
    review = yaml.safe_load(review_path(project).read_text())
    assert [e["id"] for e in review] == ["not-all", "survey"]
    assert review[0]["candidates"][0]["id"] == "1706.03762"
    waiting = [p for p in check(project) if "waiting for review" in p.message]
    assert sorted(p.record for p in waiting) == ["not-all", "survey"]
    assert all(p.path.endswith("review.yaml") and p.line for p in waiting)


def test_second_run_makes_no_request_and_keeps_the_bytes(
    project, arxiv_server, openalex_server, clock, tmp_path
):
    resolve(
        project, clients=clients_for(arxiv_server, openalex_server, clock, tmp_path / "cache"), progress=False
    )
    store, review = project.store.read_bytes(), review_path(project).read_bytes()
    sent = len(arxiv_server.requests) + len(openalex_server.requests)
    # A fresh cache: the resolved papers still make no request (only the unresolved ones ask again).
    again = resolve(
        project, clients=clients_for(arxiv_server, openalex_server, clock, tmp_path / "c2"), progress=False
    )
    assert again.skipped == 3 and not again.written
    asked = [
        r.params.get("search_query", "") + r.params.get("filter", "") for r in arxiv_server.requests[sent:]
    ]
    assert not any("need" in q and "not" not in q for q in asked)
    assert project.store.read_bytes() == store and review_path(project).read_bytes() == review
    # The same cache: no request at all.
    total = len(arxiv_server.requests) + len(openalex_server.requests)
    third = resolve(
        project, clients=clients_for(arxiv_server, openalex_server, clock, tmp_path / "c2"), progress=False
    )
    assert third.requests == 0 and len(arxiv_server.requests) + len(openalex_server.requests) == total
    assert project.store.read_bytes() == store


def test_dry_run_writes_nothing(project, arxiv_server, openalex_server, clock, tmp_path):
    before = project.store.read_bytes()
    report = resolve(
        project,
        dry_run=True,
        clients=clients_for(arxiv_server, openalex_server, clock, tmp_path / "c"),
        progress=False,
    )
    assert project.store.read_bytes() == before and not review_path(project).exists()
    changes = dict(report.resolved)["attention"]
    assert ("arxiv", None, "1706.03762") in changes


def test_paper_ids_limit_the_run(project, arxiv_server, openalex_server, clock, tmp_path):
    report = resolve(
        project,
        ["alphago"],
        clients=clients_for(arxiv_server, openalex_server, clock, tmp_path / "c"),
        progress=False,
    )
    assert [p for p, _ in report.resolved] == ["alphago"]
    assert _papers(project)["attention"].resolved is None


def test_no_network_is_one_error_and_the_store_is_unchanged(project, clock, tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    before = project.store.read_bytes()
    http = HttpClient(sleep=clock.sleep)
    rc = ResponseCache(tmp_path / "c")
    clients = (
        ArxivClient(Service("arxiv", http, RateLimiter(3, clock, clock.sleep), rc), dead + "/api/query"),
        OpenAlexClient(Service("openalex", http, RateLimiter(0, clock, clock.sleep), rc), dead),
    )
    with pytest.raises(OfflineError, match="cannot connect"):
        resolve(project, clients=clients, progress=False)
    assert project.store.read_bytes() == before and not review_path(project).exists()


def test_interrupt_keeps_the_saved_batches_and_a_whole_store(
    project, arxiv_server, openalex_server, clock, tmp_path
):
    arxiv, openalex = clients_for(arxiv_server, openalex_server, clock, tmp_path / "c")
    real = openalex.by_title
    calls = []

    def interrupted(title: str):
        calls.append(title)
        if len(calls) == 3:  # OpenAlex is asked for attention, the augmentation paper, then alphago
            raise KeyboardInterrupt
        return real(title)

    openalex.by_title = interrupted
    with pytest.raises(KeyboardInterrupt):
        resolve(project, clients=(arxiv, openalex), progress=False, batch=1)
    papers, problems = load_store(project.store)
    assert problems == [] and len(papers) == len(PAPERS)
    done = {p.id for p in papers if p.resolved is not None}
    # resolved before Ctrl-C (saved batch by batch); the paper in hand when it came is left as it was
    assert done == {"attention", "despite-clear-performance-benefits"}
    assert next(p for p in papers if p.id == "alphago").doi is None


def test_abstracts_shows_a_diff_and_takes_it_only_when_confirmed(
    project, arxiv_server, openalex_server, clock, tmp_path, monkeypatch
):
    from generator.core.model import Paper  # noqa: F401

    store = project.store.read_text()
    garbled = (
        "- id: sharper\n  title: Sharper Bounds for ell_p Sensitivity Sampling\n"
        '  abstract: "the total sensitivity mathfrak S for 1leq p<2"\n  arxiv: "2306.00732"\n'
        "  added: '2026-11-25'\n"
    )
    project.store.write_text(store + garbled)
    clients = clients_for(arxiv_server, openalex_server, clock, tmp_path / "c")
    shown = []
    report = resolve(
        project,
        ["sharper"],
        abstracts=True,
        confirm=lambda i, d: shown.append(d) or False,
        clients=clients,
        progress=False,
    )
    assert (
        len(shown) == 1 and "-the total sensitivity mathfrak S" in shown[0] and "$\\mathfrak S$" in shown[0]
    )
    assert "mathfrak S for 1leq" in _papers(project)["sharper"].abstract  # declined: kept
    report = resolve(
        project, ["sharper"], abstracts=True, confirm=lambda i, d: True, clients=clients, progress=False
    )
    assert report.abstracts_taken == ["sharper"]
    assert "$1\\leq p<2$" in _papers(project)["sharper"].abstract
