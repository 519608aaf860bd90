"""The store's text -> papers and problems: a fast reader for the layout the writer writes, YAML otherwise.

A store in the exact layout :func:`generator.store.writer.dump_papers` writes is read line by line
(several times faster than the YAML parser); anything else, or anything doubtful, goes through YAML,
which reports syntax errors with their line. Either way :mod:`generator.store.schema` validates the
records, so both paths give the same papers and problems.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from generator.core.errors import Problem, ReadingListError
from generator.core.model import Paper
from generator.core.text import YAML_UNPRINTABLE_RE
from generator.core.yaml_errors import Loader, check_structure, yaml_error
from generator.store.schema import Record, check_records
from generator.store.writer import KEY_LIST, YAML_WORDS, is_plain_text, is_yaml_word, plain_id

_YAML_HINT = "fix the indentation or quoting at that line, or `git checkout` the file"


def load_store(path: Path) -> tuple[list[Paper], list[Problem]]:
    """Read the store; a missing file is an empty store."""
    if not path.exists():
        return [], []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ReadingListError(
            "store is not valid UTF-8", str(path), None, hint="restore it with git"
        ) from exc
    except OSError as exc:  # a folder, no permission, ...
        raise ReadingListError(
            f"cannot read the store: {exc.strerror or exc}",
            str(path),
            hint="data/papers.yaml must be a readable file",
        ) from None
    return parse_store(text, str(path))


def parse_store(text: str, label: str) -> tuple[list[Paper], list[Problem]]:
    """Parse and validate the store text. Malformed YAML raises; record problems are returned."""
    fast = _fast_records(text)
    if fast is not None:
        # No fast-path text holds a surrogate: _fast_records refuses them raw and as "\\uD8xx" escapes.
        return check_records(fast, label, surrogates=False)
    return check_records(_yaml_records(text, label), label)


def _yaml_records(text: str, label: str) -> list[Record]:
    """(line, record, node) of every record, read by the YAML parser; malformed YAML raises."""
    check_structure(text, label)  # no anchors or aliases: nothing to expand
    loader = Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else []
    except yaml.YAMLError as exc:
        raise yaml_error(exc, label, _YAML_HINT) from None
    finally:
        loader.dispose()
    if root is None or data is None:  # an empty file, or only comments: an empty store
        return []
    if not isinstance(data, list):
        hint = "each record starts with '- id: ...'"
        raise ReadingListError("the store must be a YAML list of papers", label, 1, hint=hint)
    return [(node.start_mark.line + 1, record, node) for node, record in zip(root.value, data, strict=True)]


# Fast path: the layout dump_papers writes, read line by line. Every line must be a comment, blank, or
# one of: "- id: V", "  key: V", "  sources:", "  - {file: V, line: N[, keys: [V, ...]]}", where V is a
# scalar dump_papers could have written (plain by the writer's own rule, JSON-style double-quoted,
# simple single-quoted, true/false, a plain integer, or a flow list of these). Whatever else (block
# scalars, nesting, duplicate keys, odd spacing, escapes JSON and YAML read differently) returns None,
# and the YAML parser, which reports problems with their line, reads the file instead.

_RECORD_LINE_RE = re.compile(r"- id: (.+)")
# "  key: value" with a non-empty value: matched up to the value, which runs to the end of the line.
_FIELD_START_RE = re.compile(r"  ([a-z_]+): (?=.)")
_SOURCE_START = "  - {file: "
_INT_RE = re.compile(r"0|[1-9][0-9]{0,17}")
_SINGLE_QUOTED_RE = re.compile(r"'([^']*)'")
_RISKY_ESCAPE_RE = re.compile(r"\\(?:u[dD][89a-fA-F]|/)")  # surrogate halves; "\/" (not YAML 1.1)
_scan_json_string = json.decoder.scanstring  # what JSONDecoder().raw_decode runs for a string (strict)
# The source line ingest writes, read in one match: a file (double-quoted without escapes, or one plain
# token), a line number, and fingerprint keys. A line this does not match goes through _source_item's
# general reader, which accepts a superset of it and reads the same values from it (see _source_item).
_SOURCE_LINE_RE = re.compile(
    rf'  - \{{file: ("[^"\\]*"|[^\s",{{}}\[\]]+), line: (0|[1-9][0-9]{{0,17}})'
    rf"(?:, keys: \[({KEY_LIST})\])?\}}"
)
_FILE_TOKENS: dict[str, str] = {}  # the few file names of a store, each checked once


class _NotCanonical(Exception):
    """The text leaves the layout the fast path reads; the YAML parser takes over."""


def _fast_records(text: str) -> list[Record] | None:
    """(line, record, None) of every record if the whole text is in dump_papers' layout, else None."""
    if YAML_UNPRINTABLE_RE.search(text):
        return None
    records: list[Record] = []
    record: dict | None = None
    sources: list | None = None
    try:
        for number, line in enumerate(text.split("\n"), start=1):
            if not line or line[0] == "#":
                continue
            if line.startswith("- "):
                match = _RECORD_LINE_RE.fullmatch(line)
                if not match:
                    raise _NotCanonical
                record, sources = {"id": _block_scalar(match.group(1))}, None
                records.append((number, record, None))
            elif record is None:
                raise _NotCanonical
            elif line.startswith(_SOURCE_START) and sources is not None:
                sources.append(_source_item(line))
            else:
                if line == "  sources:":
                    key, value = "sources", []
                    sources = value
                else:
                    match = _FIELD_START_RE.match(line)
                    if not match or match.group(1) in YAML_WORDS:
                        raise _NotCanonical
                    key, value, sources = match.group(1), _block_scalar(line[match.end() :]), None
                if key in record:
                    raise _NotCanonical
                record[key] = value
    except (_NotCanonical, ValueError, IndexError):
        return None
    for _, rec, _ in records:
        if rec.get("sources") == []:  # "sources:" with no item under it is null in YAML
            rec["sources"] = None
    return records or None


def _plain(value: str, flow: bool) -> bool:
    """Would YAML read ``value``, written plain, as this very text? (dump_papers' own rules.)"""
    if is_plain_text(value):
        return not is_yaml_word(value) and ": " not in value and not (flow and "," in value)
    return plain_id(value)


def _block_scalar(value: str) -> object:
    first = value[0]
    if first == '"':
        text, end = _quoted(value, 0)
        if end != len(value):
            raise _NotCanonical
        return text
    if first == "[":
        items, end = _flow_list(value, 0)
        if end != len(value):
            raise _NotCanonical
        return items
    if first == "{":
        mapping, end = _flow_map(value, 0)
        if end != len(value):
            raise _NotCanonical
        return mapping
    if first == "'":
        match = _SINGLE_QUOTED_RE.fullmatch(value)
        if not match:
            raise _NotCanonical
        return match.group(1)
    if value in ("true", "false"):
        return value == "true"
    if _INT_RE.fullmatch(value):
        return int(value)
    if _plain(value, flow=False):
        return value
    raise _NotCanonical


def _quoted(text: str, pos: int) -> tuple[str, int]:
    """The JSON string starting at ``text[pos] == '"'`` and the position after it (strict, as json reads)."""
    value, end = _scan_json_string(text, pos + 1)
    if text.find("\\", pos, end) >= 0 and _RISKY_ESCAPE_RE.search(text, pos, end):
        raise _NotCanonical
    return value, end


def _flow_item(text: str, pos: int, stops: str) -> tuple[str, int]:
    """A scalar inside [...] or {...}: double-quoted, or plain up to the next character of ``stops``."""
    if text[pos] == '"':
        return _quoted(text, pos)
    end = min((i for i in (text.find(c, pos) for c in stops) if i >= 0), default=-1)
    if end < 0 or not _plain(text[pos:end], flow=True):
        raise _NotCanonical
    return text[pos:end], end


def _flow_list(text: str, pos: int) -> tuple[list[str], int]:
    """``[a, "b", ...]`` starting at ``pos``: the items and the position after the closing bracket."""
    if text[pos] != "[":
        raise _NotCanonical
    if text.startswith("[]", pos):
        return [], pos + 2
    items, pos = [], pos + 1
    while True:
        item, pos = _flow_item(text, pos, ",]")
        items.append(item)
        if text.startswith(", ", pos):
            pos += 2
        elif text[pos] == "]":
            return items, pos + 1
        else:
            raise _NotCanonical


_MAP_KEY_RE = re.compile(r"([a-z_]+): ")
_SCORE_RE = re.compile(r"[0-9]\.[0-9]{3}")  # the writer's score: YAML reads it as a float


def _flow_map(text: str, pos: int) -> tuple[dict, int]:
    """``{key: V, ...}`` as the writer writes ``resolved:`` (V a flow scalar or a 3-decimal score), and
    the position after the closing brace. A key given twice leaves the fast path (YAML reports it)."""
    mapping: dict = {}
    pos += 1
    while True:
        match = _MAP_KEY_RE.match(text, pos)
        if not match or match.group(1) in mapping or match.group(1) in YAML_WORDS:
            raise _NotCanonical
        pos = match.end()
        number = _SCORE_RE.match(text, pos)
        if number and text[number.end() : number.end() + 1] in (",", "}"):
            mapping[match.group(1)], pos = float(number.group(0)), number.end()
        else:
            mapping[match.group(1)], pos = _flow_item(text, pos, ",}")
        if text.startswith(", ", pos):
            pos += 2
        elif text[pos] == "}":
            return mapping, pos + 1
        else:
            raise _NotCanonical


def _source_item(line: str) -> dict:
    """``  - {file: F, line: N}`` with optional ``, keys: [...]``."""
    match = _SOURCE_LINE_RE.fullmatch(line)
    if match:
        # The general reader below reads the same from such a line: the file token ends at the first
        # "," or "}" (it holds neither) and is checked by the same rule (_file_token); the number is
        # _INT_RE's; every key [a-z]:<10 hex digits> is a plain scalar, ended by ", " or "]".
        file, number, keys = match.groups()
        item: dict = {"file": _file_token(file), "line": int(number)}
        if keys is not None:
            item["keys"] = keys.split(", ")
        return item
    file, pos = _flow_item(line, len(_SOURCE_START), ",}")
    if not line.startswith(", line: ", pos):
        raise _NotCanonical
    match = _INT_RE.match(line, pos + 8)
    if not match:
        raise _NotCanonical
    item = {"file": file, "line": int(match.group(0))}
    pos = match.end()
    if line.startswith(", keys: ", pos):
        item["keys"], pos = _flow_list(line, pos + 8)
    if line[pos:] != "}":
        raise _NotCanonical
    return item


def _file_token(token: str) -> str:
    """The file name a source line's ``file:`` token stands for (as _flow_item reads it), or _NotCanonical."""
    value = _FILE_TOKENS.get(token)
    if value is None:
        if token[0] == '"':
            value, end = _quoted(token, 0)
            if end != len(token):
                raise _NotCanonical
        elif _plain(token, flow=True):
            value = token
        else:
            raise _NotCanonical
        if len(_FILE_TOKENS) < 4096:
            _FILE_TOKENS[token] = value
    return value
