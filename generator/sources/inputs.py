"""Which files an ingest reads: raw-looking files under the paths given, and never anything else.

Refused with a clear error (before anything is read or written): a symbolic link (named directly or met
inside a folder), a file whose real path leaves the folder it was found in, a path that does not exist.
Skipped when walking a folder: hidden files, files with other suffixes, and the project's own files
(the store, the taxonomy, site settings, templates), which are never dumps; naming one of those
directly is an error too.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from generator.core.errors import ReadingListError
from generator.core.project import Project

RAW_SUFFIXES = frozenset({".txt", ".bib", ".yaml", ".yml", ".json", ".md", ".text", ""})


def project_files(project: Project) -> tuple[set[Path], Path]:
    """The project's own data files (real paths) and its templates folder: never read as dumps."""
    files = {p.resolve() for p in (project.store, project.topics, project.tags, project.site_config)}
    return files, project.templates.resolve()


def _refuse_link(path: Path) -> None:
    if path.is_symlink():
        raise ReadingListError(
            f"is a symbolic link (to {os.readlink(path)}); ingest reads only regular files",
            str(path),
            hint="copy the file into the folder instead of linking it",
        )


def _own_file(path: Path, project: Project) -> bool:
    files, templates = project_files(project)
    real = path.resolve()
    return real in files or real == templates or templates in real.parents


def collect_files(paths: Iterable[Path], project: Project) -> list[Path]:
    """Files named directly, plus every raw-looking file under each folder, sorted (see module doc)."""
    files: list[Path] = []
    for path in paths:
        _refuse_link(path)
        if path.is_dir():
            files.extend(_walk(path, project))
        elif path.exists():
            if _own_file(path, project):
                raise ReadingListError(
                    "is a project file (store, taxonomy, settings or template), not a dump",
                    str(path),
                    hint="pass the raw dumps, e.g. data/raw",
                )
            files.append(path)
        else:
            raise ReadingListError("no such file or folder", str(path))
    return files


def _walk(folder: Path, project: Project) -> list[Path]:
    root = folder.resolve()
    found: list[Path] = []
    for current, dirs, names in os.walk(folder, followlinks=False):
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in (*dirs, *names):
            _refuse_link(here / name)
        dirs[:] = [d for d in dirs if not _own_file(here / d, project)]
        for name in sorted(names):
            path = here / name
            if name.startswith(".") or path.suffix.lower() not in RAW_SUFFIXES or _own_file(path, project):
                continue
            if root not in path.resolve().parents:
                raise ReadingListError(
                    f"real path {path.resolve()} is outside {folder}",
                    str(path),
                    hint="ingest reads only files inside the folder given",
                )
            found.append(path)
    return sorted(found)
