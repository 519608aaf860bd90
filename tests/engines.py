"""Build a project's site with each engine exactly as `make site ENGINE=...` does, and read back what
the engines write differently (their search index), so that one set of end-to-end checks runs on all.

- ``mkdocs``: `mkdocs build --strict` with mkdocs.yml; mkdocs_hooks.py runs the generator in memory.
- ``properdocs``, ``zensical``: `python -m generator build` writes the pages (with their front matter)
  into docs/ and the navigation into mkdocs.generated.yml (INHERIT: mkdocs.yml, no hook), which the
  engine then builds with --strict. Neither runs our hook, so these builds prove that no hook is needed.

The site always lands in ``project/site`` (Zensical has no output-folder option).
"""

from __future__ import annotations

import gzip
import html
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from conftest import REPO, SITE_URL, run_cli

ENGINES = ("mkdocs", "properdocs", "zensical")
__all__ = ["ENGINES", "GENERATED_CONFIG", "SITE_URL", "build_with", "engine_command", "search_docs"]
GENERATED_CONFIG = (
    "mkdocs.generated.yml"  # written by `python -m generator build` (Makefile: GENERATED_CONFIG)
)


def engine_command(engine: str) -> list[str]:
    """The engine's strict build command, as the Makefile runs it (from the project folder)."""
    if engine == "mkdocs":
        return [sys.executable, "-m", "mkdocs", "build", "--strict"]
    if engine == "properdocs":
        return [sys.executable, "-m", "properdocs", "build", "--strict", "-f", GENERATED_CONFIG]
    if engine == "zensical":
        return [sys.executable, "-m", "zensical", "build", "--strict", "-f", GENERATED_CONFIG]
    raise ValueError(f"unknown engine {engine!r}; known: {', '.join(ENGINES)}")


def build_with(engine: str, project: Path, *, env: dict | None = None) -> subprocess.CompletedProcess:
    """Build ``project`` into ``project/site`` with ``engine``; fails the test with the engine's output."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    if engine != "mkdocs":
        run_cli("build", cwd=project, check=True, env=env)
    result = subprocess.run(
        engine_command(engine), cwd=project, env=full_env, capture_output=True, text=True, timeout=1200
    )
    if result.returncode != 0:
        raise AssertionError(f"{engine} build --strict failed:\n{result.stdout}\n{result.stderr}")
    if engine != "mkdocs":  # the paper search's bundle (the MkDocs hook builds it in memory)
        index = subprocess.run(
            [sys.executable, "-m", "generator.search", "site"],
            cwd=project,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=1200,
        )
        if index.returncode != 0:
            raise AssertionError(f"python -m generator.search failed:\n{index.stdout}\n{index.stderr}")
    return result


@dataclass(frozen=True)
class SearchDoc:
    """One entry of an engine's search index: where it points, its title and text (both HTML)."""

    location: str
    title: str
    text: str


def search_docs(site: Path) -> list[SearchDoc]:
    """The search index an engine wrote: MkDocs/ProperDocs (Material's search plugin) write
    search/search_index.json ({"docs": [...]}), Zensical writes search.json ({"items": [...]})."""
    material = site / "search" / "search_index.json"
    zensical = site / "search.json"
    if material.is_file():
        entries = json.loads(material.read_text(encoding="utf-8"))["docs"]
    elif zensical.is_file():
        entries = json.loads(zensical.read_text(encoding="utf-8"))["items"]
    else:
        raise AssertionError(f"{site}: no search index (search/search_index.json or search.json)")
    return [SearchDoc(e["location"], e["title"], e["text"]) for e in entries] + paper_search_docs(site)


def paper_search_docs(site: Path) -> list[SearchDoc]:
    """The paper search's records (site/pagefind, one gzipped JSON fragment per paper; topic pages are
    left out of the engine's own index), as HTML like the engines' entries."""
    out = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd") :])
        meta = data["meta"]
        out.append(SearchDoc(meta["url"], html.escape(meta["title"]), html.escape(data["content"])))
    return out
