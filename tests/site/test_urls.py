"""The URL scheme (generator/site/urls.py): page paths, MkDocs' URLs and the links between them."""

from __future__ import annotations

import posixpath

import pytest

from generator.site.urls import (
    UNSORTED,
    Links,
    Ref,
    absolute_url,
    bib_path,
    feed_path,
    page_url,
    relative,
    tag_page,
    topic_page,
    url_between,
)


@pytest.mark.parametrize(
    ("target", "page", "expected"),
    [
        (Ref("topics/a/index.md", "x"), "topics/a/index.md", "#x"),
        (Ref("topics/b/index.md", "x"), "topics/a/index.md", "../b/index.md#x"),
        (Ref("topics/a/index.md"), "topics/a/index.md", "index.md"),
        (Ref("index.md"), "topics/a/index.md", "../../index.md"),
        (Ref("topics/a/index.md"), "index.md", "topics/a/index.md"),
        (Ref("topics/a-2/index.md", "p"), "tags/t/index.md", "../../topics/a-2/index.md#p"),
        (Ref("unsorted/index.md", "p"), "unsorted/index.md", "#p"),
        (Ref("unsorted/index.md", "p"), "topics/a/index.md", "../../unsorted/index.md#p"),
        (Ref("tags/index.md"), "tags/t/index.md", "../index.md"),
        (Ref("index.md", "x"), "topics/index.md", "../index.md#x"),
        (Ref("a/b/c.md", "z"), "x/y.md", "../a/b/c.md#z"),
    ],
)
def test_relative(target: Ref, page: str, expected: str) -> None:
    assert relative(target, page) == expected
    path, _, anchor = expected.partition("#")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
    assert (resolved, anchor) == (target.path, target.anchor)
    assert Links()(target.path, page, target.anchor) == expected  # the memoized form agrees


def test_memoized_links_agree_when_reused_across_pages_of_one_folder() -> None:
    links = Links()
    for page in (
        "topics/a/index.md",
        "topics/b/index.md",
        "tags/t/index.md",
        "index.md",
        "topics/a/index.md",
    ):
        for target in ("index.md", "topics/a/index.md", "tags/index.md", "unsorted-2/index.md"):
            assert links(target, page, "p") == relative(Ref(target, "p"), page)


@pytest.mark.parametrize(
    ("path", "directory_urls", "expected"),
    [
        ("index.md", True, ""),
        ("topics/opt/index.md", True, "topics/opt/"),
        ("tags/index.md", True, "tags/"),
        ("topics/opt/index.md", False, "topics/opt/index.html"),
        ("index.md", False, "index.html"),
        ("feeds/all.xml", True, "feeds/all.xml"),
    ],
)
def test_page_url_is_the_url_mkdocs_gives_a_page(path: str, directory_urls: bool, expected: str) -> None:
    assert page_url(path, directory_urls) == expected


@pytest.mark.parametrize(
    ("source", "target", "anchor", "directory_urls", "expected"),
    [
        ("feeds/all.xml", "topics/opt/index.md", "p1", True, "../topics/opt/#p1"),
        ("feeds/all.xml", "index.md", "", True, "../"),
        ("map.md", "topics/opt/index.md", "", True, "../topics/opt/"),
        ("map.md", "map.md", "x", True, "./#x"),
        ("map.md", "topics/opt/index.md", "", False, "topics/opt/index.html"),
        ("index.md", "tags/index.md", "", True, "tags/"),
    ],
)
def test_url_between_built_files(
    source: str, target: str, anchor: str, directory_urls: bool, expected: str
) -> None:
    assert url_between(source, target, anchor, directory_urls) == expected


def test_absolute_url_only_with_a_site_url() -> None:
    assert absolute_url("", "topics/opt/index.md", "p") == ""
    assert (
        absolute_url("https://x.org/list/", "topics/opt/index.md", "p") == "https://x.org/list/topics/opt/#p"
    )
    assert absolute_url("https://x.org", "index.md", directory_urls=False) == "https://x.org/index.html"


def test_page_paths() -> None:
    assert (topic_page("opt"), topic_page("opt", 2)) == ("topics/opt/index.md", "topics/opt-2/index.md")
    assert (topic_page(UNSORTED), topic_page(UNSORTED, 3)) == ("unsorted/index.md", "unsorted-3/index.md")
    assert (tag_page("gp"), tag_page("gp", 2)) == ("tags/gp/index.md", "tags/gp-2/index.md")
    assert (feed_path(), feed_path("topic", "opt"), feed_path("tag", "gp")) == (
        "feeds/all.xml",
        "feeds/topic-opt.xml",
        "feeds/tag-gp.xml",
    )
    assert (bib_path(), bib_path("opt")) == ("bib/all.bib", "bib/topics/opt.bib")
