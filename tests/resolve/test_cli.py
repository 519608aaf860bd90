"""`python -m generator resolve` as a curator runs it, with the endpoints pointed at the fake services."""

from __future__ import annotations

import socket

import yaml
from conftest import make_project, run_cli

from generator.store import load_store

PAPERS = [
    {
        "id": "mmc",
        "title": "Mechanistic Mode Connectivity",
        "abstract": "Loss landscapes.",
        "added": "2026-11-25",
    },
    {"id": "not-all", "title": "Attention Is Not All You Need", "abstract": "Rank.", "added": "2026-11-25"},
    {
        "id": "arxiv-2006-07710",
        "title": "arXiv:2006.07710",
        "needs_title": True,
        "abstract": "",
        "arxiv": "2006.07710",
        "added": "2026-12-01",
    },
]


def _env(arxiv_server, openalex_server) -> dict:
    return {
        "READINGLIST_ARXIV_API": arxiv_server.api,
        "READINGLIST_OPENALEX_API": openalex_server.url,
        "READINGLIST_ARXIV_DELAY": "0",
        "READINGLIST_CONTACT": "curator@example.org",
        "READINGLIST_TODAY": "2026-12-01",
    }


def test_dry_run_then_resolve_then_check(tmp_path, arxiv_server, openalex_server) -> None:
    root = make_project(tmp_path / "p", PAPERS)
    env = _env(arxiv_server, openalex_server)
    before = (root / "data" / "papers.yaml").read_bytes()
    dry = run_cli("resolve", "--dry-run", cwd=root, env=env, check=True)
    assert "papers resolved: 2" in dry.stdout and "dry run: store not changed" in dry.stdout
    assert (root / "data" / "papers.yaml").read_bytes() == before
    assert "curator@example.org" in arxiv_server.requests[0].headers["user-agent"]

    run = run_cli("resolve", cwd=root, env=env, check=True)
    assert "papers resolved: 2" in run.stdout and "waiting for review: 1 (not-all)" in run.stdout
    papers = {p.id: p for p in load_store(root / "data" / "papers.yaml")[0]}
    full = papers["arxiv-2006-07710"]  # an id-only record becomes a full one
    assert full.title == "The Pitfalls of Simplicity Bias in Neural Networks" and not full.needs_title
    assert (
        full.abstract
        and full.authors[0] == "Harshay Shah"
        and full.venue == "Neural Information Processing Systems"
    )
    assert (
        papers["mmc"].venue == "International Conference on Machine Learning" and papers["mmc"].year == 2023
    )

    store = (root / "data" / "papers.yaml").read_bytes()
    sent = len(arxiv_server.requests) + len(openalex_server.requests)
    again = run_cli("resolve", cwd=root, env=env, check=True)
    assert "requests sent: 0" in again.stdout and "store unchanged" in again.stdout
    assert (root / "data" / "papers.yaml").read_bytes() == store
    assert len(arxiv_server.requests) + len(openalex_server.requests) == sent

    checked = run_cli("check", cwd=root, env=env)
    assert (
        "waiting for review" in checked.stdout + checked.stderr
        and "[not-all]" in checked.stdout + checked.stderr
    )
    review = yaml.safe_load((root / "data" / "review.yaml").read_text())
    assert [e["id"] for e in review] == ["not-all"]


def test_no_network_is_one_message_and_exit_1(tmp_path) -> None:
    root = make_project(tmp_path / "p", PAPERS)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    before = (root / "data" / "papers.yaml").read_bytes()
    env = {"READINGLIST_ARXIV_API": dead + "/api/query", "READINGLIST_OPENALEX_API": dead}
    result = run_cli("resolve", cwd=root, env=env)
    assert result.returncode == 1
    assert result.stderr.count("error:") == 1 and "cannot connect" in result.stderr
    assert "Traceback" not in result.stderr
    assert (root / "data" / "papers.yaml").read_bytes() == before


def test_unknown_paper_id_and_bad_setting(tmp_path, arxiv_server, openalex_server) -> None:
    root = make_project(tmp_path / "p", PAPERS)
    result = run_cli("resolve", "no-such-paper", cwd=root, env=_env(arxiv_server, openalex_server))
    assert result.returncode == 1 and "no paper with id 'no-such-paper'" in result.stderr
    bad = run_cli(
        "resolve", cwd=root, env={**_env(arxiv_server, openalex_server), "READINGLIST_ARXIV_DELAY": "soon"}
    )
    assert bad.returncode == 1 and "READINGLIST_ARXIV_DELAY" in bad.stderr
