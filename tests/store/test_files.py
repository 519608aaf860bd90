"""generator.store.files: atomic writes keep the old file on failure, stale temps are cleaned, one writer."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import generator.store.files as files
from generator.core.errors import ReadingListError
from generator.core.model import Paper
from generator.store import dump_papers, remove_stale_temps, save_store, store_lock, write_atomic

PAPERS = [Paper("a", "Title", "Abstract.", "2024-01-01")]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_atomic_writes_text_or_bytes_and_creates_the_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "papers.yaml"
    write_atomic(path, "caf\u00e9\n")
    assert path.read_bytes() == "caf\u00e9\n".encode()
    write_atomic(path, b"\x00raw")
    assert path.read_bytes() == b"\x00raw" and _leftovers(path.parent) == []


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "papers.yaml"
    path.write_text("old\n")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, failing, fail)
    with pytest.raises(ReadingListError, match="cannot write the file: No space left"):
        write_atomic(path, "new\n")
    monkeypatch.undo()
    assert path.read_text() == "old\n" and _leftovers(tmp_path) == []


def test_an_interrupted_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "papers.yaml"
    path.write_text("old\n")

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, "new\n")
    assert path.read_text() == "old\n" and _leftovers(tmp_path) == []


def test_write_atomic_keeps_the_file_mode_or_follows_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "papers.yaml"
    path.write_text("old\n")
    path.chmod(0o640)
    write_atomic(path, "new\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.yaml"
    old_mask = os.umask(0o027)
    try:
        files._umask.cache_clear()
        write_atomic(fresh, "x")
    finally:
        os.umask(old_mask)
        files._umask.cache_clear()
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640  # 0666 & ~027, not mkstemp's 0600


def test_remove_stale_temps_removes_only_this_file_s_temps(tmp_path: Path) -> None:
    path = tmp_path / "pa[p]ers.yaml"  # glob characters in the name are taken literally
    stale = [tmp_path / ".pa[p]ers.yaml.k1x2.tmp", tmp_path / ".pa[p]ers.yaml.zz.tmp"]
    kept = [tmp_path / ".other.yaml.k1.tmp", tmp_path / ".papers.yaml.k1.tmp", tmp_path / "pa[p]ers.yaml"]
    for p in stale + kept:
        p.write_text("x")
    assert remove_stale_temps(path) == sorted(stale)
    assert all(p.exists() for p in kept) and not any(p.exists() for p in stale)
    assert remove_stale_temps(path) == []


def test_save_store_writes_only_changed_bytes_and_cleans_up(tmp_path: Path) -> None:
    path = tmp_path / "papers.yaml"
    assert save_store(path, PAPERS) is True
    assert path.read_text(encoding="utf-8") == dump_papers(PAPERS)
    (tmp_path / ".papers.yaml.dead.tmp").write_text("half a store")
    before = path.stat().st_mtime_ns
    assert save_store(path, PAPERS) is False  # same bytes: not rewritten
    assert path.stat().st_mtime_ns == before and _leftovers(tmp_path) == []
    assert save_store(path, [*PAPERS, Paper("b", "Other", "", "2024-01-02")]) is True
    assert "- id: b\n" in path.read_text(encoding="utf-8")


def test_a_second_writer_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    with store_lock(tmp_path), pytest.raises(ReadingListError) as info, store_lock(tmp_path, timeout=0.2):
        pass
    error = info.value
    assert (
        error.message
        == f"another ingest is writing the store (waited 0.2 s for the lock {tmp_path / '.lock'})"
    )
    assert error.path == str(tmp_path / "papers.yaml")
    assert "READINGLIST_LOCK_TIMEOUT" in error.hint
    with store_lock(tmp_path, timeout=0.2):  # released once the first writer is done
        pass


def test_the_lock_waits_as_long_as_the_environment_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READINGLIST_LOCK_TIMEOUT", "0.3")
    refused = pytest.raises(ReadingListError, match=r"waited 0\.3 s")
    with store_lock(tmp_path / "data"), refused, store_lock(tmp_path / "data"):
        pass
    assert (tmp_path / "data").is_dir()
