"""Merging into the store: dedup, stable ids, curator edits survive, idempotence, bad runs change nothing."""

import shutil
from pathlib import Path

import yaml
from conftest import REPO, run_cli

FIX = Path(__file__).parent / "fixtures" / "ingest"
SEEDS = REPO / "data" / "raw"


def copy_project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "data").mkdir(parents=True)
    for name in ("topics.yaml", "tags.yaml"):
        shutil.copy(REPO / "data" / name, root / "data" / name)
    return root


def test_full_seed_ingest_gives_422_papers_each_once_and_is_idempotent(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    result = run_cli("ingest", str(SEEDS), "--date", "2026-11-25", cwd=root, check=True)
    assert "files read: 5" in result.stdout
    assert "papers added: 422" in result.stdout and "merged as duplicates: 17" in result.stdout
    store = root / "data" / "papers.yaml"
    records = yaml.safe_load(store.read_text())
    assert len(records) == 422
    assert sum(bool(r.get("needs_title")) for r in records) == 10
    assert len({r["id"] for r in records}) == 422
    assert sum(len(r["sources"]) for r in records) == 439
    # Each paper once, with its full abstract: every raw abstract is some record's abstract.
    from generator.sources.parse import parse_file

    abstracts = {r["abstract"] for r in records}
    for path in sorted(SEEDS.iterdir()):
        for e in parse_file(path, path.name).entries:
            assert e.abstract in abstracts
    first = store.read_bytes()
    again = run_cli("ingest", str(SEEDS), "--date", "2027-01-01", cwd=root, check=True)
    assert "papers added: 0" in again.stdout and "unchanged: 439" in again.stdout
    assert store.read_bytes() == first


def test_committed_store_is_what_ingest_of_the_seeds_produces(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    run_cli("ingest", str(SEEDS), "--date", "2026-11-25", cwd=root, check=True)
    committed = (REPO / "data" / "papers.yaml").read_text()
    fresh = (root / "data" / "papers.yaml").read_text()
    # Same papers; labels differ only because the seeds sit outside this temporary project.
    assert [r["id"] for r in yaml.safe_load(fresh)] == [r["id"] for r in yaml.safe_load(committed)]


def test_curator_edits_in_the_file_survive_a_cli_reingest(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    listing = FIX / "listing.txt"
    run_cli("ingest", str(listing), "--date", "2026-01-01", cwd=root, check=True)
    store = root / "data" / "papers.yaml"
    text = store.read_text()
    first_id = yaml.safe_load(text)[0]["id"]
    text = text.replace(
        "title: A Tale of Two Schrödinger Bridges",
        "title: Curated Tale\n  notes: read first\n  topics: [generative-models]\n  year: 2023",
        1,
    )
    store.write_text(text)
    run_cli("ingest", str(listing), cwd=root, check=True)
    record = yaml.safe_load(store.read_text())[0]
    assert record["id"] == first_id
    assert (record["title"], record["notes"], record["topics"], record["year"]) == (
        "Curated Tale",
        "read first",
        ["generative-models"],
        2023,
    )


def test_every_format_in_one_run(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    result = run_cli("ingest", str(FIX), "--date", "2026-01-01", cwd=root, check=True)
    records = yaml.safe_load((root / "data" / "papers.yaml").read_text())
    assert len(records) == 12
    assert "warnings: 1" in result.stdout and "papers.bib:12" in result.stdout
    bib = next(r for r in records if r["title"].startswith("Bayesian Optimization"))
    assert bib["arxiv"] == "2301.01234" and bib["authors"][0] == "Jane Smith" and bib["year"] == 2023


def run_bad(tmp_path: Path, name: str, data: bytes) -> tuple[object, bytes, bytes]:
    root = copy_project(tmp_path)
    run_cli("ingest", str(FIX / "listing.txt"), "--date", "2026-01-01", cwd=root, check=True)
    store = root / "data" / "papers.yaml"
    before = store.read_bytes()
    bad = tmp_path / name
    bad.write_bytes(data)
    result = run_cli("ingest", str(bad), str(FIX / "glued.txt"), cwd=root)
    return result, before, store.read_bytes()


def test_a_bad_file_fails_the_run_and_changes_nothing(tmp_path: Path) -> None:
    for name, data, expected in [
        ("empty.txt", b"", "empty"),
        ("blob.txt", bytes(range(256)) * 10, "binary"),
        ("bad.yaml", b"- title: [x\n", "malformed YAML"),
    ]:
        result, before, after = run_bad(tmp_path / name, name, data)
        assert result.returncode == 1, name
        assert f"{name}" in result.stderr and expected in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert before == after, name


def test_skip_bad_ingests_the_good_files(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run_cli("ingest", "--skip-bad", str(tmp_path / "empty.txt"), str(FIX / "glued.txt"), cwd=root)
    assert "papers added: 2" in result.stdout
    assert len(yaml.safe_load((root / "data" / "papers.yaml").read_text())) == 2


def test_nothing_usable_exits_nonzero_without_creating_a_store(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    only = tmp_path / "boiler.txt"
    only.write_text("new\nSubscribe\nMar 13\n")
    result = run_cli("ingest", str(only), cwd=root)
    assert result.returncode == 1
    assert "nothing usable" in result.stderr and "boiler.txt" in result.stdout + result.stderr
    assert not (root / "data" / "papers.yaml").exists()


# ---------------------------------------------------------------- fast paths of ingest


from generator.build import schedule  # noqa: E402


def test_gc_paused_restores_the_collector_state() -> None:
    import gc

    assert gc.isenabled()
    with schedule.gc_paused():
        assert not gc.isenabled()
        with schedule.gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
