"""Run the Pagefind binary over the papers' records and put its bundle into a built site (``pagefind/``).

The records are written as small HTML documents into a scratch folder (tmpfs when there is one), the
binary (shipped in the ``pagefind-bin`` wheel) indexes them into a folder inside the site, which then
replaces ``site/pagefind`` in one rename. :func:`start_index` returns at once (the indexer runs beside
the site engine on another core); :meth:`IndexRun.finish` waits and installs the bundle.

**Shards.** Pagefind 1.5's search time grows with the matching pages times the size of the index (a
word in 7,000 of 10,000 papers: 1.4 s in Chromium here; upstream's fix, Pagefind PR #1334, is not
released), so from ``2 * SHARD_SIZE`` papers the records are dealt round-robin into up to
``MAX_SHARDS`` indexes: the first at ``pagefind/``, the others at ``pagefind/shard-N/``, listed in
``pagefind/shards.json``; the search page merges them (Pagefind's ``mergeIndex``: results ranked
together, facet counts summed). Each query then loads one chunk per shard, so the shards are few: at
10,000 papers four shards cut the slowest query's search 3-4x for about twice its bytes
(benchmarks/README.md).
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.errors import ReadingListError
from generator.search.records import PaperRecord, record_document

BUNDLE = "pagefind"  # the bundle's folder in the site: site/pagefind/pagefind.js, ...
SHARDS_FILE = "shards.json"  # in the bundle: the other shards' folders, relative to it
SHARD_SIZE = 2_500  # papers per shard, at least (fewer papers: one index)
MAX_SHARDS = 4
_PARTIAL = ".pagefind-partial"


def shard_count(papers: int, shard_size: int = SHARD_SIZE) -> int:
    """How many indexes ``papers`` records are dealt into: 1 below two shards' worth, at most MAX_SHARDS."""
    return max(1, min(MAX_SHARDS, math.floor(papers / shard_size)))


def shard_folder(number: int) -> str:
    """Shard ``number``'s folder inside the bundle ('' for the first: the bundle itself)."""
    return "" if number == 0 else f"shard-{number}/"


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


def write_documents(records: Iterable[PaperRecord], folder: Path, shard_size: int = SHARD_SIZE) -> int:
    """One HTML document per record, record ``i`` in ``folder/<i mod shards>/i.html``; returns how many."""
    records = list(records)
    shards = shard_count(len(records), shard_size)
    for number in range(shards):
        (folder / str(number)).mkdir()
    for i, record in enumerate(records):
        (folder / str(i % shards) / f"{i}.html").write_text(record_document(record), encoding="utf-8")
    return len(records)


def _command(documents: Path, output: Path) -> list[str]:
    return [
        str(pagefind_binary()),
        "--site",
        str(documents),
        "--output-path",
        str(output),
        "--force-language",
        "en",
        "--quiet",
    ]


def usable_cores() -> list[int]:
    """The cores this process may run on (empty where affinity is not supported)."""
    return sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []


@dataclass
class IndexRun:
    """A running indexer: one Pagefind process per shard, started from a background thread.

    Each Pagefind process is pinned to one core: spread over both cores of this machine it spent more
    time in the kernel than indexing (a 2,500-paper shard, measured here: 2.9-3.8 s wall with 2.2-3.4 s
    of system time; pinned 2.25 s with 0.55 s). While the site engine renders (on one core) the shards
    run one after another on the last core; once the engine is done (``finish``, ``finish_later``) the
    shards left run one per core."""

    scratch: Path
    partial: Path
    site_dir: Path
    records: int
    shards: int
    cores: list[int] = field(default_factory=usable_cores)
    _thread: threading.Thread | None = None
    _processes: list[subprocess.Popen] = field(default_factory=list)
    _failure: str | None = None
    _cancelled: bool = False
    _hurry: bool = False
    _done: bool = False
    _later: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> IndexRun:
        self._thread = threading.Thread(target=self._run, name="pagefind", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self._index_shards()
        except OSError as exc:  # the binary could not start, the scratch folder vanished, a full disk
            self._failure = f"pagefind could not run: {exc}"
        finally:
            with self._lock:
                self._done = True
                later = self._later and not self._cancelled
            self._stop_processes()  # a failed shard stops the others
            if later:
                self._install_quietly()

    def _stop_processes(self) -> None:
        """Kill (and reap) every Pagefind process of this run that is still running."""
        with self._lock:
            left = [process for process in self._processes if process.poll() is None]
        for process in left:
            process.kill()
            process.wait()

    def _spawn(self, number: int, core: int | None) -> subprocess.Popen:
        """Start Pagefind on shard ``number``; pinned to ``core`` by pinning this thread, whose affinity
        the process inherits (``preexec_fn`` is unsafe in a threaded program)."""
        if core is not None:
            os.sched_setaffinity(0, {core})  # 0: this thread only
        with open(self.scratch / f"pagefind-{number}.log", "wb") as log:
            return subprocess.Popen(
                _command(self.scratch / str(number), (self.partial / shard_folder(number)).resolve()),
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def _index_shards(self) -> None:
        pending = list(range(self.shards))
        cores: list[int | None] = list(self.cores) or [None]
        running: dict[int | None, tuple[int, subprocess.Popen]] = {}  # core -> (shard, its process)
        while pending or running:
            with self._lock:
                if self._cancelled:
                    return
                for core in cores if self._hurry else cores[-1:]:
                    if pending and core not in running:
                        number = pending.pop(0)
                        running[core] = (number, self._spawn(number, core))
                        self._processes.append(running[core][1])
            for core, (number, process) in list(running.items()):
                if process.poll() is None:
                    continue
                del running[core]
                if process.returncode != 0:
                    log = (self.scratch / f"pagefind-{number}.log").read_bytes()
                    tail = log.decode("utf-8", "replace").strip()[-2000:]
                    self._failure = f"pagefind failed ({process.returncode}):\n{tail}"
                    return
            if running:
                time.sleep(0.02)
        others = [shard_folder(number) for number in range(1, self.shards)]
        (self.partial / SHARDS_FILE).write_text(json.dumps({"shards": others}) + "\n", encoding="utf-8")

    def finish(self) -> int:
        """Wait for the indexer, then put its bundle at ``site/pagefind``; returns the records indexed.
        The engine is done by now: the shards left run on every core."""
        with self._lock:
            self._hurry = True
        if self._thread is not None:
            self._thread.join()
        return self._install()

    def finish_later(self) -> None:
        """Put the bundle in place once the indexer is done, without waiting for it (a live preview:
        the pages are served meanwhile, the paper search follows); a failure is logged."""
        with self._lock:
            self._later = self._hurry = True
            done = self._done
        if done:
            self._install_quietly()

    def _install_quietly(self) -> None:
        try:
            self._install()
        except (ReadingListError, OSError) as exc:
            logging.getLogger("readinglist").warning(f"readinglist: {exc}")

    def _install(self) -> int:
        shutil.rmtree(self.scratch, ignore_errors=True)
        if self._failure is not None:
            shutil.rmtree(self.partial, ignore_errors=True)
            raise ReadingListError(f"paper search: {self._failure}")
        final = self.site_dir / BUNDLE
        if final.exists():
            shutil.rmtree(final)
        os.replace(self.partial, final)
        return self.records

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True  # no process starts after this
        self._stop_processes()
        if self._thread is not None:
            self._thread.join()
        shutil.rmtree(self.scratch, ignore_errors=True)
        shutil.rmtree(self.partial, ignore_errors=True)


def start_index(records: Iterable[PaperRecord], site_dir: Path, shard_size: int = SHARD_SIZE) -> IndexRun:
    """Write the records' documents and start Pagefind on them (the bundle lands on finish())."""
    site_dir.mkdir(parents=True, exist_ok=True)
    partial = site_dir / _PARTIAL
    shutil.rmtree(partial, ignore_errors=True)
    scratch = _scratch()
    try:
        pagefind_binary()  # a missing binary is an error here, not on the indexer's thread
        count = write_documents(records, scratch, shard_size)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return IndexRun(scratch, partial, site_dir, count, shard_count(count, shard_size)).start()


def build_index(records: Iterable[PaperRecord], site_dir: Path, shard_size: int = SHARD_SIZE) -> int:
    """Index the records into ``site_dir/pagefind`` and wait for it; returns the records indexed."""
    return start_index(records, site_dir, shard_size).finish()
