"""Putting the store on disk safely: atomic writes, clean-up after a killed write, one writer at a time.

Readers see the old file or the new one, never half of either; a second ingest waits for the lock and
then refuses with a clear message.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from generator.core.environment import environment
from generator.core.errors import ReadingListError
from generator.core.model import Paper
from generator.store.writer import dump_papers


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write via a temporary file in the same folder and rename: readers see the old or the new file.
    A full disk, a read-only folder or a missing permission is a ReadingListError naming the file."""
    try:
        _write_atomic(path, data)
    except OSError as exc:
        raise ReadingListError(
            f"cannot write the file: {exc.strerror or exc}",
            str(path),
            hint="free some disk space or make the folder writable, and run again (nothing was half written)",
        ) from None


def _write_atomic(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    mode = _file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)  # mkstemp makes 0600 files; keep the old file's mode (or the umask's)
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """fsync the folder so that the rename itself survives a crash (best effort)."""
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _file_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete the temporary files of writes to ``path`` that were killed before their rename.
    Only safe while holding :func:`store_lock` (no other writer can be mid-write)."""
    removed = []
    for tmp in sorted(path.parent.glob(f".{glob.escape(path.name)}.*.tmp")):
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
            removed.append(tmp)
    return removed


def save_store(path: Path, papers: Sequence[Paper]) -> bool:
    """Write the store if its bytes change; returns whether it was written. Call under :func:`store_lock`:
    it also removes temporary files left by a killed earlier write."""
    remove_stale_temps(path)
    data = dump_papers(papers).encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True


@contextlib.contextmanager
def store_lock(data_dir: Path, timeout: float | None = None) -> Iterator[None]:
    """Serialize writers of ``data/``: a second ingest waits, then refuses with a clear message."""
    from filelock import FileLock, Timeout  # only writers need it: imported here, not by every reader

    timeout = environment().lock_timeout if timeout is None else timeout
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(data_dir / ".lock"))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise ReadingListError(
            f"another ingest is writing the store (waited {timeout:g} s for the lock {data_dir / '.lock'})",
            str(data_dir / "papers.yaml"),
            hint="wait for it to finish and run it again, or raise READINGLIST_LOCK_TIMEOUT",
        ) from None
    try:
        yield
    finally:
        lock.release()
