"""Related papers with strong evidence only: 0-5 links per paper, each with the phrases that justify it.

1. Candidates: each paper's ``CANDIDATES`` nearest papers by TF-IDF cosine (``neighbours.nearest``:
   sparse, exact up to a few thousand papers, then candidates from the rarer terms).
2. Evidence: pair features from shared keyphrases and the cosine, scored by the stored logistic
   regression (``evidence.py``, ``related_model.json``).
3. A link is kept if its probability reaches the model's threshold and the two papers share at least
   one informative phrase; each paper keeps its best ``k`` (ties by id), so a paper with no good
   neighbour has none. The link's ``terms`` are the shared phrases (its reason); its ``score`` the
   probability, rounded to 4 places.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from generator.core.model import Link, Paper
from generator.enrich.evidence import FEATURES, LinkModel, link_model, pair_features, reasons
from generator.enrich.neighbours import nearest
from generator.enrich.phrases import PhraseIndex, index_phrases
from generator.enrich.vectors import vectorize  # also the map's TF-IDF rows (generator/site/map.py)

TOP_K = 5
CANDIDATES = 12
CANDIDATE_FLOOR = 0.05  # cosine below which a pair is no candidate at all
FLOOR = CANDIDATE_FLOOR  # the weakest cosine a link can have (benchmarks compare candidates with it)

__all__ = ["TOP_K", "Candidates", "candidates", "related_papers", "vectorize"]


@dataclass(frozen=True)
class Candidates:
    """Candidate pairs (rows and cols index ``ids``, sorted by id) with their features."""

    ids: list[str]
    rows: np.ndarray
    cols: np.ndarray
    features: np.ndarray
    phrases: PhraseIndex


def candidates(papers: Sequence[Paper]) -> Candidates:
    """Every paper's candidate neighbours and the evidence for each pair."""
    ordered = sorted(papers, key=lambda p: p.id)
    ids = [p.id for p in ordered]
    phrases = index_phrases(ordered)
    if len(ids) < 2:
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(ids, empty, empty, np.zeros((0, len(FEATURES))), phrases)
    matrix, _ = vectorize(ordered)
    rows, cols, cosines = nearest(matrix, CANDIDATES, CANDIDATE_FLOOR)
    features = pair_features(rows, cols, cosines, phrases)
    return Candidates(ids, rows, cols, features, phrases)


def related_papers(
    papers: Sequence[Paper], k: int = TOP_K, model: LinkModel | None = None
) -> dict[str, tuple[Link, ...]]:
    """Up to ``k`` related papers per paper id, most probable first (ties by id); none without
    strong evidence."""
    found = candidates(papers)
    result: dict[str, tuple[Link, ...]] = {pid: () for pid in found.ids}
    if not len(found.rows):
        return result
    model = model or link_model()
    probability = np.round(model.probability(found.features), 4)
    keep = (probability >= model.threshold) & (found.features[:, FEATURES.index("phrases")] >= 1)
    rows, cols, probability = found.rows[keep], found.cols[keep], probability[keep]
    order = np.lexsort((cols, -probability, rows))
    rows, cols, probability = rows[order], cols[order], probability[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
    top = rank < k
    rows, cols, probability = rows[top], cols[top], probability[top]
    terms = reasons(rows, cols, found.phrases)
    start = 0
    for end in [*(np.flatnonzero(np.diff(rows)) + 1).tolist(), len(rows)]:
        if end > start:
            result[found.ids[int(rows[start])]] = tuple(
                Link(found.ids[int(cols[i])], float(probability[i]), terms[i]) for i in range(start, end)
            )
        start = end
    return result
