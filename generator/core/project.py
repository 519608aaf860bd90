"""Where things live in a project folder (data/, docs/, the cache), relative to one root."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def store(self) -> Path:
        return self.data / "papers.yaml"

    @property
    def topics(self) -> Path:
        return self.data / "topics.yaml"

    @property
    def tags(self) -> Path:
        return self.data / "tags.yaml"

    @property
    def templates(self) -> Path:
        """Curator overrides of the page templates (same file names as generator/templates/)."""
        return self.data / "templates"

    @property
    def site_config(self) -> Path:
        return self.data / "site.yaml"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def cache(self) -> Path:
        return self.root / ".cache" / "readinglist"

    def label(self, path: Path) -> str:
        """How a file is named in the store and in messages: relative to data/, else to the root."""
        resolved = path.resolve()
        for base in (self.data.resolve(), self.root.resolve()):
            try:
                return resolved.relative_to(base).as_posix()
            except ValueError:
                continue
        return resolved.as_posix()
