"""Papers -> the store's text: one record per paper, keys in a fixed order, same papers -> same bytes.

It also owns the rules the fast reader relies on to read that text back: which scalars are written
plain (:func:`writes_plain`, :func:`plain_id`), the words YAML would read as something else, and the
fingerprint-key list written without quotes (:data:`KEY_LIST`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import yaml

from generator.core.model import Paper, Resolution
from generator.store.schema import ID_RE

HEADER = """\
# readinglist paper store: one record per paper, written by `python -m generator ingest`.
# Edit freely: title, authors, year, url, doi, arxiv, notes, topics (pins), tags (pins), hidden.
# Ingest never overwrites these fields; `id` never changes (old ids listed in `aliases` keep working).
# Comments inside records are not kept when ingest rewrites this file; use `notes:` instead.
"""

YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "nan", "inf"})
# Fingerprint keys ("t:" + 10 hex digits) joined by ", ": every one is plain, so the list is written as is.
KEY_LIST = r"[a-z]:[0-9a-f]{10}(?:, [a-z]:[0-9a-f]{10})*"
_KEY_LIST_RE = re.compile(KEY_LIST)
# The plain-scalar rule, r"^[^\W\d_](?:[\w ,.()/+\-':]*[\w.)])?\Z", without its backtracking: a letter,
# then characters of the class (possessive), and a last character that is not one of the class's
# characters outside [\w.)].
_PLAIN_CHARS_RE = re.compile(r"[^\W\d_][\w ,.()/+\-':]*+")
_NOT_LAST = frozenset(" ,(/+-':")
_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
_encode_json_string = json.encoder.encode_basestring  # what json.dumps(str, ensure_ascii=False) returns


def is_plain_text(value: str) -> bool:
    """Does ``value`` follow the plain-scalar character rule (a letter first, no risky characters)?"""
    return _PLAIN_CHARS_RE.fullmatch(value) is not None and value[-1] not in _NOT_LAST


def is_yaml_word(value: str) -> bool:
    """``value.lower() in YAML_WORDS`` without lowering a long text (no word is longer than 5 letters)."""
    return len(value) <= 5 and value.lower() in YAML_WORDS


def writes_plain(value: str, flow: bool) -> bool:
    """Does :func:`yaml_str` write ``value`` plain (YAML then reads this very text back)?"""
    plain = is_plain_text(value) and not is_yaml_word(value) and ": " not in value
    return plain and not (flow and "," in value)


def plain_id(value: str) -> bool:
    """Is ``value`` a slug that YAML reads as text when written plain (not "1984", "yes", "null")?"""
    return bool(ID_RE.match(value)) and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG


def yaml_str(value: str, flow: bool = False) -> str:
    """A YAML scalar for ``value``: plain when unambiguous, else double-quoted with escapes.
    ``flow``: the scalar goes inside ``[...]`` or ``{...}``, where a comma would end it."""
    if writes_plain(value, flow):
        return value
    out = _encode_json_string(value)
    if out.isprintable():
        return out
    # YAML forbids some characters even inside double quotes; escape anything that is not printable.
    return "".join(c if c.isprintable() else _escape_char(c) for c in out)


def _escape_char(c: str) -> str:
    code = ord(c)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _id_scalar(value: str) -> str:
    """An id, plain unless YAML would read it as something else than text ("1984", "yes", "null")."""
    return value if plain_id(value) else json.dumps(value)


def _yaml_list(values: Sequence[str]) -> str:
    joined = ", ".join(values)
    # The count makes sure that every ", " is a separator, so that each value is one whole key.
    if _KEY_LIST_RE.fullmatch(joined) and joined.count(", ") == len(values) - 1:
        return f"[{joined}]"
    return "[" + ", ".join(yaml_str(v, flow=True) for v in values) + "]"


def resolution_map(r: Resolution) -> str:
    """``{source: S, id: I, score: 0.000, date: "YYYY-MM-DD"}`` on one line (the score with 3 decimals,
    which YAML and the fast reader both read as a float; the date quoted, so it stays text)."""
    return (
        f"{{source: {yaml_str(r.source, flow=True)}, id: {yaml_str(r.id, flow=True)}, "
        f'score: {r.score:.3f}, date: "{r.date}"}}'
    )


def dump_papers(papers: Sequence[Paper]) -> str:
    """Serialize papers in a stable key order (same papers -> same bytes)."""
    out = [HEADER]
    for p in papers:
        out.extend(_record_lines(p))
    return "".join(out)


def _record_lines(p: Paper) -> list[str]:
    out = [f"- id: {_id_scalar(p.id)}\n", f"  title: {yaml_str(p.title)}\n"]
    if p.needs_title:
        out.append("  needs_title: true\n")
    out.append(f"  abstract: {yaml_str(p.abstract) if p.abstract else chr(34) * 2}\n")
    if p.authors:
        out.append(f"  authors: {_yaml_list(p.authors)}\n")
    if p.year is not None:
        out.append(f"  year: {int(p.year)}\n")
    for key in ("venue", "url", "doi", "arxiv", "notes"):
        value = getattr(p, key)
        if value:
            out.append(f"  {key}: {yaml_str(str(value))}\n")
    for key in ("topics", "tags", "aliases"):
        value = getattr(p, key)
        if value:
            out.append(f"  {key}: {_yaml_list(value)}\n")
    if p.hidden:
        out.append("  hidden: true\n")
    out.append(f"  added: '{p.added}'\n")
    if p.listed:
        out.append(f"  listed: {yaml_str(p.listed)}\n")
    if p.resolved is not None:
        out.append(f"  resolved: {resolution_map(p.resolved)}\n")
    if p.sources:
        out.append("  sources:\n")
        for s in p.sources:
            keys = f", keys: {_yaml_list(s.keys)}" if s.keys else ""
            out.append(f"  - {{file: {yaml_str(s.file, flow=True)}, line: {s.line}{keys}}}\n")
    return out
