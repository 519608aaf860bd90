"""Compose the stages: store + taxonomy -> classify -> related -> render, with a content-keyed cache.

The cache key is a digest of every input's bytes (store, taxonomy, templates, site settings) and of the
generator's own code, so an unchanged project skips all work, and a template edit skips enrichment.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import pickle
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from generator import __version__
from generator.build.schedule import Forked, gc_paused, worth_forking
from generator.checks import check_papers, raise_errors
from generator.core.environment import environment
from generator.core.errors import Problem, ReadingListError
from generator.core.model import Enriched, Paper, Taxonomy
from generator.core.project import Project
from generator.site.render import Settings, Site, make_environment, render_site
from generator.store import check_nesting, load_store, write_atomic
from generator.taxonomy.load import load_taxonomy

_CODE_DIR = Path(__file__).resolve().parent.parent  # the generator package


@dataclass
class Model:
    papers: list[Paper]
    taxonomy: Taxonomy
    enriched: Enriched
    problems: list[Problem]


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()[:32]


def _read(path: Path) -> bytes:
    return path.read_bytes() if path.is_file() else b""  # a folder in its place is reported by the reader


def _code_digest() -> bytes:
    files = sorted(_CODE_DIR.rglob("*.py")) + sorted((_CODE_DIR / "site" / "templates").rglob("*.j2"))
    return _digest(__version__.encode(), *(f.read_bytes() for f in files)).encode()


def _templates_digest(project: Project) -> bytes:
    if not project.templates.is_dir():
        return b""
    files = sorted(p for p in project.templates.rglob("*") if p.is_file())
    return _digest(
        *(f.relative_to(project.templates).as_posix().encode() + f.read_bytes() for f in files)
    ).encode()


def load_settings(project: Project) -> Settings:
    path = project.site_config
    if not path.exists():
        return Settings()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReadingListError(
            f"cannot read the settings: {exc}", str(path), hint="data/site.yaml must be a UTF-8 text file"
        ) from None
    check_nesting(text, str(path))
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ReadingListError(
            f"malformed YAML: {getattr(exc, 'problem', exc)}", str(path), mark.line + 1 if mark else None
        ) from None
    known = set(Settings.__dataclass_fields__)
    unknown = set(data) - known if isinstance(data, dict) else {"(not a mapping)"}
    if unknown:
        raise ReadingListError(
            f"unknown setting(s): {', '.join(sorted(map(str, unknown)))}",
            str(path),
            1,
            hint=f"known settings: {', '.join(sorted(known))}",
        )
    lines = {key.value: key.start_mark.line + 1 for key, _ in root.value} if data else {}
    data = {name: value for name, value in data.items() if value is not None}  # "name:" alone: the default
    for name, value in data.items():
        _check_setting(name, value, str(path), lines.get(name))
    return Settings(**data)


def _check_setting(name: str, value: object, path: str, line: int | None) -> None:
    """A setting has its default's type; counts are not negative and page sizes at least 1."""
    default = getattr(Settings(), name)
    kind = type(default)
    if not isinstance(value, kind) or isinstance(value, bool) is not isinstance(default, bool):
        raise ReadingListError(
            f"setting '{name}' should be {kind.__name__}, not {value!r}"[:200],
            path,
            line,
            hint=f"e.g. {name}: {json.dumps(default)}",
        )
    if kind is int and value < (1 if name.endswith("size") else 0):
        raise ReadingListError(
            f"setting '{name}' is too small: {value}", path, line, hint=f"e.g. {name}: {default}"
        )


class Cache:
    """Pickled values under .cache/readinglist, one file per kind, replaced when the key changes."""

    def __init__(self, folder: Path, enabled: bool = True):
        self.folder = folder
        self.enabled = enabled and not environment().no_cache

    def get(self, kind: str, key: str):
        path = self.folder / f"{kind}.pickle"
        if not self.enabled or not path.exists():
            return None
        try:
            with path.open("rb") as handle, gc_paused():  # a whole site of objects and no cycles
                stored_key, value = pickle.load(handle)
        except Exception:
            return None
        return value if stored_key == key else None

    def put(self, kind: str, key: str, value) -> None:
        if not self.enabled:
            return
        data = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(OSError):  # a read-only checkout still builds, just without a cache
            write_atomic(self.folder / f"{kind}.pickle", data)


def load_checked(project: Project) -> tuple[list[Paper], Taxonomy, list[Problem]]:
    """Read and validate the store and taxonomy; raises ReadingListError on any error."""
    with gc_paused():  # many small records and no cycles
        papers, problems = load_store(project.store)
    taxonomy = load_taxonomy(project.topics, project.tags)
    problems = problems + check_papers(papers, taxonomy, str(project.store))
    raise_errors(problems)
    return papers, taxonomy, problems


def load_model(project: Project, cache: Cache | None = None, enrich_key: str | None = None) -> Model:
    """Read and validate the store and taxonomy, then enrich (classify + related), cached by content."""
    papers, taxonomy, problems = load_checked(project)
    enriched = cache.get("enriched", enrich_key) if cache and enrich_key else None
    if enriched is None:
        enriched = enrich(papers, taxonomy)
        if cache and enrich_key:
            cache.put("enriched", enrich_key, enriched)
    return Model(papers, taxonomy, enriched, problems)


def _parallel(papers: list[Paper], parallel: bool | None) -> bool:
    return worth_forking(sum(1 for p in papers if not p.hidden)) if parallel is None else parallel


def enrich(papers: list[Paper], taxonomy: Taxonomy, parallel: bool | None = None) -> Enriched:
    """Topics and tags, and related papers, of the visible papers. The two halves are independent: with
    two or more cores and at least PARALLEL_MIN papers (or ``parallel=True``), related papers are
    computed in a forked child meanwhile (generator.parallel); the result is the same either way."""
    # Imported here: NumPy and SciPy cost ~0.4 s, which a build that finds everything cached never needs.
    from generator.enrich.classify import assign_all
    from generator.enrich.related import related_papers

    visible = [p for p in papers if not p.hidden]
    if not _parallel(papers, parallel):
        return Enriched(assignments=assign_all(visible, taxonomy), related=related_papers(visible))
    related = Forked(lambda: related_papers(visible))
    assignments = assign_all(visible, taxonomy)
    return Enriched(assignments=assignments, related=related.result())


def enrich_and_render(
    papers: list[Paper],
    taxonomy: Taxonomy,
    settings: Settings,
    env,
    parallel: bool | None = None,
) -> tuple[Enriched, Site]:
    """``enrich`` then ``render_site``, overlapped on 2+ cores: related papers (the longest part of
    enriching) are computed in a child while this process classifies and then renders every page that
    does not show related papers; topic pages follow once they arrive. Same results as one process."""
    from generator.enrich.classify import assign_all
    from generator.enrich.related import related_papers

    if not _parallel(papers, parallel):
        enriched = enrich(papers, taxonomy, parallel=False)
        return enriched, render_site(papers, taxonomy, enriched, settings, env, parallel=False)
    visible = [p for p in papers if not p.hidden]
    related = Forked(lambda: related_papers(visible))
    assignments = assign_all(visible, taxonomy)
    site = render_site(
        papers,
        taxonomy,
        Enriched(assignments=assignments),
        settings,
        env,
        parallel=True,
        related=related.result,
    )
    return Enriched(assignments=assignments, related=related.result()), site


def enrich_key(project: Project) -> str:
    """Cache key of the derived data: the generator's code, the store and the taxonomy."""
    return _digest(_code_digest(), _read(project.store), _read(project.topics), _read(project.tags))


def build_site(
    project: Project, use_cache: bool = True, *, site_url: str = "", directory_urls: bool = True
) -> Site:
    """The whole site in memory. Raises ReadingListError (file, line, hint) on any bad input.

    ``site_url`` and ``directory_urls`` come from mkdocs.yml (the hook passes them): feeds and citations
    link absolutely when the site's address is known (else to data/site.yaml's ``site_url``, if set).
    """
    cache = Cache(project.cache, use_cache)
    key = enrich_key(project)
    site_key = _digest(
        key.encode(),
        _templates_digest(project),
        _read(project.site_config),
        f"{site_url}|{directory_urls}".encode(),
    )
    site = cache.get("site", site_key)
    if site is not None:
        return site
    papers, taxonomy, _ = load_checked(project)
    env = make_environment(project.templates)
    settings = load_settings(project)
    settings = replace(settings, site_url=site_url or settings.site_url, directory_urls=directory_urls)
    enriched = cache.get("enriched", key)
    if enriched is not None:  # e.g. only a template or site.yaml changed
        site = render_site(papers, taxonomy, enriched, settings, env)
    else:
        enriched, site = enrich_and_render(papers, taxonomy, settings, env)
        cache.put("enriched", key, enriched)
    cache.put("site", site_key, site)
    return site


MANIFEST = "written.txt"


def write_site(project: Project, site: Site, out_dir: Path | None = None) -> tuple[int, int, int]:
    """Write pages under docs/ (or ``out_dir``), touching only files whose bytes changed, and remove
    pages written by an earlier build that are no longer generated. Returns (written, unchanged, removed)."""
    out = out_dir or project.docs
    manifest = project.cache / MANIFEST if out_dir is None else out / f".{MANIFEST}"
    previous = set(manifest.read_text().split("\n")) - {""} if manifest.exists() else set()
    written = unchanged = removed = 0
    for rel, content in sorted(site.pages.items()):
        path = out / rel
        data = content.encode("utf-8")
        if path.exists() and path.stat().st_size == len(data) and path.read_bytes() == data:
            unchanged += 1
            continue
        write_atomic(path, data)
        written += 1
    for rel in sorted(previous - set(site.pages)):
        path = out / rel
        if path.is_file():
            path.unlink()
            removed += 1
    listing = "\n".join(sorted(site.pages)) + "\n"
    if not manifest.exists() or manifest.read_text() != listing:
        write_atomic(manifest, listing)
    return written, unchanged, removed
