"""Related papers with strong evidence only: 0-5 links per paper, each with the words that justify it.

1. Candidates: each paper's ``CANDIDATES`` nearest papers by TF-IDF cosine (``neighbours.nearest``:
   sparse, exact up to a few thousand papers, then candidates from the rarer terms).
2. Evidence: pair features (the cosine, how it stands against the paper's other neighbours, the
   titles' own cosine, shared keyphrases), scored by the stored logistic regression (``evidence.py``,
   ``related_model.json``).
3. A link is kept if its probability reaches the model's threshold and it has a reason: the
   informative phrases both papers use or, where they share none, the specific words that weigh most in
   their cosine. Each paper keeps its best ``k`` (ties by id), so a paper with no good neighbour has
   none. The link's ``terms`` are that reason; its ``score`` the probability, rounded to 4 places.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from generator.core.model import Link, Paper
from generator.enrich.evidence import (
    FEATURES,
    LinkModel,
    link_model,
    pair_features,
    reasons,
    shared_words,
    specific_terms,
)
from generator.enrich.neighbours import nearest
from generator.enrich.phrases import PhraseIndex, index_phrases
from generator.enrich.vectors import title_vectors, vectorize  # also the map's TF-IDF rows (site/map.py)

TOP_K = 5
CANDIDATES = 12
CANDIDATE_FLOOR = 0.05  # cosine below which a pair is no candidate at all
FLOOR = CANDIDATE_FLOOR  # the weakest cosine a link can have (benchmarks compare candidates with it)

__all__ = ["TOP_K", "Candidates", "candidates", "link_reasons", "related_papers", "select_links", "vectorize"]


@dataclass(frozen=True)
class Candidates:
    """Candidate pairs (rows and cols index ``ids``, sorted by id) with their features, and what the
    reasons are read from: the phrases, the TF-IDF rows and their vocabulary (``specific``: the terms
    that can be a reason)."""

    ids: list[str]
    rows: np.ndarray
    cols: np.ndarray
    features: np.ndarray
    phrases: PhraseIndex
    matrix: sparse.csr_matrix
    vocab: np.ndarray
    specific: np.ndarray


def candidates(papers: Sequence[Paper]) -> Candidates:
    """Every paper's candidate neighbours and the evidence for each pair."""
    ordered = sorted(papers, key=lambda p: p.id)
    ids = [p.id for p in ordered]
    phrases = index_phrases(ordered)
    if len(ids) < 2:
        empty = np.zeros(0, dtype=np.int64)
        none = np.zeros(0, dtype=bool)
        return Candidates(
            ids,
            empty,
            empty,
            np.zeros((0, len(FEATURES))),
            phrases,
            sparse.csr_matrix((len(ids), 0)),
            none,
            none,
        )
    matrix, vocab = vectorize(ordered)
    rows, cols, cosines = nearest(matrix, CANDIDATES, CANDIDATE_FLOOR)
    features = pair_features(rows, cols, cosines, phrases, title_vectors(ordered))
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    return Candidates(ids, rows, cols, features, phrases, matrix, vocab, specific_terms(vocab, df, len(ids)))


def link_reasons(found: Candidates, rows: np.ndarray, cols: np.ndarray) -> list[tuple[str, ...]]:
    """The reason of each pair: its shared informative phrases, else its shared specific words (empty:
    no reason, so no link)."""
    out = reasons(rows, cols, found.phrases)
    bare = [i for i, why in enumerate(out) if not why]
    if bare:
        words = shared_words(found.matrix, found.vocab, found.specific, rows[bare], cols[bare])
        for i, why in zip(bare, words, strict=True):
            out[i] = why
    return out


def related_papers(
    papers: Sequence[Paper], k: int = TOP_K, model: LinkModel | None = None
) -> dict[str, tuple[Link, ...]]:
    """Up to ``k`` related papers per paper id, most probable first (ties by id); none without
    strong evidence."""
    return select_links(candidates(papers), k, model)


def select_links(
    found: Candidates, k: int = TOP_K, model: LinkModel | None = None
) -> dict[str, tuple[Link, ...]]:
    """The links among ``found``: probability at or above the threshold, a reason, the best ``k`` per
    paper (ties by id)."""
    result: dict[str, tuple[Link, ...]] = {pid: () for pid in found.ids}
    if not len(found.rows):
        return result
    model = model or link_model()
    probability = np.round(model.probability(found.features), 4)
    keep = probability >= model.threshold
    rows, cols, probability = found.rows[keep], found.cols[keep], probability[keep]
    terms = link_reasons(found, rows, cols)
    has_reason = np.array([bool(t) for t in terms], dtype=bool)
    order = np.lexsort((cols, -probability, rows))
    order = order[has_reason[order]]
    rows, cols, probability = rows[order], cols[order], probability[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
    top = np.flatnonzero(rank < k)
    start = 0
    for end in [*(np.flatnonzero(np.diff(rows[top])) + 1).tolist(), len(top)]:
        if end > start:
            result[found.ids[int(rows[top[start]])]] = tuple(
                Link(found.ids[int(cols[i])], float(probability[i]), terms[int(order[i])])
                for i in top[start:end].tolist()
            )
        start = end
    return result
