"""The registry of input formats: a format is one module exposing ``parse`` and ``score``.

``parse(text: str, label: str) -> ParseResult`` reads a decoded file; ``score(path: Path, text: str,
blocks: list[Block]) -> Evidence | None`` says how well the file fits (0..1) and why. Adding a format is
one line in :data:`REGISTRY`; detection tries every entry, the highest score wins (ties: first listed).
Modules are imported on first use, so a format costs nothing until a file needs it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from generator.sources.blocks import Block, Evidence
from generator.sources.result import ParseResult

REGISTRY: dict[str, str] = {
    "listing": "generator.sources.listing",
    "abstracts": "generator.sources.abstracts",
    "bibtex": "generator.sources.bibtex",
    "yaml": "generator.sources.yaml_list",
    "arxiv": "generator.sources.arxiv_listing",
    "ids": "generator.sources.id_list",
}
FORMATS = tuple(REGISTRY)

Parser = Callable[[str, str], ParseResult]
Scorer = Callable[[Path, str, list[Block]], Evidence | None]


def module(name: str) -> ModuleType:
    """The module of format ``name`` (a ``KeyError`` for an unknown name)."""
    return importlib.import_module(REGISTRY[name])


def parser(name: str) -> Parser:
    return module(name).parse


def scorer(name: str) -> Scorer:
    return module(name).score
