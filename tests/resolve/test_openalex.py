"""The real OpenAlex client against a local server answering in the documented works-list JSON."""

from __future__ import annotations

import pytest

from generator.resolve.errors import ServiceError
from generator.resolve.match import ACCEPT, match_title
from generator.resolve.openalex import OpenAlexClient, parse_works
from resolve.fakeserver import Reply


def test_doi_venue_authors_year(openalex: OpenAlexClient, openalex_server) -> None:
    title = "Mastering the game of Go with deep neural networks and tree search"
    decision = match_title(title, openalex.by_title(title))
    assert decision.status == ACCEPT
    work = decision.candidate
    assert (work.id, work.doi, work.venue, work.year) == (
        "W2257979135",
        "10.1038/nature16961",
        "Nature",
        2016,
    )
    assert work.authors[:2] == ("David Silver", "Aja Huang") and len(work.authors) == 20
    request = openalex_server.requests[-1]
    assert request.path == "/works"
    assert (
        request.params["filter"]
        == "title.search:" + "mastering the game of go with deep neural networks and tree search"
    )
    assert request.params["mailto"] == "curator@example.org"  # the polite pool


def test_arxiv_location_gives_the_arxiv_id_and_a_conference_venue(openalex: OpenAlexClient) -> None:
    (work,) = openalex.by_title("Attention Is All You Need")
    assert work.arxiv == "1706.03762" and work.venue == "Neural Information Processing Systems"
    assert work.doi is None


def test_a_repository_is_not_a_venue_and_arxiv_dois_are_dropped(openalex: OpenAlexClient) -> None:
    (work,) = openalex.by_title("The Lie Derivative for Measuring Learned Equivariance")
    assert work.venue is None and work.doi is None and work.arxiv == "2210.02984"


def test_malformed_json(openalex: OpenAlexClient, openalex_server) -> None:
    openalex_server.script.append(Reply(200, b'{"meta": {"count": 1}, "results": [{"id": '))
    with pytest.raises(ServiceError, match="malformed JSON"):
        openalex.by_title("Mechanistic Mode Connectivity")


def test_json_without_results() -> None:
    with pytest.raises(ServiceError, match="'results'"):
        parse_works(b'{"error": "Invalid query parameters error."}')


def test_no_result(openalex: OpenAlexClient) -> None:
    assert openalex.by_title("Quantum gravity for cooking pasta") == []
