"""The content-keyed build cache: whole phases' results pickled under .cache/readinglist.

A key is a digest of every input's bytes (store, taxonomy, templates, site settings) and of the
generator's own code, so an unchanged project skips all work, and a template edit skips enrichment.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from generator import __version__
from generator.build.schedule import gc_paused
from generator.core.environment import environment
from generator.core.project import Project
from generator.store import write_atomic

T = TypeVar("T")

_CODE_DIR = Path(__file__).resolve().parent.parent  # the generator package


class Cache:
    """Pickled values under .cache/readinglist, one file per kind, replaced when the key changes."""

    def __init__(self, folder: Path, enabled: bool = True):
        self.folder = folder
        self.enabled = enabled and not environment().no_cache

    def get(self, kind: str, key: str):
        """The value stored for ``kind`` under ``key``, or None (no cache, another key, unreadable)."""
        path = self.folder / f"{kind}.pickle"
        if not self.enabled or not path.exists():
            return None
        try:
            with path.open("rb") as handle, gc_paused():  # a whole site of objects and no cycles
                stored_key, value = pickle.load(handle)
        except Exception:
            return None
        return value if stored_key == key else None

    def put(self, kind: str, key: str, value) -> None:
        if not self.enabled:
            return
        data = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(OSError):  # a read-only checkout still builds, just without a cache
            write_atomic(self.folder / f"{kind}.pickle", data)

    def phase(self, kind: str, key: str, compute: Callable[[], T]) -> T:
        """A whole phase's result: the stored one if ``key`` matches, else ``compute()``, then stored."""
        value = self.get(kind, key)
        if value is None:
            value = compute()
            self.put(kind, key, value)
        return value


def digest(*parts: bytes) -> str:
    """A short, unambiguous digest of byte strings (each is length-prefixed)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()[:32]


def _read(path: Path) -> bytes:
    return path.read_bytes() if path.is_file() else b""  # a folder in its place is reported by the reader


def _code_digest() -> bytes:
    files = sorted(_CODE_DIR.rglob("*.py")) + sorted((_CODE_DIR / "site" / "templates").rglob("*.j2"))
    return digest(__version__.encode(), *(f.read_bytes() for f in files)).encode()


def _templates_digest(project: Project) -> bytes:
    if not project.templates.is_dir():
        return b""
    files = sorted(p for p in project.templates.rglob("*") if p.is_file())
    return digest(
        *(f.relative_to(project.templates).as_posix().encode() + f.read_bytes() for f in files)
    ).encode()


def enrich_key(project: Project) -> str:
    """Cache key of the derived data: the generator's code, the store and the taxonomy."""
    return digest(_code_digest(), _read(project.store), _read(project.topics), _read(project.tags))


def site_key(project: Project, enriched_key: str, site_url: str, directory_urls: bool) -> str:
    """Cache key of the rendered site: the derived data's key, the templates, data/site.yaml and the
    URL settings mkdocs.yml passes."""
    return digest(
        enriched_key.encode(),
        _templates_digest(project),
        _read(project.site_config),
        f"{site_url}|{directory_urls}".encode(),
    )
