"""Listing dumps: page chrome, an optional date line, then title / abstract lines, aligned on evidence.

Each line gets a title-or-abstract score from its shape (:mod:`generator.sources.shape`); a Viterbi pass
over the lines then picks the reading that explains the whole file best: a title is followed by its
abstract, an abstract line may continue the one above (a wrapped abstract, or a multi-line block in a
file whose papers are separated by blank lines), and a title with no abstract or an abstract with no
title costs a fixed penalty instead of shifting every later pair. Each such spot, and each line read
against its own shape, is reported as a ``file:line`` warning; no paper is dropped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from generator.sources.blocks import ABSTRACT_PREFIX_RE, Block, Evidence, Line, split_blocks
from generator.sources.normalize import normalize_text
from generator.sources.result import ParseResult, make_entry
from generator.sources.shape import LETTERS_RE, dangles, ends_sentence, title_odds

_MONTHS = (
    "Jan|January|Feb|February|Mar|March|Apr|April|May|Jun|June|Jul|July|Aug|August|Sep|Sept|September|"
    "Oct|October|Nov|November|Dec|December"
)
DATE_RE = re.compile(rf"^(?:{_MONTHS})\.? \d{{1,2}}(?:, \d{{4}})?$")
# Lines of an arXiv listing page: never a title (issue 14's reader takes such pages whole).
METADATA_RE = re.compile(r"^(?:arXiv:\s*\S+|(?:Authors?|Comments|Subjects|Journal-ref|DOI|Report-no):)", re.I)
MISSING = 4.0  # cost of a title with no abstract, or an abstract with no title
_T, _A = 0, 1


@dataclass(frozen=True)
class _Unit:
    kind: int  # _T or _A
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        out = self.lines[0].text
        for line in self.lines[1:]:
            glue = "" if out.endswith("-") and out[-2:-1].isalpha() else " "
            out += glue + line.text
        return ABSTRACT_PREFIX_RE.sub("", out) if self.kind == _A else out


@dataclass(frozen=True)
class _Reading:
    units: tuple[_Unit, ...]
    dates: tuple[tuple[int, str], ...]  # (line, date) in file order
    notes: tuple[tuple[int, str, str], ...]  # (line, message, hint) for lines set aside or doubtful


def _softplus(x: float) -> float:
    """The cost of reading a line against log-odds ``-x``: about 0 for strong agreement, about 2x else."""
    return 2.0 * (math.log1p(math.exp(-abs(x))) + max(x, 0.0))


def _continuation_cost(above: str, line: str, blank_separated: bool) -> float:
    if blank_separated:
        return 0.5  # a multi-line block between blank lines is one abstract
    if dangles(above) or (line[:1].islower() and not ends_sentence(above)):
        return 0.2
    return 1.5 if not ends_sentence(above) else 6.0


@lru_cache(maxsize=8)  # detection and parsing read the same text
def _read(text: str) -> _Reading:
    blocks = split_blocks(text)
    lines: list[tuple[int, Line]] = []  # (block index, line)
    dates: list[tuple[int, str]] = []
    notes: list[tuple[int, str, str]] = []
    flat = [(b, line) for b, block in enumerate(blocks) for line in block.lines]
    for b, line in flat:
        if METADATA_RE.match(line.text):
            notes.append((line.number, f"metadata line ignored: {line.text[:40]!r}", "use --format arxiv"))
        elif not LETTERS_RE.search(line.text):
            notes.append((line.number, f"line without words ignored: {line.text[:40]!r}", "delete it"))
        elif DATE_RE.match(line.text):  # exact month names: "Marigold 2" is a title
            dates.append((line.number, line.text))
        else:
            lines.append((b, line))
    # Papers separated by blank lines: most lines stand alone between blank lines (counted in lines, not
    # blocks, so that one long run of lines in a file with a few blank lines does not count as one block).
    alone = sum(len(block.lines) == 1 for block in blocks)
    blank_separated = len(blocks) >= 3 and alone >= len(lines) / 2
    return _Reading(_viterbi(lines, blank_separated), tuple(dates), tuple(notes))


def _viterbi(lines: list[tuple[int, Line]], blank_separated: bool) -> tuple[_Unit, ...]:
    """The cheapest labelling of ``lines`` as titles, new abstracts and abstract continuations."""
    if not lines:
        return ()
    odds = [title_odds(line.text) for _, line in lines]
    for i in range(len(lines) - 1):  # what follows: a title is never continued by a lower-case line
        (block, line), (next_block, following) = lines[i], lines[i + 1]
        if block == next_block and following.text[:1].islower() and not ends_sentence(line.text):
            odds[i] -= 3.0
    inf = math.inf
    # cost[s]: best cost of a reading of lines[:i+1] whose line i is in state s; back[i][s] = (prev, cont)
    cost = [_softplus(-odds[0]), MISSING + _softplus(odds[0])]
    back: list[tuple[tuple[int, bool], tuple[int, bool]]] = [((_T, False), (_A, False))]
    for i in range(1, len(lines)):
        (block, line), (above_block, above) = lines[i], lines[i - 1]
        as_title = _softplus(-odds[i])
        as_abstract = _softplus(odds[i])
        title = min((cost[_T] + MISSING, _T), (cost[_A], _A))
        new = min((cost[_T], _T), (cost[_A] + MISSING, _A))
        cont = inf
        if block == above_block:
            cont = cost[_A] + _continuation_cost(above.text, line.text, blank_separated) + 0.3 * as_abstract
        abstract = (new[0] + as_abstract, (new[1], False))
        if cont < abstract[0]:
            abstract = (cont, (_A, True))
        cost = [title[0] + as_title, abstract[0]]
        back.append(((title[1], False), abstract[1]))
    state = _T if cost[_T] + MISSING < cost[_A] else _A
    labels: list[tuple[int, bool]] = []
    for i in range(len(lines) - 1, -1, -1):
        previous, cont = back[i][state]
        labels.append((state, cont))
        state = previous
    labels.reverse()
    units: list[_Unit] = []
    for (kind, cont), (_, line) in zip(labels, lines, strict=True):
        if cont:
            units[-1] = _Unit(_A, (*units[-1].lines, line))
        else:
            units.append(_Unit(kind, (line,)))
    return tuple(units)


def parse(text: str, label: str) -> ParseResult:
    """Title / abstract pairs; a lone title or abstract is kept and reported."""
    result = ParseResult()
    reading = _read(text)
    for number, message, hint in reading.notes:
        result.warn(message, label, number, hint=hint)
    if not reading.units:
        result.warn(
            "no papers found: the file holds only boilerplate",
            label,
            None,
            hint="paste the listing including title and abstract lines",
        )
        return result
    dates = list(reading.dates)
    units = reading.units
    i = 0
    while i < len(units):
        unit = units[i]
        listed = _listed_at(dates, unit.lines[0].number)
        if unit.kind == _A:
            _doubt(result, label, unit)
            result.warn(
                "abstract without a title line; kept with a provisional title",
                label,
                unit.lines[0].number,
                hint="add the title on the line above",
            )
            result.entries.append(
                make_entry(None, normalize_text(unit.text), label, unit.lines[0].number, listed)
            )
            i += 1
            continue
        title = normalize_text(unit.text)
        following = units[i + 1] if i + 1 < len(units) else None
        if following is None or following.kind == _T:
            truncated = " (truncated block?)" if following is None else ""
            result.warn(
                f"title with no abstract{truncated}: {title[:60]!r}; kept without an abstract",
                label,
                unit.lines[0].number,
                hint="add the abstract line after the title",
            )
            result.entries.append(make_entry(title, "", label, unit.lines[0].number, listed))
            i += 1
            continue
        _doubt(result, label, unit)
        _doubt(result, label, following)
        abstract = normalize_text(following.text)
        result.entries.append(make_entry(title, abstract, label, unit.lines[0].number, listed))
        i += 2
    return result


def _listed_at(dates: list[tuple[int, str]], line: int) -> str | None:
    listed = None
    for number, date in dates:
        if number > line:
            break
        listed = date
    return listed


def _doubt(result: ParseResult, label: str, unit: _Unit) -> None:
    """Warn where a line was read against its own shape, or joined to the line above on weak evidence."""
    first = unit.lines[0]
    odds = title_odds(first.text)
    if unit.kind == _T and odds < -1.0:
        result.warn("line looks like abstract text but was read as a title", label, first.number)
    elif unit.kind == _A and len(unit.lines) == 1 and odds > 2.5:
        result.warn("short line read as an abstract", label, first.number, hint="check this paper's abstract")
    for above, line in zip(unit.lines, unit.lines[1:], strict=False):
        if line.number == above.number + 1 and ends_sentence(above.text) and not line.text[:1].islower():
            result.warn(
                "line joined to the abstract above (wrapped line?)",
                label,
                line.number,
                hint="put a blank line or its title above it if it is another paper",
            )


def score(path: Path, text: str, blocks: list[Block]) -> Evidence | None:
    """The share of lines that read as title / abstract pairs."""
    units = _read(text).units
    if not units:
        return None
    pairs = sum(a.kind == _T and b.kind == _A for a, b in zip(units, units[1:], strict=False))
    share = 2 * pairs / len(units)
    return Evidence(
        0.3 + 0.6 * share, f"{pairs} title/abstract pairs in {len(units)} title or abstract lines"
    )
