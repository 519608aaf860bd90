"""All reading and writing of the paper store (``data/papers.yaml``): validation, atomic writes, a lock.

The store is a YAML list, one record per paper, keys in a fixed order, written by :func:`dump_papers`
so that the same papers always give the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import glob
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import yaml

from generator.core.environment import environment
from generator.core.errors import Problem, ReadingListError
from generator.core.model import Paper, Source

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

HEADER = """\
# readinglist paper store: one record per paper, written by `python -m generator ingest`.
# Edit freely: title, authors, year, url, doi, arxiv, notes, topics (pins), tags (pins), hidden.
# Ingest never overwrites these fields; `id` never changes (old ids listed in `aliases` keep working).
# Comments inside records are not kept when ingest rewrites this file; use `notes:` instead.
"""

# \Z, not $: "$" also matches before a final newline, which would let "slug\n" or "https://x\n" through.
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
URL_RE = re.compile(r"^https?://[^\s<>\"'`]+\Z", re.IGNORECASE)
DOI_RE = re.compile(r"^10\.\d{4,9}/[^\s<>\"'`]+\Z")
ARXIV_RE = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\Z")

_FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
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
    "topics": list,
    "tags": list,
    "hidden": bool,
    "aliases": list,
    "sources": list,
}
REQUIRED = ("id", "title", "abstract", "added")
_EXPECTED = {
    str: ("text", "put the value in quotes"),
    int: ("a whole number", "e.g. year: 2021"),
    bool: ("true or false", "write true or false"),
    list: ("a list", "e.g. tags: [a, b]"),
}


# ---------------------------------------------------------------- reading


MAX_NESTING = 50  # YAML deeper than this is refused: libyaml's composer recurses and would crash


def check_nesting(text: str, label: str, limit: int = MAX_NESTING) -> None:
    """Raise ReadingListError if collections nest deeper than ``limit`` (a crafted file could crash the
    YAML composer). Syntax errors are left to the loader, which reports them with their line."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limit:
                    raise ReadingListError(
                        f"YAML nested more than {limit} levels deep",
                        label,
                        event.start_mark.line + 1,
                        hint="check the brackets",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return


def parse_store(text: str, label: str) -> tuple[list[Paper], list[Problem]]:
    """Parse and validate the store text. Malformed YAML raises; record problems are returned.

    A store in the exact layout :func:`dump_papers` writes is read by :func:`_fast_records` (several
    times faster than the YAML parser); anything else, or anything doubtful, goes through YAML."""
    fast = _fast_records(text)
    if fast is not None:
        # No fast-path text holds a surrogate: _fast_records refuses them raw and as "\\uD8xx" escapes.
        return _check_records(fast, label, surrogates=False)
    check_nesting(text, label)
    loader = Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        raise ReadingListError(
            f"malformed YAML: {getattr(exc, 'problem', None) or exc}",
            label,
            mark.line + 1 if mark else None,
            hint="fix the indentation or quoting at that line, or `git checkout` the file",
        ) from None
    finally:
        loader.dispose()
    if data is None:
        return [], []
    if not isinstance(data, list):
        raise ReadingListError(
            "the store must be a YAML list of papers", label, 1, hint="each record starts with '- id: ...'"
        )
    return _check_records(
        [(node.start_mark.line + 1, record, node) for node, record in zip(root.value, data, strict=True)],
        label,
    )


def _check_records(
    records: list[tuple[int, object, yaml.Node | None]],
    label: str,
    surrogates: bool = True,
) -> tuple[list[Paper], list[Problem]]:
    """Validate (line, record, YAML node or None) triples into papers and problems. ``surrogates=False``:
    the caller knows no text holds a lone surrogate, so the search for one is skipped."""
    papers: list[Paper] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line, record, node in records:
        paper, record_problems = _paper_from_record(record, label, line, surrogates)
        if node is not None:
            record_problems += _duplicate_keys(node, label, record)
        problems.extend(record_problems)
        if paper is None:
            continue
        for name in (paper.id, *paper.aliases):
            if name in seen:
                problems.append(
                    Problem(
                        "error",
                        f"duplicate id '{name}' (also on line {seen[name]})",
                        label,
                        line,
                        paper.id,
                        hint="give one record a new id, or merge them",
                    )
                )
            else:
                seen[name] = line
        papers.append(paper)
    return papers, problems


# Fast path: the layout dump_papers writes, read line by line. Every line must be a comment, blank, or
# one of: "- id: V", "  key: V", "  sources:", "  - {file: V, line: N[, keys: [V, ...]]}", where V is a
# scalar dump_papers could have written (plain by the writer's own rule, JSON-style double-quoted,
# simple single-quoted, true/false, a plain integer, or a flow list of these). Whatever else (block
# scalars, nesting, duplicate keys, odd spacing, escapes JSON and YAML read differently) returns None,
# and the YAML parser, which reports problems with their line, reads the file instead.

_NON_PRINTABLE_RE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
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
_KEY_LIST = r"[a-z]:[0-9a-f]{10}(?:, [a-z]:[0-9a-f]{10})*"
_SOURCE_LINE_RE = re.compile(
    rf'  - \{{file: ("[^"\\]*"|[^\s",{{}}\[\]]+), line: (0|[1-9][0-9]{{0,17}})'
    rf"(?:, keys: \[({_KEY_LIST})\])?\}}"
)
_KEY_LIST_RE = re.compile(_KEY_LIST)


class _NotCanonical(Exception):
    """The text leaves the layout the fast path reads; the YAML parser takes over."""


def _fast_records(text: str) -> list[tuple[int, object, yaml.Node | None]] | None:
    """(line, record) of every record if the whole text is in dump_papers' layout, else None."""
    if _NON_PRINTABLE_RE.search(text):
        return None
    records: list[tuple[int, object, yaml.Node | None]] = []
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
                    if not match or match.group(1) in _YAML_WORDS:
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
    if _is_plain_text(value):
        return not _is_yaml_word(value) and ": " not in value and not (flow and "," in value)
    return bool(ID_RE.match(value)) and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG


_STR_TAG = "tag:yaml.org,2002:str"


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
    item: dict = {"file": file, "line": int(match.group(0))}
    pos = match.end()
    if line.startswith(", keys: ", pos):
        item["keys"], pos = _flow_list(line, pos + 8)
    if line[pos:] != "}":
        raise _NotCanonical
    return item


_FILE_TOKENS: dict[str, str] = {}  # the few file names of a store, each checked once


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


def _duplicate_keys(node: yaml.Node, label: str, record: object) -> list[Problem]:
    """A key written twice in one record: YAML keeps the last silently, which hides a curator's edit."""
    if not isinstance(node, yaml.MappingNode):
        return []
    rid = record.get("id") if isinstance(record, dict) and isinstance(record.get("id"), str) else None
    seen: set[str] = set()
    problems = []
    for key_node, _ in node.value:
        if key_node.value in seen:
            problems.append(
                Problem(
                    "error",
                    f"field '{key_node.value}' appears twice",
                    label,
                    key_node.start_mark.line + 1,
                    rid,
                    hint="keep one of them",
                )
            )
        seen.add(key_node.value)
    return problems


def _paper_from_record(
    record: object,
    label: str,
    line: int,
    surrogates: bool = True,
) -> tuple[Paper | None, list[Problem]]:
    problems: list[Problem] = []
    if not isinstance(record, dict):
        return None, [Problem("error", "record is not a mapping", label, line, hint="start it with '- id:'")]
    rid = record.get("id") if isinstance(record.get("id"), str) else None

    def err(message: str, hint: str | None = None) -> None:
        problems.append(Problem("error", message, label, line, rid, hint))

    for key in REQUIRED:
        value = record.get(key)
        if (value is None or (isinstance(value, str) and not value.strip())) and not (
            key == "abstract" and key in record
        ):
            err(f"missing required field '{key}'", hint=f"add '{key}: ...' to the record")
    for key, value in record.items():
        expected = _FIELD_TYPES.get(key)
        if expected is None:
            err(f"unknown field '{key}'", hint=f"known fields: {', '.join(_FIELD_TYPES)}")
        elif value is not None and type(value) is not expected and _wrong_type(value, expected):
            what, hint = _EXPECTED[expected]
            err(f"field '{key}' should be {what}, not {type(value).__name__}", hint=hint)
    if surrogates and any(_SURROGATE_RE.search(text) for text in _texts(record)):
        err("text holds a lone surrogate (an escape such as \\ud800)", hint="remove that \\u escape")
    for key in ("authors", "topics", "tags", "aliases"):
        values = record.get(key)
        if values and any(not isinstance(v, str | int | float) or isinstance(v, bool) for v in values):
            err(f"field '{key}' should be a list of texts", hint=f"write {key}: [a, b]")
    if problems:
        return None, problems
    for name in (record["id"], *(record.get("aliases") or ())):
        if not ID_RE.match(str(name)):
            err(f"id {name!r} is not a slug", hint="use lowercase letters, digits and '-'")
    if not _is_date(str(record["added"])):
        err(f"added {record['added']!r} is not a date", hint="write YYYY-MM-DD")
    if "url" in record or "doi" in record or "arxiv" in record:  # check_links looks at nothing else
        problems.extend(check_links(record, label, line, rid))
    sources = []
    for s in record.get("sources") or []:
        source = _source(s)
        if source is None:
            err(
                "a source needs 'file' (text), 'line' (a number) and optional 'keys' (a list)",
                hint="restore 'sources:' as ingest wrote it, or delete the bad entry",
            )
            continue
        sources.append(source)
    paper = Paper(
        id=record["id"],
        title=str(record["title"]),
        abstract=str(record.get("abstract") or ""),
        added=str(record["added"]),
        sources=tuple(sources),
        needs_title=bool(record.get("needs_title", False)),
        listed=record.get("listed"),
        authors=_str_tuple(record.get("authors")),
        year=record.get("year"),
        url=record.get("url"),
        doi=record.get("doi"),
        arxiv=record.get("arxiv"),
        notes=record.get("notes"),
        topics=_str_tuple(record.get("topics")),
        tags=_str_tuple(record.get("tags")),
        hidden=bool(record.get("hidden", False)),
        aliases=_str_tuple(record.get("aliases")),
        line=line,
    )
    return (None if any(p.severity == "error" for p in problems) else paper), problems


def _str_tuple(values: list | None) -> tuple[str, ...]:
    return tuple(map(str, values)) if values else ()


_SURROGATE_RE = re.compile("[\ud800-\udfff]")  # cannot be written as UTF-8: pages would fail to save


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
            problems.append(
                Problem(
                    "error",
                    f"{key} {str(value)[:80]!r} is not {what}",
                    label,
                    line,
                    rid,
                    hint=f"fix or remove '{key}'",
                )
            )
    return problems


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


# ---------------------------------------------------------------- writing

_PLAIN_RE = re.compile(r"^[^\W\d_](?:[\w ,.()/+\-':]*[\w.)])?\Z")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "nan", "inf"}
# _PLAIN_RE without its backtracking: a letter, then characters of the class (possessive: no backtracking),
# and a last character that is not one of the class's characters outside [\w.)].
_PLAIN_CHARS_RE = re.compile(r"[^\W\d_][\w ,.()/+\-':]*+")
_NOT_LAST = frozenset(" ,(/+-':")
_encode_json_string = json.encoder.encode_basestring  # what json.dumps(str, ensure_ascii=False) returns


def _is_yaml_word(value: str) -> bool:
    """``value.lower() in _YAML_WORDS`` without lowering a long text (no word is longer than 5 letters)."""
    return len(value) <= 5 and value.lower() in _YAML_WORDS


def _is_plain_text(value: str) -> bool:
    """``bool(_PLAIN_RE.match(value))``, in one pass over the text."""
    return _PLAIN_CHARS_RE.fullmatch(value) is not None and value[-1] not in _NOT_LAST


def yaml_str(value: str, flow: bool = False) -> str:
    """A YAML scalar for ``value``: plain when unambiguous, else double-quoted with escapes.
    ``flow``: the scalar goes inside ``[...]`` or ``{...}``, where a comma would end it."""
    plain = _is_plain_text(value) and not _is_yaml_word(value) and ": " not in value
    if plain and not (flow and "," in value):
        return value
    out = _encode_json_string(value)
    if out.isprintable():
        return out
    # YAML forbids some characters even inside double quotes; escape anything that is not printable.
    return "".join(c if c.isprintable() else _escape_char(c) for c in out)


_RESOLVER = yaml.resolver.Resolver()


def _id_scalar(value: str) -> str:
    """An id, plain unless YAML would read it as something else than text ("1984", "yes", "null")."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    return value if tag == "tag:yaml.org,2002:str" and ID_RE.match(value) else json.dumps(value)


def _escape_char(c: str) -> str:
    code = ord(c)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _yaml_list(values: Sequence[str]) -> str:
    joined = ", ".join(values)
    # Fingerprint keys ("t:" + 10 hex digits), each one plain: yaml_str would return each as it is. (The
    # count makes sure that every ", " is a separator, so that each value is one whole key.)
    if _KEY_LIST_RE.fullmatch(joined) and joined.count(", ") == len(values) - 1:
        return f"[{joined}]"
    return "[" + ", ".join(yaml_str(v, flow=True) for v in values) + "]"


def dump_papers(papers: Sequence[Paper]) -> str:
    """Serialize papers in a stable key order (same papers -> same bytes)."""
    out = [HEADER]
    for p in papers:
        out.append(f"- id: {_id_scalar(p.id)}\n")
        out.append(f"  title: {yaml_str(p.title)}\n")
        if p.needs_title:
            out.append("  needs_title: true\n")
        out.append(f"  abstract: {yaml_str(p.abstract) if p.abstract else chr(34) * 2}\n")
        if p.authors:
            out.append(f"  authors: {_yaml_list(p.authors)}\n")
        if p.year is not None:
            out.append(f"  year: {int(p.year)}\n")
        for key in ("url", "doi", "arxiv", "notes"):
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
        if p.sources:
            out.append("  sources:\n")
            for s in p.sources:
                keys = f", keys: {_yaml_list(s.keys)}" if s.keys else ""
                out.append(f"  - {{file: {yaml_str(s.file, flow=True)}, line: {s.line}{keys}}}\n")
    return "".join(out)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write via a temporary file in the same folder and rename: readers see the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    mode = _file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)  # mkstemp makes 0600 files; keep the old file's mode (or the umask's)
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _file_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete the temporary files of writes to ``path`` that were killed before their rename.
    Only safe while holding :func:`store_lock` (no other writer can be mid-write)."""
    removed = []
    for tmp in sorted(path.parent.glob(f".{glob.escape(path.name)}.*.tmp")):
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
            removed.append(tmp)
    return removed


def save_store(path: Path, papers: Sequence[Paper]) -> bool:
    """Write the store if its bytes change; returns whether it was written. Call under :func:`store_lock`:
    it also removes temporary files left by a killed earlier write."""
    remove_stale_temps(path)
    data = dump_papers(papers).encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True


@contextlib.contextmanager
def store_lock(data_dir: Path, timeout: float | None = None) -> Iterator[None]:
    """Serialize writers of ``data/``: a second ingest waits, then refuses with a clear message."""
    from filelock import FileLock, Timeout  # only writers need it: imported here, not by every reader

    timeout = environment().lock_timeout if timeout is None else timeout
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(data_dir / ".lock"))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise ReadingListError(
            f"another ingest is writing the store (waited {timeout:g} s for the lock {data_dir / '.lock'})",
            str(data_dir / "papers.yaml"),
            hint="wait for it to finish and run it again, or raise READINGLIST_LOCK_TIMEOUT",
        ) from None
    try:
        yield
    finally:
        lock.release()
