"""Assign topics and tags to papers from the taxonomy's phrase rules: deterministic and explainable.

Pure: no I/O. ``generator.taxonomy`` loads the rules; this module matches them.

Matching. Title and abstract are case- and accent-folded and split into word tokens (letters and
digits). Clause punctuation (``. , ; : ! ?`` not followed by a letter) stays as a barrier, so a phrase
never matches across it. A rule phrase is split the same way, with two extras:

* ``*`` at the end of a word matches any ending: ``diffusion model*`` matches "diffusion models" and
  "diffusion modelling";
* ``-`` inside a word also matches a space or nothing: ``score-based`` matches "score-based",
  "score based" and "scorebased". (A space between words also matches a hyphen, as text is tokenized.)

Scoring. A phrase that occurs ``t`` times in the title and ``a`` times in the abstract contributes
``weight * (TITLE_WEIGHT * t + min(a, ABSTRACT_CAP))``; a topic's or tag's score is the sum over its
phrases. Overlapping phrases of one topic (``diffusion`` and ``diffusion model*``) both count.

Selection. Topics are ranked by (-score, taxonomy order). The best is kept if its score reaches
``MIN_TOPIC_SCORE``; up to two more follow if each reaches ``SECONDARY_RATIO`` of the best and the
minimum. A paper with no topic goes to the site's "Unsorted" page. Tags are ranked by (-score, id) and
kept from ``MIN_TAG_SCORE`` up, at most ``MAX_TAGS``; when that leaves fewer than ``MIN_TAGS``, tags
scoring at least ``FILL_TAG_SCORE`` fill up to ``MIN_TAGS``.

Curator pins win: ``Paper.topics`` replaces the derived topics (pinned order, primary first);
``Paper.tags`` come first and derived tags fill up to ``MAX_TAGS``. Pins naming ids that are not in the
taxonomy are skipped here (the store check reports them); if no pinned topic is known, the derived
topics are used.

Parents. A topic's ``parent`` only shapes navigation: a paper matched to a child topic is not
automatically in the parent, and the parent's score is computed from its own rules alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from generator.model import Assignment, Match, Paper, Taxonomy

TITLE_WEIGHT = 3  # one hit in the title counts as much as three in the abstract
ABSTRACT_CAP = 3  # hits of one phrase in the abstract beyond this many add nothing
MIN_TOPIC_SCORE = 2.0  # a title hit (3) or two abstract hits of a weight-1 phrase
SECONDARY_RATIO = 0.5  # further topics need at least half the best topic's score
MAX_TOPICS = 3
MIN_TAG_SCORE = 2.0
FILL_TAG_SCORE = 1.0  # a single abstract hit, used only to reach MIN_TAGS
MIN_TAGS = 2
MAX_TAGS = 6

# Word tokens, plus clause punctuation as barrier tokens (never equal to a phrase token).
_TOKEN = re.compile(r"[^\W_]+|[.,;:!?](?![^\W_])")
_WORD = re.compile(r"[^\W_]+")

# One phrase token: (text, is_prefix); is_prefix means the word may continue ("model*").
Token = tuple[str, bool]
Variant = tuple[Token, ...]


class PhraseError(ValueError):
    """A rule phrase that cannot be compiled; ``generator.taxonomy`` turns it into a located error."""


def fold(text: str) -> str:
    """Lowercase and strip accents, so "Schrödinger" and "schrodinger" compare equal."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return text.casefold()


def tokenize(text: str) -> list[str]:
    """Folded word tokens of ``text``, with clause punctuation kept as barrier tokens."""
    return _TOKEN.findall(fold(text))


def phrase_variants(phrase: str) -> tuple[Variant, ...]:
    """All token sequences a rule phrase matches; raises PhraseError if the phrase is unusable."""
    words = fold(phrase).split()
    if not words:
        raise PhraseError("the phrase is empty")
    per_word: list[list[Variant]] = []
    for word in words:
        prefix = word.endswith("*")
        core = word[:-1] if prefix else word
        if "*" in core:
            raise PhraseError(f"'*' may only end a word, not appear inside '{word}'")
        parts = [_WORD.findall(part) for part in core.split("-")]
        parts = [p for p in parts if p]
        if not parts:
            if core:
                raise PhraseError(f"the word '{word}' has no letters or digits")
            raise PhraseError(f"'{word}' has no letters or digits before the '*'")
        options = []
        for joins in product((False, True), repeat=len(parts) - 1):
            tokens = list(parts[0])
            for part, join in zip(parts[1:], joins, strict=True):
                if join:
                    tokens[-1] += part[0]
                    tokens.extend(part[1:])
                else:
                    tokens.extend(part)
            options.append(tuple((t, prefix and i == len(tokens) - 1) for i, t in enumerate(tokens)))
        per_word.append(sorted(set(options)))
    variants = {tuple(tok for word in combo for tok in word) for combo in product(*per_word)}
    return tuple(sorted(variants))


def phrase_key(phrase: str) -> str:
    """A canonical form of a phrase for duplicate checks: folded, hyphens as spaces, single spaces."""
    return " ".join(fold(phrase).replace("-", " ").split())


@dataclass(frozen=True)
class Target:
    """One rule of one topic or tag: what a phrase scores for, and with which weight."""

    kind: str  # "topic" | "tag"
    id: str
    phrase: str
    weight: float


class CompiledTaxonomy:
    """The taxonomy's rules indexed by first token, ready to scan many papers.

    Build it once with ``compile_taxonomy``; it keeps a cache of token -> candidate rules that grows
    with the vocabulary of the papers scanned.
    """

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.topic_order = {t.id: i for i, t in enumerate(taxonomy.topics)}
        self.tag_ids = {t.id for t in taxonomy.tags}
        # Unique phrases (by variants) -> the targets they score for, in taxonomy order.
        by_variants: dict[tuple[Variant, ...], int] = {}
        self.targets: list[list[Target]] = []
        for kind, target_id, phrase, weight in _rules(taxonomy):
            variants = phrase_variants(phrase)
            pid = by_variants.setdefault(variants, len(by_variants))
            if pid == len(self.targets):
                self.targets.append([])
            self.targets[pid].append(Target(kind, target_id, phrase, weight))
        self._exact: dict[str, list[tuple[int, Variant]]] = {}
        self._prefix: dict[str, list[tuple[int, Variant]]] = {}
        for variants, pid in by_variants.items():
            for variant in variants:
                first, is_prefix = variant[0]
                (self._prefix if is_prefix else self._exact).setdefault(first, []).append((pid, variant))
        self._prefix_lengths = sorted({len(p) for p in self._prefix})
        self._cache: dict[str, tuple[tuple[int, Variant], ...]] = {}

    def candidates(self, token: str) -> tuple[tuple[int, Variant], ...]:
        """Phrase variants whose first token accepts ``token``."""
        found = self._cache.get(token)
        if found is None:
            found_list = list(self._exact.get(token, ()))
            for n in self._prefix_lengths:
                if n > len(token):
                    break
                found_list.extend(self._prefix.get(token[:n], ()))
            found = self._cache[token] = tuple(found_list)
        return found

    def count(self, tokens: list[str]) -> dict[int, int]:
        """Occurrences of each phrase (by id) in a token list; one per phrase and start position."""
        counts: dict[int, int] = {}
        cache = self._cache
        n = len(tokens)
        for i, token in enumerate(tokens):
            cands = cache.get(token)
            if cands is None:
                cands = self.candidates(token)
            if not cands:
                continue
            seen: set[int] = set()
            for pid, variant in cands:
                if pid in seen or i + len(variant) > n:
                    continue
                if _matches_at(tokens, i, variant):
                    seen.add(pid)
                    counts[pid] = counts.get(pid, 0) + 1
        return counts


def _matches_at(tokens: list[str], i: int, variant: Variant) -> bool:
    for offset, (text, is_prefix) in enumerate(variant):
        token = tokens[i + offset]
        if not (token.startswith(text) if is_prefix else token == text):
            return False
    return True


def _rules(taxonomy: Taxonomy) -> Iterable[tuple[str, str, str, float]]:
    """(kind, id, phrase, weight) for every rule: topic rules, then each tag's label and synonyms."""
    for topic in taxonomy.topics:
        for rule in topic.rules:
            yield "topic", topic.id, rule.phrase, rule.weight
    for tag in taxonomy.tags:
        seen: set[str] = set()
        for phrase in (tag.label, *tag.synonyms):
            if phrase_key(phrase) not in seen:
                seen.add(phrase_key(phrase))
                yield "tag", tag.id, phrase, 1.0


@lru_cache(maxsize=8)
def compile_taxonomy(taxonomy: Taxonomy) -> CompiledTaxonomy:
    """Index the taxonomy's rules once (cached per taxonomy value)."""
    return CompiledTaxonomy(taxonomy)


@dataclass(frozen=True)
class _Scores:
    topics: dict[str, float]
    tags: dict[str, float]
    matches: tuple[Match, ...]  # topic matches first, then tag matches
    kinds: tuple[str, ...]  # "topic" | "tag" for each match


def _score(paper: Paper, compiled: CompiledTaxonomy) -> _Scores:
    in_title = compiled.count(tokenize(paper.title or ""))
    in_abstract = compiled.count(tokenize(paper.abstract or ""))
    topics: dict[str, float] = {}
    tags: dict[str, float] = {}
    found: list[tuple[int, Target, Match]] = []
    for pid in sorted(in_title.keys() | in_abstract.keys()):
        t, a = in_title.get(pid, 0), in_abstract.get(pid, 0)
        base = TITLE_WEIGHT * t + min(a, ABSTRACT_CAP)
        for target in compiled.targets[pid]:
            score = target.weight * base
            table = topics if target.kind == "topic" else tags
            table[target.id] = table.get(target.id, 0.0) + score
            found.append((pid, target, Match(target.id, target.phrase, t, a, score)))

    def order(item: tuple[int, Target, Match]) -> tuple:
        pid, target, _ = item
        if target.kind == "topic":
            return (0, compiled.topic_order[target.id], "", pid)
        return (1, 0, target.id, pid)

    found.sort(key=order)
    return _Scores(topics, tags, tuple(m for _, _, m in found), tuple(t.kind for _, t, _ in found))


def _rank_topics(scores: dict[str, float], compiled: CompiledTaxonomy) -> list[tuple[str, float]]:
    return sorted(scores.items(), key=lambda kv: (-kv[1], compiled.topic_order[kv[0]]))


def _rank_tags(scores: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def select_topics(ranked: list[tuple[str, float]]) -> tuple[str, ...]:
    """The derived topics from a ranking (best first): 0-3 ids, primary first."""
    if not ranked or ranked[0][1] < MIN_TOPIC_SCORE:
        return ()
    bar = max(MIN_TOPIC_SCORE, SECONDARY_RATIO * ranked[0][1])
    return tuple(tid for i, (tid, score) in enumerate(ranked[:MAX_TOPICS]) if i == 0 or score >= bar)


def select_tags(ranked: list[tuple[str, float]], pinned: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Pinned tags first, then derived tags from a ranking (best first) up to MAX_TAGS."""
    chosen = list(dict.fromkeys(pinned))
    derived = [tid for tid, score in ranked if score >= MIN_TAG_SCORE and tid not in chosen]
    chosen.extend(derived[: max(0, MAX_TAGS - len(chosen))])
    if len(chosen) < MIN_TAGS:
        extra = [tid for tid, s in ranked if FILL_TAG_SCORE <= s < MIN_TAG_SCORE and tid not in chosen]
        chosen.extend(extra[: MIN_TAGS - len(chosen)])
    return tuple(chosen)


def assign(paper: Paper, compiled: CompiledTaxonomy) -> Assignment:
    """Topics (primary first) and tags for one paper, with the scores and matches behind them."""
    scores = _score(paper, compiled)
    topic_ranking = _rank_topics(scores.topics, compiled)
    tag_ranking = _rank_tags(scores.tags)
    pinned_topics = tuple(dict.fromkeys(t for t in paper.topics if t in compiled.topic_order))
    pinned_tags = tuple(t for t in paper.tags if t in compiled.tag_ids)
    return Assignment(
        topics=pinned_topics or select_topics(topic_ranking),
        tags=select_tags(tag_ranking, pinned_tags),
        topic_scores=tuple(topic_ranking),
        tag_scores=tuple(tag_ranking),
        matches=scores.matches,
        pinned_topics=bool(pinned_topics),
    )


def assign_all(papers: Iterable[Paper], taxonomy: Taxonomy) -> dict[str, Assignment]:
    """Assignments keyed by paper id, in input order."""
    compiled = compile_taxonomy(taxonomy)
    return {paper.id: assign(paper, compiled) for paper in papers}


def explain(paper: Paper, taxonomy: Taxonomy) -> str:
    """Human-readable account of every rule that fired for ``paper`` and why it got its topics/tags."""
    compiled = compile_taxonomy(taxonomy)
    scores = _score(paper, compiled)
    result = assign(paper, compiled)
    lines = [f"{paper.id}: {paper.title}", ""]
    lines.append(
        f"score of a phrase = weight x ({TITLE_WEIGHT} x title hits + abstract hits, at most {ABSTRACT_CAP})"
    )
    for kind, ranking in (
        ("topic", result.topic_scores),
        ("tag", result.tag_scores),
    ):
        lines.append("")
        lines.append(f"{kind.capitalize()} rules that matched:" if ranking else f"No {kind} rule matched.")
        for target_id, total in ranking:
            lines.append(f"  {target_id}: {total:g}")
            for match, match_kind in zip(scores.matches, scores.kinds, strict=True):
                if match_kind == kind and match.target == target_id:
                    lines.append("    " + _describe(match, compiled, kind))
    lines.append("")
    lines.extend(_topic_reason(paper, result, compiled))
    lines.extend(_tag_reason(paper, result, compiled))
    return "\n".join(lines) + "\n"


def _describe(match: Match, compiled: CompiledTaxonomy, kind: str) -> str:
    weight = next(
        t.weight
        for targets in compiled.targets
        for t in targets
        if t.kind == kind and t.id == match.target and t.phrase == match.phrase
    )
    where = []
    if match.in_title:
        where.append(f"title x{match.in_title}")
    if match.in_abstract:
        capped = " (counted 3)" if match.in_abstract > ABSTRACT_CAP else ""
        where.append(f"abstract x{match.in_abstract}{capped}")
    return f"'{match.phrase}' in {', '.join(where)}, weight {weight:g} -> {match.score:g}"


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
    best = result.topic_scores[0][1]
    bar = max(MIN_TOPIC_SCORE, SECONDARY_RATIO * best)
    return [
        f"Topics: {', '.join(result.topics)} (primary: {result.topics[0]}, best score {best:g}; "
        f"others need >= {bar:g}, at most {MAX_TOPICS} topics)"
    ]


def _tag_reason(paper: Paper, result: Assignment, compiled: CompiledTaxonomy) -> list[str]:
    pinned = [t for t in paper.tags if t in compiled.tag_ids]
    text = f"Tags: {', '.join(result.tags) or 'none'} (score >= {MIN_TAG_SCORE:g}, at most {MAX_TAGS}"
    text += f"; filled to {MIN_TAGS} from score >= {FILL_TAG_SCORE:g})"
    lines = [text]
    if pinned:
        lines.append(f"  pinned by the curator: {', '.join(dict.fromkeys(pinned))}")
    skipped = [t for t in paper.tags if t not in compiled.tag_ids]
    if skipped:
        lines.append(f"  ignored unknown pinned tags: {', '.join(skipped)}")
    return lines
