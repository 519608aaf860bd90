"""A full disk (ENOSPC) or a read-only folder (EROFS, EACCES) while writing the store or the pages is a
one-line error naming the file, exit 1, no traceback, and the old file intact. Simulated in-process by
making the write fail (os.replace / tempfile.mkstemp raise, as the kernel would): running as root in a
container, neither chmod nor a tmpfs mount can make a folder unwritable here. Bad environment dates are
clean one-line errors too."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_project, run_cli

from generator import cli

SEED = {
    "id": "seed",
    "title": "A seed paper",
    "abstract": "Nothing to see here at all.",
    "added": "2024-01-01",
}


def _raise(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
@pytest.mark.parametrize("where", ["replace", "mkstemp"])
def test_a_failing_page_write_is_one_line(tmp_path: Path, monkeypatch, code: int, where: str) -> None:
    project = make_project(tmp_path / "p", [SEED])
    monkeypatch.chdir(project)
    if where == "replace":
        monkeypatch.setattr(os, "replace", _raise(code))
    else:
        monkeypatch.setattr(tempfile, "mkstemp", _raise(code))
    result = CliRunner().invoke(cli.main, ["build"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith("error: ") and os.strerror(code) in lines[-1]
    assert "docs/" in lines[-1] or ".cache/" in lines[-1]
    assert "Traceback" not in result.output


def test_a_full_disk_while_saving_the_store_keeps_the_old_store(tmp_path: Path, monkeypatch) -> None:
    project = make_project(tmp_path / "p", [SEED])
    store = project / "data" / "papers.yaml"
    before = store.read_bytes()
    raw = project / "data" / "raw"
    raw.mkdir()
    (raw / "new.txt").write_text("Abstract: A brand new abstract about adaptive optimizers and more.\n")
    monkeypatch.chdir(project)
    monkeypatch.setattr(os, "replace", _raise(errno.ENOSPC))
    result = CliRunner().invoke(cli.main, ["ingest", "data/raw"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "data/papers.yaml: cannot write the file: No space left on device" in result.output
    assert store.read_bytes() == before
    assert not list((project / "data").glob(".papers.yaml.*.tmp"))


@pytest.mark.parametrize(
    ("name", "value"),
    [("READINGLIST_TODAY", "yesterday"), ("SOURCE_DATE_EPOCH", "soon"), ("READINGLIST_TODAY", "2024-02-30")],
)
def test_bad_environment_dates_are_one_line_errors(tmp_path: Path, name: str, value: str) -> None:
    project = make_project(tmp_path / "p", [SEED])
    raw = project / "data" / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Abstract: Something about optimizers and their schedules.\n")
    env = {"READINGLIST_TODAY": "", "SOURCE_DATE_EPOCH": "", name: value}
    env = {k: v for k, v in env.items() if v}
    result = run_cli("ingest", "data/raw", cwd=project, env=env)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert name in result.stderr and len(result.stderr.strip().splitlines()) == 1
