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
phrases (a tag's label and synonyms all have weight 1). Within one topic or tag each word of the
text counts once: where its phrases overlap ("neural architecture search" and "architecture
search", or a tag's label "Bandits" and its synonym "bandit*") the longest phrase is credited, then the
first in the file. One phrase may serve several topics and tags; it counts for each. A provisional
title (``needs_title``: the abstract's first words) is not scored.

Selection. Topics are ranked by (-score, taxonomy order). The best is kept if its score reaches
``MIN_TOPIC_SCORE``; up to two more follow if each reaches ``SECONDARY_RATIO`` of the best and the
minimum. A paper with no topic goes to the site's "Unsorted" page. Tags are ranked by (-score, id) and
kept from ``MIN_TAG_SCORE`` up, at most ``MAX_TAGS``.

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

from generator.core.model import Assignment, Match, Paper, Taxonomy

TITLE_WEIGHT = 3  # one hit in the title counts as much as three in the abstract
ABSTRACT_CAP = 3  # hits of one phrase in the abstract beyond this many add nothing
MIN_TOPIC_SCORE = 2.0  # a title hit (3) or two abstract hits of a weight-1 phrase
SECONDARY_RATIO = 0.5  # further topics need at least half the best topic's score
MAX_TOPICS = 3
MIN_TAG_SCORE = 2.0  # as for topics: one mention in passing is not enough
MAX_TAGS = 6

# Word tokens, plus clause punctuation as barrier tokens (never equal to a phrase token).
_TOKEN = re.compile(r"[^\W_]+|[.,;:!?](?![^\W_])")
_ASCII_TOKEN = re.compile(r"[a-z0-9]+|[.,;:!?](?![a-z0-9])")  # the same on ASCII text, faster
_WORD = re.compile(r"[^\W_]+")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

# One phrase token: (text, is_prefix); is_prefix means the word may continue ("model*").
Token = tuple[str, bool]
Variant = tuple[Token, ...]


class PhraseError(ValueError):
    """A rule phrase that cannot be compiled; ``generator.taxonomy`` turns it into a located error."""


def fold(text: str) -> str:
    """Lowercase and strip accents, so "Schrödinger" and "schrodinger" compare equal."""
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return text.casefold()


def tokenize(text: str) -> list[str]:
    """Folded word tokens of ``text``, with clause punctuation kept as barrier tokens."""
    text = fold(text)
    return (_ASCII_TOKEN if text.isascii() else _TOKEN).findall(text)


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
    order: int  # position of the rule: topics in file order, then tags by id; rules in file order


class CompiledTaxonomy:
    """The taxonomy's rules indexed for fast scanning of many papers.

    Build it once with ``compile_taxonomy``. A text is matched with C-level set operations: its
    distinct words and adjacent word pairs are intersected with the words and pairs that phrases
    need. Wildcard words are resolved against the vocabulary as new words are seen, so the index grows
    with the papers scanned; results never depend on which papers came first.
    """

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.topic_order = {t.id: i for i, t in enumerate(taxonomy.topics)}
        self.tag_ids = {t.id for t in taxonomy.tags}
        # Unique phrases (by variants) -> the targets they score for; every rule by its order.
        by_variants: dict[tuple[Variant, ...], int] = {}
        self.targets: list[list[Target]] = []
        self.rules: list[Target] = list(_targets(taxonomy))
        owners: dict[tuple[str, str], int] = {}
        self._pid_rules: list[list[tuple[int, int]]] = []  # phrase id -> [(owner number, rule order)]
        for target in self.rules:
            variants = phrase_variants(target.phrase)
            pid = by_variants.setdefault(variants, len(by_variants))
            if pid == len(self.targets):
                self.targets.append([])
                self._pid_rules.append([])
            self.targets[pid].append(target)
            owner = owners.setdefault((target.kind, target.id), len(owners))
            self._pid_rules[pid].append((owner, target.order))
        # Phrase tokens ("specs") -> one-token phrases, and longer variants using the spec first/second.
        self._single: dict[Token, list[int]] = {}
        self._as_first: dict[Token, list[tuple[int, Variant]]] = {}
        self._as_second: dict[Token, list[tuple[int, Variant]]] = {}
        for variants, pid in by_variants.items():
            for variant in variants:
                if len(variant) == 1:
                    self._single.setdefault(variant[0], []).append(pid)
                else:
                    self._as_first.setdefault(variant[0], []).append((pid, variant))
                    self._as_second.setdefault(variant[1], []).append((pid, variant))
        specs = self._single.keys() | self._as_first.keys() | self._as_second.keys()
        self._exact_specs = {text for text, is_prefix in specs if not is_prefix}
        self._prefix_specs = {text for text, is_prefix in specs if is_prefix}
        self._prefix_lengths = sorted({len(text) for text in self._prefix_specs})
        # Learned from the vocabulary: the words each spec accepts, and concrete words and word pairs.
        self._known: set[str] = set()
        self._spec_words: dict[Token, list[str]] = {}
        self._words: dict[str, list[int]] = {}
        self._pairs: dict[str, dict[str, list[tuple[int, Variant]]]] = {}  # first word -> next word ->
        # The keys of _words and _pairs as sets: set & set is C-level and walks the smaller side only.
        self._single_words: set[str] = set()
        self._pair_set: set[tuple[str, str]] = set()
        # Match values by (rule order, title hits, abstract hits): few distinct ones recur across papers,
        # and a frozen dataclass is costly to build (the values are equal either way).
        self._match_cache: dict[tuple[int, int, int], Match] = {}

    def _specs_of(self, word: str) -> list[Token]:
        found: list[Token] = [(word, False)] if word in self._exact_specs else []
        for n in self._prefix_lengths:
            if n > len(word):
                break
            if word[:n] in self._prefix_specs:
                found.append((word[:n], True))
        return found

    def _learn(self, word: str) -> None:
        """Index a word not seen before: the phrases it completes alone or with a known neighbour."""
        self._known.add(word)
        specs = self._specs_of(word)
        for spec in specs:
            self._spec_words.setdefault(spec, []).append(word)
        for spec in specs:
            for pid in self._single.get(spec, ()):
                self._words.setdefault(word, []).append(pid)
                self._single_words.add(word)
            for pid, variant in self._as_first.get(spec, ()):
                for other in self._spec_words.get(variant[1], ()):
                    self._pairs.setdefault(word, {}).setdefault(other, []).append((pid, variant))
                    self._pair_set.add((word, other))
            for pid, variant in self._as_second.get(spec, ()):
                for other in self._spec_words.get(variant[0], ()):
                    if other != word:  # (word, word) was added above, as word is known by then
                        self._pairs.setdefault(other, {}).setdefault(word, []).append((pid, variant))
                        self._pair_set.add((other, word))

    def find(self, tokens: list[str]) -> dict[int, list[tuple[int, int]]]:
        """Where each phrase (by id) occurs in a token list: (start, number of tokens) per occurrence."""
        words = set(tokens)
        for word in words - self._known:
            self._learn(word)
        found: dict[int, list[tuple[int, int]]] = {}
        for word in words & self._single_words:
            spans = [(i, 1) for i in _positions(tokens, word)]
            for pid in self._words[word]:
                found.setdefault(pid, []).extend(spans)
        for first, second in set(zip(tokens, tokens[1:])) & self._pair_set:  # noqa: B905
            last = len(tokens) - 1
            starts = [i for i in _positions(tokens, first) if i < last and tokens[i + 1] == second]
            for pid, variant in self._pairs[first][second]:
                hits = starts
                if len(variant) > 2:
                    hits = [i for i in starts if _matches_at(tokens, i + 2, variant[2:])]
                if hits:
                    found.setdefault(pid, []).extend((i, len(variant)) for i in hits)
        return found

    def credit(self, found: dict[int, list[tuple[int, int]]]) -> dict[int, int]:
        """Hits per rule (by order) for the occurrences ``find`` returned. Within one topic or tag every
        word counts once, for the longest phrase covering it (then the first rule): "neural architecture
        search" does not also count as "architecture search", nor the label "Bandits" as "bandit*"."""
        by_owner: dict[int, list[tuple[int, list[tuple[int, int]]]]] = {}
        for pid, spans in found.items():
            for owner, order in self._pid_rules[pid]:
                entries = by_owner.get(owner)
                if entries is None:
                    by_owner[owner] = [(order, spans)]
                else:
                    entries.append((order, spans))
        hits: dict[int, int] = {}
        for entries in by_owner.values():
            if len(entries) == 1:
                order, spans = entries[0]
                hits[order] = len(spans)
                continue
            taken: set[int] = set()
            for neg_length, start, order in sorted((-n, i, o) for o, spans in entries for i, n in spans):
                span = range(start, start - neg_length)
                if taken.isdisjoint(span):
                    taken.update(span)
                    hits[order] = hits.get(order, 0) + 1
        return hits


def _positions(tokens: list[str], word: str) -> list[int]:
    """Indexes of ``word`` in ``tokens`` (C-level search)."""
    found = []
    i = -1
    try:
        while True:
            i = tokens.index(word, i + 1)
            found.append(i)
    except ValueError:
        return found


def _matches_at(tokens: list[str], i: int, rest: Variant) -> bool:
    if i + len(rest) > len(tokens):
        return False
    for offset, (text, is_prefix) in enumerate(rest):
        token = tokens[i + offset]
        if not (token.startswith(text) if is_prefix else token == text):
            return False
    return True


def _targets(taxonomy: Taxonomy) -> Iterable[Target]:
    """Every rule as a Target: topic rules in file order, then each tag's label and synonyms by tag id."""
    order = 0
    for topic in taxonomy.topics:
        for rule in topic.rules:
            yield Target("topic", topic.id, rule.phrase, rule.weight, order)
            order += 1
    for tag in sorted(taxonomy.tags, key=lambda t: t.id):
        seen: set[str] = set()
        for phrase in (tag.label, *tag.synonyms):
            if phrase_key(phrase) not in seen:
                seen.add(phrase_key(phrase))
                yield Target("tag", tag.id, phrase, 1.0, order)
                order += 1


@lru_cache(maxsize=8)
def compile_taxonomy(taxonomy: Taxonomy) -> CompiledTaxonomy:
    """Index the taxonomy's rules once (cached per taxonomy value)."""
    return CompiledTaxonomy(taxonomy)


@dataclass(frozen=True)
class _Scored:
    matches: list[tuple[Target, Match]]  # in rule order: topics in file order, then tags by id
    topics: dict[str, float]
    tags: dict[str, float]


def _score(paper: Paper, compiled: CompiledTaxonomy) -> _Scored:
    """Every rule that fired for ``paper`` with its Match, and the total per topic and per tag."""
    # A provisional title is the abstract's first words: scoring it would count them four times.
    title = [] if paper.needs_title else tokenize(paper.title or "")
    in_title = compiled.credit(compiled.find(title)) if title else {}
    in_abstract = compiled.credit(compiled.find(tokenize(paper.abstract or "")))
    matches: list[tuple[Target, Match]] = []
    totals: dict[str, dict[str, float]] = {"topic": {}, "tag": {}}
    cache = compiled._match_cache
    for order in sorted(in_title.keys() | in_abstract.keys()):
        t, a = in_title.get(order, 0), in_abstract.get(order, 0)
        target = compiled.rules[order]
        match = cache.get((order, t, a))
        if match is None:
            score = target.weight * (TITLE_WEIGHT * t + min(a, ABSTRACT_CAP))
            match = cache[order, t, a] = Match(target.id, target.phrase, t, a, score)
        table = totals[target.kind]
        table[target.id] = table.get(target.id, 0.0) + match.score
        matches.append((target, match))
    return _Scored(matches, totals["topic"], totals["tag"])


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
        tags=select_tags(tag_ranking, pinned_tags),
        topic_scores=tuple(topic_ranking),
        tag_scores=tuple(tag_ranking),
        matches=tuple(match for _, match in scored.matches),
        pinned_topics=bool(pinned_topics),
    )
    return assignment, scored


def assign_all(papers: Iterable[Paper], taxonomy: Taxonomy) -> dict[str, Assignment]:
    """Assignments keyed by paper id, in input order."""
    compiled = compile_taxonomy(taxonomy)
    return {paper.id: assign(paper, compiled) for paper in papers}


def explain(paper: Paper, taxonomy: Taxonomy) -> str:
    """Human-readable account of every rule that fired for ``paper`` and why it got its topics/tags."""
    compiled = compile_taxonomy(taxonomy)
    result, scored = _assign(paper, compiled)
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
    best = result.topic_scores[0][1]
    bar = max(MIN_TOPIC_SCORE, SECONDARY_RATIO * best)
    return [
        f"Topics: {', '.join(result.topics)} (primary: {result.topics[0]}, best score {best:g}; "
        f"others need >= {bar:g}, at most {MAX_TOPICS} topics)"
    ]


def _tag_reason(paper: Paper, result: Assignment, compiled: CompiledTaxonomy) -> list[str]:
    pinned = [t for t in paper.tags if t in compiled.tag_ids]
    rule = f"score >= {MIN_TAG_SCORE:g}, best first, at most {MAX_TAGS}"
    lines = [f"Tags: {', '.join(result.tags) or 'none'} ({rule})"]
    if pinned:
        lines.append(f"  pinned by the curator: {', '.join(dict.fromkeys(pinned))}")
    skipped = [t for t in paper.tags if t not in compiled.tag_ids]
    if skipped:
        lines.append(f"  ignored unknown pinned tags: {', '.join(skipped)}")
    return lines
