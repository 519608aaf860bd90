"""Run the Pagefind binary over the papers' records and put its bundle into a built site (``pagefind/``).

The records are written as small HTML documents into a scratch folder (tmpfs when there is one), the
binary (shipped in the ``pagefind-bin`` wheel) indexes them into a folder inside the site, which then
replaces ``site/pagefind`` in one rename. :func:`start_index` returns at once (the indexer runs beside
the site engine on another core); :meth:`IndexRun.finish` waits and installs the bundle.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import ReadingListError
from generator.search.records import PaperRecord, record_document

BUNDLE = "pagefind"  # the bundle's folder in the site: site/pagefind/pagefind.js, ...
_PARTIAL = ".pagefind-partial"


def pagefind_binary() -> Path:
    """The Pagefind executable from the pinned ``pagefind-bin`` wheel."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise ReadingListError(
            "paper search: the Pagefind binary is missing; install the pinned requirements "
            "(pip install -r requirements.txt: pagefind[bin])"
        ) from None
    return Path(get_executable())


def _scratch() -> Path:
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix="readinglist-search-", dir=base))


def write_documents(records: Iterable[PaperRecord], folder: Path) -> int:
    """One HTML document per record (``0.html``, ``1.html``, ...); returns how many."""
    count = 0
    for count, record in enumerate(records, start=1):
        (folder / f"{count - 1}.html").write_text(record_document(record), encoding="utf-8")
    return count


@dataclass
class IndexRun:
    """A running indexer: its process, scratch folder and where its bundle goes."""

    process: subprocess.Popen
    scratch: Path
    partial: Path
    site_dir: Path
    records: int

    def finish(self) -> int:
        """Wait for the indexer, then put its bundle at ``site/pagefind``; returns the records indexed."""
        try:
            output, _ = self.process.communicate()
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)
        if self.process.returncode != 0:
            shutil.rmtree(self.partial, ignore_errors=True)
            tail = output.decode("utf-8", "replace").strip()[-2000:]
            raise ReadingListError(f"paper search: pagefind failed ({self.process.returncode}):\n{tail}")
        final = self.site_dir / BUNDLE
        if final.exists():
            shutil.rmtree(final)
        os.replace(self.partial, final)
        return self.records

    def cancel(self) -> None:
        self.process.kill()
        self.process.communicate()
        shutil.rmtree(self.scratch, ignore_errors=True)
        shutil.rmtree(self.partial, ignore_errors=True)


def start_index(records: Iterable[PaperRecord], site_dir: Path) -> IndexRun:
    """Write the records' documents and start Pagefind on them (the bundle lands on finish())."""
    site_dir.mkdir(parents=True, exist_ok=True)
    partial = site_dir / _PARTIAL
    shutil.rmtree(partial, ignore_errors=True)
    scratch = _scratch()
    try:
        count = write_documents(records, scratch)
        command = [
            str(pagefind_binary()),
            "--site",
            str(scratch),
            "--output-path",
            str(partial.resolve()),
            "--force-language",
            "en",
            "--quiet",
        ]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return IndexRun(process, scratch, partial, site_dir, count)


def build_index(records: Iterable[PaperRecord], site_dir: Path) -> int:
    """Index the records into ``site_dir/pagefind`` and wait for it; returns the records indexed."""
    return start_index(records, site_dir).finish()
