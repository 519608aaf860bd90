"""Pagination (generator/site/pagination.py) and the pager template it feeds (pager.md.j2)."""

from __future__ import annotations

from generator.site.environment import make_environment
from generator.site.pagination import chunk, chunks, pager


def test_chunks_split_at_size_and_an_empty_listing_is_one_page() -> None:
    assert chunks(list(range(5)), 2) == [[0, 1], [2, 3], [4]]
    assert chunks(list(range(4)), 2) == [[0, 1], [2, 3]]
    assert chunks([], 3) == [[]]
    assert chunks((1, 2), 5) == [(1, 2)]


def test_chunk_past_the_last_page_is_empty() -> None:
    pages = chunks(list(range(5)), 2)
    assert (chunk(pages, 1), chunk(pages, 3), chunk(pages, 4)) == ([0, 1], [4], [])


def test_pager_marks_the_current_page_and_is_empty_for_one_page() -> None:
    assert pager(1, 1, lambda n: f"p{n}") == []
    assert pager(3, 2, lambda n: f"p{n}") == [
        {"number": 1, "url": "p1", "current": False},
        {"number": 2, "url": "p2", "current": True},
        {"number": 3, "url": "p3", "current": False},
    ]


INLINE_PAGER = (  # the loop topic.md.j2 and tag.md.j2 drew inline before pager.md.j2
    "{% for pg in pages %}{% if pg.current %}**{{ pg.number }}**{% else %}[{{ pg.number }}]({{ pg.url }})"
    '{% endif %}{{ " · " if not loop.last }}{% endfor %}'
)


def test_pager_template_draws_links_and_the_current_number_in_bold() -> None:
    env = make_environment()
    pages = pager(3, 2, lambda n: f"t-{n}.md")
    text = env.from_string('Page: {% include "pager.md.j2" %}\n\nnext line\n').render(pages=pages)
    assert text == "Page: [1](t-1.md) · **2** · [3](t-3.md)\nnext line\n"
    inline = env.from_string(f"Page: {INLINE_PAGER}\n\nnext line\n").render(pages=pages)
    assert text == inline
