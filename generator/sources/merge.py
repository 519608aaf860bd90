"""Merge parsed entries into the store (pure): deduplicate on strong evidence, assign stable ids, never
touch curator fields. The evidence rules are in :mod:`generator.sources.dedup`; every merge is listed."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from generator.core.errors import Problem
from generator.core.model import Paper, RawEntry, Source
from generator.sources.dedup import contradicts, is_substantive, title_fingerprint
from generator.sources.normalize import fingerprint, provisional_title, slugify

_ENTRY_FIELDS = ("authors", "year", "url", "doi", "arxiv", "notes", "topics", "tags")


@dataclass(frozen=True)
class Merge:
    """One entry recorded as another source of an existing paper, and why."""

    paper_id: str
    paper_title: str
    paper_source: str  # "file:line" where the paper was first seen
    entry_title: str
    entry_source: str
    evidence: str  # "same title and abstract", "same title", "same abstract"


@dataclass
class Summary:
    files: int = 0
    entries: int = 0
    added: int = 0
    merged: int = 0  # entries that were duplicates of a paper (new source recorded)
    unchanged: int = 0  # entries already recorded at this source
    upgraded: int = 0  # provisional titles replaced by a real title from a listing
    added_ids: list[str] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    formats: list[tuple[str, str, str]] = field(default_factory=list)  # (file, format, why)
    problems: list[Problem] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"files read: {self.files}"]
        out.extend(f"  {label}: read as {fmt} ({why})" for label, fmt, why in self.formats)
        out += [
            f"entries parsed: {self.entries}",
            f"papers added: {self.added}",
            f"merged as duplicates: {self.merged}",
        ]
        out.extend(
            f"  {m.entry_source} {m.entry_title[:60]!r} -> [{m.paper_id}] {m.paper_title[:60]!r} "
            f"({m.paper_source}): {m.evidence}"
            for m in self.merges
        )
        out.append(f"unchanged: {self.unchanged}")
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
        self.kept_apart: int | None = None  # set by find: a record with the same title, other abstract
        self.by_source: dict[tuple[str, ...], int] = {}  # the exact keys of a text ingested before

    def add(self, position: int, paper: Paper) -> None:
        self.ids.add(paper.id)
        self.ids.update(paper.aliases)
        keys = [fingerprint("a", paper.abstract)] if paper.abstract else []
        if not paper.needs_title:
            keys.append(title_fingerprint(paper.title))
        for source in paper.sources:
            keys.extend(source.keys)
            if source.keys:
                self.by_source.setdefault(tuple(sorted(source.keys)), position)
        keys.extend(identifier_keys(paper.arxiv, paper.doi))
        for key in keys:
            self.by_key.setdefault(key, position)

    def find(self, entry: RawEntry, papers: Sequence[Paper]) -> tuple[int, str] | None:
        """The record ``entry`` is a duplicate of, with the evidence; ``None`` for a new paper."""
        by_title = by_abstract = None
        self.kept_apart = None
        fields = dict(entry.fields)
        for key in identifier_keys(fields.get("arxiv"), fields.get("doi")):
            if key in self.by_key:  # the same arXiv id or DOI is the same paper, whatever its text
                return self.by_key[key], "same arXiv id" if key.startswith("x:") else "same DOI"
        seen = self.by_source.get(tuple(sorted(entry.source.keys)))
        if seen is not None:  # this very text was ingested into that record before (maybe since edited)
            paper = papers[seen]
            current = {title_fingerprint(paper.title), fingerprint("a", paper.abstract)}
            same = set(entry.source.keys) <= current
            return (
                seen,
                "same title and abstract" if same else "same text as an earlier ingest (since edited)",
            )
        for key in entry.source.keys:
            position = self.by_key.get(key)
            if position is None:
                continue
            if key.startswith("t:") and by_title is None:
                if contradicts(entry.abstract, papers[position].abstract):
                    self.kept_apart = position
                else:
                    by_title = position
            elif key.startswith("a:") and by_abstract is None and is_substantive(entry.abstract):
                by_abstract = position
        if by_title is not None and by_title == by_abstract:
            return by_title, "same title and abstract"
        if by_abstract is not None:
            return by_abstract, "same abstract"
        if by_title is not None:
            return by_title, "same title, abstracts agree"
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


def identifier_keys(arxiv: object, doi: object) -> list[str]:
    """Index keys of a paper's identifiers (issue 14): ``x:<arXiv id without version>``, ``d:<DOI>``
    (case-folded). An id-only entry (an id list, an arXiv listing) has no text to fingerprint."""
    keys = []
    if arxiv:
        keys.append("x:" + re.sub(r"v\d+$", "", str(arxiv).strip().lower()))
    if doi:
        keys.append("d:" + str(doi).strip().lower())
    return keys


def _entry_title(entry: RawEntry) -> str:
    """The entry's title, else a provisional one: from the abstract, else from its identifier."""
    if entry.title:
        return entry.title
    fields = dict(entry.fields)
    fallback = f"arXiv:{fields['arxiv']}" if fields.get("arxiv") else f"doi:{fields.get('doi', '')}"
    return provisional_title(entry.abstract) or fallback


def _where(source: Source) -> str:
    return f"{source.file}:{source.line}"


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
        found = index.find(entry, out)
        if found is None:
            if index.kept_apart is not None:
                other = out[index.kept_apart]
                summary.problems.append(
                    Problem(
                        "warning",
                        f"same title as [{other.id}] but a different abstract: kept as a separate paper",
                        entry.source.file,
                        entry.source.line,
                        hint="if it is the same paper, merge the records (see README: aliases)",
                    )
                )
            paper = _new_paper(entry, index.new_id(_entry_title(entry)), today)
            out.append(paper)
            index.add(len(out) - 1, paper)
            summary.added += 1
            summary.added_ids.append(paper.id)
            continue
        position, evidence = found
        old = out[position]
        new = _merge_into(old, entry)
        if entry.source in old.sources:
            summary.unchanged += 1
        else:
            summary.merged += 1
            first = _where(old.sources[0]) if old.sources else "data/papers.yaml"
            title = _entry_title(entry)
            summary.merges.append(Merge(old.id, old.title, first, title, _where(entry.source), evidence))
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
    title = _entry_title(entry)
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
