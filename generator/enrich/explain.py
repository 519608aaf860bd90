"""Explain a paper's enrichment in plain text: every rule, guard and score behind its topics and tags,
and the evidence behind each related-paper link (``python -m generator explain PAPER``)."""

from __future__ import annotations

from collections.abc import Sequence

from generator.core.model import Assignment, Match, Paper, Taxonomy, visible
from generator.enrich.classify import (
    ABSTRACT_CAP,
    FILL_TAGS,
    MAX_TAGS,
    MAX_TOPICS,
    MIN_TAG_SCORE,
    MIN_TOPIC_SCORE,
    SECONDARY_RATIO,
    TITLE_WEIGHT,
    _assign,
    _Scored,
)
from generator.enrich.match import CompiledTaxonomy, Target, compile_taxonomy


def explain_assignment(paper: Paper, taxonomy: Taxonomy, final: tuple[str, ...] | None = None) -> str:
    """Human-readable account of every rule that fired for ``paper`` and why it got its topics/tags;
    ``final``: the topics the whole list gives it (the classifier may change the primary topic)."""
    compiled = compile_taxonomy(taxonomy)
    result, scored = _assign(paper, compiled)
    if final is not None and final != result.topics:
        result = Assignment(
            final, result.tags, result.topic_scores, result.tag_scores, result.matches, result.pinned_topics
        )
    lines = [f"{paper.id}: {paper.title}", ""]
    lines.append(
        f"score of a phrase = weight x ({TITLE_WEIGHT} x title hits + abstract hits, at most {ABSTRACT_CAP})"
    )
    for kind, ranking in (("topic", result.topic_scores), ("tag", result.tag_scores)):
        lines.append("")
        lines.append(f"{kind.capitalize()} rules that matched:" if ranking else f"No {kind} rule matched.")
        for target_id, total in ranking:
            lines.append(f"  {target_id}: {total:g}")
            for target, match in scored.matches:
                if target.kind == kind and target.id == target_id:
                    lines.append("    " + _describe(target, match))
    lines.extend(_guard_lines(scored, compiled))
    lines.append("")
    lines.extend(_topic_reason(paper, result, compiled))
    lines.extend(_tag_reason(paper, result, compiled))
    return "\n".join(lines) + "\n"


def _describe(target: Target, match: Match) -> str:
    where = []
    if match.in_title:
        where.append(f"title x{match.in_title}")
    if match.in_abstract:
        capped = " (counted 3)" if match.in_abstract > ABSTRACT_CAP else ""
        where.append(f"abstract x{match.in_abstract}{capped}")
    return f"'{match.phrase}' in {', '.join(where)}, weight {target.weight:g} -> {match.score:g}"


def _topic_reason(paper: Paper, result: Assignment, compiled: CompiledTaxonomy) -> list[str]:
    if result.pinned_topics:
        lines = [f"Topics: {', '.join(result.topics)} (pinned by the curator; primary: {result.topics[0]})"]
        skipped = [t for t in paper.topics if t not in compiled.topic_order]
        if skipped:
            lines.append(f"  ignored unknown pinned topics: {', '.join(skipped)}")
        return lines
    if not result.topics:
        best = result.topic_scores[0][1] if result.topic_scores else 0
        return [f"Topics: none (best score {best:g} < minimum {MIN_TOPIC_SCORE:g}): Unsorted"]
    if not result.topic_scores:
        return [
            f"Topics: {', '.join(result.topics)} (primary: {result.topics[0]}, from the classifier below)"
        ]
    best = result.topic_scores[0][1]
    bar = max(MIN_TOPIC_SCORE, SECONDARY_RATIO * best)
    lines = [
        f"Topics: {', '.join(result.topics)} (primary: {result.topics[0]}, best score {best:g}; "
        f"others need >= {bar:g}, at most {MAX_TOPICS} topics)"
    ]
    if result.topics[0] != result.topic_scores[0][0]:
        lines.append(
            f"  primary {result.topics[0]} chosen by the classifier's blend (below), not the best rule"
        )
    return lines


def _tag_reason(paper: Paper, result: Assignment, compiled: CompiledTaxonomy) -> list[str]:
    """Why each shown tag is there (pinned, its score, or a single mention filled in), and an honest
    reason when a paper has fewer than FILL_TAGS tags."""
    pinned = list(dict.fromkeys(t for t in paper.tags if t in compiled.tag_ids))
    scores = dict(result.tag_scores)
    rule = f"score >= {MIN_TAG_SCORE:g}, best first, at most {MAX_TAGS}"
    lines = [f"Tags: {', '.join(result.tags) or 'none'} ({rule})"]
    for tid in result.tags:
        if tid in pinned:
            why = "pinned by the curator"
        elif scores.get(tid, 0) >= MIN_TAG_SCORE:
            why = f"score {scores[tid]:g} >= {MIN_TAG_SCORE:g}"
        else:
            why = (
                f"score {scores.get(tid, 0):g}: a single mention, filled in because fewer than "
                f"{FILL_TAGS} tags scored {MIN_TAG_SCORE:g} (phrases of two or more words first)"
            )
        lines.append(f"  {tid}: {why}")
    skipped = [t for t in paper.tags if t not in compiled.tag_ids]
    if skipped:
        lines.append(f"  ignored unknown pinned tags: {', '.join(skipped)}")
    if len(result.tags) < FILL_TAGS:
        lines.append(
            f"  only {len(result.tags)} tag(s): no other tag phrase of data/tags.yaml occurs in the title "
            "or abstract (or a word-sense guard kept it off); pin tags or add synonyms"
        )
    return lines


def _guard_lines(scored: _Scored, compiled: CompiledTaxonomy) -> list[str]:
    """Tags that matched but a word-sense guard kept off, with the guard that did it."""
    lines = []
    for tid in sorted(scored.blocked):
        found = [m.phrase for t, m in scored.matches if t.kind == "not_with" and t.id == tid]
        if found:
            why = f"not_with phrase found: {', '.join(repr(f) for f in found)}"
        else:
            why = "requires none of its context phrases found"
        lines.append(f"  {tid}: kept off by its guard ({why})")
    if lines:
        lines.insert(0, "")
        lines.insert(1, "Tags kept off by word-sense guards (data/tags.yaml):")
    return lines


def explain_paper(paper: Paper, papers: Sequence[Paper], taxonomy: Taxonomy) -> str:
    """Everything behind one paper's page as the build derives it from the whole list: topic rules,
    the classifier's second opinion on the primary topic, tags and their guards, related links."""
    return (
        explain_assignment(paper, taxonomy, final=_final_topics(paper, papers, taxonomy))
        + explain_topic_model(paper, papers, taxonomy)
        + explain_related(paper, papers)
    )


def _final_topics(paper: Paper, papers: Sequence[Paper], taxonomy: Taxonomy) -> tuple[str, ...] | None:
    from generator.enrich.classify import assign_all

    listed = visible(papers)
    if paper.hidden or paper.id not in {p.id for p in listed}:
        return None
    return assign_all(listed, taxonomy)[paper.id].topics


def explain_topic_model(paper: Paper, papers: Sequence[Paper], taxonomy: Taxonomy) -> str:
    """The classifier's evidence for ``paper``'s primary topic (topic_model.py): per topic, the rule
    score as the blend counts it, the standardized text similarity and their sum."""
    from generator.enrich.classify import assign_all_rules
    from generator.enrich.topic_model import (
        CHILD_RATIO,
        RULE_FLOOR,
        SIMILARITY_WEIGHT,
        topic_evidence,
    )

    listed = visible(papers)
    lines = [
        "",
        f"Primary topic: rule score / max(best rule score, {RULE_FLOOR:g}) + {SIMILARITY_WEIGHT:g} x "
        "standard deviations by which the paper's text is more similar to the topic's confident papers "
        "than the other papers are (topic_model.py)",
    ]
    if paper.id not in {p.id for p in listed}:
        return "\n".join([*lines, "  (a hidden paper has no topics on the site)"]) + "\n"
    evidence = topic_evidence(listed, assign_all_rules(listed, taxonomy), taxonomy).get(paper.id)
    if evidence is None:
        return "\n".join([*lines, "  too few confident papers to train on: the rules alone decide"]) + "\n"
    if paper.topics:
        lines.append("  (not used: the curator pinned this paper's topics)")
    ranked = sorted(range(len(evidence.topics)), key=lambda i: (-evidence.blend[i], i))[:5]
    for i in ranked:
        lines.append(
            f"  {evidence.topics[i]}: rules {evidence.rules[i]:.2f} + {SIMILARITY_WEIGHT:g} x "
            f"{evidence.centroid[i]:.2f} sd -> {evidence.blend[i]:.2f}"
        )
    if evidence.primary is None:
        lines.append("  no rule and no text similarity speak for any topic: Unsorted")
    else:
        lines.append(
            f"  primary: {evidence.primary} (a child topic wins over its parent from {CHILD_RATIO:g} of "
            "its blend)" + ("; this paper trained the classifier" if evidence.trained_on else "")
        )
    return "\n".join(lines) + "\n"


def explain_related(paper: Paper, papers: Sequence[Paper]) -> str:
    """The related-paper links of ``paper`` among ``papers``, as the build decides them: the model,
    then for each candidate its evidence (features, probability, the shared phrases or words that are
    its reason) and whether it is shown, or why not."""
    import numpy as np

    from generator.enrich.evidence import FEATURES, link_model
    from generator.enrich.related import CANDIDATES, TOP_K, candidates, link_reasons, select_links

    listed = visible(papers)
    found = candidates(listed)
    model = link_model()
    weights = ", ".join(f"{name} {w:+.2f}" for name, w in zip(FEATURES, model.weights, strict=True))
    lines = [
        "",
        f"Related papers: each of the {CANDIDATES} nearest papers by TF-IDF cosine is a candidate; it is "
        f"shown if its link probability is >= {model.threshold:g} and it has a reason (an informative "
        f"phrase both papers use, or at least two specific words); at most {TOP_K}, most probable first.",
        f"  probability = logistic regression over standardized evidence (weights: {weights})",
    ]
    if paper.id not in found.ids:
        return "\n".join([*lines, "  (hidden papers have no related papers)"]) + "\n"
    shown = {link.target: link for link in select_links(found, TOP_K, model).get(paper.id, ())}
    titles = {p.id: p.title for p in listed}
    row = found.ids.index(paper.id)
    pick = np.flatnonzero(found.rows == row)
    probability = np.round(model.probability(found.features[pick]), 4)
    terms = link_reasons(found, found.rows[pick], found.cols[pick])
    for i, p, why in zip(pick.tolist(), probability.tolist(), terms, strict=True):
        target = found.ids[int(found.cols[i])]
        values = dict(zip(FEATURES, found.features[i].tolist(), strict=True))
        rank = round(1.0 / values["rank"]) if values["rank"] else 0
        if target in shown:
            mark = "shown"
        elif p < model.threshold:
            mark = f"not shown: probability below {model.threshold:g}"
        elif not why:
            mark = "not shown: no shared informative phrase and fewer than two specific shared words"
        else:
            mark = f"not shown: {TOP_K} more probable links"
        lines.append(f"  [{mark}] {target}: {titles.get(target, '')}")
        lines.append(
            f"    probability {p:.2f}; cosine {values['cosine']:.3f} (candidate {rank} by cosine), "
            f"title cosine {values['title']:.2f}, rarest shared phrase {values['phrase_max']:.2f} (log N/df)"
        )
        lines.append(f"    both: {', '.join(why)}" if why else "    both: nothing specific")
    if not shown:
        lines.append("  No closely related paper in the list yet.")
    return "\n".join(lines) + "\n"
