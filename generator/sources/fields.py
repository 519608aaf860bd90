"""Curator-like fields of a dump (authors, year, links, notes, pins), kept only if the store takes them."""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.sources.normalize import normalize_text
from generator.sources.result import ParseResult
from generator.store import check_links

FIELD_WANTED = {
    "url": "an http(s):// URL",
    "doi": "a DOI such as 10.1234/abc",
    "arxiv": "an arXiv id such as 2301.01234",
    "year": "a year",
    "notes": "text",
    "authors": "a list of names",
    "topics": "a list of topic ids",
    "tags": "a list of tag ids",
}
DUMP_FIELDS = frozenset(FIELD_WANTED)


def checked_fields(
    pairs: Iterable[tuple[str, object]], result: ParseResult, label: str, line: int
) -> list[tuple[str, object]]:
    """The pairs the store would accept, normalized; a warning at ``label:line`` for each one dropped."""
    fields: list[tuple[str, object]] = []
    for key, value in pairs:
        if value is None or value == "":
            continue
        kept = _checked(key, value, label, line)
        if kept is not None:
            if kept != ():
                fields.append((key, kept))
            continue
        result.warn(
            f"{key} {str(value)[:60]!r} is not {FIELD_WANTED[key]}; dropped",
            label,
            line,
            hint=f"fix it in the dump, or set '{key}' in data/papers.yaml",
        )
    return fields


def _checked(key: str, value: object, label: str, line: int) -> object | None:
    """The value to store, ``()`` for nothing to store, ``None`` for a value the store refuses."""
    if key in ("authors", "topics", "tags"):
        values = value if isinstance(value, list) else [value]
        if all(isinstance(v, str | int | float) for v in values):
            cleaned = (normalize_text(str(v)) for v in values)
            return tuple(v for v in cleaned if v)
        return None
    if key == "year":
        year = str(value).strip() if not isinstance(value, bool) else ""
        return int(year) if re.fullmatch(r"\d{1,4}", year) else None
    if key == "notes":
        ok = isinstance(value, str | int | float) and normalize_text(str(value))
        return normalize_text(str(value)) if ok else None
    text = str(value).strip()
    if not text:
        return ()
    return None if check_links({key: text}, label, line, None) else text
