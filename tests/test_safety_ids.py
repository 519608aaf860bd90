"""HTML ids are unique on every page of the built site, and a paper whose id would repeat a section
anchor or heading id of its page (``also-in-this-topic``, a topic title's slug, ``year-2024``) is refused
by `check` and `build` with a hint. Two renderers never write one path (a clear error naming both)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import make_project, mkdocs_build, run_cli

from generator.core.errors import ReadingListError
from generator.site.render import gather_pages


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.extend(value for name, value in attrs if name == "id" and value is not None)


def duplicate_ids(site: Path) -> dict[str, list[str]]:
    found = {}
    for page in sorted(site.rglob("*.html")):
        parser = _Ids()
        parser.feed(page.read_text(encoding="utf-8"))
        repeated = [i for i, n in Counter(parser.ids).items() if n > 1]
        if repeated:
            found[page.relative_to(site).as_posix()] = repeated
    return found


def test_no_page_of_the_seed_site_repeats_an_html_id(seed_site: Path) -> None:
    assert list(seed_site.rglob("*.html"))
    assert duplicate_ids(seed_site) == {}


def _paper(paper_id: str, title: str) -> dict:
    return {
        "id": paper_id,
        "title": title,
        "abstract": "An adaptive optimizer for training.",
        "added": "2024-01-01",
    }


@pytest.mark.parametrize(
    "paper_id", ["also-in-this-topic", "optimization-and-training-dynamics", "year-2024"]
)
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_paper_id_equal_to_a_section_anchor_is_refused(tmp_path: Path, paper_id: str, command: str) -> None:
    project = make_project(tmp_path / "p", [_paper(paper_id, "Also in this topic"), _paper("b", "Another")])
    result = run_cli(command, cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    out = result.stdout + result.stderr
    assert f"data/papers.yaml:1: paper id '{paper_id}' is also the id of a section or heading" in out


def test_a_site_with_varied_ids_has_no_duplicate_id(tmp_path: Path) -> None:
    """Papers titled like the page's sections (their slugs get a suffix at ingest) and renamed papers."""
    records = [_paper(f"also-in-this-topic-{n}", "Also in this topic") for n in range(2, 4)]
    records.append({**_paper("renamed", "Renamed paper"), "aliases": ["old-name"]})
    project = make_project(tmp_path / "p", records)
    mkdocs_build(project, project / "site")
    assert duplicate_ids(project / "site") == {}


def test_two_producers_of_one_path_are_refused() -> None:
    pages: dict[str, str] = {}
    owners: dict[str, str] = {}
    gather_pages(pages, owners, {"tags/index.md": "a"}, "tags.render_tags")
    with pytest.raises(ReadingListError, match=r"tags/index.md.*tags.render_tags.*home.render_home"):
        gather_pages(pages, owners, {"tags/index.md": "b"}, "home.render_home")
