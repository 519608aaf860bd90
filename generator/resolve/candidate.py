"""What a service says about one paper, in the store's terms (a candidate until it is matched)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ARXIV_ID_RE = re.compile(r"(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")


@dataclass(frozen=True)
class Candidate:
    source: str  # "arxiv" | "openalex"
    id: str  # arXiv id without version, or the OpenAlex work id (W...)
    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    url: str | None = None


def arxiv_id(text: str) -> str | None:
    """The arXiv id at the end of an id, an ``arXiv:`` reference or an abs/pdf URL, without version."""
    text = text.strip().removesuffix(".pdf").rstrip("/")
    match = _ARXIV_ID_RE.search(text)
    if not match:
        return None
    start = match.start()
    if start and text[start - 1] not in "/:":  # "12401.01234" is not an id
        return None
    return match.group(1)
