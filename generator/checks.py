"""Checks across the store and the taxonomy (pure): pins, duplicates, curation needs, dead rules, and
paper ids that would repeat an HTML id the site's pages already use (a section anchor, a heading)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from markdown.extensions.toc import slugify

from generator.core.errors import Problem, ReadingListError
from generator.core.model import Assignment, Paper, Taxonomy
from generator.sources.normalize import text_key

# Ids the pages give their own sections (generator/site/templates: `{ #... }`) and headings: a paper
# (or alias) with one of these ids would repeat an HTML id on its page.
SECTION_ANCHORS = frozenset(
    {
        "also-in-this-topic", "recently-added", "needs-curation", "papers-by-their-words", "topics",
        "all-tags", "by-year", "papers-by-topic", "moved-papers", "unsorted", "tags", "search",
    }
)  # fmt: skip
_YEAR_ANCHOR = re.compile(r"year-.*")


def reserved_anchors(taxonomy: Taxonomy) -> set[str]:
    """Every HTML id a topic page gives a heading or section, whatever its papers."""
    return set(SECTION_ANCHORS) | {slugify(t.title, "-") for t in taxonomy.topics}


def check_papers(papers: Sequence[Paper], taxonomy: Taxonomy, store_path: str) -> list[Problem]:
    """Unknown topic/tag pins are errors; provisional titles and likely duplicates are warnings."""
    topics = {t.id for t in taxonomy.topics}
    tags = {t.id for t in taxonomy.tags}
    problems: list[Problem] = []
    seen_titles: dict[str, Paper] = {}
    anchors = reserved_anchors(taxonomy)
    for p in papers:

        def add(severity: str, message: str, hint: str, p: Paper = p) -> None:
            problems.append(Problem(severity, message, store_path, p.line, p.id, hint=hint))

        for name in (p.id, *p.aliases):
            if name in anchors or _YEAR_ANCHOR.fullmatch(name):
                add(
                    "error",
                    f"paper id '{name}' is also the id of a section or heading on the site",
                    "rename it (e.g. add a word of the title), so every HTML id on its page stays unique",
                )
        for pin in p.topics:
            if pin not in topics:
                add(
                    "error",
                    f"unknown topic pin '{pin}'",
                    f"use one of the ids in {taxonomy.topics_path}, or add the topic",
                )
        for pin in p.tags:
            if pin not in tags:
                add(
                    "error",
                    f"unknown tag pin '{pin}'",
                    f"use one of the ids in {taxonomy.tags_path}, or add the tag",
                )
        if p.needs_title:
            add(
                "warning",
                "provisional title (needs a real one)",
                "set 'title:' and delete 'needs_title: true'",
            )
        key = text_key(p.title)
        other = seen_titles.setdefault(key, p) if key else p
        if other is not p:
            hint = "merge the records: keep one, add the other id to its 'aliases', delete the other"
            add("warning", f"same title as '{other.id}' (line {other.line})", hint)
    return problems


def check_rules(assignments: dict[str, Assignment], taxonomy: Taxonomy) -> list[Problem]:
    """A topic or tag whose rules matched no paper is dead weight (or misspelt)."""
    fired = {m.target for a in assignments.values() for m in a.matches}
    used_topics = {t for a in assignments.values() for t in a.topics}
    used_tags = {t for a in assignments.values() for t in a.tags}
    problems = []
    for topic in taxonomy.topics:
        if topic.id not in fired and topic.id not in used_topics:
            problems.append(
                Problem(
                    "warning",
                    "topic rules match no paper",
                    taxonomy.topics_path,
                    topic.line,
                    topic.id,
                    hint="check the phrases' spelling, or remove the topic",
                )
            )
    for tag in taxonomy.tags:
        if tag.id not in used_tags:
            problems.append(
                Problem(
                    "warning",
                    "tag is used by no paper",
                    taxonomy.tags_path,
                    tag.line,
                    tag.id,
                    hint="add synonyms that the papers use, or remove the tag",
                )
            )
    return problems


def raise_errors(problems: Sequence[Problem]) -> None:
    """Raise one ReadingListError summarizing every error (the first one located), if there are any."""
    errors = sorted((p for p in problems if p.severity == "error"), key=lambda p: (p.path or "", p.line or 0))
    if not errors:
        return
    first = errors[0]
    if len(errors) == 1:
        raise first.as_error()
    # The others go after the first error's hint, one per line, so each line reads file:line: message (hint).
    more = "".join(f"\n  {p}" for p in errors[1:20])
    extra = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
    hint = f"{first.hint}; " if first.hint else ""
    raise ReadingListError(
        f"{first.message} ({len(errors)} errors; run `python -m generator check`)",
        first.path,
        first.line,
        first.record,
        f"{hint}the others:{more}{extra}",
    )


def check_review(review_path: Path) -> list[Problem]:
    """One warning per paper waiting for review after ``resolve`` (``data/review.yaml``), by paper id."""
    from generator.resolve.review import review_problems

    return review_problems(review_path)
