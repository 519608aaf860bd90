"""Splitting a listing into pages, and the page-number links of its pager (``pager.md.j2``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """``items`` in pages of at most ``size``; an empty listing is one empty page."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def chunk(pages: list[Sequence[T]], number: int) -> Sequence[T]:
    """Page ``number`` (from 1) of ``pages``, empty past the last one."""
    return pages[number - 1] if number <= len(pages) else []


def pager(count: int, number: int, url_of: Callable[[int], str]) -> list[dict]:
    """The links of a pager on page ``number`` of ``count``: ``{number, url, current}`` per page, as
    ``pager.md.j2`` draws them; none for a listing of one page."""
    if count <= 1:
        return []
    return [{"number": n, "url": url_of(n), "current": n == number} for n in range(1, count + 1)]
