"""Which format a file is in, decided per block of its text, with the evidence in words.

Each registered format scores the file (see :mod:`generator.sources.formats`); the best score wins. The
reason ("12 of 12 blocks start with 'Abstract:'") goes into the file's summary line, so a curator can see
why a file was read the way it was, and force another reading with ``--format``.
"""

from __future__ import annotations

from pathlib import Path

from generator.sources.blocks import Evidence, split_blocks
from generator.sources.formats import FORMATS, scorer

FALLBACK = "listing"


def detect(path: Path, text: str) -> tuple[str, str]:
    """``(format, reason)`` for a decoded file."""
    blocks = split_blocks(text)
    best: tuple[str, Evidence] | None = None
    for name in FORMATS:
        evidence = scorer(name)(path, text, blocks)
        if evidence is not None and (best is None or evidence.score > best[1].score):
            best = (name, evidence)
    if best is None:
        return FALLBACK, "no format fits better: read as title / abstract lines"
    return best[0], best[1].reason


def detect_format(path: Path, text: str) -> str:
    """The format name alone (see :func:`detect`)."""
    return detect(path, text)[0]
