"""Page metadata for the engines: each Markdown page's front matter lists the feeds its head links."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.site.head import pages_with_feeds, with_feeds

FEEDS = [("Reading list: new papers", "feeds/all.xml"), ("Optimization: new papers", "feeds/topic-opt.xml")]


def test_feeds_join_the_existing_front_matter() -> None:
    text = '---\ntitle: "Optimization"\n---\n\n# Optimization\n'
    body, meta = get_data(with_feeds(text, FEEDS))  # as MkDocs reads a page
    assert meta == {
        "title": "Optimization",
        "feeds": [{"title": t, "href": h} for t, h in FEEDS],
    }
    assert body == "# Optimization\n"


def test_a_page_without_front_matter_gets_one() -> None:
    body, meta = get_data(with_feeds("# Map\n\nText.\n", FEEDS[:1]))
    assert meta == {"feeds": [{"title": FEEDS[0][0], "href": FEEDS[0][1]}]} and body == "# Map\n\nText.\n"


def test_no_feeds_leaves_the_page_as_it_is() -> None:
    assert with_feeds("---\ntitle: x\n---\n\n# x\n", []) == "---\ntitle: x\n---\n\n# x\n"


def test_only_markdown_pages_get_metadata() -> None:
    pages = {"index.md": "# Home\n", "feeds/all.xml": "<feed/>", "bib/all.bib": "@misc{x,}"}
    out = pages_with_feeds(pages, lambda page: FEEDS[:1])
    assert out["feeds/all.xml"] == "<feed/>" and out["bib/all.bib"] == "@misc{x,}"
    assert out["index.md"].startswith("---\nfeeds:\n")


@given(st.text(min_size=1, max_size=80))
def test_any_title_reads_back_exactly(title: str) -> None:
    """Feed titles come from curator text (site and topic titles): quotes, colons, '---', YAML syntax
    and odd characters stay data and read back as written."""
    clean = "".join(c for c in title if c.isprintable() or c == " ")
    page = with_feeds('---\ntitle: "T"\n---\n\n# T\n', [(clean, "feeds/all.xml")])
    front = page.split("\n---\n", 1)[0].removeprefix("---\n")
    assert yaml.safe_load(front)["feeds"] == [{"title": clean, "href": "feeds/all.xml"}]
    assert page.endswith("\n---\n\n# T\n")


@given(st.lists(st.tuples(st.text(max_size=30), st.text(max_size=20)), min_size=1, max_size=4))
def test_the_feeds_lines_are_what_one_yaml_dump_of_them_gives(feeds: list[tuple[str, str]]) -> None:
    """Each feed's lines are dumped once and shared between pages; joined, they are the same text as
    dumping the page's whole list at once."""
    from generator.site.head import feeds_front_matter

    whole = [{"title": t, "href": h} for t, h in feeds]
    expected = yaml.safe_dump({"feeds": whole}, allow_unicode=True, sort_keys=False, width=1_000_000)
    assert feeds_front_matter(feeds) == expected
