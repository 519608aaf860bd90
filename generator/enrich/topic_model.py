"""Primary topics with a second opinion: a nearest-centroid text classifier trained on confident papers.

The phrase rules (``classify.py``) decide most papers clearly. Those papers, and the papers whose
topics a curator pinned, train the classifier: each topic's centroid is the normalized sum of the
TF-IDF rows (``vectors.py``) of the papers whose primary topic it is. A paper's cosine to a centroid
is then *standardized per topic*: how many standard deviations it lies above the mean cosine of the
papers that did not train that topic (negative values count as 0). A broad topic whose centroid is a
little similar to everything (a catch-all) so no longer attracts papers that only share its general
vocabulary, and a small, specific topic counts as much as a large one. Every unpinned paper's primary
topic is the topic with the best blend

    rule score / max(best rule score, RULE_FLOOR)  +  SIMILARITY_WEIGHT x standard deviations

(``RULE_FLOOR``: a topic with a single abstract mention is weak evidence and counts as such, not as
the best possible rule score), and a child topic (``parent:`` in data/topics.yaml) replaces its
parent as primary when its blend reaches ``CHILD_RATIO`` of the parent's: the more specific page is
the better home. The other topics stay those of the rules (at most ``MAX_TOPICS`` in all). A paper
with too few papers around it to train on (fewer than ``MIN_TRAINING`` confident papers in the list)
keeps its rule topics.
Deterministic: sums in paper-id order, ties by taxonomy order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from generator.core.model import Assignment, Paper, Taxonomy
from generator.enrich.classify import MAX_TOPICS

CONFIDENT_SCORE = 6.0  # a rule-derived primary topic is confident from this score ...
CONFIDENT_MARGIN = 2.0  # ... when it scores at least this many times the second topic
SIMILARITY_WEIGHT = 0.25  # per standard deviation; leave-one-batch-out on the tune labels: flat 0.2-0.4
RULE_FLOOR = 3.0  # rule scores are divided by the best one, or by this (one title hit) if it is weaker
CHILD_RATIO = 0.5
MIN_TRAINING = 20


@dataclass(frozen=True)
class TopicEvidence:
    """Why a paper's primary topic is what it is: per topic (taxonomy order) the normalized rule score,
    the standardized similarity to the topic's centroid (standard deviations above the papers that did
    not train it) and their blend; and whether the paper trained the classifier."""

    topics: tuple[str, ...]
    rules: tuple[float, ...]
    centroid: tuple[float, ...]
    blend: tuple[float, ...]
    trained_on: bool
    primary: str | None


def confident(assignment: Assignment) -> str | None:
    """The primary topic if the curator pinned it or the rules are clear about it, else None."""
    if assignment.pinned_topics:
        return assignment.topics[0]
    scores = assignment.topic_scores
    if not scores or scores[0][1] < CONFIDENT_SCORE:
        return None
    second = scores[1][1] if len(scores) > 1 else 0.0
    return scores[0][0] if scores[0][1] >= CONFIDENT_MARGIN * second else None


def topic_evidence(
    papers: Sequence[Paper], assignments: Mapping[str, Assignment], taxonomy: Taxonomy
) -> dict[str, TopicEvidence]:
    """The blended evidence for every paper in ``papers`` (empty if too few papers are confident)."""
    from generator.enrich.vectors import vectorize

    ordered = sorted(papers, key=lambda p: p.id)
    topics = tuple(t.id for t in taxonomy.topics)
    column = {tid: i for i, tid in enumerate(topics)}
    labels = [confident(assignments[p.id]) for p in ordered]
    trained = [i for i, label in enumerate(labels) if label is not None]
    if len(trained) < MIN_TRAINING or len(ordered) < 2:
        return {}
    matrix, _ = vectorize(ordered)
    members = np.zeros((len(topics), len(ordered)))
    for i in trained:
        members[column[labels[i]], i] = 1.0
    centroids = np.asarray((matrix.T @ members.T).T, dtype=np.float64)
    norms = np.linalg.norm(centroids, axis=1, keepdims=True)
    centroids = np.divide(centroids, norms, out=np.zeros_like(centroids), where=norms > 0)
    cosines = np.asarray(matrix @ centroids.T, dtype=np.float64)
    similarity = standardize(cosines, members)
    parents = {t.id: t.parent for t in taxonomy.topics}
    out: dict[str, TopicEvidence] = {}
    for i, paper in enumerate(ordered):
        rules = np.zeros(len(topics))
        for tid, score in assignments[paper.id].topic_scores:
            rules[column[tid]] = score
        rules = rules / max(rules.max(), RULE_FLOOR)
        near = similarity[i]
        blend = np.round(rules + SIMILARITY_WEIGHT * near, 6)
        primary = _primary(topics, blend, parents) if blend.max() > 0 else None
        out[paper.id] = TopicEvidence(
            topics,
            tuple(np.round(rules, 4).tolist()),
            tuple(np.round(near, 4).tolist()),
            tuple(blend.tolist()),
            labels[i] is not None,
            primary,
        )
    return out


def standardize(cosines: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Each column (topic) of a papers x topics cosine matrix in standard deviations above the mean
    cosine of the papers that did not train that topic (``members``: topics x papers, 1 = trained
    it), negative values as 0; a column whose background does not vary is all 0."""
    out = np.zeros_like(cosines)
    for j in range(cosines.shape[1]):
        background = cosines[members[j] == 0, j]
        if background.size < 2:
            continue
        mean, spread = background.mean(), background.std()
        if spread > 0:
            out[:, j] = np.clip((cosines[:, j] - mean) / spread, 0.0, None)
    return out


def _primary(topics: tuple[str, ...], blend: np.ndarray, parents: Mapping[str, str | None]) -> str:
    best = int(np.argmax(blend))  # first of equal blends: taxonomy order
    for j, tid in enumerate(topics):
        if parents[tid] == topics[best] and blend[j] >= CHILD_RATIO * blend[best]:
            return tid
    return topics[best]


def refine_topics(
    papers: Sequence[Paper], assignments: dict[str, Assignment], taxonomy: Taxonomy
) -> dict[str, Assignment]:
    """``assignments`` with each unpinned paper's primary topic taken from the blended evidence."""
    evidence = topic_evidence(papers, assignments, taxonomy)
    out = dict(assignments)  # input order kept
    for pid, found in evidence.items():
        current = assignments[pid]
        if current.pinned_topics or found.primary is None:
            continue
        rest = tuple(t for t in current.topics if t != found.primary)
        out[pid] = replace(current, topics=(found.primary, *rest)[:MAX_TOPICS])
    return out
