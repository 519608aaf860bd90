"""The content-keyed cache (generator/build/cache.py): whole phases stored by key, keys follow inputs."""

from __future__ import annotations

from conftest import make_project

from generator.build.cache import Cache, digest, enrich_key, site_key
from generator.core.project import Project


def test_a_phase_is_computed_once_per_key(tmp_path) -> None:
    cache = Cache(tmp_path / "cache")
    calls = []

    def compute() -> dict:
        calls.append(1)
        return {"pages": len(calls)}

    assert cache.phase("site", "k1", compute) == {"pages": 1}
    assert cache.phase("site", "k1", compute) == {"pages": 1}
    assert cache.phase("site", "k2", compute) == {"pages": 2}  # another key replaces the value
    assert cache.get("site", "k1") is None
    assert len(calls) == 2


def test_a_disabled_or_broken_cache_computes_every_time(tmp_path, monkeypatch) -> None:
    off = Cache(tmp_path / "off", enabled=False)
    off.put("site", "k", 1)
    assert off.get("site", "k") is None and not (tmp_path / "off").exists()
    monkeypatch.setenv("READINGLIST_NO_CACHE", "1")
    assert not Cache(tmp_path / "env").enabled
    monkeypatch.delenv("READINGLIST_NO_CACHE")
    broken = Cache(tmp_path / "broken")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "site.pickle").write_bytes(b"not a pickle")
    assert broken.get("site", "k") is None


def test_keys_follow_every_input(tmp_path) -> None:
    project = Project(make_project(tmp_path / "p"))
    key = enrich_key(project)
    site = site_key(project, key, "", True)
    assert (enrich_key(project), site_key(project, key, "", True)) == (key, site)  # deterministic
    assert site_key(project, key, "https://x.org/", True) != site
    assert site_key(project, key, "", False) != site
    project.site_config.write_text("title: Other\n", encoding="utf-8")
    assert site_key(project, key, "", True) != site
    assert enrich_key(project) == key  # site settings do not touch the enrichment
    project.topics.write_bytes(project.topics.read_bytes() + b"\n")
    assert enrich_key(project) != key
    assert digest(b"ab", b"c") != digest(b"a", b"bc")  # parts are length-prefixed
