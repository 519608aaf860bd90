"""Pair evidence (generator/enrich/evidence.py): features, the stored link model and the reasons."""

from __future__ import annotations

import numpy as np

from generator.core.model import Paper
from generator.enrich.evidence import (
    FEATURES,
    LinkModel,
    index_words,
    link_model,
    pair_features,
    reasons,
    shared_words,
    specific_terms,
)
from generator.enrich.phrases import index_phrases
from generator.enrich.vectors import title_vectors, vectorize


def paper(pid: str, title: str, abstract: str) -> Paper:
    return Paper(id=pid, title=title, abstract=abstract, added="2024-01-01")


PAPERS = [
    paper(
        "a", "Dataset distillation", "dataset distillation makes synthetic training images; neural networks"
    ),
    paper(
        "b",
        "Better dataset distillation",
        "synthetic training images from dataset distillation; neural networks",
    ),
    paper("c", "Policy gradients", "policy gradient methods for neural networks"),
    paper("d", "Graph neural networks", "message passing on graphs with neural networks"),
]


def test_features_are_the_cosine_its_rank_the_titles_and_the_rarest_shared_phrase() -> None:
    index = index_phrases(PAPERS)
    titles = title_vectors(PAPERS)
    rows, cols = np.array([0, 0, 1]), np.array([1, 2, 0])
    features = pair_features(rows, cols, np.array([0.9, 0.2, 0.9]), index, titles)
    f = dict(zip(FEATURES, features.T, strict=True))
    assert f["cosine"].tolist() == [0.9, 0.2, 0.9]
    assert f["rank"].tolist() == [1.0, 0.5, 1.0]
    assert f["title"][0] > 0.5 and f["title"][1] == 0.0  # "dataset distillation" / no title word shared
    assert f["title"][0] == f["title"][2]  # symmetric
    assert f["phrase_max"][0] > f["phrase_max"][1]  # "neural networks" is in every paper


def test_a_provisional_title_is_no_title_evidence() -> None:
    provisional = Paper(
        id="x",
        title="Dataset distillation",
        abstract="dataset distillation",
        added="2024-01-01",
        needs_title=True,
    )
    titles = title_vectors([PAPERS[0], provisional])
    assert titles[1].nnz == 0 and titles[0].nnz > 0


def test_shared_words_need_two_specific_words_and_skip_generic_ones() -> None:
    papers = [
        paper("a", "Protein folding", "protein folding with contact maps and a novel method"),
        paper("b", "Contact maps", "contact maps predict protein folding; a novel method"),
        paper("c", "Bandits", "regret of exploration with a novel method"),
        *[paper(f"f{i}", f"Filler {i}", f"unrelated words number{i} here") for i in range(40)],
    ]
    matrix, vocab = vectorize(papers)
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    specific = specific_terms(vocab, df, len(papers))
    (why, none) = shared_words(index_words(matrix, vocab, specific), np.array([0, 0]), np.array([1, 2]))
    assert set(why) <= {"protein", "folding", "contact", "maps"} and len(why) >= 2
    assert none == ()  # "novel" and "method" are generic: nothing specific is shared
    assert not specific[list(vocab).index("novel")]


def test_a_plural_and_its_singular_are_one_shared_word() -> None:
    papers = [
        paper("a", "Instructions for proteins", "instructions and proteins"),
        paper("b", "Instruction of protein", "instruction and protein"),
        *[paper(f"f{i}", f"Filler {i}", f"unrelated words number{i} here") for i in range(40)],
    ]
    matrix, vocab = vectorize(papers)
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    words = index_words(matrix, vocab, specific_terms(vocab, df, len(papers)))
    (why,) = shared_words(words, np.array([0]), np.array([1]))
    assert sorted(why) == ["instruction", "protein"]  # shown in the shortest form


def test_reasons_are_rarest_first_without_repeating_words() -> None:
    index = index_phrases(PAPERS)
    (why,) = reasons(np.array([0]), np.array([1]), index)
    assert any("dataset distillation" in phrase for phrase in why)
    assert sum("training" in phrase.split() for phrase in why) == 1  # no word twice
    assert "neural networks" not in why  # too common to justify a link
    assert reasons(np.array([0]), np.array([2]), index) == [()]


def test_the_stored_model_matches_the_features_and_is_monotone_in_cosine() -> None:
    model = link_model()
    assert isinstance(model, LinkModel) and len(model.weights) == len(FEATURES)
    assert 0.0 < model.threshold < 1.0
    low, high = np.zeros((1, len(FEATURES))), np.zeros((1, len(FEATURES)))
    high[0, FEATURES.index("cosine")] = 0.8
    assert model.probability(high)[0] > model.probability(low)[0]
