"""All reading and writing of the paper store (``data/papers.yaml``): validation, atomic writes, a lock.

The store is a YAML list, one record per paper, keys in a fixed order, written by :func:`dump_papers`
so that the same papers always give the same bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import yaml
from filelock import FileLock, Timeout

from .errors import Problem, ReadingListError
from .model import Paper, Source

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

HEADER = """\
# readinglist paper store: one record per paper, written by `python -m generator ingest`.
# Edit freely: title, authors, year, url, doi, arxiv, notes, topics (pins), tags (pins), hidden.
# Ingest never overwrites these fields; `id` never changes (old ids listed in `aliases` keep working).
# Comments inside records are not kept when ingest rewrites this file; use `notes:` instead.
"""

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL_RE = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)
DOI_RE = re.compile(r"^10\.\d{4,9}/[^\s<>\"'`]+$")
ARXIV_RE = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")

_FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "id": str, "title": str, "abstract": str, "added": str, "needs_title": bool, "listed": str,
    "authors": list, "year": int, "url": str, "doi": str, "arxiv": str, "notes": str,
    "topics": list, "tags": list, "hidden": bool, "aliases": list, "sources": list,
}
REQUIRED = ("id", "title", "abstract", "added")


# ---------------------------------------------------------------- reading


def parse_store(text: str, label: str) -> tuple[list[Paper], list[Problem]]:
    """Parse and validate the store text. Malformed YAML raises; record problems are returned."""
    loader = Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        raise ReadingListError(f"malformed YAML: {getattr(exc, 'problem', None) or exc}", label,
                               mark.line + 1 if mark else None,
                               hint="fix the indentation or quoting at that line, or `git checkout` the file") from None
    finally:
        loader.dispose()
    if data is None:
        return [], []
    if not isinstance(data, list):
        raise ReadingListError("the store must be a YAML list of papers", label, 1,
                               hint="each record starts with '- id: ...'")
    papers: list[Paper] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for node, record in zip(root.value, data, strict=True):
        line = node.start_mark.line + 1
        paper, record_problems = _paper_from_record(record, label, line)
        problems.extend(record_problems)
        if paper is None:
            continue
        for name in (paper.id, *paper.aliases):
            if name in seen:
                problems.append(Problem("error", f"duplicate id '{name}' (also on line {seen[name]})", label,
                                        line, paper.id, hint="give one of the records a new id, or merge them"))
            else:
                seen[name] = line
        papers.append(paper)
    return papers, problems


def _paper_from_record(record: object, label: str, line: int) -> tuple[Paper | None, list[Problem]]:
    problems: list[Problem] = []
    if not isinstance(record, dict):
        return None, [Problem("error", "record is not a mapping", label, line, hint="start it with '- id: ...'")]
    rid = record.get("id") if isinstance(record.get("id"), str) else None

    def err(message: str, hint: str | None = None) -> None:
        problems.append(Problem("error", message, label, line, rid, hint))

    for key in REQUIRED:
        if record.get(key) in (None, "") and not (key == "abstract" and key in record):
            err(f"missing required field '{key}'")
    for key, value in record.items():
        expected = _FIELD_TYPES.get(key)
        if expected is None:
            err(f"unknown field '{key}'", hint=f"known fields: {', '.join(_FIELD_TYPES)}")
        elif value is not None and not isinstance(value, expected):
            err(f"field '{key}' should be a {expected.__name__}, not {type(value).__name__}")
    if problems:
        return None, problems
    if not ID_RE.match(record["id"]):
        err(f"id {record['id']!r} is not a slug", hint="use lowercase letters, digits and '-'")
    if not DATE_RE.match(str(record["added"])):
        err(f"added {record['added']!r} is not a date", hint="write YYYY-MM-DD")
    problems.extend(check_links(record, label, line, rid))
    sources = []
    for s in record.get("sources") or []:
        if not isinstance(s, dict) or "file" not in s:
            err("source entries need 'file' and 'line'")
            continue
        sources.append(Source(str(s["file"]), int(s.get("line") or 0), tuple(str(k) for k in s.get("keys") or ())))
    paper = Paper(
        id=record["id"],
        title=str(record["title"]),
        abstract=str(record.get("abstract") or ""),
        added=str(record["added"]),
        sources=tuple(sources),
        needs_title=bool(record.get("needs_title", False)),
        listed=record.get("listed"),
        authors=tuple(str(a) for a in record.get("authors") or ()),
        year=record.get("year"),
        url=record.get("url"),
        doi=record.get("doi"),
        arxiv=record.get("arxiv"),
        notes=record.get("notes"),
        topics=tuple(str(t) for t in record.get("topics") or ()),
        tags=tuple(str(t) for t in record.get("tags") or ()),
        hidden=bool(record.get("hidden", False)),
        aliases=tuple(str(a) for a in record.get("aliases") or ()),
        line=line,
    )
    return (None if any(p.severity == "error" for p in problems) else paper), problems


def check_links(record: dict, label: str, line: int, rid: str | None) -> list[Problem]:
    """Links out are restricted to http(s) URLs and DOI / arXiv identifiers."""
    problems = []
    checks = (("url", URL_RE, "an http(s):// URL"), ("doi", DOI_RE, "a DOI such as 10.1234/abc"),
              ("arxiv", ARXIV_RE, "an arXiv id such as 2301.01234"))
    for key, pattern, what in checks:
        value = record.get(key)
        if value and not pattern.match(str(value)):
            problems.append(Problem("error", f"{key} {str(value)[:80]!r} is not {what}", label, line, rid,
                                    hint=f"fix or remove '{key}'"))
    return problems


def load_store(path: Path) -> tuple[list[Paper], list[Problem]]:
    """Read the store; a missing file is an empty store."""
    if not path.exists():
        return [], []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ReadingListError("store is not valid UTF-8", str(path), None,
                               hint="restore it with git") from exc
    return parse_store(text, str(path))


# ---------------------------------------------------------------- writing

_PLAIN_RE = re.compile(r"^[^\W\d_](?:[\w ,.()/+\-':]*[\w.)])?$")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "nan", "inf"}


def yaml_str(value: str) -> str:
    """A YAML scalar for ``value``: plain when unambiguous, else double-quoted with escapes."""
    if _PLAIN_RE.match(value) and value.lower() not in _YAML_WORDS and ": " not in value:
        return value
    out = json.dumps(value, ensure_ascii=False)
    if out.isprintable():
        return out
    # YAML forbids some characters even inside double quotes; escape anything that is not printable.
    return "".join(c if c.isprintable() else _escape_char(c) for c in out)


def _escape_char(c: str) -> str:
    code = ord(c)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _yaml_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(yaml_str(v) for v in values) + "]"


def dump_papers(papers: Sequence[Paper]) -> str:
    """Serialize papers in a stable key order (same papers -> same bytes)."""
    out = [HEADER]
    for p in papers:
        out.append(f"- id: {p.id}\n")
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
                out.append(f"  - {{file: {yaml_str(s.file)}, line: {s.line}{keys}}}\n")
    return "".join(out)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write via a temporary file in the same folder and rename: readers see the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
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


def save_store(path: Path, papers: Sequence[Paper]) -> bool:
    """Write the store if its bytes change; returns whether it was written."""
    text = dump_papers(papers)
    if path.exists() and path.read_bytes() == text.encode("utf-8"):
        return False
    write_atomic(path, text)
    return True


@contextlib.contextmanager
def store_lock(data_dir: Path, timeout: float = 30.0) -> Iterator[None]:
    """Serialize writers of ``data/``: a second ingest waits, then refuses with a clear message."""
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(data_dir / ".lock"))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise ReadingListError(f"another ingest is writing the store (lock {data_dir / '.lock'} held for "
                               f"{timeout:.0f} s)", str(data_dir / "papers.yaml"),
                               hint="wait for it to finish, then run ingest again") from None
    try:
        yield
    finally:
        lock.release()
