"""Related papers (generator/related.py): top-k by TF-IDF cosine, ties by id, a floor, explained links.

The links are checked against a dense reference computed here from the same TF-IDF rows (fine for the
small corpora of these tests), so the blocked sparse product and its top-k selection must agree exactly.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from generator.core.model import Link, Paper
from generator.enrich import related
from generator.enrich.related import related_papers, shared_terms, vectorize

POOLS = {
    "opt": "gradient descent momentum learning rate schedule adam optimizer sharpness curvature hessian "
    "convergence stochastic warmup",
    "bayes": "posterior prior gaussian process variational inference likelihood marginal uncertainty "
    "sampling markov chain monte carlo",
    "vision": "image convolutional segmentation detection pixels augmentation crops resolution visual "
    "backbone patches",
    "lang": "language tokens transformer attention prompt instruction decoding vocabulary translation "
    "corpus sentence",
    "rl": "reward policy agent environment exploration bandit regret episode actor critic",
}
GENERIC = (
    "method results experiments propose show benchmark performance analysis framework study novel simple"
)


def paper(pid: str, title: str, abstract: str) -> Paper:
    return Paper(id=pid, title=title, abstract=abstract, added="2024-01-01")


def corpus(n: int, seed: int = 7) -> list[Paper]:
    """``n`` synthetic abstracts drawn from topic word pools, in a shuffled (non-id) order."""
    rng = random.Random(seed)
    pools = {k: v.split() for k, v in POOLS.items()}
    generic = GENERIC.split()
    papers = []
    for i in range(n):
        words = pools[sorted(pools)[i % len(pools)]]
        title = " ".join(rng.sample(words, 3))
        abstract = " ".join(
            rng.choice(words) if rng.random() < 0.6 else rng.choice(generic) for _ in range(30)
        )
        papers.append(paper(f"p{i:03d}", title, abstract))
    rng.shuffle(papers)
    return papers


def reference(papers: list[Paper], k: int, floor: float) -> dict[str, list[tuple[str, float]]]:
    """Dense all-pairs cosine top-k: sort by (-score, id), drop self and scores below floor."""
    ordered = sorted(papers, key=lambda p: p.id)
    matrix, _ = vectorize(ordered)
    dense = np.round((matrix @ matrix.T).toarray().astype(np.float64), 4)
    out = {}
    for i, p in enumerate(ordered):
        candidates = [
            (ordered[j].id, float(dense[i, j]))
            for j in range(len(ordered))
            if j != i and dense[i, j] >= floor
        ]
        out[p.id] = sorted(candidates, key=lambda c: (-c[1], c[0]))[:k]
    return out


def as_pairs(result: dict[str, tuple[Link, ...]]) -> dict[str, list[tuple[str, float]]]:
    return {pid: [(link.target, link.score) for link in links] for pid, links in result.items()}


@pytest.mark.parametrize(("n", "k", "floor"), [(12, 3, 0.0), (60, 5, 0.10), (100, 5, 0.2), (100, 8, 0.05)])
def test_top_k_matches_a_dense_reference(n: int, k: int, floor: float) -> None:
    papers = corpus(n)
    result = related_papers(papers, k=k, floor=floor)
    assert set(result) == {p.id for p in papers}
    assert as_pairs(result) == reference(papers, k, floor)
    assert sum(len(v) for v in result.values()) > n  # the corpus really has links to compare


def test_links_are_best_first_without_self_links_and_at_most_k() -> None:
    result = related_papers(corpus(80), k=4)
    for pid, links in result.items():
        assert len(links) <= 4
        assert pid not in {link.target for link in links}
        assert len({link.target for link in links}) == len(links)
        keys = [(-link.score, link.target) for link in links]
        assert keys == sorted(keys), pid


def test_ties_are_broken_by_id() -> None:
    text = "wasserstein barycenters of empirical measures with entropic regularization"
    dups = [paper(pid, "Entropic barycenters", text) for pid in ("dup-c", "dup-a", "dup-d", "dup-b")]
    others = [
        paper("x-1", "Policy gradients", "reward policy agent exploration"),
        paper("x-2", "Image segmentation", "convolutional segmentation of image pixels"),
    ]
    result = related_papers([*others, *dups], k=2, floor=0.1)
    assert [(link.target, link.score) for link in result["dup-c"]] == [("dup-a", 1.0), ("dup-b", 1.0)]
    assert [link.target for link in result["dup-a"]] == ["dup-b", "dup-c"]
    assert [link.target for link in result["dup-d"]] == ["dup-a", "dup-b"]
    assert result["x-1"] == () and result["x-2"] == ()


def test_floor_drops_weak_links() -> None:
    papers = [
        paper("a", "Sharpness aware minimization", "sharpness aware minimization flat minima generalization"),
        paper("b", "Flat minima", "flat minima and sharpness in deep networks generalization"),
        paper("c", "Generalization bounds", "pac bayes bounds explain generalization of networks"),
        paper("z", "Unrelated", "protein folding with molecular dynamics simulation"),
    ]
    loose = related_papers(papers, k=5, floor=0.0)
    strict = related_papers(papers, k=5, floor=0.3)
    weak = [(pid, link) for pid, links in loose.items() for link in links if link.score < 0.3]
    assert weak, "the corpus needs weak links for the floor to drop"
    assert all(link.score >= 0.3 for links in strict.values() for link in links)
    for pid, links in strict.items():
        assert [link for link in loose[pid] if link.score >= 0.3] == list(links)
    assert loose["z"] == () and all("z" not in {link.target for link in v} for v in loose.values())


def test_shared_terms_explain_the_link() -> None:
    papers = [
        paper("a", "Wasserstein barycenters", "fast computation of wasserstein barycenters with sinkhorn"),
        paper("b", "Sinkhorn barycenters", "sinkhorn iterations for wasserstein barycenters of measures"),
        paper("c", "Policy gradient", "variance reduction for policy gradient methods"),
    ]
    result = related_papers(papers, k=2, floor=0.05)
    link = result["a"][0]
    assert link.target == "b"
    assert link.terms and len(link.terms) <= related.SHARED_TERMS
    words_a = set(f"{papers[0].title} {papers[0].abstract}".lower().split())
    words_b = set(f"{papers[1].title} {papers[1].abstract}".lower().split())
    for term in link.terms:
        assert set(term.split()) <= words_a & words_b, term
    assert {"wasserstein", "barycenters", "sinkhorn"} & {w for t in link.terms for w in t.split()}
    ordered = sorted(papers, key=lambda p: p.id)
    matrix, vocab = vectorize(ordered)
    assert link.terms == shared_terms(matrix, 0, 1, vocab)


def test_block_boundaries_do_not_change_results(monkeypatch: pytest.MonkeyPatch) -> None:
    papers = corpus(150)
    one_block = related_papers(papers)
    monkeypatch.setattr(related, "BLOCK_NNZ", 1)  # the smallest block: 32 rows, so 5 blocks here
    if hasattr(related, "PAIR_BLOCK"):
        monkeypatch.setattr(related, "PAIR_BLOCK", 7)
    many_blocks = related_papers(papers)
    assert many_blocks == one_block
    assert sum(len(v) for v in one_block.values()) > 150


def test_approximate_mode_shows_exact_scores(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above its work budget the search is approximate, but each link shown is a true cosine, ordered."""
    if not hasattr(related, "EXACT_BUDGET"):
        pytest.skip("no approximate mode")
    papers = corpus(90)
    monkeypatch.setattr(related, "EXACT_BUDGET", 0)
    result = related_papers(papers, k=5, floor=0.1)
    ordered = sorted(papers, key=lambda p: p.id)
    matrix, _ = vectorize(ordered)
    dense = np.round((matrix @ matrix.T).toarray().astype(np.float64), 4)
    row = {p.id: i for i, p in enumerate(ordered)}
    for pid, links in result.items():
        assert len(links) <= 5 and pid not in {link.target for link in links}
        assert [(-link.score, link.target) for link in links] == sorted(
            (-link.score, link.target) for link in links
        )
        for link in links:
            assert link.score >= 0.1
            assert link.score == pytest.approx(dense[row[pid], row[link.target]], abs=1e-4), (
                pid,
                link.target,
            )
    assert sum(len(v) for v in result.values()) > 90


def test_deterministic_whatever_the_input_order() -> None:
    papers = corpus(70)
    first = related_papers(papers)
    assert related_papers(papers) == first
    shuffled = papers[:]
    random.Random(3).shuffle(shuffled)
    assert related_papers(shuffled) == first
    assert list(first) == sorted(first)


def test_tiny_corpora_have_no_links() -> None:
    assert related_papers([]) == {}
    assert related_papers([paper("only", "A title", "an abstract")]) == {"only": ()}


@pytest.mark.parametrize("n", [30, 49, 50, 422])
def test_vectors_equal_scikit_learns_tfidf_vectorizer(n: int) -> None:
    """vectorize() follows scikit-learn's TfidfVectorizer step by step without importing it on every build;
    the matrix must be the same, bit for bit, entry order included (it decides float32 sums)."""
    from conftest import REPO
    from sklearn.feature_extraction.text import TfidfVectorizer

    from generator.store import load_store

    papers = load_store(REPO / "data" / "papers.yaml")[0][:n]
    small = n < 50
    reference = TfidfVectorizer(
        sublinear_tf=True,
        ngram_range=(1, 2),
        stop_words="english",
        strip_accents="unicode",
        min_df=1 if small else 2,
        max_df=1.0 if small else 0.5,
        max_features=related.MAX_FEATURES,
        dtype=np.float32,
        token_pattern=related.TOKEN_RE.pattern,
    )
    expected = reference.fit_transform([related.paper_text(p) for p in papers])
    matrix, vocabulary = vectorize(papers)
    assert list(vocabulary) == list(reference.get_feature_names_out())
    assert matrix.shape == expected.shape
    assert np.array_equal(matrix.indptr, expected.indptr)
    assert np.array_equal(matrix.indices, expected.indices)
    assert np.array_equal(matrix.data, expected.data)
