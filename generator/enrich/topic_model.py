"""Primary topics with a second opinion: a nearest-centroid text classifier trained on confident papers.

The phrase rules (``classify.py``) decide most papers clearly. Those papers, and the papers whose
topics a curator pinned, train the classifier: each topic's centroid is the normalized sum of the
TF-IDF rows (``vectors.py``) of the papers whose primary topic it is. Every unpinned paper's primary
topic is then the topic with the best blend

    rule score / best rule score  +  CENTROID_WEIGHT x cosine to centroid / best cosine

and a child topic (``parent:`` in data/topics.yaml) replaces its parent as primary when its blend
reaches ``CHILD_RATIO`` of the parent's: the more specific page is the better home. The other topics
stay those of the rules (at most ``MAX_TOPICS`` in all). A paper with too few papers around it to
train on (fewer than ``MIN_TRAINING`` confident papers in the list) keeps its rule topics.
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
CENTROID_WEIGHT = 2.0
CHILD_RATIO = 0.5
MIN_TRAINING = 20


@dataclass(frozen=True)
class TopicEvidence:
    """Why a paper's primary topic is what it is: per topic, the normalized rule score, the normalized
    centroid cosine and their blend (taxonomy order); and whether the paper trained the classifier."""

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
    parents = {t.id: t.parent for t in taxonomy.topics}
    out: dict[str, TopicEvidence] = {}
    for i, paper in enumerate(ordered):
        rules = np.zeros(len(topics))
        for tid, score in assignments[paper.id].topic_scores:
            rules[column[tid]] = score
        rules = rules / rules.max() if rules.max() > 0 else rules
        near = cosines[i] / cosines[i].max() if cosines[i].max() > 0 else cosines[i]
        blend = np.round(rules + CENTROID_WEIGHT * near, 6)
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
