"""The fields resolve writes (issue 14): ``venue`` and the ``resolved:`` provenance mapping.

Both readers (the fast one for the written layout, and YAML) give the same papers; stores written
before these fields existed keep their exact bytes.
"""

from __future__ import annotations

import dataclasses

import pytest
from conftest import REPO

from generator.core.model import Paper, Resolution
from generator.store import dump_papers, parse_store
from generator.store.reader import _fast_records, _yaml_records
from generator.store.schema import check_records

RESOLVED = Paper(
    id="attention-is-all-you-need",
    title="Attention Is All You Need",
    abstract="The dominant sequence transduction models ...",
    added="2026-11-25",
    authors=("Ashish Vaswani", "Noam Shazeer"),
    year=2017,
    venue="Neural Information Processing Systems",
    url="https://arxiv.org/abs/1706.03762",
    arxiv="1706.03762",
    resolved=Resolution("arxiv+openalex", "1706.03762 W2626778328", 1.0, "2026-12-01"),
)


def _both_paths(text: str) -> tuple[list[Paper], list[Paper]]:
    fast = _fast_records(text)
    assert fast is not None, "the written layout must stay on the fast path"
    return check_records(fast, "s")[0], check_records(_yaml_records(text, "s"), "s")[0]


def test_round_trip_on_both_readers() -> None:
    text = dump_papers([RESOLVED])
    assert '  resolved: {source: arxiv+openalex, id: "1706.03762 W2626778328", score: 1.000, ' in text
    assert "  venue: Neural Information Processing Systems\n" in text
    fast, slow = _both_paths(text)
    assert [dataclasses.replace(p, line=None) for p in fast] == [RESOLVED]
    assert fast == slow
    assert dump_papers(fast) == text


@pytest.mark.parametrize(
    "resolution",
    [
        Resolution("arxiv", "2306.00732", 0.912, "2026-12-01"),
        Resolution("openalex", "W2257979135", 0.0, "2024-02-29"),
        Resolution("odd, source: {x}", 'id with "quotes", commas', 0.5, "2026-01-31"),
    ],
)
def test_odd_values_read_back_the_same(resolution: Resolution) -> None:
    paper = dataclasses.replace(RESOLVED, resolved=resolution, venue="Venue: with, odd {chars}")
    text = dump_papers([paper])
    fast, slow = _both_paths(text)
    assert fast == slow and fast[0].resolved == resolution and fast[0].venue == paper.venue


@pytest.mark.parametrize(
    "line",
    [
        "  resolved: {source: arxiv, id: x}",
        '  resolved: {source: arxiv, id: x, score: high, date: "2026-12-01"}',
        '  resolved: {source: arxiv, id: x, score: 1.000, date: "yesterday"}',
        '  resolved: {source: arxiv, id: x, score: 1.000, date: "2026-12-01", extra: 1}',
        "  resolved: arxiv",
    ],
)
def test_a_broken_resolved_mapping_is_a_located_error(line: str) -> None:
    text = dump_papers([dataclasses.replace(RESOLVED, resolved=None)]) + line + "\n"
    papers, problems = parse_store(text, "data/papers.yaml")
    assert papers == []
    assert any("resolved" in p.message and p.line == 5 and p.severity == "error" for p in problems)


def test_curator_written_score_as_integer_is_read() -> None:
    text = dump_papers([dataclasses.replace(RESOLVED, resolved=None)])
    text += '  resolved: {source: arxiv, id: "1706.03762", score: 1, date: "2026-12-01"}\n'
    papers, problems = parse_store(text, "s")
    assert problems == [] and papers[0].resolved == Resolution("arxiv", "1706.03762", 1.0, "2026-12-01")


def test_existing_stores_keep_their_bytes() -> None:
    for path in (REPO / "data" / "papers.yaml", REPO / "tests" / "fixtures" / "hostile" / "papers.yaml"):
        raw = path.read_text(encoding="utf-8")
        papers, _ = parse_store(raw, str(path))
        if path.parent.name == "data":
            assert dump_papers(papers) == raw
        assert all(p.venue is None and p.resolved is None for p in papers)
