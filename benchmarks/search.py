"""The paper search in Chromium: bytes transferred and time to first results for typed queries.

    python benchmarks/search.py SITE_DIR [--page search/]
    python benchmarks/search.py --corpus 100000 /tmp/search100k    # a search-only site of N papers

Serves SITE_DIR (a built site with the search page and its Pagefind bundle) from 127.0.0.1, opens the
search page in Debian's chromium (Playwright), waits until the page has loaded and the index is ready
(its entry, metadata, WebAssembly and filter lists: "page load"), then for each query types it into the
field as a reader does and measures, from the last key to the first result in the list:

* ``ms``: milliseconds (the page's own clock: the input event, then a MutationObserver on the list);
* ``bytes``: the bytes of every response that arrived in between (index chunks, result fragments).

Each query runs in a fresh page (nothing cached between queries). Also reported: the bytes of page
load and of the index's own files at load. Prints one JSON object.

``--corpus N`` first makes a search-only site in SITE_DIR for sizes where the whole MkDocs site is not
built (100k): N papers of ``corpus.make_papers`` with 20 topics, 3 of 60 tags and a year each, indexed by
``generator.search.index`` (timed: ``index_s``, ``index_cpu_s``), and the search page rendered from the
generator's template without Material's theme around it (the page's chrome is not part of the query's cost).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

QUERIES = ("learning", "gaussian process", "diffusion models", "reinforcement policy", "kernel")
FILTERED = (("learning", "year"), ("neural", "topic"))  # a query plus the first value of a facet
CHROMIUM = "/usr/bin/chromium"

_PROBE = """
() => {
  const input = document.querySelector('#rl-search-q');
  const list = document.querySelector('#rl-search-results');
  window.__t = {};
  input.addEventListener('input', () => { window.__t.key = performance.now(); window.__t.first = 0; });
  new MutationObserver(() => {
    if (window.__t.key && !window.__t.first && list.querySelector('li')) window.__t.first = performance.now();
  }).observe(list, {childList: true});
}
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def _one(browser, url: str, query: str, facet: str | None, timeout_s: float = 300) -> dict:
    page = browser.new_page()
    sizes: list[tuple[str, int]] = []
    outside: list[str] = []

    def on_response(response) -> None:
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            body = b""
        sizes.append((response.url, len(body)))

    page.on("response", on_response)
    page.on(
        "request",
        lambda r: None if r.url.startswith(("http://127.0.0.1", "data:")) else outside.append(r.url),
    )
    page.goto(url)
    page.wait_for_selector("#rl-search[data-ready=true][data-state=done]", timeout=300_000)
    page.wait_for_load_state("networkidle")
    load_bytes = sum(s for _, s in sizes)
    pagefind_load = sum(s for u, s in sizes if "/pagefind/" in u)
    before = len(sizes)
    try:
        if facet:
            page.locator(f"#rl-search-facets input[name={facet}]").first.check()
            page.wait_for_selector("#rl-search[data-state=done]", timeout=timeout_s * 1000)
            page.wait_for_load_state("networkidle")
        page.evaluate(_PROBE)
        before = len(sizes)
        page.locator("#rl-search-q").press_sequentially(query)
        page.wait_for_function("window.__t.first > 0", timeout=timeout_s * 1000)
    except Exception:  # Playwright's TimeoutError: reported as a query that showed nothing in time
        first_bytes = sum(s for _, s in sizes[before:])
        page.close()
        return {
            "query": query,
            "facet": facet,
            "ms": None,
            "timed_out_s": timeout_s,
            "bytes": first_bytes,
            "requests": len(sizes) - before,
            "results_shown": 0,
            "load_bytes": load_bytes,
            "pagefind_load_bytes": pagefind_load,
            "outside_requests": outside,
        }
    timing = page.evaluate("window.__t")
    page.wait_for_selector("#rl-search[data-state=done]", timeout=timeout_s * 1000)
    first_bytes = sum(s for _, s in sizes[before:])
    results = page.locator("#rl-search-results li").count()
    page.close()
    return {
        "query": query,
        "facet": facet,
        "ms": round(timing["first"] - timing["key"], 1),
        "bytes": first_bytes,
        "requests": len(sizes) - before,
        "results_shown": results,
        "load_bytes": load_bytes,
        "pagefind_load_bytes": pagefind_load,
        "outside_requests": outside,
    }


def corpus_site(n: int, site: Path, seed: int = 1, shard_size: int | None = None) -> dict:
    """A search-only site of ``n`` synthetic papers: the bundle, the search page and its assets."""
    import random
    import resource
    import shutil
    import time

    import jinja2

    from benchmarks.corpus import make_papers
    from generator.search.index import SHARD_SIZE, build_index, shard_count
    from generator.search.records import PaperRecord
    from generator.site.environment import TEMPLATES

    rng = random.Random(seed)
    records = [
        PaperRecord(
            id=f"p{i}",
            url=f"topics/topic-{i % 20}/#p{i}",
            title=title,
            abstract=abstract,
            year=2000 + rng.randrange(26),
            topic=f"Topic {i % 20}",
            topics=(f"Topic {i % 20}",),
            tags=tuple(f"tag {t}" for t in sorted(rng.sample(range(60), 3))),
        )
        for i, (title, abstract) in enumerate(make_papers(n, seed))
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    build_index(records, site, shard_size or SHARD_SIZE)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)))
    body = env.get_template("search.md.j2").render(
        total=n,
        bundle_url="../pagefind/",
        root_url="../",
        script_url="../assets/paper-search.js",
        style_url="../assets/paper-search.css",
    )
    body = body.split("---", 2)[2]  # the page without its front matter
    (site / "search").mkdir(parents=True, exist_ok=True)
    (site / "search" / "index.html").write_text(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Search</title></head>'
        f"<body>{body}</body></html>\n",
        encoding="utf-8",
    )
    (site / "assets").mkdir(exist_ok=True)
    for name in ("paper-search.js", "paper-search.css"):
        shutil.copy(REPO / "docs" / "assets" / name, site / "assets" / name)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    shards = shard_count(n, shard_size or SHARD_SIZE)
    return {"papers": n, "shards": shards, "index_s": round(seconds, 3), "index_cpu_s": round(cpu, 3)}


def measure(site: Path, page: str = "search/", chromium: str = CHROMIUM, timeout_s: float = 300) -> dict:
    from playwright.sync_api import sync_playwright

    server, port = serve(site)
    url = f"http://127.0.0.1:{port}/{page}"
    runs = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            try:
                _one(browser, url, QUERIES[0], None, timeout_s)  # warm the server's file cache
                runs = [_one(browser, url, q, None, timeout_s) for q in QUERIES]
                runs += [_one(browser, url, q, f, timeout_s) for q, f in FILTERED]
            finally:
                browser.close()
    finally:
        server.shutdown()
    bundle = site / "pagefind"
    # A query that showed nothing within the timeout counts as the timeout (a lower bound).
    ms = [r["ms"] if r["ms"] is not None else r["timed_out_s"] * 1000 for r in runs]
    return {
        "queries": runs,
        "median_ms": statistics.median(ms),
        "max_ms": max(ms),
        "timed_out": sum(1 for r in runs if r["ms"] is None),
        "median_bytes": statistics.median(r["bytes"] for r in runs),
        "max_bytes": max(r["bytes"] for r in runs),
        "load_bytes": max(r["load_bytes"] for r in runs),
        "pagefind_load_bytes": max(r["pagefind_load_bytes"] for r in runs),
        "bundle_bytes": sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file()),
        "bundle_files": sum(1 for f in bundle.rglob("*") if f.is_file()),
        "outside_requests": sorted({u for r in runs for u in r["outside_requests"]}),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="paper search: transfer and latency in Chromium")
    parser.add_argument("site", type=Path)
    parser.add_argument("--page", default="search/")
    parser.add_argument("--corpus", type=int, default=0, help="first make a search-only site of N papers")
    parser.add_argument(
        "--shard-size", type=int, default=0, help="papers per index shard (default: the build's)"
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds a query may take to show results")
    args = parser.parse_args(argv)
    made = corpus_site(args.corpus, args.site, shard_size=args.shard_size or None) if args.corpus else {}
    print(json.dumps({**made, **measure(args.site, args.page, timeout_s=args.timeout)}))


if __name__ == "__main__":
    sys.exit(main())
