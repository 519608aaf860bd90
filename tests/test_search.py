"""The paper search page in Chromium: facets, query + facet, shareable addresses, keyboard, offline.

Runs on the real seed site (``mkdocs build --strict``, whose hook builds the Pagefind bundle into
``site/pagefind``), served from 127.0.0.1 under its base path; every request that leaves 127.0.0.1 is
blocked and recorded (PageGuard). What each result should be comes from the generator's own records
(``Site.search_records``), never from the page under test.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_support import PageGuard, base_path, launched_chromium, serve_site

from generator.build.engine_config import read_engine_settings
from generator.build.stages import build_site
from generator.core.project import Project
from generator.search.records import PaperRecord

pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright_api = pytest.importorskip("playwright.sync_api")

WORD = re.compile(r"[a-z]{6,}")


@pytest.fixture(scope="module")
def records(seed_site: Path) -> dict[str, PaperRecord]:
    project = Project(seed_site.parent)
    engine = read_engine_settings(project.root)
    site = build_site(project, site_url=engine.site_url, directory_urls=engine.directory_urls)
    return {r.id: r for r in site.search_records}


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as b:
        yield b


@pytest.fixture(scope="module")
def served(seed_site: Path):
    with serve_site(seed_site, base_path(seed_site.parent)) as s:
        yield s


@pytest.fixture
def page(browser, served):
    context = browser.new_context()
    tab = context.new_page()
    guard = PageGuard()
    guard.attach(context, tab)
    tab.guard = guard
    yield tab
    context.close()
    assert not guard.problems(), guard.report()  # offline: nothing left 127.0.0.1, no script error


def open_search(page, served, query: str = "") -> None:
    page.goto(served.page_url("search/") + query)
    page.wait_for_selector("#rl-search[data-ready=true][data-state=done]", timeout=30_000)


def settle(page) -> None:
    page.wait_for_selector("#rl-search[data-state=done]", timeout=30_000)
    page.wait_for_timeout(100)  # a debounced search may still be scheduled
    page.wait_for_selector("#rl-search[data-state=done]", timeout=30_000)


def shown_count(page) -> int:
    status = page.inner_text("#rl-search-status")
    match = re.match(r"(\d+) papers?", status)
    return int(match.group(1)) if match else 0


def shown_ids(page) -> list[str]:
    hrefs = page.eval_on_selector_all("#rl-search-results a.rl-result-title", "els => els.map(e => e.href)")
    return [urlsplit(h).fragment for h in hrefs]


def rare_word(text: str, records: dict[str, PaperRecord]) -> str | None:
    """A word of ``text`` that no other paper's title or abstract contains."""
    counts = Counter(
        w for r in records.values() for w in set(WORD.findall(f"{r.title} {r.abstract}".lower()))
    )
    return next((w for w in WORD.findall(text.lower()) if counts[w] == 1), None)


def test_every_paper_has_a_record_in_the_bundle(seed_site: Path, records: dict[str, PaperRecord]) -> None:
    """The bundle the browser loads holds one fragment per visible paper, pointing at its entry."""
    fragments = [
        json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd") :])
        for f in (seed_site / "pagefind" / "fragment").iterdir()
    ]
    by_url = {f["meta"]["url"]: f for f in fragments}
    assert len(fragments) == len(records) > 400
    for record in records.values():
        fragment = by_url[record.url]
        assert fragment["meta"]["title"] == " ".join(record.title.split())
        assert fragment["filters"]["topic"] == list(record.topics or (record.topic,))
        heading = (seed_site / record.url.split("#")[0] / "index.html").read_text(encoding="utf-8")
        assert f'id="{record.id}"' in heading


def test_finds_a_paper_by_a_title_word_and_by_an_abstract_word(
    page, served, records: dict[str, PaperRecord]
) -> None:
    checked = 0
    for record in records.values():
        title_word = rare_word(record.title, records)
        abstract_word = rare_word(record.abstract, records)
        if not (title_word and abstract_word):
            continue
        for word in (title_word, abstract_word):
            open_search(page, served, f"?query={word}")
            assert record.id in shown_ids(page), (word, record.id)
        checked += 1
        if checked == 3:
            break
    assert checked == 3


def test_a_facet_filters_papers(page, served, records: dict[str, PaperRecord]) -> None:
    tag, expected = Counter(t for r in records.values() for t in r.tags).most_common(4)[-1]
    open_search(page, served)
    page.locator(f'#rl-search-facets input[name="tag"][value="{tag}"]').check()
    settle(page)
    assert shown_count(page) == expected
    ids = shown_ids(page)
    assert len(ids) == min(10, expected)
    assert all(tag in records[i].tags for i in ids)
    # A second value of the same facet widens (any of), a value of another facet narrows (and).
    topic = records[ids[0]].topic
    page.locator(f'#rl-search-facets input[name="topic"][value="{topic}"]').check()
    settle(page)
    both = sum(1 for r in records.values() if tag in r.tags and topic in (r.topics or (r.topic,)))
    assert shown_count(page) == both
    assert all(tag in records[i].tags and topic in records[i].topics for i in shown_ids(page))


def test_query_and_facet_combine_and_the_address_restores_them(
    page, served, records: dict[str, PaperRecord]
) -> None:
    record = next(r for r in records.values() if r.tags and rare_word(r.title, records))
    word = rare_word(record.title, records)
    tag = record.tags[0]
    open_search(page, served)
    page.locator("#rl-search-q").press_sequentially(word)
    settle(page)
    assert record.id in shown_ids(page)
    page.locator(f'#rl-search-facets input[name="tag"][value="{tag}"]').check()
    settle(page)
    assert shown_ids(page) == [record.id]
    # The address holds the state ...
    params = parse_qs(urlsplit(page.url).query)
    assert params == {"query": [word], "tag": [tag]}
    # ... and a fresh page on that address shows the same.
    address = page.url
    fresh = page.context.new_page()
    fresh.goto(address)
    fresh.wait_for_selector("#rl-search[data-ready=true][data-state=done]", timeout=30_000)
    assert fresh.input_value("#rl-search-q") == word
    assert fresh.locator(f'#rl-search-facets input[name="tag"][value="{tag}"]').is_checked()
    assert shown_ids(fresh) == [record.id]
    # A tag that excludes the paper gives no result.
    other = next(t for r in records.values() for t in r.tags if t not in record.tags)
    page.locator(f'#rl-search-facets input[name="tag"][value="{other}"]').check()
    page.locator(f'#rl-search-facets input[name="tag"][value="{tag}"]').uncheck()
    settle(page)
    assert record.id not in shown_ids(page)


def test_keyboard_only(page, served, records: dict[str, PaperRecord]) -> None:
    open_search(page, served)
    assert page.evaluate("document.activeElement.id") == "rl-search-q"  # focused on load
    page.keyboard.type("learning")
    settle(page)
    first, second = shown_ids(page)[:2]
    page.keyboard.press("ArrowDown")
    assert urlsplit(page.evaluate("document.activeElement.href")).fragment == first
    page.keyboard.press("ArrowDown")
    assert urlsplit(page.evaluate("document.activeElement.href")).fragment == second
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "rl-search-q"
    page.keyboard.press("Escape")  # clears the query
    settle(page)
    assert page.input_value("#rl-search-q") == "" and shown_ids(page) == []
    # Tab reaches the facets; Space ticks one.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "checkbox":
            break
    facet = page.evaluate("[document.activeElement.name, document.activeElement.value]")
    page.keyboard.press("Space")
    settle(page)
    assert parse_qs(urlsplit(page.url).query) == {facet[0]: [facet[1]]}
    assert shown_count(page) > 0
    # Enter on a result opens the paper's entry on its topic page.
    page.locator("#rl-search-q").focus()
    page.keyboard.type("learning")
    settle(page)
    target = shown_ids(page)[0]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(f"#{target}") + "$"), timeout=30_000)
    assert "/search/" not in page.url
    assert page.locator(f'[id="{target}"]').count() == 1


def test_cite_block_keeps_its_copy_button(page, served, records: dict[str, PaperRecord]) -> None:
    """The pre-rendered Cite block (no Pygments pass) is still a Material code block with a copy button."""
    record = next(iter(records.values()))
    page.goto(served.page_url(record.url))
    cite = page.locator(f'[id="{record.id}"] ~ .rl-cite').first
    cite.locator("summary").click()
    assert cite.locator("pre > code").inner_text().startswith("@")
    assert cite.locator("button[data-md-type=copy]").count() == 1  # Material's copy-to-clipboard button
