"""The I/O edge of each command: read files, call the pure stages, write results, return messages.

``cli.py`` is a thin click layer over these functions; tests call them directly too.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.schedule import gc_paused
from generator.core.environment import environment, iso_date
from generator.core.errors import Problem, ReadingListError
from generator.core.model import visible
from generator.core.project import Project
from generator.sources import inputs
from generator.sources.merge import Summary, merge_entries
from generator.sources.parse import parse_file
from generator.store import load_store, save_store, store_lock

RAW_SUFFIXES = inputs.RAW_SUFFIXES


@dataclass
class IngestReport:
    summary: Summary
    written: bool
    errors: list[ReadingListError] = field(default_factory=list)


def today() -> str:
    """Today's date, or the one given by READINGLIST_TODAY / SOURCE_DATE_EPOCH (for reproducible runs)."""
    return environment().date_today()


def collect_files(paths: Iterable[Path], project: Project | None = None) -> list[Path]:
    """The files an ingest of ``paths`` reads (see :mod:`generator.sources.inputs`: no symlinks, nothing
    outside the folders given, never the project's own store, taxonomy, settings or templates)."""
    return inputs.collect_files(paths, project or Project(Path(".")))


def ingest(
    project: Project,
    paths: Sequence[Path],
    fmt: str = "auto",
    date: str | None = None,
    skip_bad: bool = False,
    dry_run: bool = False,
) -> IngestReport:
    """Parse ``paths`` and merge them into the store. All or nothing: a bad file aborts the run unless
    ``skip_bad``; the store is written atomically, under a lock, and only if its bytes change."""
    date = iso_date(date, "--date") if date is not None else today()  # validated before anything is read
    with gc_paused():  # entries, papers and sources form no reference cycles (see build.schedule.gc_paused)
        return _ingest(project, paths, fmt, date, skip_bad, dry_run)


def _ingest(
    project: Project, paths: Sequence[Path], fmt: str, date: str | None, skip_bad: bool, dry_run: bool
) -> IngestReport:
    files = collect_files(paths, project)
    if not files:
        raise ReadingListError(
            "no input files found",
            ", ".join(str(p) for p in paths),
            hint="pass raw dump files or a folder such as data/raw",
        )
    entries = []
    problems: list[Problem] = []
    errors: list[ReadingListError] = []
    labels = []
    formats: list[tuple[str, str, str]] = []
    progress: Iterable[Path] = files
    if len(files) >= 20 and sys.stderr.isatty():  # tqdm (slow to import) only where it shows a bar
        from tqdm import tqdm

        progress = tqdm(files, desc="reading", unit="file")
    for path in progress:
        label = project.label(path)
        try:
            result = parse_file(path, label, fmt)
        except ReadingListError as exc:
            errors.append(exc)
            continue
        labels.append(label)
        formats.append((label, result.fmt, result.reason))
        entries.extend(result.entries)
        problems.extend(result.problems)
    with store_lock(project.data):
        papers, store_problems = load_store(project.store)
        fatal = [p for p in store_problems if p.severity == "error"]
        if fatal:
            raise fatal[0].as_error()
        merged, summary = merge_entries(papers, entries, date, labels)
        summary.files = len(labels)
        summary.formats = formats
        summary.problems = problems + summary.problems
        if (errors and not skip_bad) or not entries:
            if not entries and not errors:
                errors.append(
                    ReadingListError(
                        "nothing usable: no paper found in the input",
                        ", ".join(labels),
                        hint="check the warnings above",
                    )
                )
            return IngestReport(summary, False, errors)
        written = False if dry_run else save_store(project.store, merged)
    return IngestReport(summary, written, errors)


def check(project: Project) -> list[Problem]:
    """Every problem in the store and the taxonomy, located; errors first. Raises only on unreadable YAML."""
    from generator.checks import check_papers, check_review, check_rules
    from generator.enrich.classify import assign_all
    from generator.taxonomy import check_taxonomy, load_taxonomy

    with gc_paused():  # papers and their assignments form no reference cycles (see build.schedule.gc_paused)
        papers, problems = load_store(project.store)
        taxonomy = load_taxonomy(project.topics, project.tags)
        problems = problems + check_papers(papers, taxonomy, str(project.store)) + check_taxonomy(taxonomy)
        problems += check_rules(assign_all(visible(papers), taxonomy), taxonomy)
        problems += check_review(project.data / "review.yaml")
    return sorted(problems, key=lambda p: (p.severity != "error", p.path or "", p.line or 0))


def export_records(project: Project) -> Iterable[dict]:
    """Every paper as a plain dict: stored fields, flags, and the derived topics, tags and related ids."""
    from generator.build.cache import Cache, enrich_key
    from generator.build.stages import load_model

    model = load_model(project, Cache(project.cache), enrich_key(project))
    for p in model.papers:
        a = model.enriched.assignments.get(p.id)
        yield {
            "id": p.id,
            "title": p.title,
            "abstract": p.abstract,
            "needs_title": p.needs_title,
            "hidden": p.hidden,
            "added": p.added,
            "listed": p.listed,
            "authors": list(p.authors),
            "year": p.year,
            "url": p.url,
            "doi": p.doi,
            "arxiv": p.arxiv,
            "venue": p.venue,
            "notes": p.notes,
            "pinned_topics": list(p.topics),
            "pinned_tags": list(p.tags),
            "aliases": list(p.aliases),
            "sources": [{"file": s.file, "line": s.line} for s in p.sources],
            "topics": list(a.topics) if a else [],
            "tags": list(a.tags) if a else [],
            "related": [link.target for link in model.enriched.related.get(p.id, ())],
        }


def explain(project: Project, paper_id: str) -> str:
    from generator.enrich.explain import explain_paper
    from generator.taxonomy.load import load_taxonomy

    papers, _ = load_store(project.store)
    by_id = {p.id: p for p in papers}
    for p in papers:
        for alias in p.aliases:
            by_id.setdefault(alias, p)
    if paper_id not in by_id:
        raise ReadingListError(
            f"no paper with id '{paper_id}'",
            str(project.store),
            hint="ids are listed by `python -m generator export | jq -r .id`",
        )
    return explain_paper(by_id[paper_id], papers, load_taxonomy(project.topics, project.tags))


def site_address(project: Project) -> str:
    """Which address the site's canonical links, feed ids and sitemap use, and where it came from."""
    from generator.build.engine_config import read_engine_settings

    settings = read_engine_settings(project.root)
    return f"site_url: {settings.site_url or '(none)'} ({settings.site_url_source})"


def build(project: Project, out_dir: Path | None = None, use_cache: bool = True) -> tuple[int, int, int]:
    """Write the pages (to docs/ or ``out_dir``) with mkdocs.yml's address and URL style, and, for docs/,
    the config that ProperDocs and Zensical build from. Returns (written, unchanged, removed)."""
    from generator.build.engine_config import read_engine_settings
    from generator.build.output import write_engine_config, write_site
    from generator.build.stages import build_site

    engine = read_engine_settings(project.root)
    site = build_site(project, use_cache, site_url=engine.site_url, directory_urls=engine.directory_urls)
    counts = write_site(project, site, out_dir)
    if out_dir is None:
        write_engine_config(project, site, keep_nav=engine.has_nav)
    return counts


def resolve(
    project: Project,
    ids: Sequence[str] = (),
    dry_run: bool = False,
    abstracts: bool = False,
    confirm: Callable[[str, str], bool] | None = None,
):  # noqa: ANN201 - the report type lives in generator.resolve.run, imported only here
    """Find arXiv ids, DOIs, authors, years and venues of the store's papers (issue 14)."""
    from generator.resolve.run import resolve as resolve_papers

    return resolve_papers(project, ids, dry_run, abstracts, confirm)
