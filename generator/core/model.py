"""Typed records shared by every stage: papers as the curator stores them, the taxonomy, derived data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# Curator-owned fields of a stored paper, in the order they are written to data/papers.yaml.
CURATOR_FIELDS = ("authors", "year", "venue", "url", "doi", "arxiv", "notes", "topics", "tags", "hidden")


@dataclass(frozen=True)
class Source:
    """Where a paper was seen: a raw file (relative to data/) and the 1-based line of its entry."""

    file: str
    line: int
    # Fingerprints of the text as ingested ("t:<hash>" of the title key, "a:<hash>" of the abstract key),
    # so a record is still recognised after the curator edits its title or abstract.
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolution:
    """Where ``resolve`` found a paper's metadata: the service(s), the matched id(s), the match score
    (1.0 = equal title or an id lookup) and the date of the run. Written as ``resolved:`` in the store."""

    source: str  # "arxiv", "openalex" or "arxiv+openalex"
    id: str  # the matched arXiv id and/or OpenAlex work id, joined by " " in the order of ``source``
    score: float
    date: str  # ISO date


@dataclass(frozen=True)
class RawEntry:
    """One paper as a reader found it in an input file, before merging. Text is already normalized."""

    title: str | None
    abstract: str
    source: Source
    listed: str | None = None  # listing date line, e.g. "Mar 13"
    fields: tuple[tuple[str, object], ...] = ()  # curator-like fields from BibTeX/YAML (authors, year, ...)


@dataclass(frozen=True)
class Paper:
    """A stored paper. ``id`` is assigned at first ingest and never changes."""

    id: str
    title: str
    abstract: str
    added: str  # ISO date of first ingest
    sources: tuple[Source, ...] = ()
    needs_title: bool = False  # title is provisional (derived from the abstract)
    listed: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    url: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    notes: str | None = None
    venue: str | None = None  # journal or conference (set by resolve or the curator)
    topics: tuple[str, ...] = ()  # curator pins: these topics win over the classifier
    tags: tuple[str, ...] = ()  # curator pins: these tags are always included
    hidden: bool = False
    aliases: tuple[str, ...] = ()  # old ids of this paper (renamed or merged records) that must keep working
    resolved: Resolution | None = None  # provenance of the metadata resolve filled in
    line: int | None = None  # line of the record in data/papers.yaml (for messages; never written)


def visible(papers: Iterable[Paper]) -> list[Paper]:
    """The papers the site shows, in their order: every one the curator has not marked ``hidden``."""
    return [p for p in papers if not p.hidden]


@dataclass(frozen=True)
class Rule:
    """A matching phrase with its variants. ``pattern`` is compiled by classify."""

    phrase: str
    weight: float = 1.0


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    description: str = ""
    parent: str | None = None
    rules: tuple[Rule, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class TagDef:
    id: str
    label: str
    synonyms: tuple[str, ...] = ()
    description: str = ""
    line: int | None = None
    not_with: tuple[str, ...] = ()  # word-sense guard: phrases that keep the tag off a paper
    requires: tuple[str, ...] = ()  # word-sense guard: the tag needs one of these phrases too


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    tags: tuple[TagDef, ...]
    topics_path: str = "data/topics.yaml"
    tags_path: str = "data/tags.yaml"


@dataclass(frozen=True)
class Match:
    """One rule that fired for a paper: which phrase, where, and the score it contributed."""

    target: str  # topic or tag id
    phrase: str
    in_title: int
    in_abstract: int
    score: float


@dataclass(frozen=True)
class Assignment:
    """Derived topics and tags for a paper (primary topic first), with the evidence."""

    topics: tuple[str, ...]
    tags: tuple[str, ...]
    topic_scores: tuple[tuple[str, float], ...] = ()
    tag_scores: tuple[tuple[str, float], ...] = ()
    matches: tuple[Match, ...] = ()
    pinned_topics: bool = False


@dataclass(frozen=True)
class Link:
    """A related-paper link with its cosine similarity and the terms that explain it."""

    target: str
    score: float
    terms: tuple[str, ...] = ()


@dataclass
class Enriched:
    """Everything derived at build time from the store and the taxonomy."""

    assignments: dict[str, Assignment] = field(default_factory=dict)
    related: dict[str, tuple[Link, ...]] = field(default_factory=dict)
