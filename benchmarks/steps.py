"""One pipeline step in its own process, timed from inside: ``python benchmarks/steps.py STEP ROOT ...``.

``run.py`` starts each step as a subprocess (so its peak memory is the step's own) and reads the one JSON
object this prints last: the in-process seconds of the step's work (without interpreter start-up and
imports) plus step facts (papers added, pages rendered, ...).

Steps: ``ingest ROOT RAW`` (commands.ingest), ``enrich ROOT`` (load the store, classify, related;
saves the result for ``render``), ``render ROOT`` (every page from the saved enrichment), ``pipeline
ROOT`` (load + validate, then enrich and render overlapped as a build does: the generator's figure),
``warm-hook ROOT`` (runs mkdocs_hooks.py's on_config/on_files outside MkDocs, so the following
``mkdocs build`` finds the generator's cache warm and measures MkDocs itself), ``recall ROOT``
(how many of the exact top-k related papers the related step found, on a sample of papers).
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent  # the checkout, or run.py's snapshot of it
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator import commands  # noqa: E402
from generator.build import pipeline  # noqa: E402
from generator.core.project import Project  # noqa: E402
from generator.store import load_store  # noqa: E402
from generator.taxonomy.load import load_taxonomy  # noqa: E402

ENRICHED = ".bench-enriched.pickle"


def step_ingest(project: Project, raw: Path, date: str) -> dict:
    start = time.perf_counter()
    report = commands.ingest(project, [raw], date=date)
    seconds = time.perf_counter() - start
    if report.errors:
        raise SystemExit(f"ingest failed: {report.errors[0]}")
    return {
        "seconds": seconds,
        "added": report.summary.added,
        "entries": report.summary.entries,
        "written": report.written,
    }


def step_enrich(project: Project) -> dict:
    start = time.perf_counter()
    papers, problems = load_store(project.store)
    taxonomy = load_taxonomy(project.topics, project.tags)
    loaded = time.perf_counter()
    enriched = pipeline.enrich(papers, taxonomy)
    done = time.perf_counter()
    (project.root / ENRICHED).write_bytes(pickle.dumps(enriched, protocol=pickle.HIGHEST_PROTOCOL))
    links = sum(len(v) for v in enriched.related.values())
    return {
        "seconds": done - start,
        "load_seconds": loaded - start,
        "enrich_seconds": done - loaded,
        "papers": len(papers),
        "related_links": links,
        "with_related": sum(1 for v in enriched.related.values() if v),
    }


def step_render(project: Project) -> dict:
    from generator.site.environment import make_environment

    papers, _ = load_store(project.store)
    taxonomy = load_taxonomy(project.topics, project.tags)
    enriched = pickle.loads((project.root / ENRICHED).read_bytes())
    settings = pipeline.load_settings(project)
    start = time.perf_counter()
    site = pipeline.render(papers, taxonomy, enriched, settings, make_environment(project.templates))
    seconds = time.perf_counter() - start
    sizes = sorted(((len(text.encode("utf-8")), path) for path, text in site.pages.items()), reverse=True)
    return {
        "seconds": seconds,
        "pages": len(site.pages),
        "markdown_bytes": sum(s for s, _ in sizes),
        "largest_markdown": [{"path": p, "bytes": s} for s, p in sizes[:3]],
    }


def step_pipeline(project: Project) -> dict:
    """Enrich and render as `generator build` and the mkdocs hook do on a cache miss
    (pipeline.enrich_and_render: on 2+ cores related papers overlap with classifying and rendering),
    after loading and validating the store; no cache, nothing written."""
    from generator.site.environment import make_environment

    start = time.perf_counter()
    papers, taxonomy, _ = pipeline.load_checked(project)
    settings = pipeline.load_settings(project)
    enriched, site = pipeline.enrich_and_render(
        papers, taxonomy, settings, make_environment(project.templates)
    )
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "pages": len(site.pages),
        "papers": len(papers),
        "related_links": sum(len(v) for v in enriched.related.values()),
    }


def step_warm_hook(project: Project) -> dict:
    """Fill the generator's cache exactly as `mkdocs build` will ask for it: load mkdocs.yml and run the
    plugins' (hence the hook's) on_config and on_files events, without building any page."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    config = load_config(str(project.root / "mkdocs.yml"))
    start = time.perf_counter()
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(Files([]), config=config)
    return {"seconds": time.perf_counter() - start, "files": len(files)}


def step_recall(project: Project, sample: int, seed: int = 1) -> dict:
    """Compare the related step's candidates with the exact top-k for ``sample`` random papers."""
    import numpy as np

    from generator.enrich import neighbours, related

    papers, _ = load_store(project.store)
    visible = sorted((p for p in papers if not p.hidden), key=lambda p: p.id)
    matrix, _ = related.vectorize(visible)
    # The related step's candidate search (links are then chosen among candidates on their evidence).
    near_rows, near_cols, near_scores = neighbours.nearest(matrix, related.TOP_K, related.FLOOR)
    near: dict[int, list[tuple[int, float]]] = {}
    for r, c, s in zip(near_rows.tolist(), near_cols.tolist(), near_scores.tolist(), strict=True):
        near.setdefault(r, []).append((c, s))
    rows = sorted(random.Random(seed).sample(range(len(visible)), min(sample, len(visible))))
    product = (matrix[rows] @ matrix.T).toarray().astype(np.float64)
    found = expected = hit = 0
    best_total = got_total = 0.0
    for i, row in enumerate(rows):
        scores = np.round(product[i], 4)
        scores[row] = -1.0
        order = np.lexsort((np.arange(len(scores)), -scores))[: related.TOP_K]
        exact = {visible[c].id for c in order if scores[c] >= related.FLOOR}
        links = near.get(row, [])
        got = {visible[c].id for c, _ in links}
        expected += len(exact)
        found += len(got)
        hit += len(exact & got)
        best_total += sum(float(scores[c]) for c in order if scores[c] >= related.FLOOR)
        got_total += sum(s for _, s in links)
    # score_ratio: how similar the links found are, against the exact top k (1.0: as similar).
    return {
        "seconds": 0.0,
        "sample": len(rows),
        "exact_links": expected,
        "found_links": found,
        "recall": hit / expected if expected else 1.0,
        "score_ratio": got_total / best_total if best_total else 1.0,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="run one benchmark step in this process")
    parser.add_argument("step", choices=["ingest", "enrich", "render", "pipeline", "warm-hook", "recall"])
    parser.add_argument("root", type=Path)
    parser.add_argument("raw", type=Path, nargs="?")
    parser.add_argument("--date", default="2026-01-01")
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args(argv)
    project = Project(args.root)
    if args.step == "ingest":
        result = step_ingest(project, args.raw, args.date)
    elif args.step == "enrich":
        result = step_enrich(project)
    elif args.step == "render":
        result = step_render(project)
    elif args.step == "pipeline":
        result = step_pipeline(project)
    elif args.step == "warm-hook":
        result = step_warm_hook(project)
    else:
        result = step_recall(project, args.sample)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
