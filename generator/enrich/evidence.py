"""The evidence for a related-paper link: pair features, the learned link probability and the reason.

For a candidate pair (a, b) (from ``neighbours.nearest`` on TF-IDF rows), the features are

* ``cosine``: the TF-IDF cosine of the two papers (1-2 grams, title counted twice);
* ``phrase_max``: the rarity (``log(N / df)``) of the rarest keyphrase both papers use (``phrases.py``:
  multi-word phrases, generic ML words cut out);
* ``phrases``: how many shared keyphrases are informative (used by at most one paper in twenty);
* ``rank``: ``1 / (1 + rank)`` of b among a's candidates (by cosine).

``related_model.json`` beside this module holds a logistic regression over these features (trained on
the tune labels by ``benchmarks/quality/train_related.py``: means and scales to standardize, weights,
intercept, and the probability a link needs). Deterministic: plain float64 arithmetic.

A link is shown only if the probability reaches the threshold **and** the pair shares at least one
informative phrase: one shared generic word never makes a link. Its reason is the shared informative
phrases, rarest first (``reasons``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

from generator.enrich.phrases import PhraseIndex, informative_df

FEATURES = ("cosine", "phrase_max", "phrases", "rank")
PAIR_BLOCK = 20_000
REASON_PHRASES = 3


@dataclass(frozen=True)
class LinkModel:
    """A logistic regression over ``FEATURES``: p = sigmoid(weights . (x - mean) / scale + intercept)."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    intercept: float
    threshold: float

    def probability(self, features: np.ndarray) -> np.ndarray:
        z = ((features - self.mean) / self.scale) @ self.weights + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


@lru_cache(maxsize=1)
def link_model(path: Path | None = None) -> LinkModel:
    """The stored model (``related_model.json``); its feature names must be ``FEATURES``."""
    data = json.loads((path or Path(__file__).parent / "related_model.json").read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"related_model.json has features {data['features']}, expected {list(FEATURES)}")
    return LinkModel(
        np.asarray(data["mean"], dtype=np.float64),
        np.asarray(data["scale"], dtype=np.float64),
        np.asarray(data["weights"], dtype=np.float64),
        float(data["intercept"]),
        float(data["threshold"]),
    )


def pair_features(
    rows: np.ndarray, cols: np.ndarray, cosines: np.ndarray, phrases: PhraseIndex
) -> np.ndarray:
    """One row of ``FEATURES`` per pair. ``rows``/``cols`` are sorted by row, best cosine first (as
    ``neighbours.nearest`` returns them)."""
    n = phrases.matrix.shape[0]
    out = np.zeros((len(rows), len(FEATURES)), dtype=np.float64)
    out[:, 0] = cosines
    informative = (phrases.df <= informative_df(n)).astype(np.float64)
    for start in range(0, len(rows), PAIR_BLOCK):
        a, b = rows[start : start + PAIR_BLOCK], cols[start : start + PAIR_BLOCK]
        shared = phrases.matrix[a].multiply(phrases.matrix[b]).tocsr()
        part = out[start : start + len(a)]
        part[:, 1] = _row_max(shared, phrases.idf)
        part[:, 2] = shared @ informative
    out[:, 3] = 1.0 / (1.0 + _ranks(rows))
    return out


def _row_max(matrix: sparse.csr_matrix, weights: np.ndarray) -> np.ndarray:
    out = np.zeros(matrix.shape[0])
    sizes = np.diff(matrix.indptr)
    filled = sizes > 0
    if filled.any():
        out[filled] = np.maximum.reduceat(weights[matrix.indices], matrix.indptr[:-1][filled])
    return out


def _ranks(rows: np.ndarray) -> np.ndarray:
    """The position of each entry within its row's run (rows sorted)."""
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
    return np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))


def reasons(
    rows: np.ndarray, cols: np.ndarray, phrases: PhraseIndex, limit: int = REASON_PHRASES
) -> list[tuple[str, ...]]:
    """Per pair, the informative phrases both papers use, rarest first (then longest, then
    alphabetically), skipping one that shares a word with a phrase already chosen."""
    n = phrases.matrix.shape[0]
    usable = phrases.df <= informative_df(n)
    lengths = np.array([text.count(" ") + 1 for text in phrases.shown])
    rank = np.empty(len(phrases.shown), dtype=np.int64)
    rank[np.lexsort((np.array(phrases.shown, dtype=str), -lengths, -phrases.idf))] = np.arange(len(rank))
    words = [frozenset(text.split()) for text in phrases.shown]
    out: list[tuple[str, ...]] = []
    for start in range(0, len(rows), PAIR_BLOCK):
        a, b = rows[start : start + PAIR_BLOCK], cols[start : start + PAIR_BLOCK]
        shared = phrases.matrix[a].multiply(phrases.matrix[b]).tocsr()
        shared.data[~usable[shared.indices]] = 0
        shared.eliminate_zeros()
        pair = np.repeat(np.arange(shared.shape[0]), np.diff(shared.indptr))
        order = np.lexsort((rank[shared.indices], pair))
        columns = shared.indices[order].tolist()
        bounds = shared.indptr.tolist()
        for p in range(shared.shape[0]):
            chosen: list[int] = []
            for c in columns[bounds[p] : bounds[p + 1]]:
                if all(words[c].isdisjoint(words[o]) for o in chosen):
                    chosen.append(c)
                    if len(chosen) == limit:
                        break
            out.append(tuple(phrases.shown[c] for c in chosen))
    return out
