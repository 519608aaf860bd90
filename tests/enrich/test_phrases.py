"""Keyphrases (generator/enrich/phrases.py): chunks between stop words, generic words and punctuation."""

from __future__ import annotations

import numpy as np
from conftest import REPO

from generator.core.model import Paper
from generator.enrich.phrases import generic_words, index_phrases, phrases
from generator.store import load_store


def paper(pid: str, title: str, abstract: str, needs_title: bool = False) -> Paper:
    return Paper(id=pid, title=title, abstract=abstract, added="2024-01-01", needs_title=needs_title)


def test_phrases_are_runs_of_two_or_three_content_words() -> None:
    found = phrases("We propose dataset distillation of synthetic training images, with novel results.")
    assert found == {
        "dataset distillation": "dataset distillation",
        "synthetic training": "synthetic training",
        "training image": "training images",
        "synthetic training image": "synthetic training images",
    }


def test_punctuation_generic_words_and_numbers_end_a_phrase() -> None:
    assert phrases("diffusion. models") == {}
    assert phrases("extensive experiments demonstrate") == {}
    assert "propose" in generic_words() and "model" not in generic_words()
    assert phrases("top 5 accuracy") == {}


def test_plurals_hyphens_and_accents_share_a_key() -> None:
    assert phrases("Score-based models") == {
        "score based": "score based",
        "based model": "based models",
        "score based model": "score based models",
    }
    assert set(phrases("score based model")) == set(phrases("Score-based models"))
    assert set(phrases("Schrödinger bridges")) == set(phrases("schrodinger bridge"))


def key(shown: str) -> str:
    return max(phrases(shown), key=len)


def test_the_index_agrees_with_phrases_of_each_paper() -> None:
    papers = sorted(load_store(REPO / "data" / "papers.yaml")[0][:120], key=lambda p: p.id)
    index = index_phrases(papers)
    per_paper = [set(phrases(f"{p.title}. {p.abstract}")) for p in papers]
    counts = {}
    for found in per_paper:
        for k in found:
            counts[k] = counts.get(k, 0) + 1
    assert sorted(key(s) for s in index.shown) == sorted(k for k, c in counts.items() if c >= 2)
    df = np.asarray(index.matrix.sum(axis=0)).ravel()
    assert np.array_equal(df, index.df)
    assert np.allclose(index.idf, np.log(len(papers) / df))
    for i, found in enumerate(per_paper):
        row = index.matrix.indices[index.matrix.indptr[i] : index.matrix.indptr[i + 1]]
        assert {key(index.shown[c]) for c in row} == {k for k in found if counts[k] >= 2}


def test_a_provisional_title_is_not_read() -> None:
    papers = [
        paper("a", "Dataset distillation", "nothing here", needs_title=True),
        paper("b", "Dataset distillation", "nothing here", needs_title=True),
    ]
    assert index_phrases(papers).shown == []
    papers = [paper("a", "Dataset distillation", "nothing"), paper("b", "Dataset distillation", "nothing")]
    assert index_phrases(papers).shown == ["dataset distillation"]
