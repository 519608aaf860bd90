"""Raw HTML blocks set aside for Python-Markdown: the HTML MkDocs renders is the same, byte for byte."""

from __future__ import annotations

import random
import shutil

import markdown
import pytest
from mkdocs.config import load_config

from generator.build.raw_blocks import PLACEHOLDER, put_back, set_aside
from generator.build.stages import build_site
from generator.core.project import Project
from tests.conftest import FIXTURES, REPO, make_project


def _markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions and settings of the repository's mkdocs.yml."""
    config = load_config(str(REPO / "mkdocs.yml"))
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def _body(text: str) -> str:
    """A page without its front matter, as MkDocs hands it to Markdown."""
    if text.startswith("---\n"):
        return text[text.index("\n---\n", 3) + 5 :]
    return text


def _same_html(text: str) -> tuple[bool, int]:
    """(rendered both ways alike, blocks set aside)."""
    light, blocks = set_aside(text)
    full = _markdown().convert(_body(text))
    quick = put_back(_markdown().convert(_body(light)), blocks)
    return full == quick, len(blocks)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    """Every page of the seed site and of the hostile fixture store, as the generator writes them."""
    out: dict[str, str] = {}
    for name, store in (
        ("seeds", REPO / "data" / "papers.yaml"),
        ("hostile", FIXTURES / "hostile" / "papers.yaml"),
    ):
        project = make_project(tmp_path_factory.mktemp(name), store_text=store.read_text(encoding="utf-8"))
        site = build_site(Project(project), site_url="https://example.org/rl/", directory_urls=True)
        out.update({f"{name}/{rel}": text for rel, text in site.pages.items() if rel.endswith(".md")})
    return out


def test_every_page_renders_the_same_with_its_blocks_set_aside(pages) -> None:
    differ = [rel for rel, text in pages.items() if not _same_html(text)[0]]
    assert differ == []
    topic_pages = [rel for rel in pages if "/topics/" in rel and 'class="rl-abstract' in pages[rel]]
    aside = sum(1 for rel in topic_pages if set_aside(pages[rel])[1])
    assert topic_pages and aside >= len(topic_pages) - 1  # the paper entries are what is set aside


@pytest.mark.parametrize(
    "text",
    [
        '<div class="x" markdown>\n*emphasis* read by md_in_html\n</div>\n',  # md_in_html reads inside
        "<div>\nunclosed\n\n<p>later</p>\n",  # an unclosed block runs past the blank line
        "<p>a</p> tail on the same line\n",
        "<!-- a comment -->\n<p>x</p>\n",
        "```\n<p>in a fence</p>\n```\n",
        "<span>inline first</span>\n",
        "<p>a < b</p>\n",
        "<script>if (a<b) {}</script>\n",
        "<div/>\n<p>x</p>\n",
        "<p>a <title>not <b>plain</b></title></p>\n",  # newer parsers read a title's inside as text
        "<div><textarea><p>x</p></textarea></div>\n",
        "text\n<p>a tag inside a paragraph</p>\n",
    ],
)
def test_blocks_markdown_could_read_are_left_as_written(text: str) -> None:
    assert set_aside(text) == (text, [])


def _anchor_ids(text: str) -> set[str]:
    """The link targets MkDocs' own raw-HTML scan collects from a page (its anchor check uses them)."""
    from mkdocs.structure.pages import _HTMLHandler

    parser = _HTMLHandler()
    parser.feed(text)
    parser.close()
    return parser.present_anchor_ids


def test_a_block_with_ids_is_set_aside_and_its_anchors_stay_visible_to_mkdocs() -> None:
    text = (
        '<div class="alias" id="old"></div>\n\n## T { #t }\n\n'
        '<p class="x"><a name=\'n1\' href="#t">body</a> <span id=a&amp;b>s</span></p>\n\n'
        '<div class="k" markdown>\n<p id="inside">read by md_in_html</p>\n</div>\n'
    )
    light, blocks = set_aside(text)
    assert blocks == ['<div class="alias" id="old"></div>', blocks[1]] and "body" not in light
    assert _anchor_ids(light) == _anchor_ids(text) == {"old", "n1", "a&b", "inside"}
    assert _same_html(text) == (True, 2)


def test_svg_drawings_with_self_closed_shapes_and_titles_are_set_aside() -> None:
    text = (
        '<figure id="map">\n<svg viewBox="0 0 10 10"><rect x="1" y="1"/>'
        '<a href="x/"><circle r="1"><title>A &amp; B</title></circle></a></svg>\n</figure>\n'
    )
    light, blocks = set_aside(text)
    assert blocks == [text.strip("\n")] and _anchor_ids(light) == {"map"}
    assert _same_html(text) == (True, 1)


def test_front_matter_is_not_read_as_a_block() -> None:
    text = "---\ntitle: x\n---\n\n<p>a</p>\n"
    light, blocks = set_aside(text)
    assert light.startswith("---\ntitle: x\n---\n") and blocks == ["<p>a</p>"]
    assert PLACEHOLDER.format(0, "") in light


_PIECES = [
    "## Heading { #h }",
    '<p class="t"><a href="../x/">X</a> <a href="y/">Y &amp; Z</a></p>\n'
    '<div class="a"><p>text *not* emphasis</p></div>',
    '<p class="m">line one\nline two · <em>e</em></p>',
    '<div class="c"><details class="quote"><summary>Cite</summary>'
    "<pre><code>@misc{x,\n  title = {A_b},\n}</code></pre></details></div>",
    "- [a list](x.md) item\n- another *item*",
    "Plain paragraph with **bold** and <span>inline html</span>.",
    '<div class="k" markdown>\n*md inside*\n</div>',
    "<div>\nnot closed",
    '<p class="e">&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    '<ul><li><a href="a/">a</a> <span class="w">both: x</span></li></ul>',
    "<hr>",
    "<p>two</p>\n<p>blocks</p>",
    "<p>a<br>b</p>",
]


def test_random_pages_render_the_same() -> None:
    rng = random.Random(18)
    checked = 0
    for _ in range(300):
        pieces = rng.choices(_PIECES, k=rng.randint(1, 8))
        text = "".join(piece + rng.choice(["\n\n", "\n\n\n", "\n \n"]) for piece in pieces)
        same, aside = _same_html(text)
        assert same, text
        checked += bool(aside)
    assert checked > 50  # the property is exercised, not vacuously true


def test_the_hook_build_matches_the_written_pages_build(tmp_path) -> None:
    """`mkdocs build` through the hook (blocks set aside) and a build of the written pages without the
    hook (blocks in the Markdown): the same topic page HTML."""
    from tests.conftest import mkdocs_build, run_cli

    project = make_project(tmp_path / "p", store_text=(REPO / "data" / "papers.yaml").read_text("utf-8"))
    mkdocs_build(project, tmp_path / "hooked")
    run_cli("build", "--no-cache", cwd=project, check=True)
    plain = make_project(tmp_path / "q", store_text=(REPO / "data" / "papers.yaml").read_text("utf-8"))
    shutil.copytree(project / "docs", plain / "docs", dirs_exist_ok=True)
    (plain / "mkdocs_hooks.py").write_text("", encoding="utf-8")  # no hook: MkDocs reads the written pages
    mkdocs_build(plain, tmp_path / "written")
    for page in sorted((tmp_path / "hooked" / "topics").rglob("index.html"))[:6]:
        hooked = _article(page.read_text("utf-8"))
        written = _article((tmp_path / "written" / page.relative_to(tmp_path / "hooked")).read_text("utf-8"))
        assert hooked == written, page


def _article(html: str) -> str:
    start = html.index("<article")
    return html[start : html.index("</article>", start)]
