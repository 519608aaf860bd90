"""BibTeX exports (Zotero, arXiv, Google Scholar) through bibtexparser v2 and its middleware.

The text is split by bibtexparser with no middleware, then repaired per entry, then transformed by a
middleware stack: :class:`ExpandStrings` (``@string`` macros, ``#`` concatenation, the month macros
BibTeX predefines), :class:`InheritCrossref` (fields a ``crossref`` parent provides),
bibtexparser's ``MonthLongStringMiddleware`` and ``RemoveEnclosingMiddleware``. ``@comment`` blocks are
ignored. A duplicate entry key keeps both entries, a duplicate field keeps its first value, each with a
warning naming both; a malformed entry is reported with its line. No entry is dropped silently.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.sources.bibtex_middleware import ExpandStrings, InheritCrossref
from generator.sources.blocks import Block, Evidence
from generator.sources.fields import checked_fields
from generator.sources.normalize import normalize_text, strip_bibtex_braces
from generator.sources.result import ParseResult, make_entry

_ENTRY_RE = re.compile(r"^@\w+\s*[{(]", re.M)
_NOT_PAPERS = frozenset(("proceedings", "book", "collection", "mvproceedings", "mvbook"))


def _clean_bib(value: object) -> str:
    return normalize_text(strip_bibtex_braces(str(value)))


def _line(block: object) -> int:
    return (getattr(block, "start_line", 0) or 0) + 1


def _library(text: str, label: str, result: ParseResult):  # noqa: ANN202 - a bibtexparser Library
    import bibtexparser
    from bibtexparser import Library
    from bibtexparser.middlewares import MonthLongStringMiddleware, RemoveEnclosingMiddleware
    from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, ParsingFailedBlock

    split = bibtexparser.parse_string(text, parse_stack=[])
    blocks = []
    keys = {e.key.lower() for e in split.entries}
    for block in split.blocks:
        if isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, Entry):
            entry = block.ignore_error_block
            first = _line(block.previous_block)
            new_key = f"{block.key}-{_line(entry)}"
            while new_key.lower() in keys:
                new_key += "-2"
            keys.add(new_key.lower())
            result.warn(
                f"duplicate BibTeX key '{block.key}' (entries at lines {first} and {_line(entry)}); "
                "both kept",
                label,
                _line(entry),
                hint="give each entry its own key",
            )
            entry.key = new_key
            blocks.append(_first_fields(entry, label, result))
        elif isinstance(block, DuplicateFieldKeyBlock) and isinstance(block.ignore_error_block, Entry):
            blocks.append(_first_fields(block.ignore_error_block, label, result))
        elif isinstance(block, ParsingFailedBlock):
            error = block.error
            result.warn(
                f"malformed BibTeX entry skipped ({type(error).__name__ if error else 'parse error'})",
                label,
                _line(block),
                hint="check braces and commas of this entry",
            )
        else:
            blocks.append(block)
    library = Library(blocks)
    stack = (ExpandStrings(), InheritCrossref(), MonthLongStringMiddleware(), RemoveEnclosingMiddleware())
    for middleware in stack:
        library = middleware.transform(library)
    return library


def _first_fields(entry: object, label: str, result: ParseResult) -> object:
    """``entry`` with one field per key: the first of each duplicated key, with a warning naming both."""
    seen: dict[str, object] = {}
    kept = []
    for field in entry.fields:
        key = field.key.lower()
        if key in seen:
            first = seen[key]
            result.warn(
                f"BibTeX entry '{entry.key}' gives '{field.key}' twice (lines {_line(first)} and "
                f"{_line(field)}); kept the first: {str(first.value)[:50]!r}, "
                f"ignored {str(field.value)[:50]!r}",
                label,
                _line(field),
                hint="delete one of them",
            )
            continue
        seen[key] = field
        kept.append(field)
    entry.fields = kept
    return entry


def parse(text: str, label: str) -> ParseResult:
    """One entry per BibTeX entry with a title (crossref'd proceedings are not papers)."""
    result = ParseResult()
    library = _library(text, label, result)
    parents = {
        str(e.fields_dict["crossref"].value).strip().lower() for e in library.entries if "crossref" in e
    }
    for entry in library.entries:
        line = _line(entry)
        f = {k.lower(): v.value for k, v in entry.fields_dict.items()}
        if entry.key.lower() in parents and entry.entry_type.lower() in _NOT_PAPERS:
            result.warn(f"@{entry.entry_type}{{{entry.key}}} is a crossref parent, not a paper", label, line)
            continue
        title = _clean_bib(f.get("title", ""))
        abstract = _clean_bib(f.get("abstract", ""))
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
        result.entries.append(make_entry(title, abstract, label, line, None, _fields(f, result, label, line)))
    if not library.entries and not result.problems:
        result.warn("no BibTeX entries found", label, None)
    return result


def _fields(f: dict, result: ParseResult, label: str, line: int) -> list[tuple[str, object]]:
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
    return fields + checked_fields(links, result, label, line)


def _name_first_last(name: str) -> str:
    if "," in name:
        last, first = (part.strip() for part in name.split(",", 1))
        return f"{first} {last}".strip()
    return name


def score(path: Path, text: str, blocks: list[Block]) -> Evidence | None:
    """By extension, else by entries (``@type{``) opening the file's blocks."""
    if path.suffix.lower() == ".bib":
        return Evidence(1.0, "file extension .bib")
    entries = sum(_ENTRY_RE.match(b.lines[0].text) is not None for b in blocks)
    if entries and _ENTRY_RE.match(blocks[0].lines[0].text):
        reason = f"{entries} of {len(blocks)} blocks open a BibTeX entry"
        return Evidence(0.7 + 0.3 * entries / len(blocks), reason)
    return None
