"""Plain lists of identifiers, one per line: arXiv ids, arXiv abs/pdf URLs, DOIs and DOI URLs.

``2401.01234``, ``arXiv:2401.01234v2``, ``hep-th/9901001``, ``https://arxiv.org/abs/2401.01234``,
``https://arxiv.org/pdf/2401.01234v1.pdf``, ``10.1038/nature16961``, ``doi:10.1038/nature16961``,
``https://doi.org/10.1038/nature16961``; blank lines and ``#`` comments are skipped. Each id becomes an
entry with only that identifier (merge gives it a provisional title from it); ``resolve`` turns it into
a full record: title, abstract, authors, year, venue.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from generator.sources.blocks import Block, Evidence
from generator.sources.fields import checked_fields
from generator.sources.result import ParseResult, make_entry

_ARXIV = r"(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
ARXIV_RE = re.compile(
    rf"^(?:arXiv:|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)?{_ARXIV}(?:\.pdf)?/?$", re.I
)
DOI_RE = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.I)
ARXIV_DOI_RE = re.compile(rf"^10\.48550/arxiv\.{_ARXIV}$", re.I)


def identifier(line: str) -> tuple[str, str] | None:
    """``("arxiv", id)`` or ``("doi", doi)`` for one line, None if it is neither."""
    text = line.strip().rstrip(".,;")
    match = ARXIV_RE.match(text)
    if match:
        return "arxiv", match.group(1)
    match = DOI_RE.match(text)
    if match:
        doi = unquote(match.group(1))
        arxiv = ARXIV_DOI_RE.match(doi)
        return ("arxiv", arxiv.group(1)) if arxiv else ("doi", doi)
    return None


def _lines(text: str) -> list[tuple[int, str]]:
    out = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            out.append((number, line))
    return out


def parse(text: str, label: str) -> ParseResult:
    """One id-only entry per identifier line; any other line is reported and skipped."""
    result = ParseResult()
    for number, line in _lines(text):
        found = identifier(line)
        if found is None:
            result.warn(
                f"not an arXiv id, arXiv URL or DOI: {line[:60]!r}; skipped",
                label,
                number,
                hint="one identifier per line, e.g. 2401.01234 or 10.1038/nature16961",
            )
            continue
        fields = checked_fields([found], result, label, number)
        if fields:
            result.entries.append(make_entry(None, "", label, number, None, fields))
    if not result.entries and not result.problems:
        result.warn("no identifiers found", label, None)
    return result


def score(path: Path, text: str, blocks: list[Block]) -> Evidence | None:
    """Most non-blank lines are identifiers."""
    lines = _lines(text)
    ids = sum(identifier(line) is not None for _, line in lines)
    if not ids or ids * 5 < len(lines) * 4:  # at least 80%
        return None
    return Evidence(0.9, f"{ids} of {len(lines)} lines are arXiv ids or DOIs")


def detect(text: str) -> bool:
    """Is ``text`` a list of identifiers? (The same evidence as :func:`score`.)"""
    return score(Path(""), text, []) is not None
