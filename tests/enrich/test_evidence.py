"""Pair evidence (generator/enrich/evidence.py): features, the stored link model and the reasons."""

from __future__ import annotations

import numpy as np

from generator.core.model import Paper
from generator.enrich.evidence import FEATURES, LinkModel, link_model, pair_features, reasons
from generator.enrich.phrases import index_phrases


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


def test_features_count_shared_rare_phrases() -> None:
    index = index_phrases(PAPERS)
    rows, cols = np.array([0, 0, 1]), np.array([1, 2, 0])
    features = pair_features(rows, cols, np.array([0.9, 0.2, 0.9]), index)
    f = dict(zip(FEATURES, features.T, strict=True))
    assert f["cosine"].tolist() == [0.9, 0.2, 0.9]
    assert f["phrases"][0] >= 3 and f["phrases"][1] == 0  # "neural networks" is in every paper
    assert f["phrase_max"][0] > f["phrase_max"][1]
    assert f["rank"].tolist() == [1.0, 0.5, 1.0]


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
