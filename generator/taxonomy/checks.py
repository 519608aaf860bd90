"""Soft checks of a loaded taxonomy: phrases that are generic, repeated or shared, missing descriptions.

They return warnings for the curator (``python -m generator check``); hard problems are raised while
loading, by :mod:`generator.taxonomy.load`, among them :func:`reserved_id_errors`: an id whose page
would land on a path the site already uses.
"""

from __future__ import annotations

import re

from generator.core.errors import Problem
from generator.core.model import Taxonomy, Topic
from generator.enrich.classify import phrase_key

# Single words that match far too many ML papers to say anything about a topic.
GENERIC_WORDS = frozenset(
    {
        "model", "models", "learning", "network", "networks", "neural", "deep", "data", "method",
        "methods", "training", "train", "algorithm", "algorithms", "approach", "performance", "task",
        "tasks",
    }
)  # fmt: skip


# Names the site itself uses, as a page, a folder or a page anchor (generator/site/urls.py and pages/):
# a topic or tag with one of these ids would replace or merge into that page.
RESERVED_IDS = frozenset(
    {
        "index", "unsorted", "tags", "topics", "map", "feeds", "bib", "search", "moved", "assets", "all",
        "sitemap", "404",
    }
)  # fmt: skip
_RESERVED = ", ".join(sorted(RESERVED_IDS))
_PAGE_SUFFIX = re.compile(r"(.+)-([0-9]+)")  # page N of a listing is <id>-N.md


def reserved_id_errors(taxonomy: Taxonomy) -> list[Problem]:
    """Ids whose pages would collide with the site's own: a reserved name, or ``<id>-N`` where ``<id>`` is
    another topic (or tag) or Unsorted, whose page N is written at that very path."""
    problems = []
    for kind, path, items in (
        ("topic", taxonomy.topics_path, taxonomy.topics),
        ("tag", taxonomy.tags_path, taxonomy.tags),
    ):
        ids = {item.id for item in items} | ({"unsorted"} if kind == "topic" else set())
        for item in items:
            message = _collision(item.id, ids)
            if message:
                hint = f"choose another id (an id ending in -<number> names a page; reserved: {_RESERVED})"
                problems.append(
                    Problem("error", f"{kind} id '{item.id}' {message}", path, item.line, item.id, hint)
                )
    return problems


def _collision(item_id: str, ids: set[str]) -> str:
    if item_id in RESERVED_IDS:
        return "is reserved: the site uses that name for a page of its own"
    match = _PAGE_SUFFIX.fullmatch(item_id)
    if match and match.group(1) in ids and int(match.group(2)) >= 1:
        return f"collides with page {match.group(2)} of '{match.group(1)}'"
    return ""


def check_taxonomy(taxonomy: Taxonomy) -> list[Problem]:
    """Soft problems a curator should look at: generic or repeated phrases, missing descriptions."""
    return _topic_warnings(taxonomy) + _tag_warnings(taxonomy)


def _topic_warnings(taxonomy: Taxonomy) -> list[Problem]:
    """A topic without a description; a phrase listed twice, too generic, or shared with another topic."""
    owner: dict[str, str] = {}  # phrase key -> first topic using it
    return [
        Problem("warning", message, taxonomy.topics_path, topic.line, topic.id, hint)
        for topic in taxonomy.topics
        for message, hint in _topic_findings(topic, owner)
    ]


def _topic_findings(topic: Topic, owner: dict[str, str]) -> list[tuple[str, str]]:
    """(message, hint) of each finding about one topic; ``owner`` records who used a phrase first."""
    findings = []
    if not topic.description:
        findings.append(("topic has no description", "add 'description:' for the page"))
    seen: set[str] = set()
    for rule in topic.rules:
        key = phrase_key(rule.phrase)
        if key in seen:
            findings.append((f"phrase '{rule.phrase}' is listed twice", "remove one"))
        seen.add(key)
        if key in GENERIC_WORDS:
            findings.append((f"phrase '{rule.phrase}' is too generic", "use a phrase specific to the topic"))
        if rule.weight < 0:  # a phrase against this topic: naming another topic's phrase is the point
            continue
        other = owner.setdefault(key, topic.id)
        if other != topic.id:
            message = f"phrase '{rule.phrase}' is also a rule of topic '{other}'"
            findings.append((message, "papers matching it score for both topics"))
    return findings


def _tag_warnings(taxonomy: Taxonomy) -> list[Problem]:
    """A tag id that is also a topic id; a label or synonym that is too generic."""
    problems: list[Problem] = []
    path = taxonomy.tags_path
    topic_ids = {t.id for t in taxonomy.topics}
    for tag in taxonomy.tags:
        if tag.id in topic_ids:
            hint = "rename one, so matches and links are unambiguous"
            problems.append(
                Problem("warning", f"tag id '{tag.id}' is also a topic id", path, tag.line, tag.id, hint)
            )
        for phrase in (tag.label, *tag.synonyms):
            if phrase_key(phrase) in GENERIC_WORDS:
                message, hint = f"synonym '{phrase}' is too generic", "use a phrase specific to the tag"
                problems.append(Problem("warning", message, path, tag.line, tag.id, hint))
    return problems
