"""Benchmark the generator and the MkDocs build on synthetic corpora of N papers; print and save a table.

    python benchmarks/run.py --sizes 1000,10000 --repeat 3 --out benchmarks/out

Per N: a synthetic corpus (benchmarks/corpus.py) and, per repeat, a fresh project in a temporary folder
(the repo's mkdocs.yml, hook, docs/assets and taxonomy). Each step runs as a subprocess; its wall time,
CPU time (user + system) and peak memory (ru_maxrss from os.wait4) are recorded, and the median over the
repeats is reported. Steps, in order:

  ingest       ingest the dumps into an empty store            (benchmarks/steps.py, also times the work)
  reingest     `python -m generator ingest` of the same files  (must leave the store's bytes unchanged)
  ingest_cli   `python -m generator ingest` into an empty store  (the ingest half of our whole cold build)
  enrich       load the store, classify, related papers        (steps.py)
  render       every page from the enrichment                  (steps.py)
  pipeline     load + validate, enrich and render as a build does (overlapped on 2+ cores)  (steps.py)
  build_cold   `python -m generator build --out pages` with no cache
  build_noop   the same again: must rewrite zero files
  check        `python -m generator check`
  warm_hook    the hook's on_files outside MkDocs, so `mkdocs build` finds the cache warm (not timed in
               the ratio)
  mkdocs       `mkdocs build --strict` (skipped above --mkdocs-max papers)

Reported per N: the generator time (ingest + pipeline, in-process seconds and subprocess wall
seconds) and its ratio to the mkdocs build, peak memory, the search index size per paper, the largest
HTML page, the tag index and home page sizes, and what fills the search index.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.corpus import write_corpus  # noqa: E402
from benchmarks.plain import write_plain_project  # noqa: E402

PLAIN_SEED = 1

STEPS = (
    "ingest",
    "reingest",
    "ingest_cli",
    "enrich",
    "render",
    "pipeline",
    "build_cold",
    "build_noop",
    "check",
    "warm_hook",
    "mkdocs",
)
# Issue 18, side by side in the same repeat: our whole cold build (ingest, then `mkdocs build` with no
# generator cache: the hook runs the generator and Pagefind), the paper search's index alone, and the
# plain MkDocs + Material baseline of the same papers (benchmarks/plain.py).
SIDE_STEPS = ("site_cold", "site_noindex", "search_index", "plain")
# The generator's cost: ingest, then enrich + render as a build runs them (overlapped on 2+ cores);
# the separate enrich and render steps show where that time goes.
GENERATOR_STEPS = ("ingest", "pipeline")
DATE = "2026-01-01"


@dataclass
class Measure:
    wall: float
    cpu: float
    rss_mb: float
    info: dict = field(default_factory=dict)


CODE = REPO  # where the subprocesses import `generator` from (a snapshot: see snapshot_code)


def snapshot_code(dest: Path) -> Path:
    """Copy generator/ and benchmarks/ so that every step of a run uses the same code, even while the
    working tree changes (the generator's cache key includes its code: an edit would turn the no-op
    build into a full one)."""
    for name in ("generator", "benchmarks"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "out"))
    return dest


def run_measured(cmd: list[str], cwd: Path, timeout: float = 7200) -> tuple[Measure, str]:
    """Run ``cmd``; wall time, CPU time and peak RSS of that process (and its waited-for children)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(CODE),
        "READINGLIST_TODAY": DATE,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONHASHSEED": "0",
    }
    env.pop("READINGLIST_NO_CACHE", None)
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                raise RuntimeError(f"timed out: {' '.join(cmd)}")
            time.sleep(0.005)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{text[-4000:]}")
    return Measure(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024), text


def last_json(text: str) -> dict:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no JSON result in output:\n{text[-2000:]}")


def make_project(root: Path, raw: Path) -> Path:
    """A throwaway project: the repo's mkdocs.yml, hook, assets and taxonomy, an empty store."""
    root.mkdir(parents=True)
    for name in ("mkdocs.yml", "mkdocs_hooks.py"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "overrides", root / "overrides")  # mkdocs.yml's theme.custom_dir
    shutil.copytree(
        REPO / "docs" / "assets", root / "docs" / "assets", ignore=shutil.ignore_patterns("generated")
    )
    (root / "data").mkdir()
    for name in ("topics.yaml", "tags.yaml", "site.yaml"):
        if (REPO / "data" / name).exists():
            shutil.copy(REPO / "data" / name, root / "data" / name)
    if (REPO / "data" / "templates").is_dir():
        shutil.copytree(REPO / "data" / "templates", root / "data" / "templates")
    shutil.copytree(raw, root / "raw")
    return root


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


_NO_INDEX = """

def _start_search_index(records, site_dir):  # benchmarks/run.py: this build has no paper search index
    return None
"""


def run_repeat(n: int, raw: Path, work: Path, mkdocs: bool, recall: bool) -> dict[str, Measure]:
    """All steps once, in a fresh project. Raises if a correctness check fails."""
    py = sys.executable
    steps_py = str(CODE / "benchmarks" / "steps.py")
    project = make_project(work / "project", raw)
    results: dict[str, Measure] = {}

    ingest = [py, steps_py, "ingest", str(project), str(project / "raw"), "--date", DATE]
    m, out = run_measured(ingest, project)
    m.info = last_json(out)
    if m.info["added"] != n:
        raise RuntimeError(f"ingest added {m.info['added']} papers, expected {n}")
    results["ingest"] = m

    before = digest(project / "data" / "papers.yaml")
    m, out = run_measured([py, "-m", "generator", "ingest", "raw", "--date", DATE], project)
    unchanged = "store unchanged" in out and digest(project / "data" / "papers.yaml") == before
    if not unchanged:
        raise RuntimeError(f"re-ingest changed the store:\n{out[-2000:]}")
    m.info = {"store_unchanged": unchanged}
    results["reingest"] = m

    # The curator's own ingest (`python -m generator ingest`, what `make site` runs) into an empty store:
    # the ingest half of our whole cold build. It must write the same store, byte for byte.
    store = project / "data" / "papers.yaml"
    store.rename(store.with_suffix(".bench"))
    m, out = run_measured([py, "-m", "generator", "ingest", "raw", "--date", DATE], project)
    same = digest(store) == before
    store.with_suffix(".bench").unlink()
    if not same:
        raise RuntimeError(f"the CLI ingest wrote another store than steps.py's ingest:\n{out[-2000:]}")
    m.info = {"same_store": same}
    results["ingest_cli"] = m

    for step in ("enrich", "render", "pipeline"):
        m, out = run_measured([py, steps_py, step, str(project)], project)
        m.info = last_json(out)
        results[step] = m

    shutil.rmtree(project / ".cache", ignore_errors=True)
    pages = project / "pages"
    m, out = run_measured([py, "-m", "generator", "build", "--out", str(pages)], project)
    m.info = {"output": out.strip().splitlines()[-1]}
    results["build_cold"] = m

    before_files = snapshot(pages)
    m, out = run_measured([py, "-m", "generator", "build", "--out", str(pages)], project)
    counts = re.search(r"pages written: (\d+), unchanged: (\d+), removed: (\d+)", out)
    rewritten = sum(1 for k, v in snapshot(pages).items() if before_files.get(k) != v)
    m.info = {
        "output": out.strip().splitlines()[-1],
        "files_rewritten": rewritten,
        "reported_written": int(counts.group(1)) if counts else None,
    }
    if rewritten or not counts or counts.group(1) != "0" or counts.group(3) != "0":
        raise RuntimeError(f"no-op build rewrote files ({rewritten} changed on disk): {out[-500:]}")
    results["build_noop"] = m

    m, out = run_measured([py, "-m", "generator", "check"], project)
    m.info = {"output": out.strip().splitlines()[-1]}
    results["check"] = m

    if mkdocs:
        m, out = run_measured([py, steps_py, "warm-hook", str(project)], project)
        m.info = last_json(out)
        results["warm_hook"] = m
        m, out = run_measured([py, "-m", "mkdocs", "build", "--strict", "-q", "-d", "site"], project)
        m.info = site_facts(project / "site", n)
        results["mkdocs"] = m
    if mkdocs:
        shutil.rmtree(project / ".cache", ignore_errors=True)
        m, out = run_measured([py, "-m", "mkdocs", "build", "--strict", "-q", "-d", "site_cold"], project)
        bundle = project / "site_cold" / "pagefind"
        m.info = {"pagefind_files": sum(1 for f in bundle.rglob("*") if f.is_file())}
        results["site_cold"] = m
        # The same cold build without the paper search index (the hook's indexer made a no-op in this
        # throwaway project only): what the index adds to the wall time of a site build.
        shutil.rmtree(project / ".cache", ignore_errors=True)
        hook = project / "mkdocs_hooks.py"
        original = hook.read_text(encoding="utf-8")
        hook.write_text(original + _NO_INDEX, encoding="utf-8")
        try:
            m, out = run_measured(
                [py, "-m", "mkdocs", "build", "--strict", "-q", "-d", "site_noindex"], project
            )
        finally:
            hook.write_text(original, encoding="utf-8")
        results["site_noindex"] = m
        m, out = run_measured([py, "-m", "generator.search", str(project / "site_index")], project)
        m.info = {"output": out.strip().splitlines()[-1]}
        results["search_index"] = m
        plain = write_plain_project(n, work / "plain", PLAIN_SEED)
        m, out = run_measured([py, "-m", "mkdocs", "build", "--strict", "-q", "-d", "site"], plain)
        m.info = {"html_pages": sum(1 for _ in (plain / "site").rglob("*.html"))}
        results["plain"] = m
    if recall:
        m, out = run_measured([py, steps_py, "recall", str(project), "--sample", "300"], project)
        results["recall"] = Measure(0.0, 0.0, m.rss_mb, last_json(out))
    return results


def site_facts(site: Path, n: int) -> dict:
    """Search index size per paper, the largest HTML pages, and what fills the search index."""
    index_path = site / "search" / "search_index.json"
    index_bytes = index_path.stat().st_size
    pages = sorted(
        ((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")), reverse=True
    )
    named = {rel: size for size, rel in pages}
    docs = json.loads(index_path.read_text(encoding="utf-8"))["docs"]
    by_kind: dict[str, int] = {}
    for doc in docs:
        location = doc.get("location", "")
        page = location.split("#")[0].split("/")[0] or "(home)"
        kind = f"{page}/{'section' if '#' in location else 'page'}"
        size = len(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        by_kind[kind] = by_kind.get(kind, 0) + size
    total = sum(by_kind.values()) or 1
    field_bytes = {
        key: sum(len(str(d.get(key, "")).encode("utf-8")) for d in docs)
        for key in ("location", "title", "text")
    }
    return {
        "search_index_bytes": index_bytes,
        "search_bytes_per_paper": index_bytes / n,
        "search_docs": len(docs),
        "search_share_by_kind": {
            k: round(100 * v / total, 1) for k, v in sorted(by_kind.items(), key=lambda kv: -kv[1])
        },
        "search_by_field": field_bytes,
        "largest_html": [{"path": p, "bytes": s} for s, p in pages[:3]],
        "tag_index_html_bytes": named.get("tags/index.html", 0),
        "home_html_bytes": named.get("index.html", 0),
        "html_pages": len(pages),
        "site_bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
        # The paper search (Pagefind): one fragment per paper, the whole bundle's size on disk.
        "paper_records": sum(1 for _ in (site / "pagefind" / "fragment").glob("*.pf_fragment")),
        "pagefind_bytes": sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file()),
    }


def median_measure(runs: list[Measure]) -> Measure:
    return Measure(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.rss_mb for r in runs),
        runs[-1].info,
    )


def summarize(n: int, repeats: list[dict[str, Measure]]) -> dict:
    steps = {}
    for step in [*STEPS, *SIDE_STEPS, "recall"]:
        runs = [r[step] for r in repeats if step in r]
        if runs:
            med = median_measure(runs)
            steps[step] = {
                "wall_s": round(med.wall, 3),
                "cpu_s": round(med.cpu, 3),
                "peak_mb": round(med.rss_mb, 1),
                "runs_wall_s": [round(r.wall, 3) for r in runs],
                "info": med.info,
            }
            if "seconds" in med.info:
                steps[step]["work_s"] = round(statistics.median(r.info["seconds"] for r in runs), 3)
    gen_work = sum(steps[s].get("work_s", steps[s]["wall_s"]) for s in GENERATOR_STEPS)
    gen_wall = sum(steps[s]["wall_s"] for s in GENERATOR_STEPS)
    summary = {
        "papers": n,
        "repeats": len(repeats),
        "steps": steps,
        "generator_work_s": round(gen_work, 3),
        "generator_wall_s": round(gen_wall, 3),
        "generator_peak_mb": max(steps[s]["peak_mb"] for s in (*GENERATOR_STEPS, "build_cold")),
    }
    if "mkdocs" in steps:
        mk = steps["mkdocs"]
        summary["mkdocs_wall_s"] = mk["wall_s"]
        summary["ratio_work"] = round(gen_work / mk["wall_s"], 3)
        summary["ratio_wall"] = round(gen_wall / mk["wall_s"], 3)
        summary["ratio_build_cold"] = round(steps["build_cold"]["wall_s"] / mk["wall_s"], 3)
    if "plain" in steps and "site_cold" in steps:
        # Our whole cold build (the CLI's ingest + mkdocs build with a cold cache, Pagefind included)
        # vs plain.
        ours = steps["ingest_cli"]["wall_s"] + steps["site_cold"]["wall_s"]
        summary["whole_cold_s"] = round(ours, 3)
        summary["plain_s"] = steps["plain"]["wall_s"]
        summary["ratio_plain"] = round(ours / steps["plain"]["wall_s"], 3)
        summary["search_index_share"] = round(
            steps["search_index"]["wall_s"] / steps["site_cold"]["wall_s"], 3
        )
        noindex = steps["site_noindex"]
        summary["search_index_adds"] = round(steps["site_cold"]["wall_s"] / noindex["wall_s"] - 1, 3)
        summary["search_index_adds_cpu"] = round(steps["site_cold"]["cpu_s"] / noindex["cpu_s"] - 1, 3)
    return summary


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": os.getloadavg(),
    }


def fmt_row(summary: dict) -> list[str]:
    s = summary["steps"]

    def cell(step: str, key: str = "wall_s") -> str:
        return f"{s[step][key]:.2f}" if step in s else "–"

    mk = summary.get("steps", {}).get("mkdocs", {}).get("info", {})
    largest = mk.get("largest_html", [{}])[0] if mk else {}
    return [
        f"{summary['papers']:,}",
        cell("ingest", "work_s"),
        cell("reingest"),
        cell("enrich", "work_s"),
        cell("render", "work_s"),
        cell("pipeline", "work_s"),
        f"{summary['generator_work_s']:.2f} / {summary['generator_wall_s']:.2f}",
        f"{summary['generator_peak_mb']:.0f}",
        cell("build_cold"),
        cell("build_noop"),
        cell("check"),
        cell("mkdocs"),
        f"{s['mkdocs']['peak_mb']:.0f}" if "mkdocs" in s else "–",
        f"{summary['ratio_work']:.1%} / {summary['ratio_wall']:.1%}" if "ratio_work" in summary else "–",
        f"{mk['search_bytes_per_paper']:.0f}" if mk else "–",
        f"{largest.get('bytes', 0) / 1e6:.2f} MB {largest.get('path', '')}" if largest else "–",
        f"{s['recall']['info']['recall']:.3f}" if "recall" in s else "–",
    ]


HEADER = [
    "papers",
    "ingest s",
    "re-ingest s",
    "enrich s",
    "render s",
    "enrich + render as built s",
    "generator s (work / wall)",
    "generator peak MB",
    "build cold s",
    "build no-op s",
    "check s",
    "mkdocs s",
    "mkdocs peak MB",
    "generator / mkdocs (work / wall)",
    "search B/paper",
    "largest HTML",
    "related recall",
]


SIDE_HEADER = [
    "papers",
    "ours: ingest + mkdocs build, cold s",
    "plain MkDocs + Material s",
    "ours / plain",
    "ours, CPU s (plain CPU s)",
    "paper search index alone s (CPU s)",
    "site build without the index s",
    "the index adds to the site build: wall (CPU)",
]


def side_row(summary: dict) -> list[str]:
    s = summary["steps"]
    return [
        f"{summary['papers']:,}",
        f"{summary['whole_cold_s']:.2f}",
        f"{summary['plain_s']:.2f}",
        f"{summary['ratio_plain']:.2f}x",
        f"{s['ingest_cli']['cpu_s'] + s['site_cold']['cpu_s']:.2f} ({s['plain']['cpu_s']:.2f})",
        f"{s['search_index']['wall_s']:.2f} ({s['search_index']['cpu_s']:.2f})",
        f"{s['site_noindex']['wall_s']:.2f}",
        f"{summary['search_index_adds']:+.1%} ({summary['search_index_adds_cpu']:+.1%})",
    ]


def markdown_table(summaries: list[dict]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(fmt_row(s)) + " |" for s in summaries]
    side = [s for s in summaries if "ratio_plain" in s]
    if side:
        lines += ["", "| " + " | ".join(SIDE_HEADER) + " |", "|" + "---|" * len(SIDE_HEADER)]
        lines += ["| " + " | ".join(side_row(s)) + " |" for s in side]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="benchmark the generator and mkdocs build")
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated paper counts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out")
    parser.add_argument(
        "--mkdocs-max",
        type=int,
        default=50_000,
        help="skip the mkdocs build above this many papers (0: never run it)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    parser.add_argument("--no-recall", action="store_true", help="skip the related-papers recall sample")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    args.out.mkdir(parents=True, exist_ok=True)
    report = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S"), "sizes": []}
    tmp = Path(tempfile.mkdtemp(prefix="readinglist-bench-"))
    global CODE
    CODE = snapshot_code(tmp / "code")
    try:
        for n in sizes:
            raw = tmp / f"raw-{n}"
            write_corpus(n, raw, args.seed)
            repeats = []
            for i in range(args.repeat):
                work = tmp / f"n{n}-r{i}"
                print(f"[bench] {n:,} papers, repeat {i + 1}/{args.repeat} ...", file=sys.stderr, flush=True)
                mkdocs = bool(args.mkdocs_max) and n <= args.mkdocs_max
                repeats.append(run_repeat(n, raw, work, mkdocs, recall=i == 0 and not args.no_recall))
                if not args.keep:
                    shutil.rmtree(work, ignore_errors=True)
            summary = summarize(n, repeats)
            report["sizes"].append(summary)
            print(markdown_table([summary]).splitlines()[-1], file=sys.stderr, flush=True)
            write_report(args.out, report)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print(markdown_table(report["sizes"]))
    return 0


def write_report(out: Path, report: dict) -> None:
    (out / "results.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    m = report["machine"]
    text = (
        f"Machine: {m['nproc']} cores, {m['cpu']}, {m['memory']}, Python {m['python']}; "
        f"started {report['started']}.\n\n" + markdown_table(report["sizes"])
    )
    (out / "results.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
