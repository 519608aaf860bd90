"""The ``resolve`` command's edge: read the store, ask the services, write the store in batches.

Network work happens outside the store lock (an arXiv run takes 3 s per request); each batch of
accepted matches is then applied under the lock to the store as it is *now* (so an edit the curator
made meanwhile is kept: :func:`apply_match` fills only empty fields) and saved atomically. Ctrl-C saves
the batch in hand first; a kill loses at most that batch, never half a record. No network: the first
request raises :class:`OfflineError` and nothing is written.
"""

from __future__ import annotations

import dataclasses
import difflib
import textwrap
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.environment import Environment, environment
from generator.core.errors import ReadingListError
from generator.core.model import Paper
from generator.core.project import Project
from generator.resolve.apply import Found, apply_match, changed_fields
from generator.resolve.arxiv import ArxivClient
from generator.resolve.cache import ResponseCache
from generator.resolve.candidate import Candidate, arxiv_id
from generator.resolve.errors import OfflineError, ServiceError
from generator.resolve.http import HttpClient
from generator.resolve.lookup import look_up
from generator.resolve.openalex import OpenAlexClient
from generator.resolve.ratelimit import RateLimiter
from generator.resolve.review import ReviewEntry, load_review, merged_review, save_review
from generator.resolve.service import Service
from generator.store import load_store, save_store, store_lock

BATCH = 20  # accepted matches per store write
OPENALEX_DELAY = 0.1  # seconds between OpenAlex requests (its polite pool allows 10 per second)

Confirm = Callable[[str, str], bool]  # (paper id, diff) -> take the source's abstract?


def cache_dir(project: Project) -> Path:
    return project.root / ".cache" / "resolve"


def review_path(project: Project) -> Path:
    return project.data / "review.yaml"


def make_clients(
    project: Project,
    env: Environment,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[ArxivClient, OpenAlexClient]:
    """The two clients with one HTTP client, per-service rate limits and the on-disk cache."""
    http = HttpClient(env.contact, sleep=sleep)
    cache = ResponseCache(cache_dir(project))
    arxiv = Service("arxiv", http, RateLimiter(env.arxiv_delay, clock, sleep), cache)
    openalex = Service("openalex", http, RateLimiter(OPENALEX_DELAY, clock, sleep), cache)
    return ArxivClient(arxiv, env.arxiv_api), OpenAlexClient(openalex, env.openalex_api, env.contact)


@dataclass
class ResolveReport:
    resolved: list[tuple[str, list[tuple[str, object, object]]]] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    not_found: list[tuple[str, str]] = field(default_factory=list)
    errors: list[ReadingListError] = field(default_factory=list)
    skipped: int = 0  # already resolved: no request made
    abstracts: list[tuple[str, str]] = field(default_factory=list)  # (paper id, diff) shown
    abstracts_taken: list[str] = field(default_factory=list)
    requests: int = 0
    written: bool = False

    def lines(self) -> list[str]:
        out = [
            f"papers resolved: {len(self.resolved)}",
            f"waiting for review: {len(self.review)}"
            + (f" ({', '.join(self.review)})" if self.review else ""),
            f"not found: {len(self.not_found)}",
            f"already resolved (no request): {self.skipped}",
            f"requests sent: {self.requests}",
        ]
        for paper, changes in self.resolved:
            filled = ", ".join(f"{k} = {_short(new)}" for k, _, new in changes if k != "resolved")
            how = next((new for k, _, new in changes if k == "resolved"), None)
            source = f" [{how.source} {how.id}, score {how.score:.3f}]" if how else ""
            out.append(f"  {paper}: {filled or 'nothing new'}{source}")
        out.extend(f"  {paper}: not found ({why})" for paper, why in self.not_found)
        return out


def _short(value: object) -> str:
    text = ", ".join(value) if isinstance(value, tuple) else str(value)
    return text if len(text) <= 70 else text[:69] + "…"


def _select(papers: Sequence[Paper], ids: Sequence[str], label: str) -> list[Paper]:
    if not ids:
        return list(papers)
    by_name = {name: p for p in papers for name in (p.id, *p.aliases)}
    unknown = [i for i in ids if i not in by_name]
    if unknown:
        raise ReadingListError(
            f"no paper with id {', '.join(repr(i) for i in unknown)}",
            label,
            hint="ids are listed by `python -m generator export | jq -r .id`",
        )
    return list(dict.fromkeys(by_name[i] for i in ids))


def _load(project: Project) -> list[Paper]:
    papers, problems = load_store(project.store)
    fatal = [p for p in problems if p.severity == "error"]
    if fatal:
        raise fatal[0].as_error()
    return papers


def _flush(project: Project, pending: dict[str, Found], abstracts: dict[str, str], date: str) -> bool:
    """Apply the matches in hand to the store as it is now, under the lock, and save it atomically."""
    if not pending and not abstracts:
        return False
    with store_lock(project.data):
        papers = _load(project)
        out = []
        for p in papers:
            if p.id in pending and p.resolved is None:
                p = apply_match(p, pending[p.id], date)
            if p.id in abstracts:
                p = _replace_abstract(p, abstracts[p.id])
            out.append(p)
        written = save_store(project.store, out)
    pending.clear()
    abstracts.clear()
    return written


def _replace_abstract(paper: Paper, abstract: str) -> Paper:
    return dataclasses.replace(paper, abstract=abstract)


def abstract_diff(paper: Paper, source: Candidate) -> str | None:
    """A word-wrapped unified diff of the stored abstract against arXiv's, None if they agree."""
    if paper.abstract == source.abstract:
        return None
    old, new = textwrap.wrap(paper.abstract, 88), textwrap.wrap(source.abstract, 88)
    lines = difflib.unified_diff(
        old, new, f"data/papers.yaml [{paper.id}]", f"arXiv:{source.id}", lineterm=""
    )
    return "\n".join(lines)


def resolve(
    project: Project,
    ids: Sequence[str] = (),
    dry_run: bool = False,
    abstracts: bool = False,
    confirm: Confirm | None = None,
    clients: tuple[ArxivClient, OpenAlexClient] | None = None,
    progress: bool = True,
    batch: int = BATCH,
) -> ResolveReport:
    """Resolve the selected papers (all by default). See the module docstring for what is written when."""
    env = environment()
    date = env.date_today()
    arxiv, openalex = clients or make_clients(project, env)
    report = ResolveReport()
    papers = _select(_load(project), ids, str(project.store))
    todo = [p for p in papers if p.resolved is None]
    report.skipped = len(papers) - len(todo)
    pending: dict[str, Found] = {}
    verdicts: dict[str, ReviewEntry | None] = {}
    records: dict[str, Candidate] = {}
    try:
        wanted = [arxiv_id(p.arxiv) or p.arxiv for p in (todo if not abstracts else papers) if p.arxiv]
        by_id = arxiv.by_ids(wanted) if wanted else {}
        records.update(by_id)
        for paper in _progress(todo, progress, report):
            try:
                verdict = look_up(paper, arxiv, openalex, by_id)
            except OfflineError:
                raise
            except ServiceError as exc:
                report.errors.append(ReadingListError(exc.message, exc.path, record=paper.id, hint=exc.hint))
                continue
            verdicts[paper.id] = verdict.review
            if verdict.found is not None:
                updated = apply_match(paper, verdict.found, date)
                report.resolved.append((paper.id, changed_fields(paper, updated)))
                pending[paper.id] = verdict.found
                if verdict.found.arxiv is not None:
                    records[verdict.found.arxiv.id] = verdict.found.arxiv
                if not dry_run and len(pending) >= batch:
                    report.written |= _flush(project, pending, {}, date)
            elif verdict.review is not None:
                report.review.append(paper.id)
            else:
                report.not_found.append((paper.id, verdict.reason))
        taken = _abstracts(papers, pending, records, report, dry_run, confirm) if abstracts else {}
    except KeyboardInterrupt:
        if not dry_run:
            _flush(project, pending, {}, date)  # what was resolved before Ctrl-C is kept
        raise
    finally:
        report.requests = arxiv.service.requests + openalex.service.requests
    if not dry_run:
        report.written |= _flush(project, pending, taken, date)
        _write_review(project, verdicts)
    return report


def _abstracts(
    papers: Iterable[Paper],
    pending: dict[str, Found],
    records: dict[str, Candidate],
    report: ResolveReport,
    dry_run: bool,
    confirm: Confirm | None,
) -> dict[str, str]:
    """Diffs of stored abstracts against arXiv's; the ones the curator confirms, to be taken."""
    taken = {}
    for paper in papers:
        found = pending.get(paper.id)
        arxiv = paper.arxiv or (found.arxiv.id if found and found.arxiv else None)
        source = records.get(arxiv_id(arxiv) or arxiv) if arxiv else None
        if source is None or not source.abstract:
            continue
        diff = abstract_diff(paper, source)
        if diff is None:
            continue
        report.abstracts.append((paper.id, diff))
        if not dry_run and confirm is not None and confirm(paper.id, diff):
            taken[paper.id] = source.abstract
            report.abstracts_taken.append(paper.id)
    return taken


def _write_review(project: Project, verdicts: dict[str, ReviewEntry | None]) -> None:
    with store_lock(project.data):
        papers = _load(project)
        known = {p.id for p in papers}
        resolved = {p.id for p in papers if p.resolved is not None}
        path = review_path(project)
        save_review(path, merged_review(load_review(path), verdicts, known, resolved))


def _progress(todo: list[Paper], enabled: bool, report: ResolveReport) -> Iterable[Paper]:
    """``todo``, behind a tqdm bar with counts when stderr is a terminal."""
    if not enabled or not todo:
        yield from todo
        return
    from tqdm import tqdm

    with tqdm(todo, desc="resolving", unit="paper", disable=None) as bar:
        for paper in bar:
            yield paper
            bar.set_postfix(
                resolved=len(report.resolved),
                review=len(report.review),
                none=len(report.not_found),
                refresh=False,
            )
