"""When two texts are evidence of one paper: the rules merge applies before it joins an entry to a record.

- Titles are compared without a version suffix (``[v2]``, ``(v3)``, `` v2``), by their text key.
- A shared title is enough only when the abstracts do not contradict it: one of them is missing or a
  placeholder, or they share most of their words.
- A shared abstract is enough on its own only when it is substantive: not a placeholder such as
  ``No abstract available.`` and at least :data:`MIN_ABSTRACT_WORDS` words.
"""

from __future__ import annotations

import re

from generator.sources.normalize import fingerprint, text_key

MIN_ABSTRACT_WORDS = 12
SAME_WORDS = 0.5  # Jaccard overlap of word sets above which two abstracts tell the same story
_VERSION_RE = re.compile(r"(?:\s+|\s*[\[(])v\d{1,2}[\])]?\s*$", re.IGNORECASE)
_PLACEHOLDERS = frozenset(
    text_key(p)
    for p in (
        "No abstract available.",
        "No abstract",
        "Abstract not available",
        "Abstract unavailable",
        "Not available",
        "N/A",
        "NA",
        "None",
        "TBD",
        "TODO",
        "Coming soon",
        "Abstract",
    )
)


def strip_version(title: str) -> str:
    """``title`` without a trailing version marker: "Deep Sets [v2]" -> "Deep Sets"."""
    return _VERSION_RE.sub("", title) or title


def title_fingerprint(title: str) -> str:
    return fingerprint("t", strip_version(title))


def is_placeholder(abstract: str) -> bool:
    return not text_key(abstract) or text_key(abstract) in _PLACEHOLDERS


def is_substantive(abstract: str) -> bool:
    """Long enough and specific enough to identify a paper by itself."""
    return not is_placeholder(abstract) and len(text_key(abstract).split()) >= MIN_ABSTRACT_WORDS


def contradicts(one: str, other: str) -> bool:
    """Do two abstracts describe different papers? Never when either is missing or a placeholder."""
    if is_placeholder(one) or is_placeholder(other):
        return False
    a, b = set(text_key(one).split()), set(text_key(other).split())
    if a == b:
        return False
    return len(a & b) / len(a | b) < SAME_WORDS
