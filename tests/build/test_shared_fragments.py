"""The navigation and tabs drawn once for the pages outside the navigation: the same HTML, fewer draws."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from generator.build.shared_fragments import SharedFragments
from tests.conftest import REPO, make_project, mkdocs_build


def _page(url: str, section: str | None = None):
    return SimpleNamespace(url=url, meta={"nav_section": section} if section else {})


def _nav(*pages):
    return SimpleNamespace(pages=list(pages))


def test_pages_outside_the_navigation_in_one_folder_share_a_drawing() -> None:
    home, tags = _page(""), _page("tags/")
    nav = _nav(home, tags, _page("topics/alignment/"))
    shared, draws = SharedFragments(), []

    def draw():
        draws.append(1)
        return f"<nav>{len(draws)}</nav>"

    one, two = _page("tags/rl/", "/tags/"), _page("tags/gnn/", "/tags/")
    assert shared("nav", one, nav, draw) == shared("nav", two, nav, draw) == "<nav>1</nav>"
    assert shared("tabs", one, nav, draw) == "<nav>2</nav>"  # each fragment on its own
    assert shared("nav", _page("topics/alignment/page-2/", "/topics/alignment/"), nav, draw) == "<nav>3</nav>"
    assert shared("nav", _page("topics/bandits/page-2/", "/topics/alignment/"), nav, draw) == "<nav>4</nav>"
    assert len(draws) == 4


def test_without_directory_urls_only_pages_of_one_folder_share() -> None:
    nav = _nav(_page("index.html"), _page("tags.html"))
    shared = SharedFragments()
    one, two = _page("tags/rl.html", "/tags.html"), _page("tags/gnn.html", "/tags.html")
    assert shared.key("nav", one, nav) == shared.key("nav", two, nav) is not None
    assert shared.key("nav", _page("moved.html", "/tags.html"), nav) != shared.key("nav", one, nav)


def test_pages_the_theme_must_draw_themselves() -> None:
    tags = _page("tags/")
    nav = _nav(_page(""), tags, _page("tags/rl/more/"))
    shared = SharedFragments()
    assert shared.key("nav", tags, nav) is None  # in the navigation: its own item is current
    assert shared.key("nav", _page("tags/gnn/"), nav) is None  # no front matter naming a section
    assert shared.key("nav", _page("tags/rl/", "/tags/"), nav) is None  # a navigation page lies under it
    assert shared.key("nav", _page("tags/gnn/", "/tags/"), nav) is not None
    other = _nav(_page(""), tags)
    assert shared.key("nav", _page("tags/rl/", "/tags/"), other) is not None  # a new navigation: anew


_DRAW_EVERY_TIME = """


class _Counted:  # every page drawn by the theme; counts the pages that asked to share
    asked = 0

    def __call__(self, name, page, nav, draw):
        if self.shared.key(name, page, nav) is not None:
            _Counted.asked += 1
        return draw()


_on_env = on_env


def on_env(env, config, files):
    env = _on_env(env, config, files)
    counted = _Counted()
    counted.shared = env.globals["rl_shared"]
    env.globals["rl_shared"] = counted
    return env


def on_shutdown():
    (Path(__file__).parent / "shared-asks.txt").write_text(str(_Counted.asked))
"""


def test_the_site_is_the_same_with_and_without_shared_drawings(seed_site: Path, tmp_path: Path) -> None:
    project = make_project(tmp_path, store_text=(REPO / "data" / "papers.yaml").read_text(encoding="utf-8"))
    hook = project / "mkdocs_hooks.py"
    hook.write_text(hook.read_text(encoding="utf-8") + _DRAW_EVERY_TIME, encoding="utf-8")
    mkdocs_build(project, project / "site")
    ours = {p.relative_to(seed_site): p.read_bytes() for p in seed_site.rglob("*.html")}
    theirs = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*.html")}
    assert ours.keys() == theirs.keys()
    assert [rel for rel in ours if ours[rel] != theirs[rel]] == []
    tag_pages = [rel for rel in ours if rel.parts[0] == "tags" and len(rel.parts) == 3]
    assert len(tag_pages) > 20
    # Both drawings (navigation and tabs) of every tag page were offered for sharing.
    assert int((project / "shared-asks.txt").read_text()) >= 2 * len(tag_pages)
