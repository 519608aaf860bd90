"""What a reader returns: the entries it found and the problems it met, and how an entry is built."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.core.errors import Problem
from generator.core.model import RawEntry, Source
from generator.sources.dedup import title_fingerprint
from generator.sources.normalize import fingerprint


@dataclass
class ParseResult:
    entries: list[RawEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    fmt: str = ""  # the format the file was read as
    reason: str = ""  # why that format (detection evidence, or "forced by --format")

    def warn(self, message: str, path: str, line: int | None, hint: str | None = None) -> None:
        self.problems.append(Problem("warning", message, path, line, hint=hint))


def entry_keys(title: str | None, abstract: str) -> tuple[str, ...]:
    """The fingerprints merge uses to recognise this entry's paper later."""
    keys = []
    if title:
        keys.append(title_fingerprint(title))
    if abstract:
        keys.append(fingerprint("a", abstract))
    return tuple(keys)


def make_entry(
    title: str | None,
    abstract: str,
    label: str,
    line: int,
    listed: str | None = None,
    fields: Iterable[tuple[str, object]] = (),
) -> RawEntry:
    """A ``RawEntry`` seen at ``label:line`` (texts already normalized)."""
    return RawEntry(title, abstract, Source(label, line, entry_keys(title, abstract)), listed, tuple(fields))
