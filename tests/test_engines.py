"""The site engines: MkDocs, ProperDocs and Zensical read one mkdocs.yml alike, the pages and config that
`python -m generator build` writes are the whole site (the hook adds nothing a written-pages build
lacks), and the address the site is published at comes from SITE_URL, reported by every build.

The end-to-end checks of the built site run once per engine in tests/test_site_e2e.py and
tests/test_hostile.py; this module checks what makes those builds equivalent.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
import yaml
from browser_support import CHROMIUM_ARGS, PageGuard, base_path, chromium_path, serve_site
from conftest import REPO, make_project, run_cli
from engines import ENGINES, GENERATED_CONFIG, SITE_URL, build_with

from generator.build.engine_config import GENERATED_CONFIG as WRITTEN_CONFIG
from generator.build.engine_config import read_engine_settings
from generator.build.stages import build_site
from generator.core.project import Project

FORK_URL = "https://someone.github.io/their-fork/"


# How each engine reads a config, as JSON: run in its own interpreter (ProperDocs and MkDocs cannot share
# one: each checks plugins against its own base class).
_READ_CONFIG = {
    "mkdocs": "from mkdocs.config import load_config",
    # as properdocs' own CLI does: mkdocs.* imports (Material's plugins) resolve to properdocs.*
    "properdocs": "import properdocs.replacement\nfrom properdocs.config import load_config",
}
_MKDOCS_LIKE = """
import json, os, sys
{import_line}
c = load_config(sys.argv[1])
print(json.dumps({{"site_url": c.site_url, "custom_dir": c.theme.custom_dir, "extra_css": list(c.extra_css),
                  "extensions": sorted(e for e in c.markdown_extensions if isinstance(e, str)),
                  "plugins": sorted(c.plugins), "nav": c.nav}}))
"""
_ZENSICAL = """
import json, os, sys
from zensical.config import parse_config
c = parse_config(sys.argv[1])
root = os.path.dirname(sys.argv[1])
print(json.dumps({"site_url": c["site_url"], "custom_dir": os.path.join(root, c["theme"]["custom_dir"]),
                  "extra_css": list(c["extra_css"]), "extensions": sorted(c["markdown_extensions"]),
                  "search": c["plugins"]["search"]["config"]["enabled"], "nav": c["nav"] or None}))
"""


def _engine_config(engine: str, config: Path) -> dict:
    """site_url, theme overrides, CSS, Markdown extensions, plugins and nav as ``engine`` reads ``config``."""
    script = _ZENSICAL if engine == "zensical" else _MKDOCS_LIKE.format(import_line=_READ_CONFIG[engine])
    env = {**os.environ, "SITE_URL": FORK_URL, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-c", script, str(config)],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"{engine}: {result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_engine_reads_mkdocs_yml_alike(tmp_path: Path) -> None:
    """The one mkdocs.yml means the same to all three: the address from SITE_URL, our theme overrides,
    CSS, Markdown extensions (nothing that lets data act as code) and the search plugin."""
    project = make_project(tmp_path / "project", [])
    configs = {engine: _engine_config(engine, project / "mkdocs.yml") for engine in ENGINES}
    for engine, config in configs.items():
        assert config["site_url"] == FORK_URL, engine
        assert Path(config["custom_dir"]).resolve() == (project / "overrides").resolve(), engine
        assert config["extra_css"] == ["assets/readinglist.css"], engine
        assert config["nav"] is None, f"{engine}: mkdocs.yml holds no nav (the generator builds it)"
    extensions = {engine: set(c["extensions"]) for engine, c in configs.items()}
    assert extensions["mkdocs"] == extensions["properdocs"], extensions
    # MkDocs always adds fenced_code (pymdownx.superfences, listed, handles fences in every engine)
    assert extensions["zensical"] == extensions["mkdocs"] - {"fenced_code"}, extensions
    assert not {"pymdownx.snippets", "pymdownx.arithmatex", "pymdownx.magiclink"} & extensions["zensical"]
    assert configs["zensical"]["search"] is True
    assert (
        "material/search" in configs["mkdocs"]["plugins"]
        and "material/search" in configs["properdocs"]["plugins"]
    )


def test_the_generator_reads_the_address_as_the_engines_do(tmp_path: Path, monkeypatch) -> None:
    project = make_project(tmp_path / "project", [])
    monkeypatch.setenv("SITE_URL", "https://someone.github.io/their-fork")  # no trailing slash
    settings = read_engine_settings(project)
    assert settings.site_url == FORK_URL and settings.site_url_source == "from SITE_URL"
    monkeypatch.delenv("SITE_URL")
    settings = read_engine_settings(project)
    assert settings.site_url == "http://127.0.0.1:8000/"
    assert "SITE_URL is not set" in settings.site_url_source
    assert settings.directory_urls and not settings.has_nav


def _papers() -> list[dict]:
    return [
        {
            "id": f"paper-{i}",
            "title": f"Gradient descent with momentum, part {i}",
            "abstract": "We study stochastic gradient descent and adaptive optimizers.",
            "added": f"2024-03-{i + 1:02d}",
        }
        for i in range(4)
    ]


def test_a_build_says_which_address_it_used(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", _papers())
    env_unset = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    local = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=project,
        env={**env_unset, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert local.returncode == 0, local.stderr
    assert "site_url: http://127.0.0.1:8000/ (SITE_URL is not set" in local.stdout + local.stderr
    feed = (project / "docs" / "feeds" / "all.xml").read_text(encoding="utf-8")
    assert "http://127.0.0.1:8000/" in feed
    published = run_cli("build", cwd=project, check=True, env={"SITE_URL": FORK_URL})
    assert f"site_url: {FORK_URL} (from SITE_URL)" in published.stdout + published.stderr
    feed = (project / "docs" / "feeds" / "all.xml").read_text(encoding="utf-8")
    assert FORK_URL in feed and "127.0.0.1" not in feed


def test_the_generated_config_is_mkdocs_yml_plus_the_taxonomy_nav(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", _papers())
    run_cli("build", cwd=project, check=True, env={"SITE_URL": SITE_URL})
    assert WRITTEN_CONFIG == GENERATED_CONFIG
    config = yaml.safe_load((project / GENERATED_CONFIG).read_text(encoding="utf-8"))
    site = build_site(Project(project), use_cache=False)
    assert config["INHERIT"] == "mkdocs.yml"
    assert config["hooks"] == [], "the written pages are the site: no hook may run again"
    assert config["nav"] == site.nav
    listed = {line.removeprefix("/") for line in config.get("not_in_nav", "").splitlines()}
    assert listed == site.not_in_nav


def test_a_curators_nav_is_left_alone(tmp_path: Path) -> None:
    """A nav written in mkdocs.yml is inherited as written: the generated config adds none (Zensical
    merges INHERIT by appending lists, so a second nav would be added to it, not replace it)."""
    project = make_project(tmp_path / "project", _papers())
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as f:
        f.write("\nnav:\n  - Home: index.md\n  - Tags: tags/index.md\n")
    run_cli("build", cwd=project, check=True)
    config = yaml.safe_load((project / GENERATED_CONFIG).read_text(encoding="utf-8"))
    assert "nav" not in config
    from mkdocs.config import load_config
    from zensical.config import parse_config

    assert load_config(str(project / GENERATED_CONFIG)).nav == [
        {"Home": "index.md"},
        {"Tags": "tags/index.md"},
    ]
    assert len(parse_config(str(project / GENERATED_CONFIG))["nav"]) == 2


def _sitemap(site: Path) -> list[tuple[str, str]]:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.parse(site / "sitemap.xml").getroot()
    return sorted((u.findtext("s:loc", namespaces=ns), u.findtext("s:lastmod", namespaces=ns)) for u in root)


@pytest.mark.slow
def test_the_hook_adds_nothing_the_written_pages_lack(tmp_path: Path, seed_site: Path) -> None:
    """`mkdocs build` with the hook (pages in memory) and with mkdocs.generated.yml (no hook, the pages
    `generator build` wrote) make the same site: the same files, every page byte for byte, the same
    sitemap and search entries (listed in each build's file order)."""
    project = seed_site.parent
    hookless = tmp_path / "hookless"
    shutil.copytree(project, hookless, ignore=shutil.ignore_patterns("site", ".cache"))
    run_cli("build", cwd=hookless, check=True)
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", GENERATED_CONFIG],
        cwd=hookless,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # without the hook the paper search is indexed after the engine, as `make site ENGINE=...` does
    search = subprocess.run(
        [sys.executable, "-m", "generator.search", "site"],
        cwd=hookless,
        env=env,
        capture_output=True,
        text=True,
    )
    assert search.returncode == 0, search.stdout + search.stderr
    other = hookless / "site"

    # The paper-search bundle is compared by its records, not its bytes: its chunk names hash the
    # indexer's input order, which differs between the in-memory (hook) and the file-based run.
    def listing(site: Path) -> list[str]:
        return sorted(
            p.relative_to(site).as_posix()
            for p in site.rglob("*")
            if p.is_file() and p.relative_to(site).parts[0] != "pagefind"
        )

    files = listing(seed_site)
    assert files == listing(other)
    fragments = [len(list((site / "pagefind" / "fragment").iterdir())) for site in (seed_site, other)]
    assert fragments[0] == fragments[1] > 400
    ordered = {"sitemap.xml", "sitemap.xml.gz", "search/search_index.json"}
    _, mismatch, errors = filecmp.cmpfiles(
        seed_site, other, [f for f in files if f not in ordered], shallow=False
    )
    assert (mismatch, errors) == ([], [])
    assert _sitemap(seed_site) == _sitemap(other)
    index = [
        json.loads((site / "search" / "search_index.json").read_text("utf-8")) for site in (seed_site, other)
    ]
    assert index[0]["config"] == index[1]["config"]
    key = lambda doc: doc["location"]  # noqa: E731
    assert sorted(index[0]["docs"], key=key) == sorted(index[1]["docs"], key=key)


_CURRENT_TAB = re.compile(
    r'<li class="md-tabs__item md-tabs__item--active">\s*'
    r'<a href="[^"]*" class="md-tabs__link">\s*([^<]*?)\s*</a>'
)

_OPEN_SECTION = re.compile(
    r'<li class="md-nav__item md-nav__item--active md-nav__item--section md-nav__item--nested">'
)


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_pages_outside_the_navigation_show_the_tab_they_belong_under(engine: str, tmp_path: Path) -> None:
    """Every engine draws one current tab on every page, also on the pages outside the navigation, from
    their front matter (no hook): a tag listing (and its page 2) under Tags, page 2 of a topic under the
    tab of its first page (and its sidebar section open), the moved-papers page under Home."""
    project = make_project(tmp_path / engine, store_text=(REPO / "data" / "papers.yaml").read_text("utf-8"))
    with (project / "data" / "site.yaml").open("a", encoding="utf-8") as settings:
        settings.write("page_size: 30\ntag_page_size: 8\n")  # later pages of topics and tags
    build_with(engine, project)
    site = project / "site"

    def current(rel: str) -> list[str]:
        return _CURRENT_TAB.findall((site / rel).read_text(encoding="utf-8"))

    tags = sorted(p.parent.name for p in (site / "tags").glob("*/index.html"))
    assert len(tags) > 20 and any(re.search(r"-[0-9]+$", t) for t in tags)
    for tag in tags:
        assert current(f"tags/{tag}/index.html") == ["Tags"], tag
    later = sorted(p.parent.name for p in (site / "topics").glob("*-[0-9]/index.html"))
    assert "optimization-2" in later
    for name in ["optimization", *later]:
        assert current(f"topics/{name}/index.html") == ["Topics"], name
        # the sidebar shows the Topics section, open, as on the topic's first page
        page = (site / "topics" / name / "index.html").read_text(encoding="utf-8")
        assert len(_OPEN_SECTION.findall(page)) == 1, name
    expected = {"index.html": "Home", "moved/index.html": "Home", "tags/index.html": "Tags"}
    expected |= {"map/index.html": "Map", "search/index.html": "Search", "unsorted/index.html": "Topics"}
    for rel, tab in expected.items():
        assert current(rel) == [tab], rel
    assert current("404.html") == []


# ---------------------------------------------------------------- in a browser, per engine

# How to query each engine's search box: what to click, where to type (None: the focused box) and a
# result that links to the paper's anchor.
_MATERIAL_SEARCH = (
    "input.md-search__input",
    "input.md-search__input",
    "a.md-search-result__link[href$='#{pid}']",
)
SEARCH_UI = {
    "mkdocs": _MATERIAL_SEARCH,
    "properdocs": _MATERIAL_SEARCH,
    # Zensical's search is a dialog opened by a button, its box focused; results link to page/?h=word#id
    "zensical": (".md-search__button", None, "a[href*='?h='][href$='#{pid}']"),
}


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if not Path(executable).is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests cannot run on CI: no chromium at {executable}", pytrace=False)
        pytest.skip(f"no chromium at {executable}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", params=ENGINES)
def engine_seed(request, seed_site: Path, tmp_path_factory) -> tuple[str, Path]:
    engine = request.param
    if engine == "mkdocs":
        return engine, seed_site
    project = make_project(
        tmp_path_factory.mktemp(f"browser-{engine}"),
        store_text=(REPO / "data" / "papers.yaml").read_text(encoding="utf-8"),
    )
    build_with(engine, project)
    return engine, project / "site"


def _rare_words(records: list[dict]) -> tuple[tuple[str, dict], tuple[str, dict]]:
    """A word found in one paper's title only, and one found in one paper's abstract only (nowhere else)."""
    words = re.compile(r"[A-Za-z]{7,}")
    counts = Counter(w.lower() for r in records for w in set(words.findall(f"{r['title']} {r['abstract']}")))
    title = next((w.lower(), r) for r in records for w in words.findall(r["title"]) if counts[w.lower()] == 1)
    abstract = next(
        (w.lower(), r)
        for r in records
        for w in words.findall(r["abstract"])
        if counts[w.lower()] == 1 and w.lower() not in r["title"].lower() and "$" not in r["abstract"]
    )
    return title, abstract


@pytest.mark.browser
def test_each_engines_site_searches_renders_math_and_stays_local(browser, engine_seed) -> None:
    """In Chromium, for every engine: the search box finds a paper by a word of its title and by a word
    only its abstract holds, the result opens its entry, inline math is laid out as MathML, and no
    request leaves 127.0.0.1 (no fonts, no CDN)."""
    engine, site = engine_seed
    records = [r for r in map(json.loads, run_cli("export", cwd=site.parent, check=True).stdout.splitlines())]
    visible = [r for r in records if not r["hidden"]]
    with serve_site(site, base_path(site.parent)) as served:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
        page = context.new_page()
        guard = PageGuard()
        guard.attach(context, page)
        for word, paper in _rare_words(visible):  # papers are found on the paper search page
            page.goto(served.page_url("search/") + "?query=" + word)
            page.wait_for_selector("#rl-search[data-ready=true][data-state=done]", timeout=30_000)
            hit = page.locator(f"#rl-search-results a.rl-result-title[href$='#{paper['id']}']").first
            hit.wait_for(state="visible", timeout=15000)
            hit.click()
            page.wait_for_load_state()
            assert page.url.endswith("#" + paper["id"]), (engine, word, page.url)
        math_paper = next(r for r in visible if "$" in r["abstract"])
        holder = next(
            p for p in sorted(site.rglob("index.html")) if f'id="{math_paper["id"]}"' in p.read_text("utf-8")
        )
        page.goto(served.page_url(holder.parent.relative_to(site).as_posix() + "/"))
        math = page.locator(f"h2[id='{math_paper['id']}'] ~ div.rl-abstract math").first
        math.scroll_into_view_if_needed()
        info = math.evaluate(
            "m => { const r = m.getBoundingClientRect();"
            " return {w: r.width, h: r.height, display: getComputedStyle(m).display}; }"
        )
        assert info["w"] > 0 and info["h"] > 0 and "math" in info["display"], (engine, info)
        context.unroute_all(behavior="ignoreErrors")
        context.close()
    assert not guard.problems(), f"{engine}: the page misbehaved:\n{guard.report()}"
