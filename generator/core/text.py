"""Character-level rules shared by every stage: control characters, accent folding, YAML's printable set.

One table each, so that the reader, the store and the renderers agree on what a control character is and
how "Schrödinger" folds to "schrodinger".
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls, DEL and lone surrogates (which cannot be written as UTF-8).
CONTROL_CODES = (*range(0x20), *range(0x7F, 0xA0), *range(0xD800, 0xE000))

# Characters the YAML reader refuses anywhere in a document (yaml.reader.Reader.NON_PRINTABLE).
YAML_UNPRINTABLE_RE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_TRANSLITERATIONS = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "ł": "l"})


def control_table(*, keep: str = "", spaces: bool = True) -> dict[int, str | None]:
    """A ``str.translate`` table for :data:`CONTROL_CODES`: a whitespace control (tab, line and form
    feed, NEL, ...) becomes a space when ``spaces`` is set, every other one is removed; the characters in
    ``keep`` are left alone."""
    kept = {ord(c) for c in keep}
    return {c: (" " if spaces and chr(c).isspace() else None) for c in CONTROL_CODES if c not in kept}


def strip_accents(text: str) -> str:
    """Decompose (NFKD) and drop combining marks: "Schrödinger" -> "Schrodinger" (scikit-learn's
    ``strip_accents_unicode``, without a Python-level loop: only non-ASCII characters can be marks)."""
    if text.isascii():
        return text
    normalized = unicodedata.normalize("NFKD", text)
    return _NON_ASCII_RE.sub(lambda m: "" if unicodedata.combining(m.group()) else m.group(), normalized)


def fold_ascii(text: str) -> str:
    """Best-effort ASCII transliteration for slugs, keys and citation keys (ö -> o, ß -> ss); what has
    no ASCII form is dropped."""
    text = text.translate(_TRANSLITERATIONS)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
