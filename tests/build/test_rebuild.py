"""Dirty rebuilds (``mkdocs serve --dirty``, ``make serve``): only changed pages rendered, same site."""

from __future__ import annotations

import filecmp
import json
import os
import re
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.build.rebuild import PageMemory, fingerprint, searched
from tests.conftest import REPO, make_project

_TOPIC = "---\ntitle: T\nsearch:\n  exclude: true\n---\n\n# T\n"
_HOME = "---\ntitle: Home\n---\n\n# Home\n"


def test_a_page_is_unchanged_only_after_a_finished_build_with_the_same_text_and_fingerprint() -> None:
    memory = PageMemory()
    pages = {"topics/a.md": _TOPIC, "topics/b.md": _TOPIC + "b", "index.md": _HOME}
    assert memory.unchanged(pages, "f1") == set()  # nothing remembered yet
    memory.finished()
    assert memory.unchanged(pages, "f1") == {"topics/a.md", "topics/b.md"}  # home is searched: rebuilt
    memory.finished()
    assert memory.unchanged({**pages, "topics/b.md": _TOPIC + "B"}, "f1") == {"topics/a.md"}
    assert memory.unchanged(pages, "f2") == set()  # the navigation or theme changed: every page
    memory.forget()  # a failed build
    assert memory.unchanged(pages, "f2") == set()


def test_a_build_that_never_finished_is_not_remembered() -> None:
    memory = PageMemory()
    memory.unchanged({"topics/a.md": _TOPIC}, "f")
    memory.finished()
    memory.unchanged({"topics/a.md": _TOPIC + "edited"}, "f")  # this build fails: no finished()
    assert memory.unchanged({"topics/a.md": _TOPIC + "edited"}, "f") == set()


def test_searched_pages_are_those_without_search_exclude() -> None:
    assert not searched(_TOPIC)
    assert searched(_HOME) and searched("# no front matter\n")


def test_the_fingerprint_follows_the_navigation_the_pages_and_the_theme_files(tmp_path: Path) -> None:
    theme = tmp_path / "main.html"
    theme.write_text("a", encoding="utf-8")
    base = fingerprint([{"Home": "index.md"}], ["index.md"], [theme])
    assert base == fingerprint([{"Home": "index.md"}], ["index.md"], [theme])
    assert base != fingerprint([{"Start": "index.md"}], ["index.md"], [theme])
    assert base != fingerprint([{"Home": "index.md"}], ["index.md", "x.md"], [theme])
    theme.write_text("ab", encoding="utf-8")
    assert base != fingerprint([{"Home": "index.md"}], ["index.md"], [theme])


def _build(project: Path, site: Path, *, dirty: bool, startup: bool = False) -> None:
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    if startup:
        config.plugins.on_startup(command="serve", dirty=dirty)
    build(config, serve_url="http://127.0.0.1:8000/", dirty=dirty)


def _site_files(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file() and "pagefind" not in p.parts}


def test_a_dirty_rebuild_after_an_edit_gives_the_site_a_clean_build_gives(tmp_path, monkeypatch) -> None:
    """serve --dirty, in one process as `mkdocs serve` runs it: build, edit a title, rebuild (only the
    changed pages), then compare every file with a clean build of the edited store."""
    project = make_project(tmp_path / "p", store_text=(REPO / "data" / "papers.yaml").read_text("utf-8"))
    monkeypatch.chdir(project)
    monkeypatch.setitem(os.environ, "NO_MKDOCS_2_WARNING", "1")
    served = tmp_path / "served"
    _build(project, served, dirty=True, startup=True)
    store = project / "data" / "papers.yaml"
    edited = re.sub(r"^(  title: )([A-Za-z])", r"\1Zqvxw \2", store.read_text("utf-8"), count=1, flags=re.M)
    store.write_text(edited, encoding="utf-8")
    before = {p: p.stat().st_mtime_ns for p in served.rglob("*.html")}
    _build(project, served, dirty=True)
    rendered = [p for p, mtime in before.items() if p.stat().st_mtime_ns != mtime]
    assert 0 < len(rendered) < len(before) / 2  # only the pages the edit touched (and the searched ones)

    clean = tmp_path / "clean"
    _build(project, clean, dirty=False)
    assert _site_files(served) == _site_files(clean)
    differ = [f for f in sorted(_site_files(clean)) if not filecmp.cmp(served / f, clean / f, shallow=False)]
    index = "search/search_index.json"
    if index in differ:  # the same entries; Material may order them differently after a dirty build
        entries = [json.loads((s / index).read_text("utf-8"))["docs"] for s in (served, clean)]
        assert sorted(map(json.dumps, entries[0])) == sorted(map(json.dumps, entries[1]))
        differ.remove(index)
    assert differ == []
    assert "Zqvxw" in next(p for p in rendered if "topics" in p.parts).read_text("utf-8")


def test_compiled_templates_are_kept_across_environments_and_recompiled_when_edited(tmp_path) -> None:
    import jinja2

    from generator.build.rebuild import TemplateBytecode

    class Counting(TemplateBytecode):
        compiled = 0

        def dump_bytecode(self, bucket) -> None:
            Counting.compiled += 1
            super().dump_bytecode(bucket)

    cache = Counting()
    (tmp_path / "page.html").write_text("Hello {{ name }}", encoding="utf-8")

    def render() -> str:  # a new environment per build, as MkDocs makes one per rebuild
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), bytecode_cache=cache)
        return env.get_template("page.html").render(name="x")

    assert render() == "Hello x" and Counting.compiled == 1
    assert render() == "Hello x" and Counting.compiled == 1  # loaded, not compiled again
    (tmp_path / "page.html").write_text("Bye {{ name }}", encoding="utf-8")
    assert render() == "Bye x" and Counting.compiled == 2


def test_warming_up_leaves_the_first_rebuild_only_the_edited_paper_to_match(tmp_path, monkeypatch) -> None:
    """After the first build of `mkdocs serve --dirty` (served from the cache, so nothing was matched),
    the process matches the rules in the background; an edit then matches only the paper it changed."""
    from dataclasses import replace

    from generator.build.rebuild import warm_up
    from generator.build.stages import load_checked
    from generator.core.model import visible as shown
    from generator.core.project import Project
    from generator.enrich import classify

    store = (REPO / "data" / "papers.yaml").read_text("utf-8")
    project = Project(make_project(tmp_path / "p", store_text=store))
    classify._memo.__init__()  # as a fresh process
    thread = warm_up(project)
    thread.join(timeout=300)
    assert not thread.is_alive()
    matched: list[str] = []
    real = classify.assign
    monkeypatch.setattr(
        classify, "assign", lambda paper, rules: matched.append(paper.id) or real(paper, rules)
    )
    papers, taxonomy, _ = load_checked(project)
    visible = shown(papers)
    edited = [replace(visible[0], title=visible[0].title + " Zebra"), *visible[1:]]
    compiled = classify.compile_taxonomy(taxonomy)
    assert classify.assign_all_rules(edited, taxonomy) == {p.id: real(p, compiled) for p in edited}
    assert matched == [visible[0].id]


def test_warming_up_a_broken_store_leaves_the_error_to_the_rebuild(tmp_path, monkeypatch) -> None:
    import threading

    from generator.build.rebuild import warm_up
    from generator.core.project import Project

    project = make_project(tmp_path / "p", store_text="- id: [unclosed\n")
    failures: list[object] = []
    monkeypatch.setattr(threading, "excepthook", failures.append)
    thread = warm_up(Project(project))
    thread.join(timeout=120)
    assert not thread.is_alive() and failures == []
