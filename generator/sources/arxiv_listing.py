"""arXiv listing pages copied from the browser (the "new" and "list" pages of a category).

Each paper starts at its identifier line, ``[3] arXiv:2401.01234 (cross-list from cs.CV) [pdf, html,
other]``, followed by labelled lines: ``Title:``, ``Authors:`` (newer pages drop the label: the first
unlabelled line after the title is then the authors), ``Comments:``, ``Journal-ref:``, ``Subjects:``,
and on "new" pages the abstract paragraph. Section headings (``New submissions (showing 25 of 25
entries)``, ``Cross submissions``, ``Replacement submissions``, date lines) and the page's header and
footer are skipped. Entries carry ``arxiv`` and ``authors``, so merge dedupes them on the arXiv id and
``resolve`` needs only a batched id lookup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.sources.blocks import Block, Evidence
from generator.sources.fields import checked_fields
from generator.sources.normalize import collapse_ws, normalize_text
from generator.sources.result import ParseResult, make_entry

_ID = r"(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
ENTRY_RE = re.compile(rf"^(?:\[\d+\]\s*)?arXiv:{_ID}(?=[\s(\[]|$)(.*)$")
LABEL_RE = re.compile(
    r"^(Title|Authors|Comments|Journal-ref|Subjects|Report-no|MSC-class|ACM-class|DOI):\s*(.*)$"
)
HEADING_RE = re.compile(
    r"^(?:(?:New|Cross|Replacement) submissions\b|Cross-lists?\b|Replacements?\b|Showing\b|Total of \d+|"
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*, \d{1,2} \w+ \d{2,4}\b|Authors and titles for\b)"
)
FOOTER = frozenset(
    (
        "About",
        "Help",
        "Contact",
        "Subscribe",
        "Copyright",
        "Privacy Policy",
        "Web Accessibility Assistance",
        "arXiv Operational Status",
        "Skip to main content",
        "Search...",
        "Help | Advanced Search",
    )
)


@dataclass
class _Entry:
    arxiv: str
    line: int
    labels: dict[str, str] = field(default_factory=dict)
    unlabelled: list[str] = field(default_factory=list)  # lines before Subjects without a label
    after: list[list[str]] = field(default_factory=list)  # paragraphs after the metadata
    last: str | None = None  # the label a continuation line belongs to


def _blocks(text: str) -> list[_Entry]:
    entries: list[_Entry] = []
    current: _Entry | None = None
    blank = True
    for number, raw in enumerate(text.split("\n"), start=1):
        line = collapse_ws(raw)
        match = ENTRY_RE.match(line)
        if match:
            current = _Entry(match.group(1), number)
            entries.append(current)
            blank = False
            continue
        if current is None:
            continue
        if not line:
            blank = True
            continue
        if HEADING_RE.match(line) or line in FOOTER:
            current.last, blank = None, True
            current.after.append([])  # a heading ends the abstract paragraph
            continue
        label = LABEL_RE.match(line)
        if label and "Subjects" not in current.labels:
            current.labels[label.group(1)] = label.group(2)
            current.last = label.group(1)
        elif "Subjects" in current.labels:  # the abstract (on "new" pages)
            if blank or not current.after:
                current.after.append([])
            current.after[-1].append(line)
        elif current.last in ("Title", "Authors", "Comments") and not blank and _continues(current):
            current.labels[current.last] += " " + line
        else:
            current.unlabelled.append(line)
            current.last = None
        blank = False
    return entries


def _continues(entry: _Entry) -> bool:
    """A wrapped Title/Authors/Comments line, unless it is the unlabelled authors line of newer pages."""
    return not (entry.last == "Title" and "Authors" not in entry.labels and not entry.unlabelled)


def split_authors(text: str) -> list[str]:
    """``A. One, B. Two and C. Three`` -> names (affiliations in parentheses dropped)."""
    text = re.sub(r"\s*\([^()]*\)", "", text)
    names = re.split(r",\s*|\s+and\s+", text)
    return [n.strip() for n in names if n.strip() and n.strip().lower() not in ("et al.", "et al")]


def parse(text: str, label: str) -> ParseResult:
    """One entry per ``arXiv:`` identifier line, with its title, authors and (if shown) abstract."""
    result = ParseResult()
    for e in _blocks(text):
        title = normalize_text(e.labels.get("Title", "")) or None
        authors = e.labels.get("Authors")
        if authors is None and e.unlabelled:
            authors = e.unlabelled.pop(0)
        paragraphs = [p for p in e.after if p]
        abstract = normalize_text(" ".join(paragraphs[0])) if paragraphs else ""
        if len(paragraphs) > 1 or e.unlabelled:
            result.warn(f"arXiv:{e.arxiv}: text after the entry ignored", label, e.line)
        if title is None:
            result.warn(f"arXiv:{e.arxiv} has no 'Title:' line; resolve will fetch it", label, e.line)
        pairs = [("arxiv", e.arxiv), ("authors", split_authors(normalize_text(authors)) if authors else None)]
        fields = checked_fields(pairs, result, label, e.line)
        result.entries.append(make_entry(title, abstract, label, e.line, None, fields))
    if not result.entries:
        result.warn(
            "no 'arXiv:' entries found", label, None, hint="copy the listing page from its first entry"
        )
    return result


def score(path: Path, text: str, blocks: list[Block]) -> Evidence | None:
    """Identifier lines (``arXiv:2401.01234``) each followed by a ``Title:`` line."""
    entries = _blocks(text)
    titled = sum("Title" in e.labels for e in entries)
    if not titled:
        return None
    return Evidence(0.95, f"{len(entries)} 'arXiv:' entries, {titled} with a 'Title:' line")


def detect(text: str) -> bool:
    """Is ``text`` an arXiv listing page? (The same evidence as :func:`score`.)"""
    return score(Path(""), text, []) is not None
