"""MkDocs hook: run the readinglist generator on every `mkdocs build` / `mkdocs serve`.

The convenient in-memory path for MkDocs; it adds nothing the written pages lack. Thin by design: build
the site model (cached by content), add each page as an in-memory file exactly as
`python -m generator build` writes it (front matter included: overrides/main.html links each page's
feeds from it), set the navigation if mkdocs.yml has none, say which address the site uses, and turn
the project's errors into a clean PluginError. ProperDocs and Zensical build the written pages instead
(mkdocs.generated.yml; README "Engines").

Two things make it cheaper, never different: each page's verbatim raw HTML is set aside before
Python-Markdown and put back after (generator/build/raw_blocks.py), and `mkdocs serve --dirty`
(`make serve`) renders only the pages that changed (generator/build/rebuild.py).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

sys.path.insert(0, str(Path(__file__).parent))  # works without `pip install -e .` too

from generator.build.engine_config import read_engine_settings  # noqa: E402
from generator.build.output import engine_pages  # noqa: E402
from generator.build.raw_blocks import put_back, set_aside  # noqa: E402
from generator.build.rebuild import PageMemory, TemplateBytecode, fingerprint, warm_up  # noqa: E402
from generator.build.shared_fragments import SharedFragments  # noqa: E402
from generator.build.stages import build_site  # noqa: E402
from generator.core.errors import ReadingListError  # noqa: E402
from generator.core.project import Project  # noqa: E402
from generator.search.index import IndexRun, start_index  # noqa: E402
from generator.site.environment import TEMPLATES  # noqa: E402

log = logging.getLogger("mkdocs.hooks.readinglist")
_auto_nav = None
_index: IndexRun | None = None  # the paper search's indexer, running beside MkDocs (until on_post_build)
_blocks: dict[str, list[str]] = {}  # page -> its raw HTML blocks, set aside for Python-Markdown
_dirty = False  # `mkdocs serve --dirty` (make serve): render only the pages that changed
_live = False  # `mkdocs serve --dirty`: a rebuild does not wait for the paper search index
_memory = PageMemory()


_theme_bytecode = TemplateBytecode()  # Material's compiled templates, across serve rebuilds
_warmed = False  # `mkdocs serve --dirty`: the first build has started readying the process for the next


class _Page(File):
    """A generated page that, in a dirty rebuild, says whether it changed since the last build."""

    unchanged = False

    def is_modified(self) -> bool:
        return not self.unchanged


def on_startup(command, dirty):
    global _dirty, _live
    _dirty = dirty
    _live = dirty and command == "serve"


def on_config(config):
    global _auto_nav
    _auto_nav = not config.nav  # remember: the curator may have written a nav of their own
    source = read_engine_settings(Path(config.config_file_path).parent).site_url_source
    log.info(f"readinglist: site_url {config.site_url or '(none)'} ({source})")
    return config


def on_files(files: Files, config) -> Files:
    project = Project(Path(config.config_file_path).parent)
    started: list[bool] = []

    def index_now(records) -> None:  # before the pages are rendered: it has the longest way to go
        _start_search_index(records, Path(config.site_dir))
        started.append(True)

    try:
        site = build_site(
            project,
            site_url=config.site_url or "",
            directory_urls=config.use_directory_urls,
            records_ready=index_now,
        )
    except ReadingListError as exc:
        raise PluginError(f"readinglist: {exc}") from None
    if not started:  # the whole site came from the cache
        index_now(site.search_records)
    _blocks.clear()
    pages = engine_pages(site)
    unchanged = _unchanged_pages(pages, site.nav, files, config)
    for rel, content in sorted(pages.items()):
        if rel.endswith(".md") and rel not in unchanged:
            content, blocks = set_aside(content)  # put back in on_page_content: same HTML, less work
            if blocks:
                _blocks[rel] = blocks
        existing = files.get_file_from_path(rel)
        if existing is not None:  # a copy written by `python -m generator build`: the fresh one wins
            files.remove(existing)
        inclusion = InclusionLevel.NOT_IN_NAV if rel in site.not_in_nav else InclusionLevel.UNDEFINED
        page = _Page.generated(config, rel, content=content, inclusion=inclusion)
        page.unchanged = rel in unchanged
        files.append(page)
    if _auto_nav:
        config.nav = site.nav
    return files


def _unchanged_pages(pages: dict[str, str], nav, files: Files, config) -> set[str]:
    """In a dirty rebuild: the generated pages that need no rendering (generator/build/rebuild.py).

    Every page Material's search indexes is rendered again and its previous index dropped (Material
    would merge it with the new one page by page), so the site search stays whole; a page written by
    hand is always rendered again."""
    search = config.plugins.get("material/search")
    if not _dirty or (search is not None and not hasattr(search, "search_index_prev")):
        return set()
    if search is not None:
        search.search_index_prev = None
    for file in files.documentation_pages():
        file.is_modified = lambda: True  # a curator's own page: rendered again, it may be searched
    theme = (
        [p for p in Path(config.theme.custom_dir).rglob("*") if p.is_file()]
        if config.theme.custom_dir
        else []
    )
    watched = [Path(config.config_file_path), *theme]
    return _memory.unchanged(pages, fingerprint((nav, config.nav if not _auto_nav else None), pages, watched))


def _start_search_index(records, site_dir: Path) -> None:
    """The paper search's Pagefind bundle is built on another core while MkDocs renders the pages."""
    global _index
    if _index is not None:
        _index.cancel()
    _index = start_index(records, site_dir)


def on_post_build(config):
    global _index, _warmed
    _memory.finished()
    if _live and not _warmed:
        _warmed = True
        warm_up(Project(Path(config.config_file_path).parent))
    if _index is not None and _live:
        # A live preview does not wait: the pages are served, the paper search follows (the next
        # rebuild cancels this run if it is still indexing).
        _index.finish_later()
        return
    run, _index = _index, None
    if run is not None:
        try:
            run.finish()  # site/pagefind/
        except ReadingListError as exc:
            raise PluginError(f"readinglist: {exc}") from None


def on_build_error(error):
    global _index
    _memory.forget()
    run, _index = _index, None
    if run is not None:
        run.cancel()


def on_env(env, config, files):
    if _dirty:
        env.bytecode_cache = _theme_bytecode
    env.globals["rl_shared"] = SharedFragments()  # overrides/partials/nav.html and tabs.html
    return env


def on_page_content(html: str, page, config, files) -> str:
    blocks = _blocks.get(page.file.src_uri)
    return put_back(html, blocks) if blocks else html


def on_serve(server, config, builder):
    server.watch(str(TEMPLATES))  # template edits rebuild the site during `mkdocs serve`
    return server
