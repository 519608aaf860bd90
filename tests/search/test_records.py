"""generator/search/records.py and index.py: a paper's record, its document for Pagefind, the bundle.

Hostile text goes through the real Pagefind binary and comes back, from the fragment the browser would
load, exactly as stored (text, never markup); facets and metadata stay outside the indexed text.
"""

from __future__ import annotations

import gzip
import json
from html.parser import HTMLParser
from pathlib import Path

from generator.search.index import BUNDLE, build_index
from generator.search.records import PaperRecord, record_document

HOSTILE = (
    "<script>alert(1)</script> & &amp; \"quoted\" 'single' <b>bold</b> $x^2$ {{ config }} [x](javascript:1)"
)


def hostile_record(i: int = 0) -> PaperRecord:
    return PaperRecord(
        id=f"p{i}",
        url=f"topics/t/#p{i}",
        title=f"Title {i} {HOSTILE}",
        abstract=f"Abstract {HOSTILE} zebra\x01",
        authors=("Ada <Lovelace>", "Alan, Turing"),
        year=2021,
        topic="Topic <one>",
        topics=("Topic <one>", "Other & co"),
        tags=('Tag "a"', "<i>tag</i>"),
        venue="Venue <v>",
    )


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)


def test_the_document_has_only_its_own_elements() -> None:
    parser = _Elements()
    parser.feed(record_document(hostile_record()))
    assert set(parser.tags) == {"html", "head", "meta", "title", "body", "main", "h1", "p", "div", "span"}
    assert "<script>" not in record_document(hostile_record())


def test_hostile_text_comes_back_from_the_bundle_as_stored(tmp_path: Path) -> None:
    records = [hostile_record(i) for i in range(3)]
    assert build_index(records, tmp_path) == 3
    bundle = tmp_path / BUNDLE
    assert (bundle / "pagefind.js").is_file() and not (tmp_path / ".pagefind-partial").exists()
    fragments = {}
    for path in (bundle / "fragment").iterdir():
        data = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd") :])
        fragments[data["meta"]["id"]] = data
    assert sorted(fragments) == ["p0", "p1", "p2"]
    for record in records:
        data = fragments[record.id]
        meta = data["meta"]
        assert meta["title"] == record.title
        assert meta["url"] == record.url
        assert meta["authors"] == "Ada <Lovelace>, Alan, Turing"
        assert (meta["year"], meta["topic"], meta["venue"]) == ("2021", "Topic <one>", "Venue <v>")
        assert data["filters"] == {
            "topic": ["Topic <one>", "Other & co"],
            "tag": ['Tag "a"', "<i>tag</i>"],
            "year": ["2021"],
            "venue": ["Venue <v>"],
        }
        # The searchable text: title, authors, abstract (control characters dropped); no facet or URL.
        assert data["content"].startswith(record.title)
        assert f"Abstract {HOSTILE} zebra" in data["content"]
        assert "topics/t/#" not in data["content"] and "Other & co" not in data["content"]


def test_a_rebuild_replaces_the_bundle(tmp_path: Path) -> None:
    build_index([hostile_record(0), hostile_record(1)], tmp_path)
    build_index([hostile_record(2)], tmp_path)
    assert len(list((tmp_path / BUNDLE / "fragment").iterdir())) == 1


def test_shards_from_two_shards_worth_of_papers_and_at_most_four() -> None:
    from generator.search.index import MAX_SHARDS, shard_count

    assert [shard_count(n, 10) for n in (0, 1, 19, 20, 29, 30, 45, 1000)] == [1, 1, 1, 2, 2, 3, 4, MAX_SHARDS]
    assert MAX_SHARDS == 4


def test_a_sharded_bundle_lists_its_shards_and_holds_every_record_once(tmp_path: Path) -> None:
    from generator.search.index import SHARDS_FILE

    records = [hostile_record(i) for i in range(7)]
    assert build_index(records, tmp_path, shard_size=2) == 7  # 3 shards: 3 + 2 + 2 records
    bundle = tmp_path / BUNDLE
    assert json.loads((bundle / SHARDS_FILE).read_text("utf-8")) == {"shards": ["shard-1/", "shard-2/"]}
    ids = []
    for folder in (bundle, bundle / "shard-1", bundle / "shard-2"):
        assert (folder / "pagefind-entry.json").is_file()
        for path in (folder / "fragment").iterdir():
            ids.append(json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd") :])["meta"]["id"])
    assert sorted(ids) == sorted(r.id for r in records)
    build_index(records[:1], tmp_path, shard_size=2)  # fewer papers again: one index, no stale shard
    assert json.loads((bundle / SHARDS_FILE).read_text("utf-8")) == {"shards": []}
    assert not (bundle / "shard-1").exists()


def test_a_cancelled_index_leaves_nothing(tmp_path: Path) -> None:
    from generator.search.index import start_index

    run = start_index([hostile_record(i) for i in range(6)], tmp_path, shard_size=2)
    run.cancel()
    assert not (tmp_path / BUNDLE).exists() and not (tmp_path / ".pagefind-partial").exists()
    assert not run.scratch.exists()


def test_a_live_preview_gets_its_bundle_without_waiting(tmp_path: Path) -> None:
    """finish_later(): the bundle lands when the indexer is done (mkdocs serve --dirty does not wait)."""
    import time

    from generator.search.index import start_index

    run = start_index([hostile_record(i) for i in range(4)], tmp_path, shard_size=2)
    run.finish_later()
    deadline = time.monotonic() + 60
    while not (tmp_path / BUNDLE / "pagefind-entry.json").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (tmp_path / BUNDLE / "shard-1" / "pagefind-entry.json").is_file()
    run.cancel()  # what the next rebuild does: nothing left to stop, the installed bundle stays
    assert (tmp_path / BUNDLE / "pagefind.js").is_file() and not run.scratch.exists()


def test_an_indexer_that_cannot_run_is_a_clean_error(tmp_path: Path, monkeypatch) -> None:
    import pytest

    from generator.core.errors import ReadingListError
    from generator.search import index

    monkeypatch.setattr(index, "_command", lambda documents, output: [str(tmp_path / "no-such-binary")])
    with pytest.raises(ReadingListError, match="pagefind could not run"):
        build_index([hostile_record(0)], tmp_path)
    assert not (tmp_path / BUNDLE).exists() and not (tmp_path / ".pagefind-partial").exists()


def test_each_pagefind_runs_on_one_core_and_the_shards_spread_once_the_engine_is_done(
    tmp_path: Path, monkeypatch
) -> None:
    """While the site engine renders, the shards run one after another on the last core; ``finish``
    (the engine is done) lets the shards left run one per core."""
    import os
    import subprocess

    from generator.search import index

    pinned: list[set[int]] = []
    real = subprocess.Popen

    def popen(*args, **kwargs):
        process = real(*args, **kwargs)
        pinned.append(os.sched_getaffinity(process.pid))
        return process

    monkeypatch.setattr(index.subprocess, "Popen", popen)
    records = [hostile_record(i) for i in range(6)]
    run = index.start_index(records, tmp_path, shard_size=2)  # 3 shards
    assert run.finish() == 6
    cores = index.usable_cores()
    assert len(pinned) == 3 and all(len(mask) == 1 for mask in pinned)
    assert pinned[0] == {cores[-1]}
    if len(cores) >= 2:
        assert set().union(*pinned) == {cores[0], cores[-1]}  # the first free cores, in order
