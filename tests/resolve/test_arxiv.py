"""The real arXiv client against a local server that answers in the API's documented Atom format."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.resolve.arxiv import ArxivClient, parse_feed
from generator.resolve.errors import ServiceError
from generator.resolve.match import ACCEPT, NONE, REVIEW, match_abstract, match_title
from resolve.fakeserver import Reply

FIXTURES = Path(__file__).parent / "fixtures"


def test_exact_title_is_found_and_parsed(arxiv: ArxivClient, arxiv_server) -> None:
    found = arxiv.by_title("Attention Is All You Need")
    decision = match_title("Attention Is All You Need", found)
    assert decision.status == ACCEPT
    paper = decision.candidate
    assert paper.arxiv == "1706.03762" and paper.year == 2017
    assert paper.authors[0] == "Ashish Vaswani" and len(paper.authors) == 8
    assert (
        paper.abstract.startswith("The dominant sequence transduction models") and "\n" not in paper.abstract
    )
    request = arxiv_server.requests[-1]
    assert request.params["search_query"] == 'ti:"attention is all you need"'
    assert request.params["max_results"] == "5"
    assert "curator@example.org" in request.headers["user-agent"]


def test_title_differing_in_case_and_punctuation_matches(arxiv: ArxivClient) -> None:
    title = "attention is all you need!"
    decision = match_title(title, arxiv.by_title(title))
    assert decision.status == ACCEPT and decision.candidate.id == "1706.03762"


def test_near_miss_title_does_not_match(arxiv: ArxivClient) -> None:
    # The search engine drops "not" (a stop word), so the famous paper comes back: it must not be taken.
    title = "Attention Is Not All You Need"
    found = arxiv.by_title(title)
    assert "1706.03762" in [c.id for c in found]
    decision = match_title(title, found)
    assert decision.status == REVIEW and decision.candidate is None
    assert decision.scored[0][0].id == "1706.03762" and decision.scored[0][1] < 1.0


def test_two_candidates_with_the_same_title_go_to_review(arxiv: ArxivClient) -> None:
    found = arxiv.by_title("A survey on graph neural networks")
    assert sorted(c.id for c in found) == ["2001.00001", "2103.00002"]
    decision = match_title("A Survey on Graph Neural Networks", found)
    assert decision.status == REVIEW and "2 different papers" in decision.reason


def test_no_result(arxiv: ArxivClient) -> None:
    found = arxiv.by_title("Quantum gravity for cooking pasta")
    assert found == []
    assert match_title("Quantum gravity for cooking pasta", found).status == NONE


def test_untitled_paper_is_found_by_its_abstract(arxiv: ArxivClient, arxiv_server) -> None:
    from generator.resolve.match import distinctive_phrase

    abstract = (
        "Despite the clear performance benefits of data augmentations, little is known about why they are "
        "so effective. In this paper, we disentangle several key mechanisms through which data "
        "augmentations operate. Establishing an exchange rate between augmented and additional real data, "
        "we find that in out-of-distribution testing scenarios, augmentations which yield samples that are "
        "diverse, but inconsistent with the data distribution can be even more valuable than additional "
        "training data. Moreover, we find that data augmentations which encourage invariances can be more "
        "valuable than invariance alone, especially on small and medium sized training sets. Following this "
        "observation, we show that augmentations induce additional stochasticity during training, "
        "effectively flattening the loss landscape."
    )
    words = distinctive_phrase(abstract)
    assert len(words.split()) == 8
    decision = match_abstract(abstract, arxiv.by_abstract(words))
    assert decision.status == ACCEPT and decision.candidate.id == "2210.06441"
    assert decision.candidate.title.startswith("How Much Data Are Augmentations Worth?")
    assert arxiv_server.requests[-1].params["search_query"] == f'abs:"{words}"'


def test_ids_are_looked_up_in_one_batched_request(arxiv: ArxivClient, arxiv_server) -> None:
    found = arxiv.by_ids(["2211.08422", "1706.03762", "2006.07710", "9999.99999"])
    assert sorted(found) == ["1706.03762", "2006.07710", "2211.08422"]
    assert len(arxiv_server.requests) == 1
    assert arxiv_server.requests[0].params["id_list"] == "1706.03762,2006.07710,2211.08422,9999.99999"


def test_malformed_xml_is_a_service_error_and_is_not_cached(arxiv: ArxivClient, arxiv_server) -> None:
    arxiv_server.script.append(Reply(200, (FIXTURES / "arxiv_malformed.xml").read_bytes()))
    with pytest.raises(ServiceError, match="malformed Atom feed"):
        arxiv.by_title("Attention Is All You Need")
    # Not cached: asking again reaches the server and gets the good answer.
    assert "1706.03762" in [c.id for c in arxiv.by_title("Attention Is All You Need")]
    assert len(arxiv_server.requests) == 2


def test_error_entry_is_a_service_error() -> None:
    with pytest.raises(ServiceError, match="incorrect id format for 1234.12345"):
        parse_feed((FIXTURES / "arxiv_error.xml").read_bytes())


def test_html_instead_of_a_feed_is_refused() -> None:
    with pytest.raises(ServiceError, match="not an Atom feed"):
        parse_feed(b"<html><body>Service unavailable</body></html>")


def test_503_then_success(arxiv: ArxivClient, arxiv_server, clock) -> None:
    arxiv_server.script.append(Reply(503, b"busy", {"Retry-After": "7"}))
    assert "1706.03762" in [c.id for c in arxiv.by_title("Attention Is All You Need")]
    assert len(arxiv_server.requests) == 2
    assert 7.0 in clock.sleeps  # the server's Retry-After, on the fake clock


def test_answers_are_cached_so_a_rerun_is_offline(arxiv: ArxivClient, arxiv_server) -> None:
    arxiv.by_title("Attention Is All You Need")
    arxiv.by_ids(["2211.08422"])
    sent = len(arxiv_server.requests)
    arxiv.by_title("Attention Is All You Need")
    arxiv.by_ids(["2211.08422"])
    assert len(arxiv_server.requests) == sent == arxiv.service.requests


def test_latex_in_a_title_is_normalized(arxiv: ArxivClient) -> None:
    found = arxiv.by_ids(["2306.00732"])["2306.00732"]
    assert found.title == "Sharper Bounds for $\\ell_p$ Sensitivity Sampling"
    assert "$1\\leq p<2$" in found.abstract
