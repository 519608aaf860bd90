"""Build the same site with each engine, side by side, and time it: `make site` for ENGINE=mkdocs,
properdocs and zensical, cold (no cache, no written pages) and again with nothing changed.

    python benchmarks/engines.py [--sizes seeds,10000] [--repeat 1] [--out benchmarks/out]

``seeds`` is the committed store (data/papers.yaml); a number N is a synthetic corpus of N papers
(benchmarks/corpus.py) ingested first (not timed). Every engine builds a fresh copy of that project:

- mkdocs:     `mkdocs build --strict` (the hook runs the generator in memory)
- properdocs: `python -m generator build`, `properdocs build --strict -f mkdocs.generated.yml`,
              `python -m generator.search site` (the paper search, which the hook builds for MkDocs)
- zensical:   the same with `zensical build --strict -f mkdocs.generated.yml`

Reported per engine: the generator's part (the written-pages engines), the engine's part, the total
(wall and CPU seconds, user+sys of the processes), the rebuild with nothing changed, HTML pages, search
index size, and the 1-minute load average before and after (other work on the machine inflates wall
times; CPU seconds much less). Results go to engines.json in --out.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import run  # noqa: E402
from benchmarks.corpus import write_corpus  # noqa: E402

ENGINES = ("mkdocs", "properdocs", "zensical")
GENERATED_CONFIG = "mkdocs.generated.yml"
DATE = run.DATE


def engine_steps(engine: str) -> list[tuple[str, list[str]]]:
    """(part, command) in order, as `make site ENGINE=engine` runs them."""
    py = sys.executable
    if engine == "mkdocs":
        return [("engine", [py, "-m", "mkdocs", "build", "--strict", "-q"])]
    build = ("generator", [py, "-m", "generator", "build"])
    search = ("search", [py, "-m", "generator.search", "site"])  # the paper search (the hook's, for MkDocs)
    if engine == "properdocs":
        cmd = [py, "-m", "properdocs", "build", "--strict", "-q", "-f", GENERATED_CONFIG]
        return [build, ("engine", cmd), search]
    if engine == "zensical":
        return [
            build,
            ("engine", [py, "-m", "zensical", "build", "--strict", "-f", GENERATED_CONFIG]),
            search,
        ]
    raise ValueError(engine)


def prepare(size: str, tmp: Path, seed: int) -> Path:
    """An ingested project for ``size`` ("seeds" or a paper count), built by no engine yet."""
    raw = tmp / f"raw-{size}"
    if size == "seeds":
        raw.mkdir()
    else:
        write_corpus(int(size), raw, seed)
    project = run.make_project(tmp / f"base-{size}", raw)
    if size == "seeds":
        shutil.copy(REPO / "data" / "papers.yaml", project / "data" / "papers.yaml")
    else:
        run.run_measured([sys.executable, "-m", "generator", "ingest", "raw", "--date", DATE], project)
    return project


def site_facts(site: Path) -> dict:
    index = next(
        (p for p in (site / "search" / "search_index.json", site / "search.json") if p.is_file()), None
    )
    return {
        "html_pages": sum(1 for _ in site.rglob("*.html")),
        "search_index_kb": round(index.stat().st_size / 1024) if index else None,
    }


def build_once(engine: str, base: Path, work: Path) -> dict:
    """A cold build of a copy of ``base`` with ``engine``, then the same build again (nothing changed)."""
    project = work / engine
    shutil.copytree(base, project, ignore=shutil.ignore_patterns(".cache", "site"))
    result: dict = {"load_before": round(os.getloadavg()[0], 2)}
    for label in ("cold", "unchanged"):
        parts: dict[str, float] = {}
        rss = cpu = 0.0
        for part, cmd in engine_steps(engine):
            measure, _ = run.run_measured(cmd, project)
            parts[part] = round(measure.wall, 2)
            cpu += measure.cpu
            rss = max(rss, measure.rss_mb)
        total = round(sum(parts.values()), 2)
        result[label] = {**parts, "total": total, "cpu": round(cpu, 2), "peak_rss_mb": round(rss)}
    result["load_after"] = round(os.getloadavg()[0], 2)
    result.update(site_facts(project / "site"))
    shutil.rmtree(project, ignore_errors=True)
    return result


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def summarize(runs: list[dict]) -> dict:
    first = runs[0]
    out = {k: first[k] for k in ("html_pages", "search_index_kb")}
    out["load"] = [min(r["load_before"] for r in runs), max(r["load_after"] for r in runs)]
    for label in ("cold", "unchanged"):
        out[label] = {part: median([r[label][part] for r in runs]) for part in first[label]}
    return out


def table(report: dict) -> str:
    lines = [
        "| papers | engine | generator s | engine s | cold total s (CPU s) | unchanged rebuild s (CPU s) "
        "| HTML pages | search index KB | load avg |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for size, engines in report["sizes"].items():
        for engine, s in engines.items():
            cold, again = s["cold"], s["unchanged"]
            gen = f"{cold['generator']:.1f}" if "generator" in cold else "(in the hook)"
            load = "-".join(f"{x:.1f}" for x in s["load"])
            lines.append(
                f"| {size} | {engine} | {gen} | {cold['engine']:.1f} "
                f"| {cold['total']:.1f} ({cold['cpu']:.1f}) | {again['total']:.1f} ({again['cpu']:.1f}) "
                f"| {s['html_pages']} | {s['search_index_kb']} | {load} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="seeds,10000", help="comma-separated: 'seeds' and/or paper counts")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out")
    args = parser.parse_args(argv)
    engines = [e for e in args.engines.split(",") if e]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engine(s): {', '.join(sorted(unknown))}; known: {', '.join(ENGINES)}")
    args.out.mkdir(parents=True, exist_ok=True)
    report: dict = {"machine": run.machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S"), "sizes": {}}
    tmp = Path(tempfile.mkdtemp(prefix="readinglist-engines-"))
    run.CODE = run.snapshot_code(tmp / "code")  # every build imports the same generator code
    try:
        for size in (s.strip() for s in args.sizes.split(",") if s.strip()):
            base = prepare(size, tmp, args.seed)
            report["sizes"][size] = {}
            for engine in engines:
                print(f"[engines] {size}: {engine} ...", file=sys.stderr, flush=True)
                runs = [build_once(engine, base, tmp / f"{size}-{i}") for i in range(args.repeat)]
                report["sizes"][size][engine] = summarize(runs)
                (args.out / "engines.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
