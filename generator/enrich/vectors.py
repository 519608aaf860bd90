"""TF-IDF rows of papers: title and abstract counted as 1-2 grams, sublinear tf, smoothed idf, l2 rows.

The same matrix as scikit-learn's ``TfidfVectorizer`` with the settings below (tests/enrich compare them
bit for bit), computed without importing scikit-learn (a 1-2 s import). Used for related-paper
candidates and for the map; ``title_vectors`` does the same for titles alone (link evidence).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import filterfalse
from pathlib import Path

import numpy as np
from scipy import sparse

from generator.core.model import Paper
from generator.core.text import strip_accents


def paper_text(paper: Paper) -> str:
    """The text a paper is compared on: the title twice (it is dense with signal), then the abstract."""
    return f"{paper.title}. {paper.title}. {paper.abstract}"


TOKEN_RE = re.compile(r"(?u)\b[a-zA-Z][a-zA-Z0-9\-]+\b")
MAX_FEATURES = 200_000


def vectorize(papers: Sequence[Paper]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """TF-IDF rows (l2-normalized, sublinear tf, 1-2 grams, English stop words) and the vocabulary.

    The same matrix, bit for bit, as scikit-learn's ``TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2),
    stop_words="english", strip_accents="unicode", min_df=2, max_df=0.5, max_features=200_000,
    dtype=np.float32, token_pattern=TOKEN_RE)`` (min_df 1 and max_df 1.0 below 50 papers), computed
    with the same steps in the same order (down to the order of the entries within a row, which sets
    the order of float32 sums), without importing scikit-learn (a 1-2 s import, through scipy.stats).
    Instead of its per-document Python loops (a bigram string per token pair, a Counter per document),
    words are numbered once and n-grams counted as integer codes with numpy; only the terms that survive
    the document-frequency limits are ever spelled out as strings.

    The same papers (in the same order) give the same read-only result object again: related papers and
    the topic model both ask for it in one build.
    """
    return _vectorize(tuple(paper_text(p) for p in papers))


@lru_cache(maxsize=2)  # related papers and the topic model vectorize the same papers in one build
def _vectorize(docs: tuple[str, ...]) -> tuple[sparse.csr_matrix, np.ndarray]:
    n = len(docs)
    counts, vocab = _count(
        docs,
        max_df=0.5 * n if n >= 50 else float(n),
        min_df=2 if n >= 50 else 1,
        limit=MAX_FEATURES,
    )
    matrix = _tfidf(counts)
    for array in (matrix.data, matrix.indices, matrix.indptr, vocab):
        array.flags.writeable = False  # shared by every caller of the same papers: read only
    return matrix, vocab


def title_vectors(papers: Sequence[Paper]) -> sparse.csr_matrix:
    """TF-IDF rows of the titles alone (1-2 grams, sublinear tf, smoothed idf, l2 rows; every term kept):
    the ``title`` evidence of a related-paper link. A provisional title (``needs_title``: the abstract's
    first words) is left empty."""
    docs = ["" if p.needs_title else p.title for p in papers]
    try:
        counts, _ = _count(docs, max_df=float(len(docs)), min_df=1, limit=MAX_FEATURES)
    except ValueError:  # no title has a word
        return sparse.csr_matrix((len(docs), 1), dtype=np.float32)
    return _tfidf(counts)


_END = ""  # marks the end of a document in the token stream (never a token: tokens have 2+ characters)


def _count(
    docs: Sequence[str], max_df: float, min_df: int, limit: int
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Term counts (float32) and the sorted vocabulary, as scikit-learn's CountVectorizer then
    _sort_features and _limit_features: columns in term order, terms outside [min_df, max_df] dropped and
    at most ``limit`` of the most frequent kept. Within a row, entries are in the order scikit-learn
    leaves them: by the term's first appearance in the corpus (document by document, a document's
    unigrams before its bigrams)."""
    stop = stop_words()
    stream: list[str] = []
    for doc in docs:
        stream += TOKEN_RE.findall(strip_accents(doc.lower()))
        stream.append(_END)
    stream = list(filterfalse(stop.__contains__, stream))
    words = list(dict.fromkeys(stream))  # unigrams numbered by first appearance
    number = dict(zip(words, range(len(words)), strict=True))
    ids = np.fromiter(map(number.__getitem__, stream), dtype=np.int64, count=len(stream))
    if len(words) <= 1:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    u, end = len(words), number[_END]
    is_end = ids == end
    doc_of = np.cumsum(is_end) - is_end
    uni = np.flatnonzero(~is_end)
    bi = uni[~is_end[uni + 1]]  # a word followed by a word (the stream ends with an end mark)
    codes, bi_first, bi_term = np.unique(ids[bi] * u + ids[bi + 1], return_index=True, return_inverse=True)
    # Terms: unigram w is term w, bigram j is term u + j. Where each first appears, as scikit-learn's
    # column numbers go: (document, unigram before bigram, position).
    span = len(ids)
    first_key = np.full(u + len(codes), np.iinfo(np.int64).max, dtype=np.int64)
    uni_first = np.full(u, span, dtype=np.int64)
    np.minimum.at(uni_first, ids[uni], uni)
    seen = uni_first < span  # every word but the end mark
    first_key[:u][seen] = doc_of[uni_first[seen]] * 2 * span + uni_first[seen]
    bi_pos = bi[bi_first]
    first_key[u:] = (doc_of[bi_pos] * 2 + 1) * span + bi_pos
    rank = np.empty(len(first_key), dtype=np.int64)
    rank[np.argsort(first_key, kind="stable")] = np.arange(len(first_key))
    terms = np.concatenate([ids[uni], u + bi_term.ravel()])
    rows = np.concatenate([doc_of[uni], doc_of[bi]])
    counts = sparse.csr_matrix(
        (np.ones(len(terms), dtype=np.float32), (rows, rank[terms])), shape=(len(docs), len(first_key))
    )
    counts.sum_duplicates()  # sorted within rows: by first appearance
    dfs = np.bincount(counts.indices, minlength=counts.shape[1])
    candidates = np.flatnonzero((dfs <= max_df) & (dfs >= min_df))  # as ranks
    if not len(candidates):
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    by_rank = np.empty(len(rank), dtype=np.int64)
    by_rank[rank] = np.arange(len(rank))
    names = [_term_name(t, words, codes, u) for t in by_rank[candidates].tolist()]
    order = sorted(range(len(names)), key=names.__getitem__)
    candidates, names = candidates[order], [names[i] for i in order]
    if len(candidates) > limit:
        # scikit-learn ranks by the float32 column sums of the counts, ties as its argsort leaves them
        # (the same array in the same order, so the same result).
        tfs = np.asarray(counts.sum(axis=0)).ravel()[candidates]
        chosen = np.zeros(len(candidates), dtype=bool)
        chosen[(-tfs).argsort()[:limit]] = True
        candidates, names = candidates[chosen], [t for t, c in zip(names, chosen.tolist(), strict=True) if c]
    column = np.full(counts.shape[1], -1, dtype=np.int64)
    column[candidates] = np.arange(len(candidates))
    mapped = column[counts.indices]
    keep = mapped >= 0
    row_of = np.repeat(np.arange(len(docs)), np.diff(counts.indptr))
    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_of[keep], minlength=len(docs)), out=indptr[1:])
    index_type = np.int64 if indptr[-1] > np.iinfo(np.int32).max else np.int32
    matrix = sparse.csr_matrix(
        (counts.data[keep], mapped[keep].astype(np.int32), indptr.astype(index_type)),
        shape=(len(docs), len(candidates)),
    )
    return matrix, np.asarray(names, dtype=object)


def _term_name(term: int, words: list[str], codes: np.ndarray, u: int) -> str:
    if term < u:
        return words[term]
    code = int(codes[term - u])
    return f"{words[code // u]} {words[code % u]}"


def _tfidf(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """Sublinear tf times smoothed idf, rows scaled to unit length (float32, lengths summed in float64)."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float32)
    df += 1.0
    idf = np.full_like(df, fill_value=n + 1, dtype=np.float32)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    matrix = counts.tocsr(copy=True)
    np.log(matrix.data, matrix.data)
    matrix.data += 1.0
    matrix.data *= idf[matrix.indices]
    sizes = np.diff(matrix.indptr)
    squares = (matrix.data * matrix.data).astype(np.float64)
    lengths = np.zeros(len(sizes))
    filled = sizes > 0
    lengths[filled] = np.sqrt(np.add.reduceat(squares, matrix.indptr[:-1][filled]))
    lengths[~filled] = 1.0
    matrix.data = (matrix.data / np.repeat(lengths, sizes)).astype(np.float32)
    return matrix


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English stop words, from ``stop_words.txt`` beside this module (scikit-learn's list, as data)."""
    text = (Path(__file__).parent / "stop_words.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))
