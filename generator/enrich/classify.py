"""Assign topics and tags to papers from the taxonomy's phrase rules: deterministic and explainable.

Pure: no I/O. ``generator.taxonomy`` loads the rules; ``match.py`` finds them in the text.

Scoring. A phrase that occurs ``t`` times in the title and ``a`` times in the abstract contributes
``weight * (TITLE_WEIGHT * t + min(a, ABSTRACT_CAP))``; a topic's or tag's score is the sum over its
phrases (a tag's label and synonyms all have weight 1; a topic rule may have a negative weight: a
phrase that speaks against the topic). One phrase may serve several topics and tags; it counts for
each. A provisional title (``needs_title``: the abstract's first words) is not scored.

Word-sense guards (``data/tags.yaml``). A tag with ``not_with`` phrases is not given to a paper in
which any of them occurs ("knowledge distillation" not with "dataset distillation"); a tag with
``requires`` phrases only to a paper in which one of them occurs too ("finance" requires "stock*",
"portfolio*", ...).

Selection. Topics are ranked by (-score, taxonomy order). The best is kept if its score reaches
``MIN_TOPIC_SCORE``; up to two more follow if each reaches ``SECONDARY_RATIO`` of the best and the
minimum. A paper with no topic goes to the site's "Unsorted" page. Tags are ranked by (-score, id) and
kept from ``MIN_TAG_SCORE`` up, at most ``MAX_TAGS``; if that leaves fewer than ``FILL_TAGS``, tags
with a single abstract mention (``MIN_FILL_SCORE``) fill up to ``FILL_TAGS``.

Curator pins win: ``Paper.topics`` replaces the derived topics (pinned order, primary first);
``Paper.tags`` come first and derived tags fill up to ``MAX_TAGS``. Pins naming ids that are not in the
taxonomy are skipped here (the store check reports them); if no pinned topic is known, the derived
topics are used.

Parents. A topic's ``parent`` only shapes navigation: a paper matched to a child topic is not
automatically in the parent, and the parent's score is computed from its own rules alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.core.model import Assignment, Match, Paper, Taxonomy
from generator.enrich.match import (  # noqa: F401  (PhraseError, phrase_key, phrase_variants: re-exported)
    CompiledTaxonomy,
    PhraseError,
    Target,
    compile_taxonomy,
    phrase_key,
    phrase_variants,
    tokenize,
)

TITLE_WEIGHT = 3  # one hit in the title counts as much as three in the abstract
ABSTRACT_CAP = 3  # hits of one phrase in the abstract beyond this many add nothing
MIN_TOPIC_SCORE = 2.0  # a title hit (3) or two abstract hits of a weight-1 phrase
SECONDARY_RATIO = 0.5  # further topics need at least half the best topic's score
MAX_TOPICS = 3
MIN_TAG_SCORE = 2.0  # as for topics: one mention in passing is not enough
MAX_TAGS = 6
FILL_TAGS = 2  # a paper with fewer tags gets single-mention tags up to this many
MIN_FILL_SCORE = 1.0


@dataclass(frozen=True)
class _Scored:
    matches: list[tuple[Target, Match]]  # in rule order: topics in file order, then tags by id
    topics: dict[str, float]
    tags: dict[str, float]  # tags whose guards let them through
    blocked: frozenset[str]  # tags that matched but a guard kept off (not_with found, requires missing)
    specific: frozenset[str] = frozenset()  # tags matched by a phrase of two or more words


def _score(paper: Paper, compiled: CompiledTaxonomy) -> _Scored:
    """Every rule that fired for ``paper`` with its Match, and the total per topic and per tag."""
    # A provisional title is the abstract's first words: scoring it would count them four times.
    title = [] if paper.needs_title else tokenize(paper.title or "")
    in_title = compiled.credit(compiled.find(title)) if title else {}
    in_abstract = compiled.credit(compiled.find(tokenize(paper.abstract or "")))
    matches: list[tuple[Target, Match]] = []
    totals: dict[str, dict[str, float]] = {"topic": {}, "tag": {}, "not_with": {}, "requires": {}}
    for order in sorted(in_title.keys() | in_abstract.keys()):
        t, a = in_title.get(order, 0), in_abstract.get(order, 0)
        target = compiled.rules[order]
        match = compiled.match(order, t, a, target.weight * (TITLE_WEIGHT * t + min(a, ABSTRACT_CAP)))
        table = totals[target.kind]
        table[target.id] = table.get(target.id, 0.0) + match.score
        matches.append((target, match))
    blocked = set(totals["not_with"]) | (compiled.guarded - set(totals["requires"]))
    tags = {tid: score for tid, score in totals["tag"].items() if tid not in blocked}
    specific = frozenset(t.id for t, _ in matches if t.kind == "tag" and t.order in compiled.multi_word)
    return _Scored(matches, totals["topic"], tags, frozenset(blocked & set(totals["tag"])), specific)


def _rank_topics(scores: dict[str, float], compiled: CompiledTaxonomy) -> list[tuple[str, float]]:
    """Topics with a positive total, best first (a negative phrase can cancel a topic's evidence)."""
    ranked = [kv for kv in scores.items() if kv[1] > 0]
    return sorted(ranked, key=lambda kv: (-kv[1], compiled.topic_order[kv[0]]))


def _rank_tags(scores: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def select_topics(ranked: list[tuple[str, float]]) -> tuple[str, ...]:
    """The derived topics from a ranking (best first): 0-3 ids, primary first."""
    if not ranked or ranked[0][1] < MIN_TOPIC_SCORE:
        return ()
    bar = max(MIN_TOPIC_SCORE, SECONDARY_RATIO * ranked[0][1])
    return tuple(tid for i, (tid, score) in enumerate(ranked[:MAX_TOPICS]) if i == 0 or score >= bar)


def select_tags(
    ranked: list[tuple[str, float]], pinned: tuple[str, ...] = (), fillable: frozenset[str] = frozenset()
) -> tuple[str, ...]:
    """Pinned tags first, then derived tags from a ranking (best first) up to MAX_TAGS; below
    FILL_TAGS, single mentions of the ``fillable`` tags (matched by a multi-word phrase) fill in."""
    chosen = list(dict.fromkeys(pinned))
    derived = [tid for tid, score in ranked if score >= MIN_TAG_SCORE and tid not in chosen]
    chosen.extend(derived[: max(0, MAX_TAGS - len(chosen))])
    if len(chosen) < FILL_TAGS:  # single mentions fill up to FILL_TAGS, best first
        weak = [t for t, score in ranked if MIN_FILL_SCORE <= score < MIN_TAG_SCORE and t not in chosen]
        weak.sort(key=lambda t: t not in fillable)  # multi-word evidence first (stable: best first)
        chosen.extend(weak[: FILL_TAGS - len(chosen)])
    return tuple(chosen)


def assign(paper: Paper, compiled: CompiledTaxonomy) -> Assignment:
    """Topics (primary first) and tags for one paper, with the scores and matches behind them."""
    return _assign(paper, compiled)[0]


def _assign(paper: Paper, compiled: CompiledTaxonomy) -> tuple[Assignment, _Scored]:
    scored = _score(paper, compiled)
    topic_ranking = _rank_topics(scored.topics, compiled)
    tag_ranking = _rank_tags(scored.tags)
    pinned_topics = tuple(dict.fromkeys(t for t in paper.topics if t in compiled.topic_order))
    pinned_tags = tuple(t for t in paper.tags if t in compiled.tag_ids)
    assignment = Assignment(
        topics=pinned_topics or select_topics(topic_ranking),
        tags=select_tags(tag_ranking, pinned_tags, scored.specific),
        topic_scores=tuple(topic_ranking),
        tag_scores=tuple(tag_ranking),
        matches=tuple(match for _, match in scored.matches),
        pinned_topics=bool(pinned_topics),
    )
    return assignment, scored


class _RuleMemo:
    """The rules' assignment of each paper of the last call, for one taxonomy: a paper's assignment
    depends only on the paper and the taxonomy, so a process that enriches again (``mkdocs serve``
    after an edit) matches the rules only on the papers that changed. Holds the last call's papers."""

    def __init__(self) -> None:
        self.taxonomy: Taxonomy | None = None
        self.assigned: dict[Paper, Assignment] = {}

    def assign_all(self, papers: Iterable[Paper], taxonomy: Taxonomy) -> dict[str, Assignment]:
        if taxonomy != self.taxonomy:
            self.taxonomy, self.assigned = taxonomy, {}
        compiled = None
        fresh: dict[Paper, Assignment] = {}
        for paper in papers:
            assignment = self.assigned.get(paper)
            if assignment is None:
                compiled = compiled or compile_taxonomy(taxonomy)
                assignment = assign(paper, compiled)
            fresh[paper] = assignment
        self.assigned = fresh
        return {paper.id: assignment for paper, assignment in fresh.items()}


_memo = _RuleMemo()


def assign_all_rules(papers: Iterable[Paper], taxonomy: Taxonomy) -> dict[str, Assignment]:
    """The rules' assignments keyed by paper id, in input order (each paper on its own)."""
    return _memo.assign_all(papers, taxonomy)


def assign_all(papers: Iterable[Paper], taxonomy: Taxonomy) -> dict[str, Assignment]:
    """Assignments keyed by paper id, in input order: the rules, then the primary topic's second
    opinion from the classifier trained on this list (``topic_model.refine_topics``)."""
    from generator.enrich.topic_model import refine_topics

    papers = list(papers)
    return refine_topics(papers, assign_all_rules(papers, taxonomy), taxonomy)


def explain(paper: Paper, taxonomy: Taxonomy) -> str:
    """Every rule that fired for ``paper`` and why it got its topics and tags (see ``explain.py``)."""
    from generator.enrich.explain import explain_assignment

    return explain_assignment(paper, taxonomy)
