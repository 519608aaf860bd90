"""Which pages a live rebuild (``mkdocs serve --dirty``, ``make serve``) may leave as they are.

MkDocs' dirty mode renders only the pages whose file says it is modified; an in-memory page always says
so. The hook asks this memory instead: a page is unchanged when its text is the same as in the last
finished build and nothing every page shows has changed since (the navigation, the list of pages, the
engine's configuration and theme files: ``fingerprint``). Pages that Material's site search indexes are
always rebuilt, so its index, rebuilt from the pages of each build, stays whole. A failed build forgets
everything, so the next one renders every page. :class:`TemplateBytecode` keeps the theme's compiled
templates between rebuilds; :func:`warm_up` readies the process for the first rebuild.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

import jinja2

from generator.core.errors import ReadingListError
from generator.core.model import visible
from generator.core.project import Project
from generator.site.head import FRONT_MATTER, front_matter_close


def digest(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def searched(text: str) -> bool:
    """True when Material's search indexes this page (its front matter does not exclude it)."""
    end = front_matter_close(text)
    front = text[len(FRONT_MATTER) : end] if end > 0 else ""
    return not re.search(r"^search:\n  exclude: true\b", front, re.M)


def fingerprint(nav: object, pages: Iterable[str], config_files: Iterable[Path]) -> str:
    """What every page shows besides its own text: the navigation, which pages exist, and the engine's
    configuration and theme files (their paths, sizes and modification times)."""
    parts = [repr(nav), "\n".join(sorted(pages))]
    for path in sorted(config_files):
        try:
            stat = path.stat()
        except OSError:
            parts.append(f"{path} missing")
            continue
        parts.append(f"{path} {stat.st_size} {stat.st_mtime_ns}")
    return digest("\n".join(parts))


class PageMemory:
    """The page digests of the last finished build."""

    def __init__(self) -> None:
        self._pages: dict[str, str] = {}
        self._fingerprint: str | None = None
        self._pending: tuple[dict[str, str], str] | None = None

    def unchanged(self, pages: Mapping[str, str], fingerprint: str) -> set[str]:
        """The pages of this build that need no rendering; remembered as the last build once it finishes."""
        digests = {rel: digest(text) for rel, text in pages.items()}
        self._pending = (digests, fingerprint)
        if fingerprint != self._fingerprint:
            return set()
        return {
            rel
            for rel, value in digests.items()
            if self._pages.get(rel) == value and not (rel.endswith(".md") and searched(pages[rel]))
        }

    def finished(self) -> None:
        if self._pending is not None:
            self._pages, self._fingerprint = self._pending
        self._pending = None

    def forget(self) -> None:
        self._pages, self._fingerprint, self._pending = {}, None, None


class TemplateBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in memory across `mkdocs serve` rebuilds (MkDocs makes a new template
    environment, and so compiles Material's templates again, at every rebuild). Jinja checks each
    template's source checksum, so an edited template is compiled afresh."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def warm_up(project: Project) -> threading.Thread:
    """Ready this process for the next rebuild, in a background thread, while the curator reads: import
    the enrichment code (NumPy, SciPy: a build served from the cache never needed it), match the rules
    on the store's papers (``classify``'s memo then matches only the papers an edit changes) and
    compile the generator's templates. It changes no result, only what the next rebuild has to redo;
    a store or template that does not load is left for the rebuild to report."""

    def run() -> None:
        from generator.build.stages import load_checked
        from generator.enrich import related  # noqa: F401 - imported for the rebuild
        from generator.enrich.classify import assign_all_rules
        from generator.site.environment import TEMPLATES, reused_environment

        try:
            env = reused_environment(project.templates)
            for template in sorted(TEMPLATES.glob("*.j2")):
                env.get_template(template.name)  # a curator's copy of the same name, if there is one
            papers, taxonomy, _ = load_checked(project)
        except (ReadingListError, OSError):
            return
        assign_all_rules(visible(papers), taxonomy)  # the papers a build enriches

    thread = threading.Thread(target=run, name="readinglist-warm-up", daemon=True)
    thread.start()
    return thread
