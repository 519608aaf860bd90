"""A paper and its accepted match -> the updated paper (pure). What the curator set is never overwritten.

Fields filled, each only where the paper has none: ``arxiv``, ``doi``, ``url``, ``authors``, ``year``,
``venue``, the abstract (if empty) and, for a provisional title, the real title (``needs_title`` then
goes). The paper also gets its provenance, ``resolved: {source, id, score, date}``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from generator.core.model import Paper, Resolution
from generator.resolve.candidate import Candidate

FIELDS = ("title", "abstract", "authors", "year", "venue", "url", "doi", "arxiv")


@dataclass(frozen=True)
class Found:
    """What resolve accepted for one paper: the arXiv record and/or the OpenAlex work, and the score."""

    arxiv: Candidate | None
    openalex: Candidate | None
    score: float

    def resolution(self, date: str) -> Resolution:
        parts = [c for c in (self.arxiv, self.openalex) if c is not None]
        return Resolution("+".join(c.source for c in parts), " ".join(c.id for c in parts), self.score, date)


def _values(found: Found) -> dict[str, object]:
    """The values the match offers, arXiv first for the text and the id, OpenAlex for the venue, DOI and
    (when it knows the venue) the publication year and landing page."""
    a, o = found.arxiv, found.openalex
    published = o is not None and o.venue is not None
    arxiv_id = (a.arxiv if a else None) or (o.arxiv if o else None)
    return {
        "title": (a or o).title,
        "abstract": a.abstract if a else "",
        "authors": (a.authors if a and a.authors else None) or (o.authors if o else ()),
        "year": (o.year if published else None) or (a.year if a else None) or (o.year if o else None),
        "venue": o.venue if o else None,
        "url": (o.url if published and o.url else None)
        or (f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None)
        or (o.url if o else None),
        "doi": (a.doi if a else None) or (o.doi if o else None),
        "arxiv": arxiv_id,
    }


def apply_match(paper: Paper, found: Found, date: str) -> Paper:
    """``paper`` with every empty field the match can fill, and its provenance (if it had none)."""
    changes: dict[str, object] = {}
    for key, value in _values(found).items():
        if not value:
            continue
        if key == "title":
            if paper.needs_title:
                changes["title"], changes["needs_title"] = value, False
        elif key == "year":
            if paper.year is None:
                changes["year"] = value
        elif not getattr(paper, key):
            changes[key] = value
    if paper.resolved is None:
        changes["resolved"] = found.resolution(date)
    return dataclasses.replace(paper, **changes) if changes else paper


def changed_fields(old: Paper, new: Paper) -> list[tuple[str, object, object]]:
    """``(field, before, after)`` for every field resolve changed (for --dry-run and the summary)."""
    keys = (*FIELDS, "resolved")
    return [(k, getattr(old, k), getattr(new, k)) for k in keys if getattr(old, k) != getattr(new, k)]
