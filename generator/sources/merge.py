"""Merge parsed entries into the store (pure): deduplicate, assign stable ids, never touch curator fields."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from generator.core.errors import Problem
from generator.core.model import Paper, RawEntry, Source
from generator.sources.normalize import fingerprint, provisional_title, slugify

_ENTRY_FIELDS = ("authors", "year", "url", "doi", "arxiv", "notes", "topics", "tags")


@dataclass
class Summary:
    files: int = 0
    entries: int = 0
    added: int = 0
    merged: int = 0  # entries that were duplicates of a paper (new source recorded)
    unchanged: int = 0  # entries already recorded at this source
    upgraded: int = 0  # provisional titles replaced by a real title from a listing
    added_ids: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"files read: {self.files}",
            f"entries parsed: {self.entries}",
            f"papers added: {self.added}",
            f"merged as duplicates: {self.merged}",
            f"unchanged: {self.unchanged}",
        ]
        if self.upgraded:
            out.append(f"provisional titles replaced: {self.upgraded}")
        warnings = [p for p in self.problems if p.severity == "warning"]
        if warnings:
            out.append(f"warnings: {len(warnings)}")
            out.extend(f"  {p}" for p in warnings)
        return out


class _Index:
    """Lookup of existing records by title key, abstract key and ingest fingerprints."""

    def __init__(self) -> None:
        self.by_key: dict[str, int] = {}
        self.ids: set[str] = set()
        self.suffix: dict[str, int] = {}  # per slug, the suffix new_id gave last (a lower bound for the next)

    def add(self, position: int, paper: Paper) -> None:
        self.ids.add(paper.id)
        self.ids.update(paper.aliases)
        keys = [fingerprint("a", paper.abstract)] if paper.abstract else []
        if not paper.needs_title:
            keys.append(fingerprint("t", paper.title))
        for source in paper.sources:
            keys.extend(source.keys)
        for key in keys:
            self.by_key.setdefault(key, position)

    def find(self, entry: RawEntry) -> int | None:
        for key in entry.source.keys:
            if key in self.by_key:
                return self.by_key[key]
        return None

    def new_id(self, title: str) -> str:
        """The slug of ``title``, else the slug with the smallest free suffix -2, -3, ..."""
        base = slugify(title)
        if base not in self.ids:
            return base
        # ids are only ever added, so every suffix below the one found last time is still taken: start
        # there, not at 2 (a slug shared by k papers would otherwise cost k^2 lookups).
        n = self.suffix.get(base, 2)
        while f"{base}-{n}" in self.ids:
            n += 1
        self.suffix[base] = n
        return f"{base}-{n}"


def merge_entries(
    papers: Sequence[Paper], entries: Iterable[RawEntry], today: str, files_read: Iterable[str] = ()
) -> tuple[list[Paper], Summary]:
    """Merge ``entries`` into ``papers`` (kept in order; new papers appended). Pure: returns new values.

    Sources pointing into a file of ``files_read`` that no entry of this run produced are dropped, so a
    record's sources always describe the latest ingest of each file (the paper itself is kept).
    """
    out = list(papers)
    summary = Summary()
    index = _Index()
    for position, paper in enumerate(out):
        index.add(position, paper)
    seen: set[Source] = set()
    for entry in entries:
        summary.entries += 1
        seen.add(entry.source)
        position = index.find(entry)
        if position is None:
            paper = _new_paper(entry, index.new_id(entry.title or provisional_title(entry.abstract)), today)
            out.append(paper)
            index.add(len(out) - 1, paper)
            summary.added += 1
            summary.added_ids.append(paper.id)
            continue
        old = out[position]
        new = _merge_into(old, entry)
        if entry.source in old.sources:
            summary.unchanged += 1
        else:
            summary.merged += 1
        if new is not old:
            summary.upgraded += old.needs_title and not new.needs_title
            out[position] = new
            index.add(position, new)
    stale_files = set(files_read)
    for position, paper in enumerate(out):
        kept = [s for s in paper.sources if s.file not in stale_files or s in seen]
        if len(kept) != len(paper.sources):  # kept is a subsequence: equal length means nothing dropped
            out[position] = dataclasses.replace(paper, sources=tuple(kept))
    return out, summary


def _new_paper(entry: RawEntry, paper_id: str, today: str) -> Paper:
    extra = dict(entry.fields) if entry.fields else {}
    title = entry.title or provisional_title(entry.abstract)
    return Paper(
        id=paper_id,
        title=title,
        abstract=entry.abstract,
        added=today,
        sources=(entry.source,),
        needs_title=entry.title is None,
        listed=entry.listed,
        **{k: extra[k] for k in _ENTRY_FIELDS if k in extra},
    )


def _merge_into(paper: Paper, entry: RawEntry) -> Paper:
    """Record a new source and fill fields the record lacks; never overwrite what is there."""
    changes: dict[str, object] = {}
    if entry.source not in paper.sources:
        changes["sources"] = (*paper.sources, entry.source)
    if paper.needs_title and entry.title:
        changes["title"] = entry.title
        changes["needs_title"] = False
    if not paper.abstract and entry.abstract:
        changes["abstract"] = entry.abstract
    if not paper.listed and entry.listed:
        changes["listed"] = entry.listed
    for key, value in entry.fields:
        if key in _ENTRY_FIELDS and not getattr(paper, key):
            changes[key] = value
    return dataclasses.replace(paper, **changes) if changes else paper
