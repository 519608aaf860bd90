"""The built site in a real browser: Debian's chromium, driven by Playwright, on a localhost server.

Checks what only a browser can: listings, tag and related links, the search worker, MathML rendering,
the light/dark toggle, that hostile abstracts stay text when scripts run, and that no page reaches
beyond localhost (the site works offline). Expectations come from `python -m generator export`.
Screenshots go to tests/output/ for a human to look at.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from browser_support import CHROMIUM_ARGS, PageGuard, Served, base_path, chromium_path, serve_site
from conftest import make_project, mkdocs_build, run_cli

from generator.sources.normalize import split_math

if TYPE_CHECKING:  # imported for real inside the fixture, so a missing Playwright skips instead of erroring
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 800}
UNSORTED = "unsorted"
_WORD = re.compile(r"[A-Za-z]+")
_HEADING_ID = re.compile(r'<h2 id="([^"]+)"')


def _unavailable(reason: str) -> None:
    """No browser: a failure on CI (the tests must run there), a skip on a developer machine."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run on CI: {reason}", pytrace=False)
    pytest.skip(reason)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One chromium for the whole module (Debian's binary; Playwright never downloads one)."""
    executable = chromium_path()
    if not Path(executable).is_file():
        _unavailable(f"no chromium at {executable} (install Debian's chromium or set READINGLIST_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Tab:
    """A fresh browser context and page, with a guard that records what the page must not do."""

    page: Page
    guard: PageGuard
    site: Served

    def open(self, rel: str = "") -> None:
        self.page.goto(self.site.page_url(rel))


def _open_tab(browser: Browser, site: Served) -> Iterator[Tab]:
    context = browser.new_context(viewport=VIEWPORT, color_scheme="light", reduced_motion="reduce")
    page = context.new_page()
    guard = PageGuard()
    guard.attach(context, page)
    yield Tab(page, guard, site)
    context.unroute_all(behavior="ignoreErrors")
    context.close()
    assert not guard.problems(), f"the page misbehaved:\n{guard.report()}"


@pytest.fixture(scope="module")
def seed(seed_site: Path) -> Iterator[Served]:
    with serve_site(seed_site, base_path(seed_site.parent)) as served:
        yield served


@pytest.fixture
def tab(browser: Browser, seed: Served) -> Iterator[Tab]:
    yield from _open_tab(browser, seed)


@pytest.fixture(scope="module")
def papers(seed_site: Path) -> list[dict]:
    """Every visible paper of the seed project, as `python -m generator export` prints it."""
    out = run_cli("export", cwd=seed_site.parent, check=True).stdout
    records = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert len(records) > 100, "the seed store should hold the ingested seeds"
    return [r for r in records if not r["hidden"]]


@pytest.fixture(scope="module")
def locations(seed_site: Path) -> dict[str, str]:
    """Paper id -> the site-relative page (``topics/x/``) that holds its full entry (its <h2 id>)."""
    found: dict[str, str] = {}
    for html_file in sorted(seed_site.rglob("index.html")):
        rel = html_file.parent.relative_to(seed_site).as_posix()
        for pid in _HEADING_ID.findall(html_file.read_text(encoding="utf-8")):
            found.setdefault(pid, "" if rel == "." else rel + "/")
    return found


# ---------------------------------------------------------------- page helpers


def _h2(pid: str) -> str:
    """A CSS selector for the heading of paper ``pid`` (ids may start with a digit, so no ``#id``)."""
    return f'h2[id="{pid}"]'


_BOX_JS = """id => {
    const el = document.getElementById(id);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    const header = document.querySelector('.md-header');
    const below = header ? header.getBoundingClientRect().bottom : 0;
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, header: below,
            innerHeight: window.innerHeight, innerWidth: window.innerWidth,
            inView: r.top >= below - 1 && r.bottom <= window.innerHeight && r.left >= 0
                    && r.right <= window.innerWidth};
}"""


def assert_heading_in_view(page: Page, element_id: str) -> None:
    """The heading with ``element_id`` ends up in the window, below the fixed header (waits for scrolling)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):  # on timeout, the assertion below says where it is
        page.wait_for_function(f"id => ({_BOX_JS})(id)?.inView", arg=element_id, timeout=5000)
    box = page.evaluate(_BOX_JS, element_id)
    assert box is not None and box["inView"], f"#{element_id} is not in the viewport of {page.url}: {box}"
    assert page.evaluate("id => document.getElementById(id).tagName", element_id) == "H2"


def _text(s: str) -> str:
    return " ".join(s.split())


def _topic_counts(papers: list[dict]) -> Counter:
    counts = Counter(t for p in papers for t in p["topics"])
    counts[UNSORTED] = sum(1 for p in papers if not p["topics"])
    return counts


def _has_math(paper: dict) -> bool:
    return any(is_math for is_math, _ in split_math(paper["abstract"]))


def _words(text: str) -> set[str]:
    plain = "".join(piece for is_math, piece in split_math(text) if not is_math)
    return {w.lower() for w in _WORD.findall(plain)}


def distinctive_word(papers: list[dict], *, in_title: bool) -> tuple[str, dict]:
    """A word found in exactly one paper (in its title, or only in its abstract) and nowhere else.

    "Nowhere else" is strict: no other paper has a word sharing its first six letters (so a search
    engine's stemming cannot bring in other papers), and for an abstract word, no title has it.
    """
    title_words = {p["id"]: _words(p["title"]) for p in papers}
    all_words = {p["id"]: title_words[p["id"]] | _words(p["abstract"]) for p in papers}
    stems = Counter(stem for words in all_words.values() for stem in {w[:6] for w in words})
    any_title = set().union(*title_words.values())
    candidates = []
    for p in papers:
        if p["needs_title"]:
            continue
        pool = title_words[p["id"]] if in_title else all_words[p["id"]] - any_title
        candidates += [(w, p) for w in pool if 8 <= len(w) <= 12 and stems[w[:6]] == 1]
    assert candidates, "the seeds have no distinctive word to search for"
    return min(candidates, key=lambda c: c[0])  # ordinary-length words: long runs are often glued tokens


# ---------------------------------------------------------------- the seed site


def test_home_lists_topics_with_their_counts(tab: Tab, papers: list[dict], output_dir: Path) -> None:
    tab.open()
    rows = tab.page.evaluate(
        """() => [...document.querySelectorAll('article table tbody tr')].map(tr => {
               const a = tr.querySelector('a');
               return {href: a ? a.href : null, title: a ? a.innerText : null,
                       count: tr.cells[1].innerText.trim()};
           })"""
    )
    shown = {}
    for row in rows:
        match = re.search(r"/(?:topics/([^/]+)|(unsorted))/$", row["href"] or "")
        assert match, f"a topic row links to no topic page: {row}"
        shown[match.group(1) or match.group(2)] = int(row["count"])
    expected = _topic_counts(papers)
    assert shown == {t: expected[t] for t in shown}, "home page counts differ from `generator export`"
    assert set(expected) - {UNSORTED} <= set(shown), "a topic with papers is missing from the home page"
    assert f"{len(papers)} papers" in tab.page.locator("article").inner_text()
    tab.page.screenshot(path=output_dir / "browser-home.png")


def _biggest_topic(papers: list[dict]) -> str:
    primaries = Counter(p["topics"][0] for p in papers if p["topics"])
    return min(primaries, key=lambda t: (-primaries[t], t))


_ENTRIES_JS = """() => [...document.querySelectorAll('article h2[id]')].map(h => {
    const heading = h.cloneNode(true);
    heading.querySelectorAll('.headerlink').forEach(a => a.remove());
    const entry = {id: h.id, title: heading.textContent, tags: [], abstract: null,
                   abstractHeight: 0, math: 0};
    for (let el = h.nextElementSibling; el && el.tagName !== 'H2'; el = el.nextElementSibling) {
        if (el.matches('p.rl-tags')) entry.tags = [...el.querySelectorAll('a.rl-tag')].map(a => a.href);
        if (el.matches('div.rl-abstract')) {
            entry.abstract = el.innerText;
            entry.abstractHeight = el.getBoundingClientRect().height;
            entry.math = el.querySelectorAll('math').length;
        }
    }
    return entry;
})"""


def test_topic_page_shows_papers_with_tags_and_abstracts(
    tab: Tab, papers: list[dict], output_dir: Path
) -> None:
    topic = _biggest_topic(papers)
    tab.open(f"topics/{topic}/")
    entries = tab.page.evaluate(_ENTRIES_JS)
    by_id = {p["id"]: p for p in papers}
    assert entries, f"no paper entries on topics/{topic}/"
    checked = 0
    for entry in entries:
        paper = by_id.get(entry["id"])
        if paper is None:  # a section of the page (e.g. "Also in this topic"), not a paper entry
            assert entry["abstract"] is None, f"heading #{entry['id']} has an abstract but is no paper id"
            continue
        assert paper["topics"][0] == topic, f"{paper['id']} shown on {topic}, primary is {paper['topics']}"
        if "$" not in paper["title"]:
            assert _text(entry["title"]) == _text(paper["title"])
        assert [re.search(r"/tags/([^/]+)/$", href).group(1) for href in entry["tags"]] == paper["tags"]
        assert entry["abstractHeight"] > 0, f"the abstract of {paper['id']} is not displayed"
        if not _has_math(paper):
            assert _text(entry["abstract"]) == _text(paper["abstract"])
            checked += 1
    assert checked >= 5
    assert any(entry["tags"] for entry in entries)
    tab.page.screenshot(path=output_dir / "browser-topic.png")


def test_tag_link_opens_a_listing_with_the_paper(tab: Tab, papers: list[dict]) -> None:
    topic = _biggest_topic(papers)
    tab.open(f"topics/{topic}/")
    pid = next(e["id"] for e in tab.page.evaluate(_ENTRIES_JS) if e["tags"])
    tag = tab.page.locator(_h2(pid) + " + p.rl-tags a.rl-tag").first
    label = tag.inner_text()
    came_from = tab.page.url.split("#")[0] + "#" + pid
    tag.click()
    tab.page.wait_for_load_state()
    assert re.search(r"/tags/[^/]+/$", tab.page.url), tab.page.url
    assert label in tab.page.locator("h1").inner_text()
    listed = tab.page.evaluate("() => [...document.querySelectorAll('article li a')].map(a => a.href)")
    assert came_from in listed, f"the {label} listing does not link back to {pid}"
    title = next(p["title"] for p in papers if p["id"] == pid)
    link = tab.page.locator(f"article li a[href$='#{pid}']").first
    assert _text(link.inner_text()) == _text(title)


def test_related_link_to_another_page_lands_on_the_paper(
    tab: Tab, papers: list[dict], locations: dict[str, str]
) -> None:
    topic = _biggest_topic(papers)
    tab.open(f"topics/{topic}/")
    index = tab.page.evaluate("""() => [...document.querySelectorAll('div.rl-related a')]
        .findIndex(a => new URL(a.href).pathname !== location.pathname)""")
    assert index >= 0, f"no related link on topics/{topic}/ points to another page"
    link = tab.page.locator("div.rl-related a").nth(index)
    href = link.get_attribute("href")
    target = href.split("#", 1)[1]
    assert locations[target] != f"topics/{topic}/", f"{href} should point to another page"
    link.click()
    tab.page.wait_for_load_state()
    assert tab.page.url == tab.site.page_url(locations[target]) + "#" + target
    assert_heading_in_view(tab.page, target)
    title = next(p["title"] for p in papers if p["id"] == target)
    assert _text(title) in _text(tab.page.locator(_h2(target)).inner_text())


def _search(tab: Tab, word: str, pid: str):
    """Search ``word`` on the paper search page (papers are indexed by Pagefind, not by Material's
    search, which keeps the other pages) and return the result link of the entry ``pid``."""
    tab.open("search/?query=" + quote(word))
    tab.page.wait_for_selector("#rl-search[data-ready=true][data-state=done]", timeout=30_000)
    result = tab.page.locator(f"#rl-search-results a.rl-result-title[href$='#{pid}']").first
    result.wait_for(state="visible", timeout=15_000)
    return result


@pytest.mark.parametrize("in_title", [True, False], ids=["title-word", "abstract-only-word"])
def test_search_finds_a_paper_and_opens_it(
    tab: Tab, papers: list[dict], locations: dict[str, str], output_dir: Path, in_title: bool
) -> None:
    word, paper = distinctive_word(papers, in_title=in_title)
    assert (word in _words(paper["title"])) == in_title
    tab.open()
    result = _search(tab, word, paper["id"])
    if in_title:
        tab.page.screenshot(path=output_dir / "browser-search.png")
    result.click()
    tab.page.wait_for_load_state()
    assert tab.page.url.startswith(tab.site.page_url(locations[paper["id"]]))
    assert tab.page.url.endswith("#" + paper["id"])
    assert_heading_in_view(tab.page, paper["id"])


def test_inline_math_renders_as_mathml(tab: Tab, papers: list[dict], locations: dict[str, str]) -> None:
    paper = next((p for p in papers if _has_math(p)), None)
    assert paper is not None, "the seeds should contain an abstract with $...$ math"
    tab.open(locations[paper["id"]] + "#" + paper["id"])
    math = tab.page.locator(_h2(paper["id"]) + " ~ div.rl-abstract").first.locator("math").first
    math.scroll_into_view_if_needed()
    info = math.evaluate("""m => { const r = m.getBoundingClientRect();
        return {width: r.width, height: r.height, display: getComputedStyle(m).display,
                ns: m.namespaceURI}; }""")
    assert info["ns"] == "http://www.w3.org/1998/Math/MathML", info
    assert info["width"] > 0 and info["height"] > 0, f"math of {paper['id']} has no rendered size: {info}"
    assert info["display"] in ("math", "block math", "inline math"), f"not laid out as MathML: {info}"
    abstract = tab.page.locator(_h2(paper["id"]) + " ~ div.rl-abstract").first.inner_text()
    first_math = next(piece for is_math, piece in split_math(paper["abstract"]) if is_math)
    assert first_math not in abstract, "the TeX source shows instead of rendered math"


_SCHEME_JS = "() => [document.body.dataset.mdColorScheme, getComputedStyle(document.body).backgroundColor]"


def test_palette_toggle_switches_light_and_dark(tab: Tab, papers: list[dict], output_dir: Path) -> None:
    tab.open(f"topics/{_biggest_topic(papers)}/")
    toggle = tab.page.locator("form[data-md-component=palette] label:visible")
    scheme, light = tab.page.evaluate(_SCHEME_JS)
    assert scheme == "default"
    toggle.click()
    scheme, dark = tab.page.evaluate(_SCHEME_JS)
    assert scheme == "slate" and dark != light, (scheme, light, dark)
    tab.page.screenshot(path=output_dir / "browser-topic-dark.png")
    toggle.click()
    assert tab.page.evaluate(_SCHEME_JS) == ["default", light]


def test_map_page_renders(tab: Tab, seed_site: Path, output_dir: Path) -> None:
    if not (seed_site / "map" / "index.html").is_file():
        pytest.skip("the site has no map/ page yet")
    tab.open("map/")
    svgs = tab.page.evaluate("""() => [...document.querySelectorAll('article svg')]
        .filter(s => s.closest('.rl-map')).map(s => { const r = s.getBoundingClientRect();
            return {width: r.width, height: r.height, links: s.querySelectorAll('a').length}; })""")
    assert svgs, "the map page shows no map"
    assert all(s["width"] > 100 and s["height"] > 100 for s in svgs), svgs
    assert any(s["links"] for s in svgs), "the map links to no page"
    tab.page.screenshot(path=output_dir / "browser-map.png", full_page=True)


_CLUSTER_OPACITY_JS = """() => Object.fromEntries([...document.querySelectorAll('.rl-map .rl-cluster')]
    .map(g => [g.dataset.topic, Number(getComputedStyle(g).opacity)]))"""


def test_map_legend_and_hover_show_one_topic(tab: Tab, seed_site: Path, output_dir: Path) -> None:
    """Picking a topic in the legend (by keyboard) fades the others; pointing at a dot does the same."""
    tab.open("map/")
    clusters = tab.page.evaluate(_CLUSTER_OPACITY_JS)
    assert len(clusters) > 5 and set(clusters.values()) == {1.0}, clusters
    topic = max(clusters, key=lambda t: (tab.page.locator(f'.rl-cluster[data-topic="{t}"] a').count(), t))
    link = tab.page.locator(f'.rl-legend a[href="#map-{topic}"]')
    link.focus()
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_function(f"() => location.hash === '#map-{topic}'")
    faded = tab.page.evaluate(_CLUSTER_OPACITY_JS)
    assert faded[topic] == 1.0 and all(v < 0.5 for t, v in faded.items() if t != topic), faded
    assert tab.page.evaluate("() => window.scrollY") < 400, "picking a topic scrolled the map away"
    tab.page.screenshot(path=output_dir / "browser-map-topic.png")
    tab.page.locator('.rl-legend a[href="#map"]').click()
    tab.page.locator(".md-typeset h1").hover()
    assert set(tab.page.evaluate(_CLUSTER_OPACITY_JS).values()) == {1.0}
    other = next(t for t in clusters if t != topic)
    tab.page.locator(f'.rl-cluster[data-topic="{other}"] circle').first.hover(force=True)
    hovered = tab.page.evaluate(_CLUSTER_OPACITY_JS)
    assert hovered[other] == 1.0 and hovered[topic] < 0.5, hovered


# ---------------------------------------------------------------- a hostile site

# Each hostile paper has one plain word of its own, so a search can find exactly that paper.
CODEWORDS = {
    "script": "alpaca",
    "img": "bison",
    "svg": "camel",
    "link": "dingo",
    "attr": "eland",
    "html-link": "ferret",
}
HOSTILE = {
    "script": "<script>window.rlPwned = 'script'; alert('script')</script>",
    "img": "<img src=x onerror=\"window.rlPwned='img'; alert('img')\">",
    "svg": "<svg onload=\"window.rlPwned='svg'; alert('svg')\"></svg>",
    "link": "[click me](javascript:window.rlPwned='link';alert('link'))",
    "attr": "{: onclick=\"window.rlPwned='attr'; alert('attr')\" }",
    "html-link": "<a href=\"javascript:alert('a')\">click me too</a>",
}


def _hostile_records() -> list[dict]:
    return [
        {
            "id": f"hostile-{name}",
            "title": f"Hostile {name} {payload}",
            "abstract": f"Gradient descent with {CODEWORDS[name]} momentum. {payload} Plain text after it.",
            "added": "2024-01-01",
            "topics": ["optimization"],
            "tags": ["adaptive-optimizers"],
        }
        for name, payload in HOSTILE.items()
    ]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Iterator[Served]:
    project = make_project(tmp_path_factory.mktemp("browser-hostile"), _hostile_records())
    mkdocs_build(project, project / "site")
    with serve_site(project / "site", base_path(project)) as served:
        yield served


@pytest.fixture
def hostile_tab(browser: Browser, hostile: Served) -> Iterator[Tab]:
    yield from _open_tab(browser, hostile)


def _assert_inert(tab: Tab) -> None:
    assert tab.guard.dialogs == [], f"a payload opened a dialog: {tab.guard.dialogs}"
    assert tab.page.evaluate("() => window.rlPwned") is None, "a payload ran"
    dangerous = tab.page.evaluate("""() => [...document.querySelectorAll('article *')]
        .filter(el => [...el.attributes].some(a => /^on/i.test(a.name)
                       || /^\\s*javascript:/i.test(a.value)))
        .map(el => el.outerHTML.slice(0, 120))""")
    assert dangerous == []


def test_hostile_abstracts_show_as_text(hostile_tab: Tab, output_dir: Path) -> None:
    tab = hostile_tab
    tab.open("topics/optimization/")
    _assert_inert(tab)
    for name, payload in HOSTILE.items():
        pid = f"hostile-{name}"
        heading = tab.page.locator(_h2(pid))
        abstract = tab.page.locator(_h2(pid) + " ~ div.rl-abstract").first
        assert payload in heading.inner_text(), f"title of {pid} does not show the literal payload"
        assert payload in abstract.inner_text(), f"abstract of {pid} does not show the literal payload"
        heading.click()
        abstract.click()
        for link_text in ("click me", "click me too"):
            for el in abstract.get_by_text(link_text).all():
                el.click()
    _assert_inert(tab)
    tab.page.locator(_h2("hostile-script")).scroll_into_view_if_needed()
    tab.page.screenshot(path=output_dir / "browser-hostile.png")


def test_hostile_text_stays_text_in_search_results(hostile_tab: Tab) -> None:
    tab = hostile_tab
    tab.open()
    for name, payload in HOSTILE.items():
        link = _search(tab, CODEWORDS[name], f"hostile-{name}")
        result = link.locator("xpath=ancestor::li[1]").inner_text()
        assert payload in result, f"the search result for {name} should show the payload as text"
        _assert_inert(tab)
