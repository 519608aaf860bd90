"""The paper search in Chromium: bytes transferred and time to first results for typed queries.

    python benchmarks/search.py SITE_DIR [--page search/]

Serves SITE_DIR (a built site with the search page and its Pagefind bundle) from 127.0.0.1, opens the
search page in Debian's chromium (Playwright), waits until the page has loaded and the index is ready
(its entry, metadata, WebAssembly and filter lists: "page load"), then for each query types it into the
field as a reader does and measures, from the last key to the first result in the list:

* ``ms``: milliseconds (the page's own clock: the input event, then a MutationObserver on the list);
* ``bytes``: the bytes of every response that arrived in between (index chunks, result fragments).

Each query runs in a fresh page (nothing cached between queries). Also reported: the bytes of page
load and of the index's own files at load. Prints one JSON object.
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


def _one(browser, url: str, query: str, facet: str | None) -> dict:
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
    page.wait_for_selector("#rl-search[data-ready=true][data-state=done]", timeout=60_000)
    page.wait_for_load_state("networkidle")
    load_bytes = sum(s for _, s in sizes)
    pagefind_load = sum(s for u, s in sizes if "/pagefind/" in u)
    if facet:
        page.locator(f"#rl-search-facets input[name={facet}]").first.check()
        page.wait_for_selector("#rl-search[data-state=done]")
        page.wait_for_load_state("networkidle")
    page.evaluate(_PROBE)
    before = len(sizes)
    page.locator("#rl-search-q").press_sequentially(query)
    page.wait_for_function("window.__t.first > 0", timeout=60_000)
    timing = page.evaluate("window.__t")
    page.wait_for_selector("#rl-search[data-state=done]")
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


def measure(site: Path, page: str = "search/", chromium: str = CHROMIUM) -> dict:
    from playwright.sync_api import sync_playwright

    server, port = serve(site)
    url = f"http://127.0.0.1:{port}/{page}"
    runs = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            try:
                _one(browser, url, QUERIES[0], None)  # warm the server's file cache, not the browser's
                runs = [_one(browser, url, q, None) for q in QUERIES]
                runs += [_one(browser, url, q, f) for q, f in FILTERED]
            finally:
                browser.close()
    finally:
        server.shutdown()
    bundle = site / "pagefind"
    return {
        "queries": runs,
        "median_ms": statistics.median(r["ms"] for r in runs),
        "max_ms": max(r["ms"] for r in runs),
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
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.site, args.page)))


if __name__ == "__main__":
    sys.exit(main())
