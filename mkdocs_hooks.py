"""MkDocs hook: run the readinglist generator on every `mkdocs build` / `mkdocs serve`.

Thin by design: build the site model (cached by content), add each page as an in-memory file, set the
navigation if mkdocs.yml has none, link each page's Atom feeds in its head, and turn the project's
errors into a clean PluginError.
"""

from __future__ import annotations

import html
import posixpath
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).parent))  # works without `pip install -e .` too

from generator.build.stages import build_site  # noqa: E402
from generator.core.errors import ReadingListError  # noqa: E402
from generator.core.project import Project  # noqa: E402
from generator.site.environment import TEMPLATES  # noqa: E402
from generator.site.render import Site  # noqa: E402

_auto_nav = None
_site: Site | None = None  # the last site built, for the feed links in each page's head
_section = None  # the navigation page marked current for a page outside the navigation


def on_config(config):
    global _auto_nav
    _auto_nav = not config.nav  # remember: the curator may have written a nav of their own
    return config


def on_files(files: Files, config) -> Files:
    global _site
    project = Project(Path(config.config_file_path).parent)
    try:
        site = build_site(project, site_url=config.site_url or "", directory_urls=config.use_directory_urls)
    except ReadingListError as exc:
        raise PluginError(f"readinglist: {exc}") from None
    _site = site
    for rel, content in sorted(site.pages.items()):
        existing = files.get_file_from_path(rel)
        if existing is not None:  # a copy written by `python -m generator build`: the fresh one wins
            files.remove(existing)
        inclusion = InclusionLevel.NOT_IN_NAV if rel in site.not_in_nav else InclusionLevel.UNDEFINED
        files.append(File.generated(config, rel, content=content, inclusion=inclusion))
    if _auto_nav:
        config.nav = site.nav
    return files


def on_page_context(context, page, config, nav):
    """A page outside the navigation marks the navigation page it belongs to as current, so its tab is
    highlighted: a later page of a listing (``x-2.md``) its first page, a tag listing the tag index (the
    ``index.md`` of its folder). on_post_page clears the mark before the next page."""
    global _section
    if page in nav.pages:
        return context
    stem, ext = posixpath.splitext(page.file.src_uri)
    candidates = (re.sub(r"-[0-9]+$", "", stem) + ext, posixpath.join(posixpath.dirname(stem), "index.md"))
    in_nav = {item.file.src_uri: item for item in nav.pages}
    _section = next((in_nav[c] for c in candidates if c in in_nav and in_nav[c] is not page), None)
    if _section is not None:
        _section.active = True
    return context


def on_post_page(output: str, page, config) -> str:
    """Link the page's Atom feeds in its head (<link rel="alternate">), so feed readers find them; clear
    the current mark on_page_context set."""
    global _section
    if _section is not None:
        _section.active = False
        _section = None
    if _site is None:
        return output
    links = "".join(
        f'<link rel="alternate" type="application/atom+xml" title="{html.escape(title)}" '
        f'href="{html.escape(get_relative_url(path, page.url))}">'
        for title, path in _site.head_feeds(page.file.src_uri)
    )
    return output.replace("</head>", links + "</head>", 1) if links else output


def on_serve(server, config, builder):
    server.watch(str(TEMPLATES))  # template edits rebuild the site during `mkdocs serve`
    return server
