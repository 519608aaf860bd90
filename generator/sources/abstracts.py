"""Bare abstract lists: blocks that start with ``Abstract:`` (wrapped over lines or not), no titles.

Blocks are cut at blank lines, page chrome and every ``Abstract:`` line (see :mod:`generator.sources.blocks`),
so chrome such as ``Subscribe`` between two abstracts never glues them into one. A one-line, title-shaped
block right before an ``Abstract:`` block is that paper's title; other text is kept as an untitled
abstract if it reads as one, or reported.
"""

from __future__ import annotations

from pathlib import Path

from generator.sources.blocks import ABSTRACT_PREFIX_RE, Block, Evidence, split_blocks
from generator.sources.normalize import normalize_text
from generator.sources.result import ParseResult, make_entry
from generator.sources.shape import title_odds


def _joined(block: Block) -> str:
    return ABSTRACT_PREFIX_RE.sub("", " ".join(block.texts), count=1)


def _is_title(block: Block, following: Block | None) -> bool:
    return (
        len(block.lines) == 1
        and following is not None
        and ABSTRACT_PREFIX_RE.match(following.lines[0].text) is not None
        and title_odds(block.lines[0].text) > 0
    )


def parse(text: str, label: str) -> ParseResult:
    """One entry per ``Abstract:`` block (titled when a title line stands right above it)."""
    result = ParseResult()
    blocks = split_blocks(text)
    title: tuple[str, int] | None = None
    for i, block in enumerate(blocks):
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if ABSTRACT_PREFIX_RE.match(block.lines[0].text):
            abstract = normalize_text(_joined(block))
            if not abstract:
                result.warn("empty 'Abstract:' block", label, block.start)
            elif title is not None:
                result.entries.append(make_entry(title[0], abstract, label, title[1]))
            else:
                result.entries.append(make_entry(None, abstract, label, block.start))
            title = None
        elif _is_title(block, following):
            title = (normalize_text(block.lines[0].text), block.start)
        elif title_odds(" ".join(block.texts)) < 0:
            result.warn(
                "block without 'Abstract:' kept as an untitled abstract",
                label,
                block.start,
                hint="start each block with 'Abstract:'",
            )
            result.entries.append(make_entry(None, normalize_text(" ".join(block.texts)), label, block.start))
        else:
            result.warn(
                f"text outside an 'Abstract:' block ignored: {block.lines[0].text[:60]!r}",
                label,
                block.start,
                hint="start each block with 'Abstract:'",
            )
    if not result.entries and not result.problems:
        result.warn("no 'Abstract:' blocks found", label, None)
    return result


def score(path: Path, text: str, blocks: list[Block]) -> Evidence | None:
    """Most blocks start with ``Abstract:`` (a title line right above one counts with it)."""
    starting = sum(ABSTRACT_PREFIX_RE.match(b.lines[0].text) is not None for b in blocks)
    if not starting:
        return None
    titles = sum(_is_title(b, f) for b, f in zip(blocks, blocks[1:], strict=False))
    others = len(blocks) - starting - titles
    share = starting / (starting + others)
    if share < 0.5:
        return None
    reason = f"{starting} of {len(blocks)} blocks start with 'Abstract:'"
    return Evidence(
        0.5 + share / 2 - (0.3 if titles else 0), reason + (f", {titles} title lines" if titles else "")
    )
