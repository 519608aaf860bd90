"""Match the taxonomy's rule phrases in paper text: folding, tokens, phrase variants and a fast index.

Title and abstract are case- and accent-folded and split into word tokens (letters and digits). Clause
punctuation (``. , ; : ! ?`` not followed by a letter) stays as a barrier, so a phrase never matches
across it. A rule phrase is split the same way, with two extras:

* ``*`` at the end of a word matches any ending: ``diffusion model*`` matches "diffusion models" and
  "diffusion modelling";
* ``-`` inside a word also matches a space or nothing: ``score-based`` matches "score-based",
  "score based" and "scorebased". (A space between words also matches a hyphen, as text is tokenized.)

Within one topic or tag (or one tag's guard list) each word of the text counts once: where phrases
overlap ("neural architecture search" and "architecture search") the longest phrase is credited, then
the first in the file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from generator.core.model import Match, Taxonomy

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

    kind: str  # "topic" | "tag" | "not_with" | "requires" (a tag's guards)
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
        self.guarded = frozenset(t.id for t in taxonomy.tags if t.requires)  # tags that need context
        # Unique phrases (by variants) -> the targets they score for; every rule by its order.
        by_variants: dict[tuple[Variant, ...], int] = {}
        self.targets: list[list[Target]] = []
        self.rules: list[Target] = list(_targets(taxonomy))
        self.multi_word = frozenset(t.order for t in self.rules if len(tokenize(t.phrase)) > 1)
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
        self._matches: dict[tuple[int, int, int], Match] = {}

    def match(self, order: int, in_title: int, in_abstract: int, score: float) -> Match:
        """The Match of rule ``order`` with these hits (one shared value per distinct triple)."""
        key = (order, in_title, in_abstract)
        found = self._matches.get(key)
        if found is None:
            target = self.rules[order]
            found = self._matches[key] = Match(target.id, target.phrase, in_title, in_abstract, score)
        return found

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
    """Every rule as a Target: topic rules in file order, then each tag's label and synonyms by tag id,
    then each tag's guard phrases (``not_with``, ``requires``) by tag id."""
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
    for tag in sorted(taxonomy.tags, key=lambda t: t.id):
        for kind, phrases in (("not_with", tag.not_with), ("requires", tag.requires)):
            for phrase in phrases:
                yield Target(kind, tag.id, phrase, 0.0, order)
                order += 1


@lru_cache(maxsize=8)
def compile_taxonomy(taxonomy: Taxonomy) -> CompiledTaxonomy:
    """Index the taxonomy's rules once (cached per taxonomy value)."""
    return CompiledTaxonomy(taxonomy)
