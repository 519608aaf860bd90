"""Make the candidate pools that the labelled evaluation set is judged over (run once; output committed).

For each paper of the seed store, the union of the top candidates of four independent lexical and
latent methods (not the project's own related-papers code, so the pool does not favour it):

1. TF-IDF cosine, title + abstract, 1-2 grams, sublinear tf, English stop words;
2. TF-IDF cosine over bigrams only (phrases), title counted three times;
3. LSA: 100-dimensional TruncatedSVD of (1), cosine;
4. BM25 (k1=1.2, b=0.75) with the paper's title + abstract as the query.

Each method contributes its top ``PER_METHOD``; the pool is their union, ordered by id. Deterministic.

    .venv/bin/python benchmarks/quality/make_pool.py            # writes benchmarks/quality/pool.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import yaml
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

HERE = Path(__file__).resolve().parent
STORE = HERE.parent.parent / "data" / "papers.yaml"
PER_METHOD = 8


def _top(sim: np.ndarray, i: int, k: int) -> list[int]:
    row = sim[i].copy()
    row[i] = -np.inf
    order = np.lexsort((np.arange(len(row)), -row))
    return [int(j) for j in order[:k]]


def _bm25(texts: list[str]) -> np.ndarray:
    cv = CountVectorizer(stop_words="english")
    tf = cv.fit_transform(texts).astype(float).tocsr()
    n = tf.shape[0]
    df = np.bincount(tf.indices, minlength=tf.shape[1])
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    lengths = np.asarray(tf.sum(axis=1)).ravel()
    avg = lengths.mean()
    k1, b = 1.2, 0.75
    w = tf.copy()
    rows = np.repeat(np.arange(n), np.diff(w.indptr))
    w.data = idf[w.indices] * w.data * (k1 + 1) / (w.data + k1 * (1 - b + b * lengths[rows] / avg))
    q = (tf > 0).astype(float)
    return (q @ w.T).toarray()


def main() -> int:
    papers = [p for p in yaml.safe_load(STORE.read_text(encoding="utf-8")) if not p.get("hidden")]
    ids = [p["id"] for p in papers]
    texts = [f"{p['title']}. {p.get('abstract', '')}" for p in papers]
    tfidf = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english")
    x = tfidf.fit_transform(texts)
    sims = [(x @ x.T).toarray()]
    phr = TfidfVectorizer(ngram_range=(2, 2), sublinear_tf=True, stop_words="english")
    xp = phr.fit_transform(
        [f"{p['title']}. {p['title']}. {p['title']}. {p.get('abstract', '')}" for p in papers]
    )
    sims.append((xp @ xp.T).toarray())
    z = TruncatedSVD(100, random_state=0).fit_transform(x)
    z /= np.linalg.norm(z, axis=1, keepdims=True) + 1e-12
    sims.append(z @ z.T)
    sims.append(_bm25(texts))
    pool = {}
    for i, pid in enumerate(ids):
        cands = sorted({ids[j] for s in sims for j in _top(s, i, PER_METHOD)})
        pool[pid] = cands
    out = HERE / "pool.json"
    out.write_text(json.dumps(pool, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    sizes = [len(v) for v in pool.values()]
    print(f"{out}: {len(pool)} papers, pool size median {int(np.median(sizes))}, max {max(sizes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
