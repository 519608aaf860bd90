"""Which pages a live rebuild (``mkdocs serve --dirty``, ``make serve``) may leave as they are.

MkDocs' dirty mode renders only the pages whose file says it is modified; an in-memory page always says
so. The hook asks this memory instead: a page is unchanged when its text is the same as in the last
finished build and nothing every page shows has changed since (the navigation, the list of pages, the
engine's configuration and theme files: ``fingerprint``). Pages that Material's site search indexes are
always rebuilt, so its index, rebuilt from the pages of each build, stays whole. A failed build forgets
everything, so the next one renders every page. :class:`TemplateBytecode` keeps the theme's compiled
templates between rebuilds.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import jinja2

from generator.site.head import FRONT_MATTER, front_matter_close


def digest(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def searched(text: str) -> bool:
    """True when Material's search indexes this page (its front matter does not exclude it)."""
    end = front_matter_close(text)
    front = text[len(FRONT_MATTER) : end] if end > 0 else ""
    return not re.search(r"^search:\n  exclude: true\b", front, re.M)


def fingerprint(nav: object, pages: Iterable[str], config_files: Iterable[Path]) -> str:
    """What every page shows besides its own text: the navigation, which pages exist, and the engine's
    configuration and theme files (their paths, sizes and modification times)."""
    parts = [repr(nav), "\n".join(sorted(pages))]
    for path in sorted(config_files):
        try:
            stat = path.stat()
        except OSError:
            parts.append(f"{path} missing")
            continue
        parts.append(f"{path} {stat.st_size} {stat.st_mtime_ns}")
    return digest("\n".join(parts))


class PageMemory:
    """The page digests of the last finished build."""

    def __init__(self) -> None:
        self._pages: dict[str, str] = {}
        self._fingerprint: str | None = None
        self._pending: tuple[dict[str, str], str] | None = None

    def unchanged(self, pages: Mapping[str, str], fingerprint: str) -> set[str]:
        """The pages of this build that need no rendering; remembered as the last build once it finishes."""
        digests = {rel: digest(text) for rel, text in pages.items()}
        self._pending = (digests, fingerprint)
        if fingerprint != self._fingerprint:
            return set()
        return {
            rel
            for rel, value in digests.items()
            if self._pages.get(rel) == value and not (rel.endswith(".md") and searched(pages[rel]))
        }

    def finished(self) -> None:
        if self._pending is not None:
            self._pages, self._fingerprint = self._pending
        self._pending = None

    def forget(self) -> None:
        self._pages, self._fingerprint, self._pending = {}, None, None


class TemplateBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in memory across `mkdocs serve` rebuilds (MkDocs makes a new template
    environment, and so compiles Material's templates again, at every rebuild). Jinja checks each
    template's source checksum, so an edited template is compiled afresh."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
