"""Related papers: TF-IDF cosine similarity, computed in sparse row blocks with top-k selection.

Never materializes a dense N x N matrix: each block of rows is multiplied by the transposed matrix as a
sparse product, and only the ``k`` best neighbours per row above ``floor`` are kept. Ties are broken by id.

Exact below a work budget. The exact product costs about ``sum(df(t)**2)`` multiply-adds over the
terms ``t`` (``df``: how many papers use the term), which grows with the square of N because common
terms ("model", "training") are in a fixed share of all papers. Up to ``EXACT_BUDGET`` (about 5,000
papers of ML abstracts) the result is exact. Above it, candidates are found approximately, the usual
way for similarity search in large text collections:

1. the candidate product uses only the rarer terms: the largest document frequency whose terms keep
   ``sum(df**2)`` within ``max(CANDIDATE_BUDGET, CANDIDATE_BUDGET_PER_PAPER * N)`` (common terms weigh
   little in TF-IDF and cost the most);
2. each paper's ``CANDIDATES`` best candidates by that partial score are re-scored with the exact cosine
   of the full vectors, and the top ``k`` above ``floor`` are kept.

Scores shown are always exact cosines; what may be missed is a neighbour that shares none of a paper's
rarer terms. Measured recall of the exact top 5 on the synthetic benchmark corpora: 0.99998 at 10,000
papers (benchmarks/README.md has the figures at each size).
"""

from __future__ import annotations

import ast
import importlib.util
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from itertools import filterfalse
from pathlib import Path

import numpy as np
from scipy import sparse

from generator.core.model import Link, Paper

TOP_K = 5
FLOOR = 0.10  # cosine similarity below which a "related" link is too weak to show
SHARED_TERMS = 3
BLOCK_NNZ = 5_000_000  # about the non-zeros of one block product (each costs ~40 bytes while selected)
EXACT_BUDGET = 150_000_000  # multiply-adds of the exact product (sum of squared document frequencies)
CANDIDATE_BUDGET = 60_000_000  # the same for the candidate product over the rarer terms, at least,
CANDIDATE_BUDGET_PER_PAPER = 10_000  # and this much per paper (the rarer terms' df also grows with N)
CANDIDATE_MIN = 0.02  # partial scores below this are no candidates (a partial score is at most the cosine)
CANDIDATES = 15
PAIR_BLOCK = 20_000  # pairs re-scored at once (each pair row costs ~2 x 12 bytes per term of a paper)


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
    """
    n = len(papers)
    counts, vocab = _count(
        [paper_text(p) for p in papers],
        max_df=0.5 * n if n >= 50 else float(n),
        min_df=2 if n >= 50 else 1,
        limit=MAX_FEATURES,
    )
    return _tfidf(counts), vocab


_END = ""  # marks the end of a document in the token stream (never a token: tokens have 2+ characters)


def _count(
    docs: Sequence[str], max_df: float, min_df: int, limit: int
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Term counts (float32) and the sorted vocabulary, as scikit-learn's CountVectorizer then
    _sort_features and _limit_features: columns in term order, terms outside [min_df, max_df] dropped and
    at most ``limit`` of the most frequent kept. Within a row, entries are in the order scikit-learn
    leaves them: by the term's first appearance in the corpus (document by document, a document's
    unigrams before its bigrams)."""
    stop = _stop_words()
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
def _stop_words() -> frozenset[str]:
    """scikit-learn's English stop words, read from its source file (importing scikit-learn costs 1-2 s)."""
    spec = importlib.util.find_spec("sklearn")
    source = Path(spec.origin).parent / "feature_extraction" / "_stop_words.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "ENGLISH_STOP_WORDS":
            return frozenset(ast.literal_eval(node.value.args[0]))
    raise RuntimeError(f"ENGLISH_STOP_WORDS not found in {source}")


_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


def strip_accents(text: str) -> str:
    """scikit-learn's ``strip_accents_unicode`` (NFKD, then drop combining marks), without a Python-level
    loop over every character: only non-ASCII characters can be combining marks."""
    if text.isascii():
        return text
    normalized = unicodedata.normalize("NFKD", text)
    return _NON_ASCII_RE.sub(lambda m: "" if unicodedata.combining(m.group()) else m.group(), normalized)


def related_papers(
    papers: Sequence[Paper], k: int = TOP_K, floor: float = FLOOR
) -> dict[str, tuple[Link, ...]]:
    """Top-``k`` related papers per paper id, best first, ties by id, scores under ``floor`` dropped."""
    order = sorted(range(len(papers)), key=lambda i: papers[i].id)
    ids = [papers[i].id for i in order]
    result: dict[str, tuple[Link, ...]] = {pid: () for pid in ids}
    if len(ids) < 2:
        return result
    matrix, vocab = vectorize([papers[i] for i in order])
    df = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float64)
    if float((df**2).sum()) <= EXACT_BUDGET:
        pairs = _exact_neighbours(matrix, k, floor)
    else:
        pairs = _approximate_neighbours(matrix, df, k, floor)
    terms = _shared_terms_of_pairs(matrix, pairs, vocab)
    for row, links in _group(pairs, terms):
        result[ids[row]] = tuple(Link(ids[col], score, shared) for col, score, shared in links)
    return result


# A neighbour list for all rows: (rows, cols, scores), sorted by row, then best first (ties by col).
Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]


def _top_k(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, k: int, floor: float) -> Pairs:
    """Keep each row's ``k`` best (score >= floor, not itself), ordered by (row, -score, col)."""
    keep = (cols != rows) & (scores >= floor)
    rows, cols, scores = rows[keep], cols[keep], scores[keep]
    order = np.lexsort((cols, -scores, rows))
    rows, cols, scores = rows[order], cols[order], scores[order]
    if not len(rows):
        return rows, cols, scores
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
    rank = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    mask = rank < k
    return rows[mask], cols[mask], scores[mask]


def _block_rows(n: int, nnz_per_row: float) -> int:
    return max(32, min(4096, int(BLOCK_NNZ // max(1.0, nnz_per_row))))


def _exact_neighbours(matrix: sparse.csr_matrix, k: int, floor: float) -> Pairs:
    """Exact cosine top-k: blocks of rows times the transposed matrix."""
    n = matrix.shape[0]
    transposed = matrix.T.tocsr()
    block = _block_rows(n, n)  # a block's product has at most block * n non-zeros
    parts = []
    for start in range(0, n, block):
        product = (matrix[start : start + block] @ transposed).tocoo()
        near = product.data >= floor - 1e-4  # pre-filter (rounding to 4 places may lift a score to floor)
        scores = np.round(product.data[near].astype(np.float64), 4)
        rows, cols = product.row[near].astype(np.int64) + start, product.col[near].astype(np.int64)
        parts.append(_top_k(rows, cols, scores, k, floor))
    return _concat(parts)


def _approximate_neighbours(matrix: sparse.csr_matrix, df: np.ndarray, k: int, floor: float) -> Pairs:
    """Candidates from the rarer terms, then exact re-scoring (see the module docstring)."""
    n = matrix.shape[0]
    kept = df <= _candidate_max_df(df, n)
    index = _keep_columns(matrix, kept)
    transposed = index.T.tocsr()
    block = _block_rows(n, min(n, float((df[kept] ** 2).sum()) / n))  # mean non-zeros of a product row
    rows_out, cols_out = [], []
    for start in range(0, n, block):
        product = (index[start : start + block] @ transposed).tocoo()
        rows, cols = _best_per_row(
            product.row.astype(np.int64) + start, product.col.astype(np.int64), product.data, CANDIDATES
        )
        rows_out.append(rows)
        cols_out.append(cols)
    rows, cols = np.concatenate(rows_out), np.concatenate(cols_out)
    # A pair found both ways (a -> b, b -> a) is scored once: the dot product is symmetric bit for bit, as
    # both rows list their common terms in the same order (by first appearance, see _count).
    keys = np.minimum(rows, cols) * n + np.maximum(rows, cols)
    unique, inverse = np.unique(keys, return_inverse=True)
    scores = np.round(_pair_dots(matrix, unique // n, unique % n), 4)[inverse.ravel()]
    return _top_k(rows, cols, scores, k, floor)


def _candidate_max_df(df: np.ndarray, n: int) -> float:
    """The largest document frequency whose terms keep the candidate product within the budget."""
    budget = max(CANDIDATE_BUDGET, CANDIDATE_BUDGET_PER_PAPER * n)
    ordered = np.sort(df)
    within = int(np.searchsorted(np.cumsum(ordered**2), budget, side="right"))
    return float(ordered[within - 1]) if within else 0.0


def _best_per_row(
    rows: np.ndarray,
    cols: np.ndarray,
    scores: np.ndarray,
    m: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Up to ``m`` highest-scoring (row, col) entries per row, excluding the diagonal (deterministic)."""
    keep = (scores >= CANDIDATE_MIN) & (cols != rows)
    rows, cols, scores = rows[keep], cols[keep], scores[keep]
    if len(rows):
        keep = _above_cut(rows, scores, m)
        rows, cols, scores = rows[keep], cols[keep], scores[keep]
    # One sort on a combined key: row first, then score descending (scores are cosines in [0, 1]).
    order = np.argsort(rows + (1.0 - np.minimum(scores.astype(np.float64), 1.0)) * 0.5, kind="stable")
    rows, cols = rows[order], cols[order]
    if not len(rows):
        return rows, cols
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
    rank = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    return rows[rank < m], cols[rank < m]


def _above_cut(rows: np.ndarray, scores: np.ndarray, m: int) -> np.ndarray:
    """A mask that drops entries which cannot be among their row's ``m`` best, so that fewer are sorted:
    in a row with at least ``m`` scores at or above a cut-off, a score below it is not among the best.
    The cut-off (any value is correct) is taken from a sample, so that about 2m entries per row pass."""
    first, span = int(rows[0]), int(rows[-1]) - int(rows[0]) + 1  # rows ascending
    if len(rows) <= 4 * m * span:
        return np.ones(len(rows), dtype=bool)
    sample = scores[::16]
    at = int(len(sample) * (1.0 - 2.0 * m * span / len(rows)))  # within the sample: more than half pass
    cut = np.partition(sample, at)[at]
    above = scores >= cut
    full = np.bincount(rows[above] - first, minlength=span) >= m
    return above | ~full[rows - first]


def _keep_columns(matrix: sparse.csr_matrix, keep: np.ndarray) -> sparse.csr_matrix:
    out = matrix.copy()
    out.data[~keep[out.indices]] = 0
    out.eliminate_zeros()
    return out


def _pair_dots(matrix: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Exact dot products of row pairs, computed in blocks of pairs."""
    out = np.empty(len(rows), dtype=np.float64)
    for start in range(0, len(rows), PAIR_BLOCK):
        a = matrix[rows[start : start + PAIR_BLOCK]]
        b = matrix[cols[start : start + PAIR_BLOCK]]
        out[start : start + PAIR_BLOCK] = np.asarray(a.multiply(b).sum(axis=1), dtype=np.float64).ravel()
    return out


def _concat(parts: list[Pairs]) -> Pairs:
    if not parts:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0)
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))  # type: ignore[return-value]


def _group(pairs: Pairs, terms: list[tuple[str, ...]]):
    """Yield (row, [(col, score, terms), ...]) per row, in the pairs' order."""
    rows, cols, scores = pairs
    start = 0
    for end in [*(np.flatnonzero(np.diff(rows)) + 1).tolist(), len(rows)]:
        if end > start:
            yield int(rows[start]), [(int(cols[i]), float(scores[i]), terms[i]) for i in range(start, end)]
        start = end


def _shared_terms_of_pairs(
    matrix: sparse.csr_matrix, pairs: Pairs, vocab: np.ndarray, limit: int = SHARED_TERMS
) -> list[tuple[str, ...]]:
    """:func:`shared_terms` for every pair at once: one product of the pair rows, one sort per block.
    Shared terms are symmetric, so a pair listed both ways (a -> b, b -> a) is computed once."""
    n = matrix.shape[0]
    keys = np.minimum(pairs[0], pairs[1]).astype(np.int64) * n + np.maximum(pairs[0], pairs[1])
    unique, inverse = np.unique(keys, return_inverse=True)
    rows, cols = unique // n, unique % n
    wide = matrix.astype(np.float64)
    wide.sort_indices()
    words = vocab.tolist()
    out: list[tuple[str, ...]] = []
    for start in range(0, len(rows), PAIR_BLOCK):
        stop = start + PAIR_BLOCK
        product = wide[rows[start:stop]].multiply(wide[cols[start:stop]]).tocsr()
        product.sum_duplicates()
        pair_of = np.repeat(np.arange(product.shape[0], dtype=np.float64), np.diff(product.indptr))
        # Within a pair: heaviest first, ties by term (the vocabulary is sorted, so by column: a stable
        # sort keeps the sorted column order). Weights are at most 1, so one float key does it.
        order = np.argsort(pair_of * 2.0 - np.round(product.data, 6), kind="stable")
        columns = product.indices[order].tolist()
        bounds = product.indptr.tolist()
        for p in range(product.shape[0]):
            out.append(_pick_terms(words, columns, bounds[p], bounds[p + 1], limit))
    return [out[i] for i in inverse.tolist()]


def _pick_terms(words: list[str], columns: list[int], start: int, stop: int, limit: int) -> tuple[str, ...]:
    """The first ``limit`` terms, skipping a term that is a word of a chosen one or contains one as a word
    (prefer "neural network" over repeating "neural" and "network"); as in :func:`shared_terms`."""
    chosen: list[str] = []
    chosen_set: set[str] = set()
    chosen_words: set[str] = set()
    for i in range(start, stop):
        term = words[columns[i]]
        parts = term.split()
        if term in chosen_words or not chosen_set.isdisjoint(parts):
            continue
        chosen.append(term)
        chosen_set.add(term)
        chosen_words.update(parts)
        if len(chosen) == limit:
            break
    return tuple(chosen)


def shared_terms(
    matrix: sparse.csr_matrix, a: int, b: int, vocab: np.ndarray, limit: int = SHARED_TERMS
) -> tuple[str, ...]:
    """The terms contributing most to the similarity of rows ``a`` and ``b`` (ties by term)."""
    ia = matrix.indices[matrix.indptr[a] : matrix.indptr[a + 1]]
    da = matrix.data[matrix.indptr[a] : matrix.indptr[a + 1]]
    ib = matrix.indices[matrix.indptr[b] : matrix.indptr[b + 1]]
    db = matrix.data[matrix.indptr[b] : matrix.indptr[b + 1]]
    common, pa, pb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
    if not len(common):
        return ()
    weight = np.round(da[pa].astype(np.float64) * db[pb], 6)
    terms = vocab[common]
    picked = np.lexsort((terms, -weight))
    chosen: list[str] = []
    for i in picked:
        term = str(terms[i])
        # Prefer "neural network" over repeating "neural" and "network".
        if any(term in c.split() or c in term.split() for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == limit:
            break
    return tuple(chosen)
