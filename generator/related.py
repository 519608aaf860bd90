"""Related papers: TF-IDF cosine similarity, computed in sparse row blocks with top-k selection.

Never materializes a dense N x N matrix: each block of rows is multiplied by the transposed matrix as a
sparse product, and only the ``k`` best neighbours per row above ``floor`` are kept. Ties are broken by id.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from .model import Link, Paper

TOP_K = 5
FLOOR = 0.10  # cosine similarity below which a "related" link is too weak to show
SHARED_TERMS = 3
BLOCK_NNZ = 20_000_000  # upper bound on the non-zeros of one block product (memory ~ 12 bytes each)


def paper_text(paper: Paper) -> str:
    """The text a paper is compared on: the title twice (it is dense with signal), then the abstract."""
    return f"{paper.title}. {paper.title}. {paper.abstract}"


def vectorize(papers: Sequence[Paper]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """TF-IDF rows (l2-normalized, sublinear tf, 1-2 grams, English stop words) and the vocabulary."""
    n = len(papers)
    vectorizer = TfidfVectorizer(
        sublinear_tf=True,
        ngram_range=(1, 2),
        stop_words="english",
        strip_accents="unicode",
        min_df=2 if n >= 50 else 1,
        max_df=0.5 if n >= 50 else 1.0,
        max_features=200_000,
        dtype=np.float32,
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z0-9\-]+\b",
    )
    matrix = vectorizer.fit_transform(paper_text(p) for p in papers)
    return matrix.tocsr(), vectorizer.get_feature_names_out()


def related_papers(
    papers: Sequence[Paper], k: int = TOP_K, floor: float = FLOOR
) -> dict[str, tuple[Link, ...]]:
    """Top-``k`` related papers per paper id, best first, ties broken by id, scores below ``floor`` dropped."""
    order = sorted(range(len(papers)), key=lambda i: papers[i].id)
    ordered = [papers[i] for i in order]
    ids = [p.id for p in ordered]
    result: dict[str, tuple[Link, ...]] = {pid: () for pid in ids}
    if len(ordered) < 2:
        return result
    matrix, vocab = vectorize(ordered)
    transposed = matrix.T.tocsr()
    n = matrix.shape[0]
    block = max(32, min(4096, BLOCK_NNZ // n))  # a block's product has at most block * n non-zeros
    for start in range(0, n, block):
        stop = min(n, start + block)
        product = (matrix[start:stop] @ transposed).tocsr()
        product.sum_duplicates()
        for local in range(stop - start):
            row = start + local
            lo, hi = product.indptr[local], product.indptr[local + 1]
            cols = product.indices[lo:hi]
            scores = np.round(product.data[lo:hi].astype(np.float64), 4)
            keep = (cols != row) & (scores >= floor)
            cols, scores = cols[keep], scores[keep]
            if not len(cols):
                continue
            if len(cols) > k:
                # Partial selection first: everything scoring at least the k-th best survives, then sort.
                kth = np.partition(scores, len(scores) - k)[len(scores) - k]
                mask = scores >= kth
                cols, scores = cols[mask], scores[mask]
            best = np.lexsort((cols, -scores))[:k]
            result[ids[row]] = tuple(
                Link(ids[c], float(s), shared_terms(matrix, row, int(c), vocab))
                for c, s in zip(cols[best], scores[best], strict=True)
            )
    return result


def shared_terms(matrix: sparse.csr_matrix, a: int, b: int, vocab: np.ndarray, limit: int = SHARED_TERMS) -> tuple[str, ...]:
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
