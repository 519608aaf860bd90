"""Readers for every raw input format. Each returns ``RawEntry`` values (normalized text) and problems.

Formats: ``listing`` (title line / abstract line between page boilerplate), ``abstracts`` (blank-line
separated ``Abstract:`` blocks without titles), ``bibtex`` and ``yaml`` (a YAML or JSON list of papers).
The only I/O here is :func:`read_text`, which decodes one file; the parsers take text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.core.errors import Problem, ReadingListError
from generator.core.model import RawEntry, Source
from generator.sources.normalize import fingerprint, normalize_text, strip_bibtex_braces
from generator.store import check_links, check_nesting

FORMATS = ("listing", "abstracts", "bibtex", "yaml")

BOILERPLATE = (
    "Get trending papers in your email inbox once a day!",
    "Get trending papers in your email inbox!",
    "byAK and the research community",
    "Subscribe",
    "new",
)
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
DATE_RE = re.compile(rf"^(?:{_MONTHS})[a-z]*\.? \d{{1,2}}(?:, \d{{4}})?$")
# Boilerplate glued to the start of a title ("SubscribeEnd-to-end ..."): strip the known prefixes.
_GLUED_PREFIXES = ("Subscribe", "byAK and the research community", "new")
_GLUED_RE = re.compile(rf"^(?:{'|'.join(_GLUED_PREFIXES)})(?=[A-Z0-9\"'(\[])")
# An abstract line is long or made of sentences; a title is short. Used to re-align a damaged listing.
ABSTRACT_MIN_CHARS = 160
TITLE_MAX_CHARS = 300


@dataclass
class ParseResult:
    entries: list[RawEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def warn(self, message: str, path: str, line: int | None, hint: str | None = None) -> None:
        self.problems.append(Problem("warning", message, path, line, hint=hint))


_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))


def read_text(path: Path, label: str) -> tuple[str, list[Problem]]:
    """Decode a raw file: UTF-8 (BOM stripped), else cp1252/Latin-1 with a warning; refuse binary data."""
    data = path.read_bytes()
    problems: list[Problem] = []
    if not data.strip():
        raise ReadingListError("file is empty", label, None, hint="remove it or paste the dump again")
    sample = data[:65536]
    # Bytes < 9 or in 14..31 (a NUL counts twice), counted in C: what is left once the others are deleted.
    controls = len(sample.translate(None, _NOT_CONTROL_BYTES)) + sample.count(0)
    if controls > max(8, len(sample) // 100):
        raise ReadingListError(
            "file looks binary (control bytes), not a text dump",
            label,
            None,
            hint="export the papers as text, BibTeX, YAML or JSON",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            text = data.decode("cp1252")
            enc = "cp1252"
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            enc = "latin-1"
        problems.append(
            Problem(
                "warning",
                f"file is not UTF-8; decoded as {enc}",
                label,
                line,
                hint="save the file as UTF-8 to silence this",
            )
        )
    if "\x00" in text:
        problems.append(
            Problem("warning", "NUL bytes removed", label, text[: text.index("\x00")].count("\n") + 1)
        )
        text = text.replace("\x00", "")
    return text.replace("\r\n", "\n").replace("\r", "\n"), problems


def detect_format(path: Path, text: str) -> str:
    """Guess a file's format from its extension, then from its content."""
    suffix = path.suffix.lower()
    if suffix == ".bib":
        return "bibtex"
    if suffix in (".yaml", ".yml", ".json"):
        return "yaml"
    lines = text.splitlines()
    first = next((stripped for stripped in (ln.strip() for ln in lines) if stripped), None)
    if first is None:
        return "listing"
    # Only a file whose first line is an 'Abstract:' line can be an abstract list: count the rest then.
    if first.startswith("Abstract:"):
        stripped = [ln.strip() for ln in lines if ln.strip()]
        if (
            sum(ln.startswith("Abstract:") for ln in stripped) * 2
            >= len([ln for ln in stripped if ln not in BOILERPLATE]) / 2
        ):
            return "abstracts"
    if first.startswith("@") and re.search(r"^@\w+\s*\{", text, re.M):
        return "bibtex"
    if first.startswith("- ") or first.startswith("["):
        return "yaml"
    return "listing"


def _keys(title: str | None, abstract: str) -> tuple[str, ...]:
    keys = []
    if title:
        keys.append(fingerprint("t", title))
    if abstract:
        keys.append(fingerprint("a", abstract))
    return tuple(keys)


def _entry(
    title: str | None,
    abstract: str,
    label: str,
    line: int,
    listed: str | None = None,
    fields: Iterable[tuple[str, object]] = (),
) -> RawEntry:
    return RawEntry(title, abstract, Source(label, line, _keys(title, abstract)), listed, tuple(fields))


_SENTENCE_END_RE = re.compile(r"[.!?](?:\s|$)")


def _looks_like_abstract(line: str) -> bool:
    return len(line) >= ABSTRACT_MIN_CHARS or len(_SENTENCE_END_RE.findall(line)) >= 2


def parse_listing(text: str, label: str) -> ParseResult:
    """Listing dumps: boilerplate, an optional date line, then title line / abstract line pairs."""
    result = ParseResult()
    listed: str | None = None
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line in BOILERPLATE:
            continue
        if DATE_RE.match(line):
            listed = line
            continue
        if line.startswith(_GLUED_PREFIXES):  # _GLUED_RE matches only there
            line = _GLUED_RE.sub("", line)
        lines.append((number, line))
    if not lines:
        result.warn(
            "no papers found: the file holds only boilerplate",
            label,
            None,
            hint="paste the listing including title and abstract lines",
        )
        return result
    i = 0
    while i < len(lines):
        number, title = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if len(title) > TITLE_MAX_CHARS and _looks_like_abstract(title):
            result.warn(
                "abstract without a title line; kept with a provisional title",
                label,
                number,
                hint="add the title on the line above",
            )
            result.entries.append(_entry(None, normalize_text(title), label, number, listed))
            i += 1
            continue
        if nxt is None:
            result.warn(
                f"title with no abstract (truncated block?): {title[:60]!r}",
                label,
                number,
                hint="add the abstract line after the title",
            )
            break
        abstract_number, abstract = nxt
        if (
            not _looks_like_abstract(abstract)
            and i + 2 < len(lines)
            and _looks_like_abstract(lines[i + 2][1])
        ):
            # "title, title, abstract": the first title lost its abstract.
            result.warn(
                f"title with no abstract: {title[:60]!r}",
                label,
                number,
                hint="add the abstract line after the title",
            )
            i += 1
            continue
        result.entries.append(_entry(normalize_text(title), normalize_text(abstract), label, number, listed))
        i += 2
    return result


def parse_abstracts(text: str, label: str) -> ParseResult:
    """Bare abstract lists: blocks separated by blank lines, each starting with ``Abstract:``."""
    result = ParseResult()
    block: list[str] = []
    start = 0

    def flush() -> None:
        if not block:
            return
        body = " ".join(block)
        if not body.startswith("Abstract:"):
            result.warn(
                "text outside an 'Abstract:' block ignored",
                label,
                start,
                hint="start each block with 'Abstract:'",
            )
            return
        abstract = normalize_text(body[len("Abstract:") :])
        if not abstract:
            result.warn("empty 'Abstract:' block", label, start)
            return
        result.entries.append(_entry(None, abstract, label, start))

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if line.startswith("Abstract:") and block:
            flush()
            block = []
        if not line:
            flush()
            block = []
            continue
        if not block:
            start = number
        block.append(line)
    flush()
    if not result.entries and not result.problems:
        result.warn("no 'Abstract:' blocks found", label, None)
    return result


def _clean_bib(value: str) -> str:
    return normalize_text(strip_bibtex_braces(value))


def parse_bibtex(text: str, label: str) -> ParseResult:
    """BibTeX (Zotero, arXiv, Google Scholar exports) through bibtexparser."""
    import bibtexparser

    result = ParseResult()
    library = bibtexparser.parse_string(text)
    for block in library.failed_blocks:
        line = (getattr(block, "start_line", 0) or 0) + 1
        error = getattr(block, "error", None)
        result.warn(
            f"malformed BibTeX entry skipped ({type(error).__name__ if error else 'parse error'})",
            label,
            line,
            hint="check braces and commas of this entry",
        )
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        f = {k.lower(): v.value if hasattr(v, "value") else v for k, v in entry.fields_dict.items()}
        title = _clean_bib(str(f.get("title", "")))
        abstract = _clean_bib(str(f.get("abstract", "")))
        if not title:
            result.warn(f"BibTeX entry '{entry.key}' has no title; skipped", label, line)
            continue
        if not abstract:
            result.warn(
                f"BibTeX entry '{entry.key}' has no abstract",
                label,
                line,
                hint="add abstract = {...} or fill it in data/papers.yaml",
            )
        fields: list[tuple[str, object]] = []
        if f.get("author"):
            authors = [_clean_bib(a) for a in re.split(r"\s+and\s+", str(f["author"]))]
            fields.append(("authors", tuple(_name_first_last(a) for a in authors if a)))
        year = re.search(r"\d{4}", str(f.get("year", "")))
        if year:
            fields.append(("year", int(year.group(0))))
        links = [(key, f[key]) for key in ("url", "doi") if f.get(key)]
        eprint = str(f.get("eprint", "")).strip()
        if eprint and str(f.get("archiveprefix", "arxiv")).lower() == "arxiv":
            links.append(("arxiv", eprint))
        fields += _checked_fields(links, result, label, line)
        result.entries.append(_entry(title, abstract, label, line, None, fields))
    if not library.entries and not result.problems:
        result.warn("no BibTeX entries found", label, None)
    return result


def _name_first_last(name: str) -> str:
    if "," in name:
        last, first = (part.strip() for part in name.split(",", 1))
        return f"{first} {last}".strip()
    return name


# Characters the YAML reader refuses anywhere in a document (yaml.reader.Reader.NON_PRINTABLE).
_YAML_UNPRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_YAML_FIELDS = {"authors", "year", "url", "doi", "arxiv", "notes", "topics", "tags"}


def parse_yaml_list(text: str, label: str) -> ParseResult:
    """A hand-written YAML or JSON list of papers: ``- {title: ..., abstract: ..., authors: [...]}``."""
    result = ParseResult()
    unprintable = _YAML_UNPRINTABLE.search(text)
    if unprintable:  # valid in JSON strings, refused by YAML; normalization drops them anyway
        result.warn("control characters removed", label, text[: unprintable.start()].count("\n") + 1)
        text = _YAML_UNPRINTABLE.sub("", text)
    check_nesting(text, label)
    if label.lower().endswith(".json"):
        try:
            json.loads(text)  # strict JSON first: YAML would accept '{"title": }' as a null title
        except json.JSONDecodeError as exc:
            raise ReadingListError(
                f"malformed JSON: {exc.msg}", label, exc.lineno, hint="check commas, quotes and brackets"
            ) from None
    try:
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise ReadingListError(
            f"malformed YAML/JSON: {getattr(exc, 'problem', exc)}",
            label,
            line,
            hint="check indentation, quotes and colons",
        ) from None
    if root is None or not isinstance(root, yaml.SequenceNode):
        line = root.start_mark.line + 1 if root is not None else None
        raise ReadingListError(
            "expected a list of papers", label, line, hint="write '- title: ...' items, or a JSON array"
        )
    for node in root.value:
        line = node.start_mark.line + 1
        try:
            item = yaml.safe_load(yaml.serialize(node)) if isinstance(node, yaml.MappingNode) else None
        except yaml.YAMLError as exc:  # e.g. an unknown tag such as !!python/object
            result.warn(
                f"list item cannot be read ({getattr(exc, 'problem', None) or 'bad value'}); skipped",
                label,
                line,
                hint="plain text values only",
            )
            continue
        if not isinstance(item, dict):
            result.warn("list item is not a mapping; skipped", label, line)
            continue
        if any(isinstance(item.get(key), dict | list | set | bytes) for key in ("title", "abstract")):
            result.warn("title or abstract is not text; skipped", label, line, hint="write them as text")
            continue
        title = normalize_text(str(item.get("title") or ""))
        abstract = normalize_text(str(item.get("abstract") or ""))
        if not title and not abstract:
            result.warn("paper has neither title nor abstract; skipped", label, line)
            continue
        if not abstract:
            result.warn("paper has no abstract", label, line, hint="add 'abstract: ...'")
        pairs = ((key, item[key]) for key in sorted(_YAML_FIELDS & item.keys()))
        fields = _checked_fields(pairs, result, label, line)
        result.entries.append(_entry(title or None, abstract, label, line, None, fields))
    return result


def _checked_fields(
    pairs: Iterable[tuple[str, object]], result: ParseResult, label: str, line: int
) -> list[tuple[str, object]]:
    """Curator-like fields from a dump, kept only if the store would accept them (warning otherwise)."""
    fields: list[tuple[str, object]] = []
    for key, value in pairs:
        if value is None or value == "":
            continue
        if key in ("authors", "topics", "tags"):
            values = value if isinstance(value, list) else [value]
            if all(isinstance(v, str | int | float) for v in values):
                cleaned = (normalize_text(str(v)) for v in values)
                fields.append((key, tuple(v for v in cleaned if v)))
                continue
        elif key == "year":
            year = str(value).strip() if not isinstance(value, bool) else ""
            if re.fullmatch(r"\d{1,4}", year):
                fields.append((key, int(year)))
                continue
        elif key == "notes":
            if isinstance(value, str | int | float) and normalize_text(str(value)):
                fields.append((key, normalize_text(str(value))))
                continue
        elif not str(value).strip():
            continue
        elif not check_links({key: str(value).strip()}, label, line, None):
            fields.append((key, str(value).strip()))
            continue
        result.warn(
            f"{key} {str(value)[:60]!r} is not {_FIELD_WANTED[key]}; dropped",
            label,
            line,
            hint=f"fix it in the dump, or set '{key}' in data/papers.yaml",
        )
    return fields


_FIELD_WANTED = {
    "url": "an http(s):// URL",
    "doi": "a DOI such as 10.1234/abc",
    "arxiv": "an arXiv id such as 2301.01234",
    "year": "a year",
    "notes": "text",
    "authors": "a list of names",
    "topics": "a list of topic ids",
    "tags": "a list of tag ids",
}


PARSERS = {
    "listing": parse_listing,
    "abstracts": parse_abstracts,
    "bibtex": parse_bibtex,
    "yaml": parse_yaml_list,
}


def parse_file(path: Path, label: str, fmt: str = "auto") -> ParseResult:
    """Read, decode, detect the format and parse one file. Raises ReadingListError for unusable files."""
    text, problems = read_text(path, label)
    chosen = detect_format(path, text) if fmt == "auto" else fmt
    if chosen not in PARSERS:
        raise ReadingListError(f"unknown format {fmt!r}", label, hint=f"use one of {', '.join(FORMATS)}")
    result = PARSERS[chosen](text, label)
    result.problems[:0] = problems
    return result
