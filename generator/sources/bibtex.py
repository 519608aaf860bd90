"""BibTeX exports (Zotero, arXiv, Google Scholar) through bibtexparser."""

from __future__ import annotations

import re
from pathlib import Path

from generator.sources.blocks import Block, Evidence
from generator.sources.fields import checked_fields
from generator.sources.normalize import normalize_text, strip_bibtex_braces
from generator.sources.result import ParseResult, make_entry

_ENTRY_RE = re.compile(r"^@\w+\s*[{(]", re.M)


def _clean_bib(value: str) -> str:
    return normalize_text(strip_bibtex_braces(value))


def parse(text: str, label: str) -> ParseResult:
    """One entry per BibTeX entry with a title."""
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
        fields += checked_fields(links, result, label, line)
        result.entries.append(make_entry(title, abstract, label, line, None, fields))
    if not library.entries and not result.problems:
        result.warn("no BibTeX entries found", label, None)
    return result


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
        return Evidence(
            0.7 + 0.3 * entries / len(blocks), f"{entries} of {len(blocks)} blocks open a BibTeX entry"
        )
    return None
