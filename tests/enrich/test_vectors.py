"""TF-IDF rows (generator/enrich/vectors.py): equal to scikit-learn's TfidfVectorizer, stop words as data."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import REPO

from generator.enrich import vectors
from generator.store import load_store


def test_stop_words_are_scikit_learns_list() -> None:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert vectors.stop_words() == frozenset(ENGLISH_STOP_WORDS)


@pytest.mark.parametrize("n", [30, 49, 50, 422])
def test_vectors_equal_scikit_learns_tfidf_vectorizer(n: int) -> None:
    """Bit for bit, entry order included (it decides float32 sums), without importing scikit-learn."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    papers = load_store(REPO / "data" / "papers.yaml")[0][:n]
    small = n < 50
    reference = TfidfVectorizer(
        sublinear_tf=True,
        ngram_range=(1, 2),
        stop_words="english",
        strip_accents="unicode",
        min_df=1 if small else 2,
        max_df=1.0 if small else 0.5,
        max_features=vectors.MAX_FEATURES,
        dtype=np.float32,
        token_pattern=vectors.TOKEN_RE.pattern,
    )
    expected = reference.fit_transform([vectors.paper_text(p) for p in papers])
    matrix, vocabulary = vectors.vectorize(papers)
    assert list(vocabulary) == list(reference.get_feature_names_out())
    assert np.array_equal(matrix.indptr, expected.indptr)
    assert np.array_equal(matrix.indices, expected.indices)
    assert np.array_equal(matrix.data, expected.data)


def test_an_empty_vocabulary_is_an_error() -> None:
    from generator.core.model import Paper

    with pytest.raises(ValueError, match="empty vocabulary"):
        vectors.vectorize([Paper(id="a", title="the", abstract="of and", added="2024-01-01")])


def test_the_same_papers_share_one_read_only_result_and_an_edit_is_seen() -> None:
    """Related papers and the topic model vectorize the same papers in one build: the second asks for a
    result that is already there, read only so that neither can change the other's."""
    from dataclasses import replace

    papers = load_store(REPO / "data" / "papers.yaml")[0][:60]
    matrix, vocabulary = vectors.vectorize(papers)
    assert vectors.vectorize(list(papers)) == (matrix, vocabulary) and vectors.vectorize(papers)[0] is matrix
    with pytest.raises(ValueError, match="read-only"):
        matrix.data[0] = 2.0
    edited = [replace(p, title=p.title + " zebra") for p in papers[:2]] + papers[2:]  # min_df is 2
    changed, words = vectors.vectorize(edited)
    assert changed is not matrix and "zebra" in set(words) and "zebra" not in set(vocabulary)
