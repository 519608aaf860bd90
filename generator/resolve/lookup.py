"""One paper -> what the services say about it: an accepted match, a review entry, or nothing.

The order of questions: a paper with an arXiv id is looked up by that id (answers fetched in batches
beforehand); one with only a DOI by its DOI at OpenAlex; a titled paper by its title at arXiv, then at
OpenAlex if arXiv has no match; a paper with a provisional title by a distinctive phrase of its abstract.
Whatever arXiv accepted is then looked up at OpenAlex by its title, for the venue and DOI (taken only
if that title matches too, by the same rule).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.core.model import Paper
from generator.resolve.apply import Found
from generator.resolve.arxiv import ArxivClient
from generator.resolve.candidate import Candidate, arxiv_id
from generator.resolve.match import ACCEPT, REVIEW, Decision, distinctive_phrase, match_paper, match_title
from generator.resolve.openalex import OpenAlexClient
from generator.resolve.review import ReviewEntry


@dataclass(frozen=True)
class Verdict:
    found: Found | None = None
    review: ReviewEntry | None = None
    reason: str = ""


def _with_venue(paper: Paper, record: Candidate, score: float, openalex: OpenAlexClient) -> Found:
    decision = match_title(record.title, openalex.by_title(record.title))
    work = decision.candidate if decision.status == ACCEPT else None
    if work is not None and work.arxiv and work.arxiv != record.arxiv:
        work = None  # OpenAlex's paper of that title is another arXiv paper
    return Found(record, work, score)


def _review(paper: Paper, decision: Decision) -> Verdict:
    return Verdict(review=ReviewEntry(paper.id, decision.reason, decision.scored), reason=decision.reason)


def look_up(
    paper: Paper, arxiv: ArxivClient, openalex: OpenAlexClient, by_id: Mapping[str, Candidate]
) -> Verdict:
    """The verdict for one paper (see the module docstring). Raises ServiceError / OfflineError."""
    if paper.arxiv:
        record = by_id.get(arxiv_id(paper.arxiv) or paper.arxiv)
        if record is None:
            return Verdict(reason=f"arXiv has no paper {paper.arxiv}")
        return Verdict(_with_venue(paper, record, 1.0, openalex), reason="arXiv id")
    if paper.doi:
        work = openalex.by_doi(paper.doi)
        if work is None:
            return Verdict(reason=f"OpenAlex has no work with DOI {paper.doi}")
        return Verdict(Found(None, work, 1.0), reason="DOI")
    if paper.needs_title:
        words = distinctive_phrase(paper.abstract)
        if not words:
            return Verdict(reason="abstract too short or all math: no phrase to search")
        decision = match_paper(paper, arxiv.by_abstract(words))
        if decision.status == ACCEPT:
            return Verdict(
                _with_venue(paper, decision.candidate, decision.score, openalex), reason=decision.reason
            )
        return _review(paper, decision) if decision.status == REVIEW else Verdict(reason=decision.reason)
    decision = match_paper(paper, arxiv.by_title(paper.title))
    if decision.status == ACCEPT:
        return Verdict(_with_venue(paper, decision.candidate, 1.0, openalex), reason=decision.reason)
    if decision.status == REVIEW:
        return _review(paper, decision)
    elsewhere = match_paper(paper, openalex.by_title(paper.title))
    if elsewhere.status == ACCEPT:
        return Verdict(Found(None, elsewhere.candidate, 1.0), reason=elsewhere.reason + " (OpenAlex)")
    if elsewhere.status == REVIEW:
        return _review(paper, elsewhere)
    return Verdict(reason="no match at arXiv or OpenAlex")
