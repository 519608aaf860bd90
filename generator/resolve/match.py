"""The conservative rule that accepts a service's candidate for a paper, or sends it to review.

Keys: a text's key is its case-folded, accent-folded letters and digits, one space between words
(``sources.normalize.text_key``); so case, punctuation, accents, LaTeX braces and ``$`` do not count.

**Titled papers.** A candidate's score is the similarity (difflib ratio, 0..1) of the two title keys.
It is *accepted* only if its key is **equal** to the paper's (score 1.0), the title has at least
:data:`MIN_TITLE_WORDS` words, and no other candidate with an equal key is a different paper. Two
equal candidates, a short title, or a candidate scoring at least :data:`REVIEW_SCORE` without being
equal (a near miss such as "... is not all you need") go to the **review list**; the rest is ignored.

**Papers with a provisional title** are searched by a distinctive phrase of their abstract
(:func:`distinctive_phrase`) and scored by the similarity of the two abstracts' word sequences. A
candidate is accepted if it scores at least :data:`ABSTRACT_ACCEPT` and is the only one that does;
:data:`ABSTRACT_REVIEW` up to that, or several candidates above it, go to review.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from generator.core.model import Paper
from generator.resolve.candidate import Candidate
from generator.sources.normalize import split_math, text_key

MIN_TITLE_WORDS = 3
REVIEW_SCORE = 0.85
ABSTRACT_ACCEPT = 0.9
ABSTRACT_REVIEW = 0.5
PHRASE_WORDS = 8

ACCEPT, REVIEW, NONE = "accept", "review", "none"


@dataclass(frozen=True)
class Decision:
    status: str  # ACCEPT, REVIEW or NONE
    reason: str
    candidate: Candidate | None = None  # the accepted one
    score: float = 0.0
    scored: tuple[tuple[Candidate, float], ...] = ()  # every candidate worth showing, best first


def title_score(a: str, b: str) -> float:
    """Similarity of two titles' keys, 1.0 when they are equal."""
    ka, kb = text_key(a), text_key(b)
    if ka == kb:
        return 1.0
    return round(difflib.SequenceMatcher(None, ka, kb, autojunk=False).ratio(), 3)


def abstract_score(a: str, b: str) -> float:
    """Similarity of two abstracts' word sequences (keys split into words)."""
    wa, wb = text_key(a).split(), text_key(b).split()
    if not wa or not wb:
        return 0.0
    return round(difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio(), 3)


def _distinct(candidates: Sequence[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    out = []
    for c in candidates:
        if c.id not in seen:
            seen.add(c.id)
            out.append(c)
    return out


def _same_paper(a: Candidate, b: Candidate) -> bool:
    return a.id == b.id or bool(a.arxiv and a.arxiv == b.arxiv) or bool(a.doi and a.doi == b.doi)


def match_title(title: str, candidates: Sequence[Candidate]) -> Decision:
    """Apply the title rule (module docstring) to one paper's candidates."""
    scored = sorted(
        ((c, title_score(title, c.title)) for c in _distinct(candidates)), key=lambda cs: (-cs[1], cs[0].id)
    )
    shown = tuple(cs for cs in scored if cs[1] >= REVIEW_SCORE)
    exact = [c for c, s in scored if s == 1.0]
    if not exact:
        if shown:
            return Decision(REVIEW, f"close title, not equal (best {shown[0][1]:.3f})", scored=shown)
        return Decision(NONE, "no candidate with a similar title")
    first = exact[0]
    if any(not _same_paper(first, other) for other in exact[1:]):
        return Decision(REVIEW, f"{len(exact)} different papers with this title", scored=shown)
    if len(text_key(title).split()) < MIN_TITLE_WORDS:
        return Decision(REVIEW, "title too short to be matched on its own", scored=shown)
    return Decision(ACCEPT, "equal title", first, 1.0, shown)


def match_abstract(abstract: str, candidates: Sequence[Candidate]) -> Decision:
    """Apply the abstract rule (module docstring) for a paper with a provisional title."""
    scored = sorted(
        ((c, abstract_score(abstract, c.abstract)) for c in _distinct(candidates)),
        key=lambda cs: (-cs[1], cs[0].id),
    )
    shown = tuple(cs for cs in scored if cs[1] >= ABSTRACT_REVIEW)
    strong = [c for c, s in scored if s >= ABSTRACT_ACCEPT]
    if not strong:
        if shown:
            return Decision(REVIEW, f"abstract only partly agrees (best {shown[0][1]:.3f})", scored=shown)
        return Decision(NONE, "no candidate with a similar abstract")
    if any(not _same_paper(strong[0], other) for other in strong[1:]):
        return Decision(REVIEW, f"{len(strong)} different papers with this abstract", scored=shown)
    return Decision(ACCEPT, "abstract agrees", strong[0], shown[0][1], shown)


def match_paper(paper: Paper, candidates: Sequence[Candidate]) -> Decision:
    """The title rule for a titled paper, the abstract rule for one with a provisional title."""
    if paper.needs_title:
        return match_abstract(paper.abstract, candidates)
    return match_title(paper.title, candidates)


_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "for",
        "and",
        "in",
        "on",
        "to",
        "with",
        "via",
        "by",
        "from",
        "at",
        "as",
        "is",
        "are",
        "be",
        "we",
        "our",
        "this",
        "that",
        "these",
        "which",
        "it",
        "its",
        "can",
        "not",
        "or",
        "than",
        "into",
        "such",
        "also",
        "has",
        "have",
        "been",
        "their",
        "they",
        "while",
        "when",
        "where",
        "how",
        "more",
        "most",
    ]
)


def distinctive_phrase(abstract: str, words: int = PHRASE_WORDS) -> str:
    """A run of ``words`` consecutive words of the abstract, outside math, that carries the most
    letters in words that are not stop words (earliest on ties): rarer, longer words make a phrase
    that few other abstracts contain. Empty if no math-free run is that long."""
    best, best_score = "", -1
    for is_math, segment in split_math(abstract):
        if is_math:
            continue
        tokens = text_key(segment).split()
        for start in range(len(tokens) - words + 1):
            window = tokens[start : start + words]
            if any(t.isdigit() for t in window):
                continue
            score = sum(len(t) for t in window if t not in _STOP)
            if score > best_score:
                best, best_score = " ".join(window), score
    return best
