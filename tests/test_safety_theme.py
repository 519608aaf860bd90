"""Curator strings the theme prints (topic and tag titles and descriptions, the site title and intro) are
shown as text: through the real `mkdocs build --strict`, no element or attribute is injected in any page
(navigation, <title>, header, headings, tables), each string shows literally, and in Chromium no page
opens a dialog. One hostile string per file: topics.yaml, tags.yaml, site.yaml."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser_support import PageGuard, base_path, launched_chromium, serve_site
from conftest import make_project, mkdocs_build

TOPIC_TITLE = "Opt <img src=x onerror=alert('evil-topic')> & co"
TOPIC_DESCRIPTION = "<script>alert('evil-topic-description')</script> about *optimizers*"
TAG_LABEL = "<svg onload=alert('evil-tag')>"
TAG_DESCRIPTION = '"><img src=x onerror=alert("evil-tag-description")>'
SITE_TITLE = "</title><img src=x onerror=alert('evil-site')> List"
SITE_INTRO = "Welcome <iframe src=javascript:alert('evil-intro')></iframe>"
PAYLOADS = [TOPIC_TITLE, TOPIC_DESCRIPTION, TAG_LABEL, TAG_DESCRIPTION, SITE_TITLE, SITE_INTRO]
PAYLOAD_TAGS = {"img", "svg", "script", "iframe"}


class _Injected(HTMLParser):
    """Elements and attributes a payload made: an event handler, an element the payloads use whose
    attributes name "evil", a script whose code calls alert."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on") or (tag in PAYLOAD_TAGS and "evil" in (value or "")):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.found.append(f"<script>{data[:60]}")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def _yaml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    records = [
        {
            "id": f"paper-{n}",
            "title": f"Adaptive optimizer number {n}",
            "abstract": "We study an adaptive optimizer with a hostile zqtag marker for learning rates.",
            "added": "2024-01-0" + str(n + 1),
        }
        for n in range(3)
    ]
    project = make_project(tmp_path_factory.mktemp("theme"), records)
    data = project / "data"
    topics = data / "topics.yaml"
    topics.write_text(
        topics.read_text()
        + f"  - id: hostile\n    title: {_yaml(TOPIC_TITLE)}\n    description: {_yaml(TOPIC_DESCRIPTION)}\n"
        + "    rules: [adaptive optimizer]\n"
    )
    tags = data / "tags.yaml"
    tags.write_text(
        tags.read_text()
        + f"  - id: hostile-tag\n    label: {_yaml(TAG_LABEL)}\n    synonyms: [zqtag]\n"
        + f"    description: {_yaml(TAG_DESCRIPTION)}\n"
    )
    (data / "site.yaml").write_text(f"title: {_yaml(SITE_TITLE)}\nintro: {_yaml(SITE_INTRO)}\n")
    mkdocs_build(project, project / "site")
    return project


def _pages(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site / "site").as_posix(): p.read_text(encoding="utf-8")
        for p in (site / "site").rglob("*.html")
    }


def test_no_page_holds_an_injected_element_or_attribute(site: Path) -> None:
    pages = _pages(site)
    assert len(pages) > 5
    for rel, text in pages.items():
        parser = _Injected()
        parser.feed(text)
        assert not parser.found, f"{rel}: injected {parser.found[:3]}"


@pytest.mark.parametrize(
    ("page", "text"),
    [
        ("index.html", SITE_TITLE),
        ("index.html", SITE_INTRO),
        ("index.html", TOPIC_TITLE),
        ("topics/hostile/index.html", TOPIC_TITLE),
        ("topics/hostile/index.html", "about optimizers"),
        ("tags/hostile-tag/index.html", TAG_LABEL),
        ("tags/hostile-tag/index.html", TAG_DESCRIPTION),
    ],
)
def test_each_string_shows_literally(site: Path, page: str, text: str) -> None:
    body = _pages(site)[page]
    visible = html.unescape(re.sub(r"<[^>]+>", "", body))
    assert text.replace("*", "") in visible.replace("*", "")


def test_titles_show_once_escaped_in_title_nav_and_heading(site: Path) -> None:
    page = _pages(site)["topics/hostile/index.html"]
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL).group(1)
    assert html.unescape(title).startswith(TOPIC_TITLE)
    assert "&amp;amp;" not in page and "&amp;lt;" not in page  # never escaped twice
    nav_labels = [html.unescape(re.sub(r"<[^>]+>|\s+", " ", m).strip()) for m in re.findall(
        r'<span class="md-ellipsis">(.*?)</span>', page, re.DOTALL)]  # fmt: skip
    assert TOPIC_TITLE in nav_labels
    home_title = re.search(r"<title>(.*?)</title>", _pages(site)["index.html"], re.DOTALL).group(1)
    assert SITE_TITLE in html.unescape(home_title)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    pytest.importorskip("playwright.sync_api")
    with launched_chromium() as browser:
        yield browser


@pytest.mark.parametrize("page", ["", "topics/hostile/", "tags/hostile-tag/", "tags/"])
def test_no_dialog_fires_in_chromium(site: Path, browser, page: str) -> None:
    with serve_site(site / "site", base_path(site)) as served:
        context = browser.new_context()
        tab = context.new_page()
        guard = PageGuard()
        guard.attach(context, tab)
        tab.goto(served.page_url(page), wait_until="load")
        tab.wait_for_timeout(300)
        context.close()
    assert guard.dialogs == [], f"{page}: a payload opened a dialog: {guard.dialogs}"
