"""The I/O edge of each command: read files, call the pure stages, write results, return messages.

``cli.py`` is a thin click layer over these functions; tests call them directly too.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, ReadingListError
from .ingest import Summary, merge_entries
from .model import Paper
from .parse import parse_file
from .paths import Project
from .store import load_store, save_store, store_lock

RAW_SUFFIXES = {".txt", ".bib", ".yaml", ".yml", ".json", ".md", ".text", ""}


@dataclass
class IngestReport:
    summary: Summary
    written: bool
    errors: list[ReadingListError] = field(default_factory=list)


def today() -> str:
    """Today's date, or the one given by READINGLIST_TODAY / SOURCE_DATE_EPOCH (for reproducible runs)."""
    fixed = os.environ.get("READINGLIST_TODAY")
    if fixed:
        return _dt.date.fromisoformat(fixed).isoformat()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).date().isoformat()
    return _dt.date.today().isoformat()


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus every raw-looking file under each folder, sorted, hidden files skipped."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in RAW_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.exists():
            files.append(path)
        else:
            raise ReadingListError("no such file or folder", str(path))
    return files


def ingest(project: Project, paths: Sequence[Path], fmt: str = "auto", date: str | None = None,
           skip_bad: bool = False, dry_run: bool = False) -> IngestReport:
    """Parse ``paths`` and merge them into the store. All or nothing: a bad file aborts the run unless
    ``skip_bad``; the store is written atomically, under a lock, and only if its bytes change."""
    files = collect_files(paths)
    if not files:
        raise ReadingListError("no input files found", ", ".join(str(p) for p in paths),
                               hint="pass raw dump files or a folder such as data/raw")
    entries = []
    problems: list[Problem] = []
    errors: list[ReadingListError] = []
    labels = []
    for path in files:
        label = project.label(path)
        try:
            result = parse_file(path, label, fmt)
        except ReadingListError as exc:
            errors.append(exc)
            continue
        labels.append(label)
        entries.extend(result.entries)
        problems.extend(result.problems)
    with store_lock(project.data):
        papers, store_problems = load_store(project.store)
        fatal = [p for p in store_problems if p.severity == "error"]
        if fatal:
            raise fatal[0].as_error()
        merged, summary = merge_entries(papers, entries, date or today(), labels)
        summary.files = len(labels)
        summary.problems = problems
        if (errors and not skip_bad) or not entries:
            if not entries and not errors:
                errors.append(ReadingListError("nothing usable: no paper found in the input",
                                               ", ".join(labels), hint="check the warnings above"))
            return IngestReport(summary, False, errors)
        written = False if dry_run else save_store(project.store, merged)
    return IngestReport(summary, written, errors)


def load_papers(project: Project) -> tuple[list[Paper], list[Problem]]:
    return load_store(project.store)
