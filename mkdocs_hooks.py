"""MkDocs hook: run the readinglist generator on every `mkdocs build` / `mkdocs serve`.

The convenient in-memory path for MkDocs; it adds nothing the written pages lack. Thin by design: build
the site model (cached by content), add each page as an in-memory file exactly as
`python -m generator build` writes it (front matter included: overrides/main.html links each page's
feeds from it), set the navigation if mkdocs.yml has none, say which address the site uses, and turn
the project's errors into a clean PluginError. ProperDocs and Zensical build the written pages instead
(mkdocs.generated.yml; README "Engines").
"""

from __future__ import annotations

import logging
import posixpath
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

sys.path.insert(0, str(Path(__file__).parent))  # works without `pip install -e .` too

from generator.build.engine_config import read_engine_settings  # noqa: E402
from generator.build.output import engine_pages  # noqa: E402
from generator.build.raw_blocks import put_back, set_aside  # noqa: E402
from generator.build.stages import build_site  # noqa: E402
from generator.core.errors import ReadingListError  # noqa: E402
from generator.core.project import Project  # noqa: E402
from generator.search.index import IndexRun, start_index  # noqa: E402
from generator.site.environment import TEMPLATES  # noqa: E402

log = logging.getLogger("mkdocs.hooks.readinglist")
_auto_nav = None
_section = None  # the navigation page marked current for a page outside the navigation
_index: IndexRun | None = None  # the paper search's indexer, running beside MkDocs until on_post_build
_blocks: dict[str, list[str]] = {}  # page -> its raw HTML blocks, set aside for Python-Markdown


def on_config(config):
    global _auto_nav
    _auto_nav = not config.nav  # remember: the curator may have written a nav of their own
    source = read_engine_settings(Path(config.config_file_path).parent).site_url_source
    log.info(f"readinglist: site_url {config.site_url or '(none)'} ({source})")
    return config


def on_files(files: Files, config) -> Files:
    project = Project(Path(config.config_file_path).parent)
    try:
        site = build_site(project, site_url=config.site_url or "", directory_urls=config.use_directory_urls)
    except ReadingListError as exc:
        raise PluginError(f"readinglist: {exc}") from None
    _blocks.clear()
    for rel, content in sorted(engine_pages(site).items()):
        if rel.endswith(".md"):
            content, blocks = set_aside(content)  # put back in on_page_content: same HTML, less work
            if blocks:
                _blocks[rel] = blocks
        existing = files.get_file_from_path(rel)
        if existing is not None:  # a copy written by `python -m generator build`: the fresh one wins
            files.remove(existing)
        inclusion = InclusionLevel.NOT_IN_NAV if rel in site.not_in_nav else InclusionLevel.UNDEFINED
        files.append(File.generated(config, rel, content=content, inclusion=inclusion))
    if _auto_nav:
        config.nav = site.nav
    _start_search_index(site.search_records, Path(config.site_dir))
    return files


def _start_search_index(records, site_dir: Path) -> None:
    """The paper search's Pagefind bundle is built on another core while MkDocs renders the pages."""
    global _index
    if _index is not None:
        _index.cancel()
    _index = start_index(records, site_dir)


def on_post_build(config):
    global _index
    run, _index = _index, None
    if run is not None:
        try:
            run.finish()  # site/pagefind/
        except ReadingListError as exc:
            raise PluginError(f"readinglist: {exc}") from None


def on_build_error(error):
    global _index
    run, _index = _index, None
    if run is not None:
        run.cancel()


def on_page_content(html: str, page, config, files) -> str:
    blocks = _blocks.get(page.file.src_uri)
    return put_back(html, blocks) if blocks else html


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
    global _section
    if _section is not None:
        _section.active = False
        _section = None
    return output


def on_serve(server, config, builder):
    server.watch(str(TEMPLATES))  # template edits rebuild the site during `mkdocs serve`
    return server
