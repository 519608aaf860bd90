"""Text cut into blocks (blank-line separated, a new block at each ``Abstract:`` line), page chrome removed.

Detection scores blocks, and the listing and abstract readers walk them. Page chrome is the boilerplate a
paper listing page shows around its papers (``Subscribe``, ``Get trending papers ...``); a chrome phrase
glued to the start of a real line (``SubscribeEnd-to-end ...``) is cut off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

BOILERPLATE = frozenset(
    (
        "Get trending papers in your email inbox once a day!",
        "Get trending papers in your email inbox!",
        "byAK and the research community",
        "Subscribe",
        "new",
    )
)
_GLUED_PREFIXES = ("Subscribe", "byAK and the research community", "new")
_GLUED_RE = re.compile(rf"^(?:{'|'.join(_GLUED_PREFIXES)})(?=[A-Z0-9\"'(\[])")
ABSTRACT_PREFIX_RE = re.compile(r"^Abstract\s*[:.]\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line number in the file
    text: str  # stripped, chrome removed


@dataclass(frozen=True)
class Block:
    lines: tuple[Line, ...]

    @property
    def start(self) -> int:
        return self.lines[0].number

    @property
    def texts(self) -> list[str]:
        return [line.text for line in self.lines]


@dataclass(frozen=True)
class Evidence:
    """How well a file fits a format (0..1) and why, in words for the summary."""

    score: float
    reason: str


def clean_line(raw: str) -> str | None:
    """The line without surrounding space and glued chrome; ``None`` for a blank or chrome-only line."""
    line = raw.strip()
    if not line or line in BOILERPLATE:
        return None
    if line.startswith(_GLUED_PREFIXES):  # _GLUED_RE matches only there
        line = _GLUED_RE.sub("", line)
    return line or None


@lru_cache(maxsize=8)  # detection and the readers cut the same text
def split_blocks(text: str) -> tuple[Block, ...]:
    """Blocks of consecutive non-blank, non-chrome lines; an ``Abstract:`` line always opens a block.

    A chrome line ends a block as a blank line does (it stands between two pieces of a page).
    """
    blocks: list[Block] = []
    current: list[Line] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = clean_line(raw)
        if line is None or (current and ABSTRACT_PREFIX_RE.match(line)):
            if current:
                blocks.append(Block(tuple(current)))
            current = [] if line is None else [Line(number, line)]
            continue
        current.append(Line(number, line))
    if current:
        blocks.append(Block(tuple(current)))
    return tuple(blocks)
