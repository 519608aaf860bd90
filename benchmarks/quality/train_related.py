"""Fit the related-papers link model on the TUNE labels (batches A and B) and store it as data.

    .venv/bin/python benchmarks/quality/train_related.py          # writes generator/enrich/related_model.json

For every tune seed paper, each candidate pair (generator.enrich.related.candidates on the seed store)
is labelled relevant if the labeller listed the neighbour (and it is in the seed's pool). A logistic
regression (scikit-learn, standardized features, C=1, lbfgs: deterministic) is fitted on those pairs.
The threshold is chosen by 5-fold cross-validation grouped by seed paper: the lowest probability at
which the out-of-fold links (at most 5 per paper, each with a reason: shared informative phrases or
specific words: ``evidence.has_reason``, as the build decides) reach ``PRECISION`` on the tune labels. The
printed table is the out-of-fold precision and recall at each threshold (recall over all relevant pool
neighbours of the tune seeds, also those that are no candidate). The held-out batch C is never read here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from evaluate import load_labels, load_pool  # noqa: E402

from generator.enrich.evidence import FEATURES, has_reason  # noqa: E402
from generator.enrich.related import TOP_K, candidates  # noqa: E402
from generator.store import load_store  # noqa: E402

PRECISION = 0.85  # out-of-fold precision the threshold must reach on the tune labels
OUT = REPO / "generator" / "enrich" / "related_model.json"


def training_pairs() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Features, relevance, seed index and whether it has a reason, of every candidate pair of a tune
    seed; and how many relevant pool neighbours the tune seeds have in all."""
    papers, _ = load_store(REPO / "data" / "papers.yaml")
    found = candidates([p for p in papers if not p.hidden])
    pool = load_pool()
    labels = {label["id"]: label for label in load_labels("tune")}
    index = {pid: i for i, pid in enumerate(found.ids)}
    seeds = {index[pid] for pid in labels}
    pick = np.array([int(r) in seeds for r in found.rows], dtype=bool)
    rows, cols = found.rows[pick], found.cols[pick]
    y = np.array(
        [
            found.ids[c] in labels[found.ids[r]]["related"] and found.ids[c] in pool[found.ids[r]]
            for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
        ]
    )
    reason = has_reason(rows, cols, found.phrases, found.words)
    total = sum(len(set(label["related"]) & set(pool[pid])) for pid, label in labels.items())
    return found.features[pick], y, rows, reason, total


def shown(prob: np.ndarray, reason: np.ndarray, groups: np.ndarray, threshold: float) -> np.ndarray:
    """Which pairs would be shown: at or above the threshold, with a reason, best TOP_K per seed."""
    mask = (prob >= threshold) & reason
    out = np.zeros(len(prob), dtype=bool)
    for g in np.unique(groups):
        idx = np.flatnonzero((groups == g) & mask)
        out[idx[np.argsort(-prob[idx], kind="stable")[:TOP_K]]] = True
    return out


def main() -> int:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    x, y, groups, reason, total = training_pairs()
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    oof = np.zeros(len(y))
    for train, test in GroupKFold(5).split(z, y, groups):
        oof[test] = (
            LogisticRegression(C=1.0, max_iter=2000).fit(z[train], y[train]).predict_proba(z[test])[:, 1]
        )
    oof = np.round(oof, 4)  # as related_papers rounds probabilities
    threshold = 0.99
    print("out-of-fold: threshold, precision, recall, links shown")
    for t in np.round(np.arange(0.20, 0.99, 0.01), 2):
        s = shown(oof, reason, groups, t)
        if round(t * 100) % 5 == 0 and s.sum():
            print(f"  {t:.2f}  {y[s].mean():.3f}  {y[s].sum() / total:.3f}  {int(s.sum())}")
        if threshold == 0.99 and s.sum() and y[s].mean() >= PRECISION:
            threshold = float(t)
    s = shown(oof, reason, groups, threshold)
    print(
        f"{len(y)} pairs, {int(y.sum())} relevant of {total}; threshold {threshold}: out-of-fold "
        f"precision {y[s].mean():.3f}, recall {y[s].sum() / total:.3f}, {int(s.sum())} shown"
    )
    model = LogisticRegression(C=1.0, max_iter=2000).fit(z, y)
    data = {
        "about": "Logistic regression for related-paper links; made by benchmarks/quality/train_related.py",
        "features": list(FEATURES),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "weights": [round(float(v), 6) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "threshold": threshold,
    }
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    for name, w in zip(FEATURES, data["weights"], strict=True):
        print(f"  {name:14s} {w:+.3f}")
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
