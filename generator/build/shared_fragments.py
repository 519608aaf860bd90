"""Theme fragments drawn once per build for the pages that draw them alike (MkDocs and ProperDocs).

Material draws the sidebar navigation and the tabs for every page; for a page outside the navigation (a
tag listing, page 2 of a topic, the moved-papers page) neither depends on the page itself: no item is
the page, so none is current but the section its front matter names (``nav_section``), and every link
is relative to the page's folder. overrides/partials/nav.html and tabs.html hand their drawing to
:class:`SharedFragments` when the hook has put it in the templates' globals (``rl_shared``); it draws
the first such page's fragment and gives the others the same text. A page in the navigation, or one
whose folder holds a navigation page (its links to it would differ), is always drawn by the theme.
Engines without the hook (Zensical) draw every page themselves: the templates test for ``rl_shared``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any


class SharedFragments:
    """One build's shared fragments (a new instance per build: the navigation may change)."""

    def __init__(self) -> None:
        self._nav: Any = None  # the navigation the facts below are about
        self._in_nav: set[int] = set()
        self._urls: list[str] = []
        self._drawn: dict[tuple[str, str, str], Any] = {}

    def key(self, name: str, page: Any, nav: Any) -> tuple[str, str, str] | None:
        """What the fragment ``name`` depends on for ``page``, or None when it depends on the page."""
        if nav is not self._nav:  # the first call of a build, or another navigation: start again
            self._nav, self._drawn = nav, {}
            self._in_nav = {id(p) for p in getattr(nav, "pages", ())}
            self._urls = [p.url for p in getattr(nav, "pages", ())]
        meta = getattr(page, "meta", None) or {}
        section, url = meta.get("nav_section"), getattr(page, "url", None)
        if not isinstance(section, str) or not isinstance(url, str) or id(page) in self._in_nav:
            return None
        if any(other.startswith(url) for other in self._urls):  # includes url "" (the site root)
            return None
        # Links are relative to the page: pages in one folder (tags/a/ and tags/b/, or tags/a.html and
        # tags/b.html) are as deep and, with no navigation page under them, link alike.
        return name, section, posixpath.dirname(url.rstrip("/"))

    def __call__(self, name: str, page: Any, nav: Any, draw: Callable[[], Any]) -> Any:
        key = self.key(name, page, nav)
        if key is None:
            return draw()
        if key not in self._drawn:
            self._drawn[key] = draw()
        return self._drawn[key]
