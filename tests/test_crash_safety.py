"""Crash safety of the store: `python -m generator ingest` killed at any moment leaves the old or the new
store, byte for byte; a temporary file left by a killed write harms nothing and the next ingest removes
it; a second ingest waits for the first (or refuses with a clear message) and never interleaves writes.

The input is a synthetic listing of 3,000 papers (a 6 MB store), so that each run takes a moment.
Kill times are drawn from a seeded generator; one more run is stopped while its temporary file exists
(mid-write) to show that readers still see the old store.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, make_project, run_cli

from generator.store import load_store, store_lock

ENTRIES = 3000
KILLS = 15
SEED = 6
TODAY = "2024-06-01"
WORDS = [
    "gradient",
    "descent",
    "kernel",
    "bayesian",
    "posterior",
    "transformer",
    "attention",
    "diffusion",
    "sampling",
    "variational",
    "bound",
    "regret",
    "bandit",
    "policy",
    "reward",
    "graph",
    "neural",
    "convex",
    "stochastic",
    "estimator",
    "calibration",
    "robustness",
    "adversarial",
    "sparse",
]


def synthetic_listing(first: int, count: int, seed: int = SEED) -> str:
    """A listing dump of ``count`` papers numbered from ``first``: title line, then a long abstract line."""
    rng = random.Random(seed)
    lines = []
    for number in range(first, first + count):
        topic = " ".join(rng.choice(WORDS) for _ in range(5)).title()
        lines.append(f"Synthetic Paper {number:05d} on {topic}")
        sentences = (
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 24))).capitalize() + "."
            for _ in range(rng.randint(8, 14))
        )
        lines.append(" ".join(sentences))
    return "\n".join(lines) + "\n"


def ingest_process(project: Path, *paths: str, env: dict | None = None) -> subprocess.Popen:
    full_env = {**os.environ, "PYTHONPATH": str(REPO), "READINGLIST_TODAY": TODAY, **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "ingest", *paths],
        cwd=project,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def temp_files(project: Path) -> list[Path]:
    return sorted((project / "data").glob(".papers.yaml.*.tmp"))


@dataclass
class Versions:
    """A project whose store holds the first half of the papers (``old``), and the bytes the store has
    after ingesting all of them (``new``), from a run that was not disturbed."""

    project: Path
    old: bytes
    new: bytes
    seconds: float  # how long the undisturbed ingest took (only to spread the kill times)

    def reset(self) -> None:
        (self.project / "data" / "papers.yaml").write_bytes(self.old)

    def store(self) -> bytes:
        return (self.project / "data" / "papers.yaml").read_bytes()


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> Versions:
    project = make_project(tmp_path_factory.mktemp("crash"))  # the repo's taxonomy, for `check`
    raw = project / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "old.txt").write_text(synthetic_listing(0, ENTRIES // 2), encoding="utf-8")
    run_cli("ingest", "data/raw/old.txt", cwd=project, env={"READINGLIST_TODAY": TODAY}, check=True)
    old = (project / "data" / "papers.yaml").read_bytes()
    (raw / "new.txt").write_text(synthetic_listing(0, ENTRIES), encoding="utf-8")
    start = time.monotonic()
    run_cli("ingest", "data/raw/new.txt", cwd=project, env={"READINGLIST_TODAY": TODAY}, check=True)
    seconds = time.monotonic() - start
    new = (project / "data" / "papers.yaml").read_bytes()
    assert old != new and len(load_store(project / "data" / "papers.yaml")[0]) == ENTRIES
    versions = Versions(project, old, new, seconds)
    versions.reset()
    return versions


def _wait_for_writing(versions: Versions, process: subprocess.Popen) -> None:
    """Return once the ingest starts writing: a temporary file appears or the store itself changes."""
    store = versions.project / "data" / "papers.yaml"
    before = store.stat()
    while process.poll() is None and not temp_files(versions.project):
        now = store.stat()
        if (now.st_size, now.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
            return
        time.sleep(0.0005)


def test_a_killed_ingest_leaves_the_old_or_the_new_store(versions: Versions) -> None:
    """Odd runs are killed at any moment of the run; even runs 0-50 ms after writing began."""
    rng = random.Random(SEED)
    outcomes = []
    for run in range(KILLS):
        versions.reset()
        process = ingest_process(versions.project, "data/raw/new.txt")
        if run % 2:
            time.sleep(rng.uniform(0.2, 1.5) * versions.seconds)  # from start-up to past the rename
        else:
            _wait_for_writing(versions, process)
            time.sleep(rng.uniform(0, 0.05))
        process.send_signal(signal.SIGKILL)
        process.communicate()
        store = versions.store()
        assert store in (versions.old, versions.new), "the store was left partly written"
        outcomes.append("new" if store == versions.new else "old")
        names = {p.name for p in (versions.project / "data").iterdir()}
        names -= {t.name for t in temp_files(versions.project)}  # a killed write's temporary file may remain
        assert names <= {"papers.yaml", ".lock", "raw", "topics.yaml", "tags.yaml", "site.yaml"}
    print(f"{KILLS} kills: {outcomes.count('old')} left the old store, {outcomes.count('new')} the new one")


def _stop_mid_write(versions: Versions) -> Path | None:
    """Run ingest and SIGSTOP it as soon as its temporary file appears; None if the rename won the race."""
    versions.reset()
    for stale in temp_files(versions.project):
        stale.unlink()
    process = ingest_process(versions.project, "data/raw/new.txt")
    try:
        while process.poll() is None:
            if temp_files(versions.project):
                process.send_signal(signal.SIGSTOP)
                left = temp_files(versions.project)  # still there once stopped: the rename has not happened
                if left:
                    assert versions.store() == versions.old  # readers see the old store during the write
                return left[0] if left else None
        return None
    finally:
        process.kill()
        process.communicate()


def test_a_write_killed_midway_harms_nothing_and_is_cleaned_up(versions: Versions) -> None:
    left = next((t for t in (_stop_mid_write(versions) for _ in range(8)) if t is not None), None)
    assert left is not None, "never caught the ingest between writing its temporary file and renaming it"
    assert left.exists() and versions.store() == versions.old
    check = run_cli("check", cwd=versions.project)
    assert check.returncode == 0, check.stdout + check.stderr
    run_cli("ingest", "data/raw/new.txt", cwd=versions.project, env={"READINGLIST_TODAY": TODAY}, check=True)
    assert temp_files(versions.project) == []  # the next ingest removed the stale temporary file
    assert versions.store() == versions.new


def test_a_second_ingest_refuses_while_the_lock_is_held(versions: Versions) -> None:
    versions.reset()
    with store_lock(versions.project / "data", timeout=0):
        result = run_cli(
            "ingest",
            "data/raw/new.txt",
            cwd=versions.project,
            env={"READINGLIST_TODAY": TODAY, "READINGLIST_LOCK_TIMEOUT": "0.5"},
        )
    assert result.returncode == 1
    assert "another ingest is writing the store (waited 0.5 s" in result.stderr
    assert "READINGLIST_LOCK_TIMEOUT" in result.stderr and "Traceback" not in result.stderr
    assert versions.store() == versions.old


def test_a_bad_lock_timeout_is_a_clear_error(versions: Versions) -> None:
    result = run_cli(
        "ingest", "data/raw/old.txt", cwd=versions.project, env={"READINGLIST_LOCK_TIMEOUT": "soon"}
    )
    assert result.returncode == 1
    assert "READINGLIST_LOCK_TIMEOUT='soon' is not a number of seconds" in result.stderr


def test_concurrent_ingests_wait_for_each_other(versions: Versions, tmp_path: Path) -> None:
    """Two ingests of small dumps into the big store, started together: both reach the store at about
    the same time and each spends a while reading, merging and writing it. Without the lock the later
    writer would drop the other's papers."""
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    (tmp_path / "data" / "papers.yaml").write_bytes(versions.new)
    extra = 300
    (raw / "a.txt").write_text(synthetic_listing(ENTRIES, extra, seed=1), encoding="utf-8")
    (raw / "b.txt").write_text(synthetic_listing(ENTRIES + extra, extra, seed=2), encoding="utf-8")
    first = ingest_process(tmp_path, "data/raw/a.txt")
    second = ingest_process(tmp_path, "data/raw/b.txt")
    for process in (first, second):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, out + err
    papers, problems = load_store(tmp_path / "data" / "papers.yaml")
    assert problems == []
    numbers = {p.title.split(" on ")[0] for p in papers}
    assert numbers == {f"Synthetic Paper {n:05d}" for n in range(ENTRIES + 2 * extra)}  # nothing lost


def test_ingest_keeps_the_store_file_mode(versions: Versions, tmp_path: Path) -> None:
    project = tmp_path / "mode"
    shutil.copytree(versions.project / "data" / "raw", project / "data" / "raw")
    store = project / "data" / "papers.yaml"
    store.write_bytes(versions.old)
    store.chmod(0o640)
    run_cli("ingest", "data/raw/new.txt", cwd=project, env={"READINGLIST_TODAY": TODAY}, check=True)
    assert store.stat().st_mode & 0o777 == 0o640  # the temporary file's 0600 did not replace it
    fresh = tmp_path / "fresh"
    shutil.copytree(versions.project / "data" / "raw", fresh / "data" / "raw")
    run_cli("ingest", "data/raw/old.txt", cwd=fresh, env={"READINGLIST_TODAY": TODAY}, check=True)
    umask = os.umask(0)
    os.umask(umask)
    assert (fresh / "data" / "papers.yaml").stat().st_mode & 0o777 == 0o666 & ~umask


# ---------------------------------------------------------------------------- generator build


def _build_project(root: Path, papers: int) -> Path:
    rng = random.Random(SEED)
    words = [f"zq{a}{b}" for a in "bcdfg" for b in "klmnp"]  # words no topic rule matches: all Unsorted
    records = [
        {
            "id": f"paper-{n:03d}",
            "title": f"Paper {n:03d} on {' '.join(rng.choice(words) for _ in range(4))}",
            "abstract": " ".join(rng.choice(words) for _ in range(40)).capitalize() + ".",
            "added": TODAY,
        }
        for n in range(papers)
    ]
    return make_project(root, records)


def _docs_files(project: Path) -> set[str]:
    docs = project / "docs"
    return {
        p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file() and "assets" not in p.parts
    }


def _build_temp_files(project: Path) -> list[Path]:
    return sorted(p for p in (project / "docs").rglob(".*.tmp"))


def test_a_killed_build_is_cleaned_up_by_the_next(tmp_path: Path) -> None:
    """Build with one page per paper, SIGKILL a build that writes more pages (a smaller page size)
    while it writes them, then build the first way again: only the first build's pages are left, and
    no temporary file stays in docs/."""
    project = _build_project(tmp_path / "p", 120)
    site = project / "data" / "site.yaml"
    site.write_text("page_size: 1000\n")
    run_cli("build", cwd=project, env={"READINGLIST_TODAY": TODAY}, check=True)
    first = _docs_files(project)
    site.write_text("page_size: 1\n")  # Unsorted split into 120 pages: unsorted-2/index.md ... unsorted-120/
    env = {**os.environ, "PYTHONPATH": str(REPO), "READINGLIST_TODAY": TODAY}
    killed_midway = 0
    for attempt in range(6):
        for path in (project / "docs").glob("unsorted-*/index.md"):
            path.unlink()
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "build"], cwd=project, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        while process.poll() is None and not list((project / "docs").glob("unsorted-*/index.md")):
            time.sleep(0.001)
        time.sleep(0.002 * attempt)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()
            written = list((project / "docs").glob("unsorted-*/index.md"))
            killed_midway += 0 < len(written) < 119
        site.write_text("page_size: 1000\n")
        run_cli("build", cwd=project, env={"READINGLIST_TODAY": TODAY}, check=True)
        assert _docs_files(project) == first, f"attempt {attempt}: pages left by the killed build"
        assert _build_temp_files(project) == []
        site.write_text("page_size: 1\n")
    assert killed_midway, "no build was killed while it wrote its pages"


def test_temp_files_a_killed_write_left_are_removed(tmp_path: Path) -> None:
    project = _build_project(tmp_path / "p", 3)
    run_cli("build", cwd=project, env={"READINGLIST_TODAY": TODAY}, check=True)
    leftover = project / "docs" / "unsorted" / ".index.md.a1b2c3d4.tmp"  # beside a page the build writes
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_text("half a page")
    mine = project / "docs" / "notes.tmp"  # not one of write_atomic's names: never touched
    mine.write_text("curator's")
    run_cli("build", cwd=project, env={"READINGLIST_TODAY": TODAY}, check=True)
    assert not leftover.exists() and mine.exists()


def test_every_generated_path_is_gitignored(tmp_path: Path) -> None:
    """Everything `generator build` writes (a split Unsorted included) is ignored by the repo's .gitignore."""
    project = _build_project(tmp_path / "p", 5)
    (project / "data" / "site.yaml").write_text("page_size: 1\n")
    run_cli("build", cwd=project, env={"READINGLIST_TODAY": TODAY}, check=True)
    shutil.copy(REPO / ".gitignore", project / ".gitignore")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    written = sorted(f"docs/{rel}" for rel in _docs_files(project)) + ["mkdocs.generated.yml"]
    assert "docs/unsorted-2/index.md" in written
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", "--verbose", "--non-matching", "--stdin"],
        cwd=project, input="\n".join(written) + "\n", capture_output=True, text=True,
    )  # fmt: skip
    not_ignored = [line.split("\t")[-1] for line in result.stdout.splitlines() if line.startswith("::")]
    assert not_ignored == []
