"""What a store record may hold: field types, required fields, value formats; records -> papers + problems.

Pure validation: it takes records already read (by :mod:`generator.store.reader`) with their lines and
returns :class:`Paper` objects and located :class:`Problem` findings. It never reads or writes a file.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Iterator

import yaml

from generator.core.errors import Problem
from generator.core.model import Paper, Resolution, Source

# \Z, not $: "$" also matches before a final newline, which would let "slug\n" or "https://x\n" through.
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
URL_RE = re.compile(r"^https?://[^\s<>\"'`]+\Z", re.IGNORECASE)
DOI_RE = re.compile(r"^10\.\d{4,9}/[^\s<>\"'`]+\Z")
ARXIV_RE = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\Z")

FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "title": str,
    "abstract": str,
    "added": str,
    "needs_title": bool,
    "listed": str,
    "authors": list,
    "year": int,
    "url": str,
    "doi": str,
    "arxiv": str,
    "notes": str,
    "venue": str,
    "topics": list,
    "tags": list,
    "hidden": bool,
    "aliases": list,
    "sources": list,
    "resolved": dict,
}
REQUIRED = ("id", "title", "abstract", "added")
TEXT_LISTS = ("authors", "topics", "tags", "aliases")
EXPECTED = {
    str: ("text", "put the value in quotes"),
    int: ("a whole number", "e.g. year: 2021"),
    bool: ("true or false", "write true or false"),
    list: ("a list", "e.g. tags: [a, b]"),
    dict: ("a mapping", 'e.g. resolved: {source: arxiv, id: "2301.01234", score: 1.000, date: "2026-01-31"}'),
}
_SURROGATE_RE = re.compile("[\ud800-\udfff]")  # cannot be written as UTF-8: pages would fail to save

Record = tuple[int, object, "yaml.Node | None"]  # (1-based line, the record as read, its YAML node)


def check_records(
    records: list[Record], label: str, surrogates: bool = True
) -> tuple[list[Paper], list[Problem]]:
    """Validate (line, record, YAML node or None) triples into papers and problems. ``surrogates=False``:
    the caller knows no text holds a lone surrogate, so the search for one is skipped."""
    papers: list[Paper] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line, record, node in records:
        paper, record_problems = paper_from_record(record, label, line, surrogates)
        if node is not None:
            record_problems += _duplicate_keys(node, label, record)
        problems.extend(record_problems)
        if paper is None:
            continue
        for name in (paper.id, *paper.aliases):
            if name in seen:
                message = f"duplicate id '{name}' (also on line {seen[name]})"
                hint = "give one record a new id, or merge them"
                problems.append(Problem("error", message, label, line, paper.id, hint=hint))
            else:
                seen[name] = line
        papers.append(paper)
    return papers, problems


def _duplicate_keys(node: yaml.Node, label: str, record: object) -> list[Problem]:
    """A key written twice in one record: YAML keeps the last silently, which hides a curator's edit."""
    if not isinstance(node, yaml.MappingNode):
        return []
    rid = record.get("id") if isinstance(record, dict) and isinstance(record.get("id"), str) else None
    seen: set[str] = set()
    problems = []
    for key_node, _ in node.value:
        if key_node.value in seen:
            message, line = f"field '{key_node.value}' appears twice", key_node.start_mark.line + 1
            problems.append(Problem("error", message, label, line, rid, hint="keep one of them"))
        seen.add(key_node.value)
    return problems


def paper_from_record(
    record: object, label: str, line: int, surrogates: bool = True
) -> tuple[Paper | None, list[Problem]]:
    """The paper a record describes (None if it has an error) and the problems found in it."""
    if not isinstance(record, dict):
        return None, [Problem("error", "record is not a mapping", label, line, hint="start it with '- id:'")]
    rid = record.get("id") if isinstance(record.get("id"), str) else None
    problems = _shape_problems(record, label, line, rid, surrogates)
    if problems:
        return None, problems
    problems = _value_problems(record, label, line, rid)
    sources = []
    for s in record.get("sources") or []:
        source = _source(s)
        if source is None:
            hint = "restore 'sources:' as ingest wrote it, or delete the bad entry"
            message = "a source needs 'file' (text), 'line' (a number) and optional 'keys' (a list)"
            problems.append(Problem("error", message, label, line, rid, hint))
            continue
        sources.append(source)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return _paper(record, tuple(sources), line), problems


def _shape_problems(record: dict, label: str, line: int, rid: str | None, surrogates: bool) -> list[Problem]:
    """Missing required fields, unknown fields, wrong types, lone surrogates, non-text list items."""
    problems: list[Problem] = []

    def err(message: str, hint: str | None = None) -> None:
        problems.append(Problem("error", message, label, line, rid, hint))

    for key in REQUIRED:
        value = record.get(key)
        if (value is None or (isinstance(value, str) and not value.strip())) and not (
            key == "abstract" and key in record
        ):
            err(f"missing required field '{key}'", hint=f"add '{key}: ...' to the record")
    for key, value in record.items():
        expected = FIELD_TYPES.get(key)
        if expected is None:
            err(f"unknown field '{key}'", hint=f"known fields: {', '.join(FIELD_TYPES)}")
        elif value is not None and type(value) is not expected and _wrong_type(value, expected):
            what, hint = EXPECTED[expected]
            err(f"field '{key}' should be {what}, not {type(value).__name__}", hint=hint)
    if surrogates and any(_SURROGATE_RE.search(text) for text in _texts(record)):
        err("text holds a lone surrogate (an escape such as \\ud800)", hint="remove that \\u escape")
    for key in TEXT_LISTS:
        values = record.get(key)
        if values and any(not isinstance(v, str | int | float) or isinstance(v, bool) for v in values):
            err(f"field '{key}' should be a list of texts", hint=f"write {key}: [a, b]")
    return problems


def _value_problems(record: dict, label: str, line: int, rid: str | None) -> list[Problem]:
    """Ids that are not slugs, a date that is not a date, links out of the allowed forms."""
    problems: list[Problem] = []
    for name in (record["id"], *(record.get("aliases") or ())):
        if not ID_RE.match(str(name)):
            hint = "use lowercase letters, digits and '-'"
            problems.append(Problem("error", f"id {name!r} is not a slug", label, line, rid, hint))
    if not _is_date(str(record["added"])):
        message = f"added {record['added']!r} is not a date"
        problems.append(Problem("error", message, label, line, rid, "write YYYY-MM-DD"))
    if "url" in record or "doi" in record or "arxiv" in record:  # check_links looks at nothing else
        problems.extend(check_links(record, label, line, rid))
    if record.get("resolved") is not None and _resolution(record["resolved"]) is None:
        message = "'resolved' needs source and id (text), score (a number) and date (YYYY-MM-DD)"
        hint = "restore it as resolve wrote it, or delete the 'resolved:' line (resolve then runs again)"
        problems.append(Problem("error", message, label, line, rid, hint))
    return problems


_RESOLUTION_KEYS = frozenset(("source", "id", "score", "date"))


def _resolution(value: object) -> Resolution | None:
    """The provenance mapping ``{source, id, score, date}``, or None if it is not one."""
    if not isinstance(value, dict) or set(value) != _RESOLUTION_KEYS:
        return None
    source, rid, score, date = (value[k] for k in ("source", "id", "score", "date"))
    if not (isinstance(source, str) and source and isinstance(rid, str) and rid and isinstance(date, str)):
        return None
    if isinstance(score, bool) or not isinstance(score, int | float) or not _is_date(date):
        return None
    return Resolution(source, rid, float(score), date)


def _paper(record: dict, sources: tuple[Source, ...], line: int) -> Paper:
    return Paper(
        id=record["id"],
        title=str(record["title"]),
        abstract=str(record.get("abstract") or ""),
        added=str(record["added"]),
        sources=sources,
        needs_title=bool(record.get("needs_title", False)),
        listed=record.get("listed"),
        authors=_str_tuple(record.get("authors")),
        year=record.get("year"),
        url=record.get("url"),
        doi=record.get("doi"),
        arxiv=record.get("arxiv"),
        notes=record.get("notes"),
        venue=record.get("venue"),
        topics=_str_tuple(record.get("topics")),
        tags=_str_tuple(record.get("tags")),
        hidden=bool(record.get("hidden", False)),
        aliases=_str_tuple(record.get("aliases")),
        resolved=_resolution(record["resolved"]) if record.get("resolved") is not None else None,
        line=line,
    )


def _str_tuple(values: list | None) -> tuple[str, ...]:
    return tuple(map(str, values)) if values else ()


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _texts(item)


def _wrong_type(value: object, expected: type | tuple[type, ...]) -> bool:
    """``isinstance`` except that a bool is not a number here (``year: true`` is a mistake)."""
    return not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool)


@functools.lru_cache(maxsize=1024)  # a store holds few distinct dates
def _is_date(text: str) -> bool:
    if not DATE_RE.match(text):
        return False
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _source(s: object) -> Source | None:
    if not isinstance(s, dict) or not isinstance(s.get("file"), str):
        return None
    line, keys = s.get("line", 0), s.get("keys") or []
    if isinstance(line, bool) or not isinstance(line, int) or not isinstance(keys, list):
        return None
    return Source(s["file"], line, tuple(map(str, keys)))


def check_links(record: dict, label: str, line: int, rid: str | None) -> list[Problem]:
    """Links out are restricted to http(s) URLs and DOI / arXiv identifiers."""
    problems = []
    checks = (
        ("url", URL_RE, "an http(s):// URL"),
        ("doi", DOI_RE, "a DOI such as 10.1234/abc"),
        ("arxiv", ARXIV_RE, "an arXiv id such as 2301.01234"),
    )
    for key, pattern, what in checks:
        value = record.get(key)
        if value and not pattern.match(str(value)):
            message = f"{key} {str(value)[:80]!r} is not {what}"
            problems.append(Problem("error", message, label, line, rid, hint=f"fix or remove '{key}'"))
    return problems
