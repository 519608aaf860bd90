"""Two bibtexparser middlewares the library lacks: ``#`` concatenation with ``@string`` macros, and crossref.

Both follow bibtexparser v2's ``LibraryMiddleware`` protocol (``transform(library) -> library``) and run
before its ``RemoveEnclosingMiddleware``, so every value they write is enclosed in braces.
"""

from __future__ import annotations

import re

from bibtexparser.library import Library
from bibtexparser.middlewares.middleware import LibraryMiddleware
from bibtexparser.model import Field

# The macros BibTeX predefines (plain.bst and friends): the months.
_MONTH_NAMES = "January February March April May June July August September October November December"
MONTHS = {name[:3].lower(): name for name in _MONTH_NAMES.split()}
# One part of a value: a braced group (one nesting level deep is enough to find its end), a quoted
# string, a number or a macro name; parts are joined by '#'.
_PART_RE = re.compile(
    r'\s*(\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}|"(?:[^"\\{}]|\\.|\{[^{}]*\})*"|[^\s#"{}]+)\s*'
)


def _parts(value: str) -> list[str] | None:
    """The ``#``-separated parts of a raw value, or ``None`` if it is not a concatenation of parts."""
    parts, pos = [], 0
    while True:
        match = _PART_RE.match(value, pos)
        if match is None:
            return None
        parts.append(match.group(1))
        pos = match.end()
        if pos == len(value):
            return parts
        if value[pos] != "#":
            return None
        pos += 1


class ExpandStrings(LibraryMiddleware):
    """``@string`` macros and month names expanded, ``#`` concatenations joined; values left braced."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True)

    @classmethod
    def metadata_key(cls) -> str:
        return "ExpandStrings"

    def transform(self, library: Library) -> Library:
        strings: dict[str, str] = {}
        for string in library.strings:  # in file order: a macro may use the ones defined before it
            strings[string.key.lower()] = self._expand(str(string.value), strings)
        for entry in library.entries:
            for field in entry.fields:
                if isinstance(field.value, str):
                    field.value = "{" + self._expand(field.value, strings) + "}"
        return library

    @staticmethod
    def _expand(value: str, strings: dict[str, str]) -> str:
        parts = _parts(value.strip())
        if parts is None:
            return value  # not BibTeX's value syntax: kept as written
        out = []
        for part in parts:
            if part[0] in '{"':
                out.append(part[1:-1])
            else:
                out.append(strings.get(part.lower(), MONTHS.get(part.lower(), part)))
        return "".join(out)


# A parent's identifiers and text belong to the parent (the proceedings), not to the paper.
_NOT_INHERITED = frozenset(("crossref", "url", "doi", "eprint", "archiveprefix", "isbn", "abstract", "note"))


class InheritCrossref(LibraryMiddleware):
    """Fields an entry lacks, copied from the entry its ``crossref`` names (the parent's title as
    ``booktitle``), as BibTeX does; the parent's identifiers and abstract are not copied."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True)

    @classmethod
    def metadata_key(cls) -> str:
        return "InheritCrossref"

    def transform(self, library: Library) -> Library:
        by_key = {entry.key.lower(): entry for entry in library.entries}
        for entry in library.entries:
            if "crossref" not in entry:
                continue
            parent = by_key.get(str(entry["crossref"]).strip('{}" ').lower())
            if parent is None or parent is entry:
                continue
            have = {field.key.lower() for field in entry.fields}
            for field in parent.fields:
                key = "booktitle" if field.key.lower() == "title" else field.key.lower()
                if key not in have and key not in _NOT_INHERITED:
                    entry.set_field(Field(key, field.value))
                    have.add(key)
        return library
