"""Which files ingest reads: no symlinks, nothing outside the folder, never the project's own files;
options validated. Through the real command line; each refusal leaves the store byte for byte."""

import os
import shutil
from pathlib import Path

from conftest import REPO, run_cli

FIX = REPO / "tests" / "fixtures" / "ingest"


def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "data" / "raw").mkdir(parents=True)
    for name in ("topics.yaml", "tags.yaml"):
        shutil.copy(REPO / "data" / name, root / "data" / name)
    shutil.copy(FIX / "glued.txt", root / "data" / "raw" / "glued.txt")
    run_cli("ingest", "data/raw", "--date", "2026-01-01", cwd=root, check=True)
    return root


def refused(root: Path, *args: str, env: dict | None = None) -> str:
    store = root / "data" / "papers.yaml"
    before = store.read_bytes()
    result = run_cli("ingest", *args, cwd=root, env=env)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert store.read_bytes() == before
    return result.stderr


def test_a_symlink_in_the_folder_is_refused_naming_link_and_target(tmp_path: Path) -> None:
    root = project(tmp_path)
    link = root / "data" / "raw" / "passwd.txt"
    link.symlink_to("/etc/passwd")
    err = refused(root, "data/raw")
    assert "passwd.txt" in err and "symbolic link (to /etc/passwd)" in err
    link.unlink()
    (root / "data" / "raw" / "linked-dir").symlink_to(tmp_path)
    assert "linked-dir" in refused(root, "data/raw", "--skip-bad")


def test_a_symlink_named_directly_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    link = tmp_path / "dump.txt"
    link.symlink_to(FIX / "listing.txt")
    assert "symbolic link" in refused(root, str(link))


def test_skip_bad_on_data_never_reads_the_store_or_taxonomy_as_dumps(tmp_path: Path) -> None:
    root = project(tmp_path)
    store = root / "data" / "papers.yaml"
    (root / "data" / "templates").mkdir()
    (root / "data" / "templates" / "home.md.j2").write_text("- title: not a dump\n  abstract: x\n")
    (root / "data" / "site.yaml").write_text("title: My list\n")
    before = store.read_bytes()
    result = run_cli("ingest", "--skip-bad", "data", cwd=root, check=True)
    assert "files read: 1" in result.stdout and "raw/glued.txt" in result.stdout
    assert store.read_bytes() == before  # the same dump again: nothing changes
    assert "project file" in refused(root, "data/papers.yaml")


def test_bad_dates_are_clean_errors(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert "--date='2025-99-99' is not a date" in refused(root, "data/raw", "--date", "2025-99-99")
    assert "is not a date" in refused(root, "data/raw", "--date", "2026-01-01'\nhidden: true")
    assert "READINGLIST_TODAY" in refused(root, "data/raw", env={"READINGLIST_TODAY": "yesterday"})
    assert "SOURCE_DATE_EPOCH" in refused(root, "data/raw", env={"SOURCE_DATE_EPOCH": "soon"})


def test_a_file_reached_outside_the_folder_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.txt").write_text("A Title\nAn abstract. Two sentences.\n")
    (root / "data" / "raw" / "sub").symlink_to(outside)
    assert "symbolic link" in refused(root, "data/raw")
    os.unlink(root / "data" / "raw" / "sub")
