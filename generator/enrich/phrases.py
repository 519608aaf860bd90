"""Keyphrases of papers: the multi-word phrases of title and abstract, as a sparse paper x phrase matrix.

A phrase is a run of two or three content words: text is case- and accent-folded, then cut at
punctuation, at stop words (``stop_words.txt``) and at the words that are frequent in any ML abstract
without naming a subject (``generic_words.txt``: "propose", "results", "novel", ...). What remains are
chunks such as "dataset distillation" or "synthetic training images"; every run of 2-3 adjacent words
of a chunk is a phrase. Words are keyed without a plural ``s`` ("images" and "image" are one key) and
hyphens count as spaces ("score-based" = "score based"); a phrase is shown in the form it first has
in the corpus (papers in id order).

``PhraseIndex.idf`` weighs a phrase by how rare it is in this corpus (``log(N / df)``): "neural
networks" is in a large share of ML abstracts and weighs little, "dataset distillation" weighs a lot.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

from generator.core.model import Paper
from generator.core.text import strip_accents
from generator.enrich.vectors import stop_words

MAX_WORDS = 3
_TOKEN = re.compile(r"[a-z0-9]+|[^\sa-z0-9-]|\s-+\s|--+")  # words, and single punctuation marks


@lru_cache(maxsize=1)
def generic_words() -> frozenset[str]:
    """Words that end a phrase like stop words do (``generic_words.txt`` beside this module)."""
    text = (Path(__file__).parent / "generic_words.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


def word_key(word: str) -> str:
    """A word without its plural ending: "images" -> "image", "studies" -> "study" ("loss" stays)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word[-1] == "s" and word[-2] not in "su" and not word.endswith("is"):
        return word[:-1]
    return word


def phrases(text: str) -> dict[str, str]:
    """The phrases of a text: key -> the form it first has in the text (in order of appearance). The
    same phrases as :func:`index_phrases` finds for a paper, one text at a time."""
    breaks = stop_words() | generic_words()
    found: dict[str, str] = {}
    chunk: list[str] = []
    for word in [*_TOKEN.findall(strip_accents(text).lower()), "."]:
        if len(word) > 1 and word[0].isalpha() and word not in breaks:
            chunk.append(word)
            continue
        for n in range(2, MAX_WORDS + 1):
            for i in range(len(chunk) - n + 1):
                part = chunk[i : i + n]
                found.setdefault(" ".join(map(word_key, part)), " ".join(part))
        chunk = []
    return found


@dataclass(frozen=True)
class PhraseIndex:
    """Phrases of every paper: ``matrix[i, j] = 1`` if paper ``i`` has phrase ``j``; ``df`` (papers
    with the phrase) and ``idf`` per phrase; ``shown`` its display form."""

    matrix: sparse.csr_matrix
    df: np.ndarray
    idf: np.ndarray
    shown: list[str]


def index_phrases(papers: Sequence[Paper]) -> PhraseIndex:
    """The phrase matrix of ``papers`` (rows in the given order), as :func:`phrases` finds them, for the
    whole corpus at once: words are numbered once and phrases counted as integer codes with numpy.
    Phrases of one paper only are left out: they can never be shared."""
    stream: list[str] = []
    doc_end: list[int] = []
    for paper in papers:
        if not paper.needs_title:  # a provisional title repeats the abstract's first words
            stream += _TOKEN.findall(strip_accents(paper.title).lower())
        stream.append(".")
        stream += _TOKEN.findall(strip_accents(paper.abstract).lower())
        stream.append(".")
        doc_end.append(len(stream))
    words = list(dict.fromkeys(stream))
    number = dict(zip(words, range(len(words)), strict=True))
    ids = np.fromiter(map(number.__getitem__, stream), dtype=np.int64, count=len(stream))
    breaks = stop_words() | generic_words()
    keys = [word_key(w) for w in words]
    key_number = {key: i for i, key in enumerate(dict.fromkeys(keys))}
    k = np.array([key_number[key] for key in keys], dtype=np.int64)[ids]
    ok = ~np.array([w in breaks or len(w) < 2 or not w[0].isalpha() for w in words], dtype=bool)[ids]
    base = max(len(key_number), 1)  # codes: bigrams below base**2, trigrams above (fits int64 to 1M keys)
    starts2 = np.flatnonzero(ok[:-1] & ok[1:])  # the stream ends with a break, so i + 1 exists
    starts3 = starts2[ok[starts2 + 2]]  # ok[i + 1] is a word, so i + 2 exists
    codes = np.concatenate(
        [
            k[starts2] * base + k[starts2 + 1],
            base * base + (k[starts3] * base + k[starts3 + 1]) * base + k[starts3 + 2],
        ]
    )
    starts = np.concatenate([starts2, starts3])
    lengths = np.concatenate([np.full(len(starts2), 2), np.full(len(starts3), 3)])
    unique, first, phrase = np.unique(codes, return_index=True, return_inverse=True)
    doc_of = np.repeat(np.arange(len(papers)), np.diff(np.r_[0, np.asarray(doc_end, dtype=np.int64)]))
    n = len(papers)
    full = _binary(doc_of[starts], phrase.ravel(), n, len(unique))
    df = np.bincount(full.indices, minlength=len(unique))
    keep = np.flatnonzero(df >= 2)
    shown = [" ".join(stream[int(starts[f]) : int(starts[f] + lengths[f])]) for f in first[keep].tolist()]
    idf = np.log(max(n, 1) / np.maximum(df[keep], 1)).astype(np.float64)
    return PhraseIndex(full[:, keep].tocsr(), df[keep].astype(np.float64), idf, shown)


def _binary(rows: np.ndarray, cols: np.ndarray, n: int, m: int) -> sparse.csr_matrix:
    """A 0/1 matrix with a one at every (row, col) given (repeats count once)."""
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, m))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def informative_df(n: int) -> float:
    """The largest document frequency of a phrase that can justify a link on its own: shared by at most
    one paper in twenty (and by a handful in a small list)."""
    return max(3.0, n / 20.0)
