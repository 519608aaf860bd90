"""Related papers with strong evidence only: 0-5 links per paper, each with the words that justify it.

1. Candidates: each paper's ``CANDIDATES`` nearest papers by TF-IDF cosine (``neighbours.nearest``:
   sparse, exact up to a few thousand papers, then candidates from the rarer terms).
2. Evidence: pair features (the cosine and its rank among the paper's candidates, the titles' own
   cosine, the rarest shared keyphrase), scored by the stored logistic regression (``evidence.py``,
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
    WordIndex,
    has_reason,
    index_words,
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
    reasons are read from: the papers' keyphrases and specific words."""

    ids: list[str]
    rows: np.ndarray
    cols: np.ndarray
    features: np.ndarray
    phrases: PhraseIndex
    words: WordIndex


def candidates(papers: Sequence[Paper]) -> Candidates:
    """Every paper's candidate neighbours and the evidence for each pair."""
    ordered = sorted(papers, key=lambda p: p.id)
    ids = [p.id for p in ordered]
    phrases = index_phrases(ordered)
    if len(ids) < 2:
        empty = np.zeros(0, dtype=np.int64)
        words = WordIndex(sparse.csr_matrix((len(ids), 1)), [""])
        return Candidates(ids, empty, empty, np.zeros((0, len(FEATURES))), phrases, words)
    matrix, vocab = vectorize(ordered)
    rows, cols, cosines = nearest(matrix, CANDIDATES, CANDIDATE_FLOOR)
    features = pair_features(rows, cols, cosines, phrases, title_vectors(ordered))
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    words = index_words(matrix, vocab, specific_terms(vocab, df, len(ids)))
    return Candidates(ids, rows, cols, features, phrases, words)


def link_reasons(found: Candidates, rows: np.ndarray, cols: np.ndarray) -> list[tuple[str, ...]]:
    """The reason of each pair: its shared informative phrases, else its shared specific words (empty:
    no reason, so no link)."""
    out = reasons(rows, cols, found.phrases)
    bare = [i for i, why in enumerate(out) if not why]
    if bare:
        words = shared_words(found.words, rows[bare], cols[bare])
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
    """The links among ``found``: probability at or above the threshold, a reason (``has_reason``,
    vectorized; the reason's words are then found for the links shown only), the best ``k`` per paper
    (ties by id)."""
    result: dict[str, tuple[Link, ...]] = {pid: () for pid in found.ids}
    if not len(found.rows):
        return result
    model = model or link_model()
    probability = np.round(model.probability(found.features), 4)
    keep = np.flatnonzero(probability >= model.threshold)
    rows, cols, probability = found.rows[keep], found.cols[keep], probability[keep]
    order = np.lexsort((cols, -probability, rows))
    rows, cols, probability = rows[order], cols[order], probability[order]
    top = _best_with_reason(found, rows, cols, k)
    rows, cols, probability = rows[top], cols[top], probability[top]
    terms = link_reasons(found, rows, cols)
    start = 0
    for end in [*(np.flatnonzero(np.diff(rows)) + 1).tolist(), len(rows)]:
        if end > start:
            result[found.ids[int(rows[start])]] = tuple(
                Link(found.ids[int(cols[i])], float(probability[i]), terms[i]) for i in range(start, end)
            )
        start = end
    return result


def _best_with_reason(found: Candidates, rows: np.ndarray, cols: np.ndarray, k: int) -> np.ndarray:
    """Each row's first ``k`` pairs (rows sorted, best first) that have a reason. Reasons are checked
    only where they decide (the best ``k`` of a row, then the next ones in place of those without)."""
    status = np.zeros(len(rows), dtype=np.int8)  # 0 not checked, 1 has a reason, 2 has none
    while True:
        alive = np.flatnonzero(status != 2)
        rank = np.arange(len(alive)) - np.searchsorted(rows[alive], rows[alive])
        chosen = alive[rank < k]
        todo = chosen[status[chosen] == 0]
        if not len(todo):
            return chosen
        status[todo] = np.where(has_reason(rows[todo], cols[todo], found.phrases, found.words), 1, 2)
