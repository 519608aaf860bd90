"""Page metadata every site engine reads: each Markdown page's front matter gains ``feeds``, the Atom
feeds its head links (overrides/main.html renders them as <link rel="alternate">), so that MkDocs,
ProperDocs and Zensical all link them without a hook."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

import yaml

FRONT_MATTER = "---\n"

# (title, site-root-relative path) of the feeds a page links in its head
FeedsFor = Callable[[str], list[tuple[str, str]]]


def feeds_front_matter(feeds: list[tuple[str, str]]) -> str:
    """The ``feeds:`` lines of a page's front matter (YAML, every title quoted as YAML needs): the text
    ``yaml.safe_dump({"feeds": [...]})`` gives, made of one memoized dump per feed (pages share them)."""
    return "feeds:\n" + "".join(_feed_item(title, path) for title, path in feeds)


@functools.lru_cache(maxsize=4096)
def _feed_item(title: str, path: str) -> str:
    item = [{"title": title, "href": path}]
    return yaml.safe_dump(item, allow_unicode=True, sort_keys=False, width=1_000_000)


def front_matter_close(text: str) -> int:
    """Offset of the ``\n---\n`` that closes a page's front matter, -1 when the page has none."""
    if not text.startswith(FRONT_MATTER):
        return -1
    return text.find("\n---\n", len(FRONT_MATTER) - 1)


def with_feeds(text: str, feeds: list[tuple[str, str]]) -> str:
    """``text`` (a Markdown page) with ``feeds`` added to its front matter (made if it has none)."""
    if not feeds:
        return text
    block = feeds_front_matter(feeds)
    end = front_matter_close(text)
    if end >= 0:
        return text[: end + 1] + block + text[end + 1 :]
    return FRONT_MATTER + block + FRONT_MATTER + "\n" + text


def pages_with_feeds(pages: Mapping[str, str], feeds_for: FeedsFor) -> dict[str, str]:
    """Every page, the Markdown ones with their head feeds in their front matter."""
    return {
        rel: with_feeds(text, feeds_for(rel)) if rel.endswith(".md") else text for rel, text in pages.items()
    }
