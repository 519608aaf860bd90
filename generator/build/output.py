"""Write the rendered pages to disk: only files whose bytes changed, and remove pages an earlier build
wrote that are no longer generated (a manifest lists what the last build wrote)."""

from __future__ import annotations

from pathlib import Path

from generator.core.project import Project
from generator.site.render import Site
from generator.store import write_atomic

MANIFEST = "written.txt"


def write_site(project: Project, site: Site, out_dir: Path | None = None) -> tuple[int, int, int]:
    """Write pages under docs/ (or ``out_dir``), touching only files whose bytes changed, and remove
    pages written by an earlier build that are no longer generated. Returns (written, unchanged, removed)."""
    out = out_dir or project.docs
    manifest = project.cache / MANIFEST if out_dir is None else out / f".{MANIFEST}"
    previous = set(manifest.read_text().split("\n")) - {""} if manifest.exists() else set()
    written = unchanged = removed = 0
    for rel, content in sorted(site.pages.items()):
        path = out / rel
        data = content.encode("utf-8")
        if path.exists() and path.stat().st_size == len(data) and path.read_bytes() == data:
            unchanged += 1
            continue
        write_atomic(path, data)
        written += 1
    for rel in sorted(previous - set(site.pages)):
        path = out / rel
        if path.is_file():
            path.unlink()
            removed += 1
    listing = "\n".join(sorted(site.pages)) + "\n"
    if not manifest.exists() or manifest.read_text() != listing:
        write_atomic(manifest, listing)
    return written, unchanged, removed
