"""Nearest TF-IDF neighbours (generator/enrich/neighbours.py) against a dense all-pairs reference."""

from __future__ import annotations

import random

import numpy as np
import pytest

from generator.core.model import Paper
from generator.enrich import neighbours
from generator.enrich.vectors import vectorize

POOLS = {
    "opt": "gradient descent momentum learning rate schedule adam optimizer sharpness curvature hessian",
    "bayes": "posterior prior gaussian process variational inference likelihood marginal uncertainty",
    "vision": "image convolutional segmentation detection pixels augmentation crops resolution visual",
    "lang": "language tokens transformer attention prompt instruction decoding vocabulary translation",
    "rl": "reward policy agent environment exploration bandit regret episode actor critic",
}
GENERIC = "method results experiments propose show benchmark performance analysis framework study"


def corpus(n: int, seed: int = 7) -> list[Paper]:
    rng = random.Random(seed)
    pools = {k: v.split() for k, v in POOLS.items()}
    out = []
    for i in range(n):
        words = pools[sorted(pools)[i % len(pools)]]
        abstract = " ".join(
            rng.choice(words) if rng.random() < 0.6 else rng.choice(GENERIC.split()) for _ in range(30)
        )
        out.append(
            Paper(id=f"p{i:03d}", title=" ".join(rng.sample(words, 3)), abstract=abstract, added="2024-01-01")
        )
    return sorted(out, key=lambda p: p.id)


def reference(matrix, k: int, floor: float) -> list[tuple[int, int, float]]:
    dense = np.round((matrix @ matrix.T).toarray().astype(np.float64), 4)
    out = []
    for i in range(dense.shape[0]):
        row = sorted((-dense[i, j], j) for j in range(dense.shape[1]) if j != i and dense[i, j] >= floor)
        out += [(i, j, -s) for s, j in row[:k]]
    return out


def as_list(pairs) -> list[tuple[int, int, float]]:
    return [(int(r), int(c), float(s)) for r, c, s in zip(*pairs, strict=True)]


@pytest.mark.parametrize(("n", "k", "floor"), [(12, 3, 0.0), (60, 5, 0.10), (100, 8, 0.05)])
def test_exact_top_k_matches_a_dense_reference(n: int, k: int, floor: float) -> None:
    matrix, _ = vectorize(corpus(n))
    found = as_list(neighbours.nearest(matrix, k, floor))
    assert found == reference(matrix, k, floor)
    assert len(found) > n


def test_block_boundaries_do_not_change_results(monkeypatch: pytest.MonkeyPatch) -> None:
    matrix, _ = vectorize(corpus(150))
    one = as_list(neighbours.nearest(matrix, 5, 0.05))
    monkeypatch.setattr(neighbours, "BLOCK_NNZ", 1)
    monkeypatch.setattr(neighbours, "PAIR_BLOCK", 7)
    assert as_list(neighbours.nearest(matrix, 5, 0.05)) == one


def test_approximate_mode_scores_are_exact_cosines(monkeypatch: pytest.MonkeyPatch) -> None:
    matrix, _ = vectorize(corpus(90))
    monkeypatch.setattr(neighbours, "EXACT_BUDGET", 0)
    dense = np.round((matrix @ matrix.T).toarray().astype(np.float64), 4)
    found = as_list(neighbours.nearest(matrix, 5, 0.1))
    assert len(found) > 90
    for r, c, s in found:
        assert r != c and s >= 0.1
        assert s == pytest.approx(dense[r, c], abs=1e-4)
    per_row: dict[int, list[tuple[float, int]]] = {}
    for r, c, s in found:
        per_row.setdefault(r, []).append((-s, c))
    assert all(v == sorted(v) and len(v) <= 5 for v in per_row.values())
