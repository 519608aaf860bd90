"""Writing pages (generator/build/output.py): only changed bytes are written, stale pages removed."""

from __future__ import annotations

import os

from generator.build.output import MANIFEST, write_site
from generator.core.project import Project
from generator.site.render import Site


def test_only_changed_pages_are_written_and_stale_ones_removed(tmp_path) -> None:
    project = Project(tmp_path)
    out = tmp_path / "out"
    first = Site(pages={"index.md": "home\n", "topics/a.md": "a\n", "feeds/all.xml": "<feed/>"})
    assert write_site(project, first, out) == (3, 0, 0)
    assert (out / "topics" / "a.md").read_text() == "a\n"
    old = {p: (out / p).stat().st_mtime_ns for p in first.pages}
    for p in first.pages:
        os.utime(out / p, ns=(1, 1))  # any rewrite would move the mtime again
    assert write_site(project, first, out) == (0, 3, 0)
    assert all((out / p).stat().st_mtime_ns == 1 for p in first.pages)
    second = Site(pages={"index.md": "home, changed\n", "feeds/all.xml": "<feed/>"})
    assert write_site(project, second, out) == (1, 1, 1)
    assert not (out / "topics" / "a.md").exists()
    assert (out / "index.md").read_text() == "home, changed\n"
    assert (out / f".{MANIFEST}").read_text() == "feeds/all.xml\nindex.md\n"
    assert old  # every page had been written once


def test_a_removed_page_takes_its_emptied_folders_along(tmp_path) -> None:
    project = Project(tmp_path)
    out = tmp_path / "out"
    write_site(project, Site(pages={"topics/a-2/index.md": "2\n", "topics/a/index.md": "1\n"}), out)
    (out / "topics" / "a" / "notes.txt").write_text("the curator's\n")
    assert write_site(project, Site(pages={}), out) == (0, 0, 2)
    assert not (out / "topics" / "a-2").exists()  # emptied: removed
    assert (out / "topics" / "a" / "notes.txt").exists() and out.is_dir()  # not empty: kept


def test_a_file_the_build_did_not_write_is_kept(tmp_path) -> None:
    project = Project(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.md").write_text("the curator's own page\n")
    write_site(project, Site(pages={"index.md": "x\n"}), out)
    assert write_site(project, Site(pages={}), out) == (0, 0, 1)
    assert (out / "notes.md").read_text() == "the curator's own page\n"


def test_docs_builds_keep_their_manifest_in_the_cache(tmp_path) -> None:
    project = Project(tmp_path)
    assert write_site(project, Site(pages={"index.md": "x\n"})) == (1, 0, 0)
    assert (project.docs / "index.md").read_text() == "x\n"
    assert (project.cache / MANIFEST).read_text() == "index.md\n"


def test_pages_carry_their_head_feeds_and_the_engine_config_is_written_when_changed(tmp_path) -> None:
    from generator.build.output import write_engine_config

    project = Project(tmp_path)
    site = Site(
        pages={"index.md": "# Home\n", "feeds/all.xml": "<feed/>"},
        nav=[{"Home": "index.md"}],
        main_feed=("List: new papers", "feeds/all.xml"),
    )
    write_site(project, site, tmp_path / "out")
    assert (
        (tmp_path / "out" / "index.md").read_text().startswith("---\nfeeds:\n- title: 'List: new papers'\n")
    )
    assert (tmp_path / "out" / "feeds" / "all.xml").read_text() == "<feed/>"
    assert write_engine_config(project, site, keep_nav=False) is True
    assert "INHERIT: mkdocs.yml" in (tmp_path / "mkdocs.generated.yml").read_text()
    assert write_engine_config(project, site, keep_nav=False) is False  # same bytes: not rewritten
