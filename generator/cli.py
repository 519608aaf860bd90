"""Command line (``python -m generator``, ``readinglist``): ingest, check, export, explain, build, resolve."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator import commands
from generator.core.errors import ReadingListError
from generator.core.project import Project
from generator.sources.parse import FORMATS


def _project(root: str) -> Project:
    return Project(Path(root))


def _fail(exc: ReadingListError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Project folder holding data/ and docs/.",
)
@click.version_option(package_name="readinglist")
@click.pass_context
def main(ctx: click.Context, root: str) -> None:
    """readinglist: build a curated reading-list website from raw paper dumps."""
    ctx.obj = _project(root)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    default="auto",
    type=click.Choice(["auto", *FORMATS]),
    help="Force the input format instead of detecting it per file.",
)
@click.option("--date", default=None, help="Date recorded as 'added' for new papers (YYYY-MM-DD).")
@click.option("--skip-bad", is_flag=True, help="Ingest the usable files even if some cannot be read.")
@click.option("--dry-run", is_flag=True, help="Parse and report, but do not write the store.")
@click.pass_obj
def ingest(
    project: Project, paths: tuple[Path, ...], fmt: str, date: str | None, skip_bad: bool, dry_run: bool
) -> None:
    """Parse raw dumps (files or folders) and merge them into data/papers.yaml."""
    try:
        report = commands.ingest(project, list(paths), fmt, date, skip_bad, dry_run)
    except ReadingListError as exc:
        _fail(exc)
        return
    for line in report.summary.lines():
        click.echo(line)
    for exc in report.errors:
        click.echo(f"error: {exc}", err=True)
    if report.errors and not (skip_bad and report.summary.entries):
        click.echo("store not changed", err=True)
        sys.exit(1)
    click.echo(f"store {'written' if report.written else 'unchanged'}: {project.store}")


@main.command()
@click.pass_obj
def check(project: Project) -> None:
    """Validate the store and the taxonomy; every problem with file:line. Exit 1 on errors."""
    try:
        problems = commands.check(project)
    except ReadingListError as exc:
        _fail(exc)
        return
    for p in problems:
        click.echo(f"{p.severity}: {p}", err=p.severity == "error")
    errors = sum(p.severity == "error" for p in problems)
    click.echo(f"{errors} error(s), {len(problems) - errors} warning(s)")
    if errors:
        sys.exit(1)


@main.command()
@click.pass_obj
def export(project: Project) -> None:
    """Print every paper as one JSON object per line (for scripts and jq)."""
    import json

    try:
        for record in commands.export_records(project):
            click.echo(json.dumps(record, ensure_ascii=False, sort_keys=True))
    except ReadingListError as exc:
        _fail(exc)


@main.command()
@click.argument("paper_id")
@click.pass_obj
def explain(project: Project, paper_id: str) -> None:
    """Show which topic and tag rules matched a paper, with their scores."""
    try:
        click.echo(commands.explain(project, paper_id))
    except ReadingListError as exc:
        _fail(exc)


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write the pages here instead of docs/.",
)
@click.option("--no-cache", is_flag=True, help="Recompute everything.")
@click.pass_obj
def build(project: Project, out: Path | None, no_cache: bool) -> None:
    """Write the generated Markdown pages to docs/ without MkDocs (only files whose bytes changed)."""
    try:
        click.echo(commands.site_address(project))
        written, unchanged, removed = commands.build(project, out, not no_cache)
    except ReadingListError as exc:
        _fail(exc)
        return
    click.echo(f"pages written: {written}, unchanged: {unchanged}, removed: {removed}")


@main.command()
@click.argument("paper_ids", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--abstracts",
    is_flag=True,
    help="Also offer arXiv's abstract where it differs from the stored one (a diff, then a question).",
)
@click.option("--yes", is_flag=True, help="With --abstracts: take every differing abstract without asking.")
@click.pass_obj
def resolve(project: Project, paper_ids: tuple[str, ...], dry_run: bool, abstracts: bool, yes: bool) -> None:
    """Find arXiv ids, DOIs, authors, years and venues (all papers, or PAPER_IDS) via arXiv and OpenAlex."""

    def confirm(paper_id: str, diff: str) -> bool:
        click.echo(diff)
        return yes or click.confirm(f"take arXiv's abstract for {paper_id}?", default=False)

    try:
        report = commands.resolve(project, list(paper_ids), dry_run, abstracts, None if dry_run else confirm)
    except ReadingListError as exc:
        _fail(exc)
        return
    if dry_run:
        for _, diff in report.abstracts:
            click.echo(diff)
    for line in report.lines():
        click.echo(line)
    for exc in report.errors:
        click.echo(f"error: {exc}", err=True)
    if dry_run:
        click.echo("dry run: store not changed")
    else:
        click.echo(f"store {'written' if report.written else 'unchanged'}: {project.store}")
    if report.errors:
        sys.exit(1)
