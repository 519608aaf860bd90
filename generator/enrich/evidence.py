"""The evidence for a related-paper link: pair features, the learned link probability and the reason.

For a candidate pair (a, b) (from ``neighbours.nearest`` on TF-IDF rows), the features are

* ``cosine``: the TF-IDF cosine of the two papers (1-2 grams, title counted twice);
* ``rank``: ``1 / (1 + rank)`` of b among a's candidates (by cosine);
* ``title``: the TF-IDF cosine of the two titles alone (0 if either title is provisional);
* ``phrase_max``: the rarity (``log(N / df)``) of the rarest keyphrase both papers use (``phrases.py``:
  multi-word phrases, generic ML words cut out).

(Also measured and left out, as they did not add recall at the same precision in cross-validation:
the cosine relative to the paper's best candidate, the count of shared informative phrases, the rank
the other way round, BM25, LSA and bigram-only scores; ``benchmarks/quality/README.md``.)

``related_model.json`` beside this module holds a logistic regression over these features (trained on
the tune labels by ``benchmarks/quality/train_related.py``: means and scales to standardize, weights,
intercept, and the probability a link needs). Deterministic: plain float64 arithmetic.

A link is shown only if the probability reaches the threshold **and** the pair has a reason: shared
informative phrases, rarest first (``reasons``), or where they share none, the informative words both
use that weigh most in their cosine, at least two (``shared_words``). One shared word never makes a link.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

from generator.enrich.neighbours import PAIR_BLOCK, pair_dots
from generator.enrich.phrases import PhraseIndex, generic_words, informative_df, word_key

FEATURES = ("cosine", "rank", "title", "phrase_max")
REASON_PHRASES = 3
MIN_WORDS = 2  # shared specific words a link needs when the two papers share no informative phrase


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
    rows: np.ndarray,
    cols: np.ndarray,
    cosines: np.ndarray,
    phrases: PhraseIndex,
    titles: sparse.csr_matrix | None = None,
) -> np.ndarray:
    """One row of ``FEATURES`` per pair. ``rows``/``cols`` are sorted by row, best cosine first (as
    ``neighbours.nearest`` returns them); ``titles``: l2-normalized title rows (``vectors.title_vectors``)."""
    out = np.zeros((len(rows), len(FEATURES)), dtype=np.float64)
    out[:, 0] = cosines
    out[:, 1] = 1.0 / (1.0 + _ranks(rows))
    if titles is not None:
        out[:, 2] = np.round(pair_dots(titles, rows, cols), 4)
    for start in range(0, len(rows), PAIR_BLOCK):
        a, b = rows[start : start + PAIR_BLOCK], cols[start : start + PAIR_BLOCK]
        shared = phrases.matrix[a].multiply(phrases.matrix[b]).tocsr()
        out[start : start + len(a), 3] = _row_max(shared, phrases.idf)
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


def specific_terms(vocab: np.ndarray, df: np.ndarray, n: int) -> np.ndarray:
    """Which TF-IDF terms can be part of a reason: single words of at least 4 letters, not generic ML
    words, used by at most one paper in twenty (``informative_df``) and by at most half the list."""
    generic = generic_words()
    words = np.array([" " not in t and len(t) >= 4 and t not in generic for t in vocab.tolist()], dtype=bool)
    return words & (df <= min(informative_df(n), max(2.0, n / 2)))


@dataclass(frozen=True)
class WordIndex:
    """The specific words (``specific_terms``) of every paper, a plural and its singular as one word:
    ``matrix[i, j]`` is the summed TF-IDF weight of word ``j``'s forms in paper ``i``; ``shown[j]`` the
    word as shown (its shortest form, then alphabetically first)."""

    matrix: sparse.csr_matrix
    shown: list[str]


def index_words(matrix: sparse.csr_matrix, vocab: np.ndarray, specific: np.ndarray) -> WordIndex:
    """The ``WordIndex`` of TF-IDF rows ``matrix`` with vocabulary ``vocab``."""
    terms = np.flatnonzero(specific)
    forms = [str(vocab[t]) for t in terms.tolist()]
    keys = [word_key(form) for form in forms]
    number = {key: i for i, key in enumerate(sorted(set(keys)))}
    shown = [""] * len(number)
    for form, key in sorted(zip(forms, keys, strict=True), key=lambda fk: (len(fk[0]), fk[0]), reverse=True):
        shown[number[key]] = form  # the last written is the shortest form
    group = sparse.csr_matrix(
        (np.ones(len(terms), dtype=np.float32), (np.arange(len(terms)), [number[k] for k in keys])),
        shape=(len(terms), max(1, len(number))),
    )
    weights = (matrix[:, terms] @ group).tocsr()
    weights.eliminate_zeros()
    return WordIndex(weights, shown or [""])


def shared_words(
    words: WordIndex, rows: np.ndarray, cols: np.ndarray, limit: int = REASON_PHRASES
) -> list[tuple[str, ...]]:
    """Per pair, the specific words both papers use, by their weight in the cosine (largest first, then
    alphabetically): the reason of a link that shares no phrase. Fewer than ``MIN_WORDS`` is no
    reason: one shared word never makes a link."""
    out: list[tuple[str, ...]] = []
    for start in range(0, len(rows), PAIR_BLOCK):
        a, b = rows[start : start + PAIR_BLOCK], cols[start : start + PAIR_BLOCK]
        shared = words.matrix[a].multiply(words.matrix[b]).tocsr()
        for p in range(shared.shape[0]):
            lo, hi = shared.indptr[p], shared.indptr[p + 1]
            if hi - lo < MIN_WORDS:
                out.append(())
                continue
            named = [words.shown[c] for c in shared.indices[lo:hi].tolist()]
            ranked = sorted(
                zip(shared.data[lo:hi].tolist(), named, strict=True), key=lambda wt: (-wt[0], wt[1])
            )
            out.append(tuple(word for _, word in ranked[:limit]))
    return out


def has_reason(rows: np.ndarray, cols: np.ndarray, phrases: PhraseIndex, words: WordIndex) -> np.ndarray:
    """Whether each pair has a reason (``reasons`` or ``shared_words`` would name one): an informative
    phrase both use, or ``MIN_WORDS`` specific words. Vectorized, for every candidate."""
    n = phrases.matrix.shape[0]
    informative = (phrases.df <= informative_df(n)).astype(np.float64)
    out = np.zeros(len(rows), dtype=bool)
    for start in range(0, len(rows), PAIR_BLOCK):
        a, b = rows[start : start + PAIR_BLOCK], cols[start : start + PAIR_BLOCK]
        shared_phrases = phrases.matrix[a].multiply(phrases.matrix[b]).tocsr() @ informative
        shared = words.matrix[a].multiply(words.matrix[b]).tocsr()
        out[start : start + len(a)] = (shared_phrases >= 1) | (np.diff(shared.indptr) >= MIN_WORDS)
    return out
