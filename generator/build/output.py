"""Write the rendered pages to disk: only files whose bytes changed, and remove pages an earlier build
wrote that are no longer generated (a manifest lists what the last build wrote). The pages carry their
head feeds in their front matter, and next to mkdocs.yml goes the config the engines that run no hook
build from (mkdocs.generated.yml): the written files are the whole site, for any engine."""

from __future__ import annotations

import re
from pathlib import Path

from generator.build.engine_config import GENERATED_CONFIG, generated_config
from generator.core.project import Project
from generator.site.head import pages_with_feeds
from generator.site.render import Site
from generator.store import write_atomic

MANIFEST = "written.txt"
TEMP_FILE = re.compile(
    r"\..+\.[A-Za-z0-9_]{8}\.tmp"
)  # write_atomic's mkstemp(prefix=".<name>.", suffix=".tmp")


def engine_pages(site: Site) -> dict[str, str]:
    """The pages as every engine gets them (written by `generator build`, or in memory by the hook):
    each Markdown page with the feeds its head links in its front matter (overrides/main.html)."""
    return pages_with_feeds(site.pages, site.head_feeds)


def write_engine_config(project: Project, site: Site, *, keep_nav: bool) -> bool:
    """Write mkdocs.generated.yml next to mkdocs.yml if its bytes changed; True if it was written."""
    path = project.root / GENERATED_CONFIG
    data = generated_config(site.nav, site.not_in_nav, keep_nav=keep_nav).encode("utf-8")
    if path.is_file() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True


def write_site(project: Project, site: Site, out_dir: Path | None = None) -> tuple[int, int, int]:
    """Write pages under docs/ (or ``out_dir``), touching only files whose bytes changed, and remove
    pages written by an earlier build that are no longer generated. Returns (written, unchanged, removed).

    Crash-safe: the manifest first records every page this build may write (the earlier build's and
    this one's) before any is written, so a build killed midway leaves no page the next build does not
    know of; each page is written atomically, and the temporary files a killed write leaves beside the
    pages are removed by the next build."""
    out = out_dir or project.docs
    pages = engine_pages(site)
    manifest = project.cache / MANIFEST if out_dir is None else out / f".{MANIFEST}"
    previous = set(manifest.read_text().split("\n")) - {""} if manifest.exists() else set()
    _remove_stale_temp_files(out, previous | set(pages))
    if not set(pages) <= previous:
        _write_manifest(manifest, previous | set(pages))  # recorded before written
    written = unchanged = removed = 0
    for rel, content in sorted(pages.items()):
        path = out / rel
        data = content.encode("utf-8")
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            unchanged += 1
            continue
        write_atomic(path, data)
        written += 1
    for rel in sorted(previous - set(pages)):
        path = out / rel
        if path.is_file() and not path.is_symlink():
            path.unlink()
            removed += 1
            _remove_empty_folders(path.parent, out)  # a page's folder (topics/x-2/) goes with its page
    _write_manifest(manifest, set(pages))
    return written, unchanged, removed


def _write_manifest(manifest: Path, paths: set[str]) -> None:
    listing = "\n".join(sorted(paths)) + "\n"
    if not manifest.exists() or manifest.read_text() != listing:
        write_atomic(manifest, listing)


def _remove_empty_folders(folder: Path, out: Path) -> None:
    """Remove ``folder`` and its parents up to (not including) ``out`` while they are empty."""
    while folder != out and out in folder.parents and folder.is_dir() and not folder.is_symlink():
        try:
            folder.rmdir()  # only if empty
        except OSError:
            return
        folder = folder.parent


def _remove_stale_temp_files(out: Path, pages: set[str]) -> None:
    """Delete the temporary files write_atomic leaves when killed (``.<name>.<random>.tmp``) in the
    folders the build writes to; nothing else there is touched."""
    for folder in {(out / rel).parent for rel in pages}:
        if folder.is_dir() and not folder.is_symlink():
            for path in folder.iterdir():
                if TEMP_FILE.fullmatch(path.name) and path.is_file():
                    path.unlink(missing_ok=True)
