"""Index the paper search into a built site: ``python -m generator.search SITE_DIR``.

For engines that run no MkDocs hook (``make site ENGINE=zensical|properdocs``): the records come from
the same cached build as ``python -m generator build`` (same site_url and URL style from mkdocs.yml),
and the bundle lands in ``SITE_DIR/pagefind``. The MkDocs hook does the same in memory.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.build.engine_config import read_engine_settings
from generator.build.stages import build_site
from generator.core.errors import ReadingListError
from generator.core.project import Project
from generator.search.index import build_index


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m generator.search SITE_DIR", file=sys.stderr)
        return 2
    project = Project(Path.cwd())
    try:
        engine = read_engine_settings(project.root)
        site = build_site(project, site_url=engine.site_url, directory_urls=engine.directory_urls)
        count = build_index(site.search_records, Path(args[0]))
    except ReadingListError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"paper search: {count} papers indexed into {Path(args[0]) / 'pagefind'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
