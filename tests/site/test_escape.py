"""Escaping (generator/escape.py): text shows literally through the site's real Markdown pipeline.

Escaped text is rendered with the `markdown` library and the extensions listed in mkdocs.yml, then the
visible text of the HTML (a <math> element counting as its TeX annotation) must equal the input, and the
HTML must contain no element the text could have smuggled in.
"""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser

import markdown
import pytest
from conftest import REPO, load_mkdocs_yml

from generator.site.escape import html_text, math_to_mathml, md_escape_chars, md_inline, md_plain

# Characters Markdown, its extensions (attr_list, tables, admonition, details, tabbed, toc) or HTML may read
# as syntax somewhere.
METACHARACTERS = "\\`*_{}[]()#+-!?|~=^:<>&\"'$%@"
MATH_TAGS = {
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mspace",
    "msub",
    "msup",
    "msubsup",
    "mfrac",
    "msqrt",
    "mroot",
    "mover",
    "munder",
    "munderover",
    "mtable",
    "mtr",
    "mtd",
    "mstyle",
    "mpadded",
    "mphantom",
    "menclose",
}


def _site_markdown() -> markdown.Markdown:
    """A Markdown converter with exactly the extensions (and options) of the site's mkdocs.yml."""
    names, configs = [], {}
    for item in load_mkdocs_yml(REPO / "mkdocs.yml")["markdown_extensions"]:
        if isinstance(item, dict):
            ((name, options),) = item.items()
            names.append(name)
            configs[name] = options or {}
        else:
            names.append(item)
    assert {"attr_list", "md_in_html", "tables", "toc"} <= set(names)
    return markdown.Markdown(extensions=names, extension_configs=configs)


MD = _site_markdown()


def render(source: str) -> str:
    MD.reset()
    return MD.convert(source)


class _Reader(HTMLParser):
    """Visible text and element names of an HTML fragment; <math> reads as its TeX annotation."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.stack: list[tuple[str, bool]] = []  # open elements and whether their text is visible

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((tag, k, v) for k, v in attrs)
        if tag in ("br", "hr", "img", "input", "link", "meta"):
            return
        values = dict(attrs)
        hide = tag == "math" or (tag == "a" and "headerlink" in (values.get("class") or "").split())
        show = tag == "annotation" and values.get("encoding") == "application/x-tex"
        parent = self.stack[-1][1] if self.stack else True
        self.stack.append((tag, show or (parent and not hide)))

    def handle_endtag(self, tag: str) -> None:
        if any(name == tag for name, _ in self.stack):
            while self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self.stack or self.stack[-1][1]:
            self.text.append(data)


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", "".join(read(html).text)).strip()


def non_math_tags(html: str) -> set[str]:
    """Element names other than MathML (and the <span> that keeps a line-leading <math> inline)."""
    tags = read(html).tags
    math_spans = html.count("<span><math ")
    return set(tags) - MATH_TAGS - ({"span"} if tags.count("span") == math_spans else set())


# Each Markdown context a title or label is placed in, with the elements that context itself produces.
CONTEXTS = {
    "paragraph": ("{x}", {"p"}),
    "heading": ("## {x} { #the-id }", {"h2", "a"}),
    "link": ("[{x}](page.md#anchor)", {"p", "a"}),
    "tag-chips": ("[{x}](tags/t.md){ .rl-tag } [b](u.md){ .rl-tag }\n\n{ .rl-tags }", {"p", "a"}),
    "list": ("- [{x}](page.md) · {x}", {"ul", "li", "a"}),
    "md-in-html": (
        '<div class="rl-related" markdown>\n\n- [{x}](p.md#a)\n\n</div>',
        {"div", "ul", "li", "a"},
    ),
    "table": (
        "| Topic | Papers |\n| --- | ---: |\n| [{x}](t.md) | 3 |",
        {"table", "thead", "tbody", "tr", "th", "td", "a"},
    ),
}

TRICKY = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x]: http://e.org",
    '{: onclick="alert(1)" }',
    "{ #id .cls }",
    '--8<-- "/etc/hostname"',
    "{{ config }}",
    "{% raw %}",
    "<!-- material/tags -->",
    "<!-- comment -->",
    "|a|b|",
    "a | b",
    "*emph*",
    "**bold**",
    "_u_",
    "__uu__",
    "`code`",
    "a ` lone backtick",
    "``double``",
    "# not a heading",
    "1. not a list",
    "- not a list",
    "+ plus",
    "> not a quote",
    "!!! note",
    "??? note",
    '=== "Tab"',
    "~~~",
    "```python",
    "***",
    "---",
    "a\\b",
    "\\*x\\*",
    "&amp; &lt; &#42;",
    "<http://e.org>",
    "https://e.org/x_y_z",
    "x^2^",
    "~~strike~~",
    "==mark==",
    ":smile:",
    "[^1]",
    "*[HTML]: abbr",
    "![img](x.png)",
    "a_b_c d*e*f",
    "50% of $",
    "costs $5 and $10",
    "$x",
    "$ x $",
    "f(x) = {y}",
    "<math><mi>x</mi></math>",
    "&",
    "'quoted' \"double\"",
    "@user",
    "C++ & C#",
    "a < b > c",
]
SAFE_MATH = ["$x_t$", "$\\frac{a}{b}$", "$O(n^2)$", "$a<b$", "$\\text{a&b}$", "$\\mathbb{R}^d$"]
UNSAFE_MATH = [
    "$\\href{javascript:alert(1)}{x}$",
    "$\\text{<script>}$",
    "$\\style{color:red}{x}$",
    "$\\color{red}{x}$",
    "$\\textcolor{red}{x}$",
]


def _random_texts(count: int, seed: int = 20240601) -> list[str]:
    rng = random.Random(seed)
    alphabet = METACHARACTERS + "ab xyz12.,;/" + "é漢"
    texts = []
    for _ in range(count):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24)))
        text = re.sub(r"\s+", " ", text).strip()  # stored text is whitespace-normalized
        if text:
            texts.append(text)
    return texts


ALL_TEXTS = [
    *METACHARACTERS,
    *(c * 3 for c in METACHARACTERS),
    *(f"1{c} x" for c in ".)"),
    *TRICKY,
    *SAFE_MATH,
    *UNSAFE_MATH,
    *(f"Title with {m} inside" for m in SAFE_MATH + UNSAFE_MATH),
    *_random_texts(400),
]


@pytest.mark.parametrize("context", sorted(CONTEXTS))
def test_md_inline_text_shows_literally_in_every_context(context: str) -> None:
    template, allowed = CONTEXTS[context]
    failures = []
    for text in ALL_TEXTS:
        html = render(template.replace("{x}", md_inline(text)))
        extra = non_math_tags(html) - allowed
        shown = visible(html)
        expected = visible(render(template.replace("{x}", "PLACEHOLDER"))).replace("PLACEHOLDER", text)
        if extra or shown != expected:
            failures.append((text, shown, expected, sorted(extra)))
    assert failures == []


def test_links_keep_their_target_whatever_the_text() -> None:
    for text in ALL_TEXTS:
        reader = read(render(f"[{md_inline(text)}](page.md#anchor)"))
        assert [(k, v) for tag, k, v in reader.attrs if tag == "a"] == [("href", "page.md#anchor")], text


def test_heading_keeps_its_id_whatever_the_title() -> None:
    for text in ALL_TEXTS:
        reader = read(render(f"## {md_inline(text)} {{ #paper-id }}"))
        h2 = [(k, v) for tag, k, v in reader.attrs if tag == "h2"]
        assert h2 == [("id", "paper-id")], text


def test_html_text_shows_literally_in_a_raw_html_block() -> None:
    for text in ALL_TEXTS:
        html = render(f'<div class="rl-abstract"><p>{html_text(text)}</p></div>')
        assert non_math_tags(html) <= {"div", "p"}, text
        assert visible(html) == text, text


def test_md_plain_never_makes_math() -> None:
    for text in SAFE_MATH:
        html = render(md_plain(text))
        assert "math" not in read(html).tags
        assert visible(html) == text


def test_every_markdown_metacharacter_becomes_a_character_reference() -> None:
    escaped = md_escape_chars(METACHARACTERS)
    assert not set(escaped) & (set(METACHARACTERS) - {"&", "#"})
    assert re.fullmatch(r"(?:&#\d+;)+", escaped)
    assert md_escape_chars("plain words 123") == "plain words 123"


@pytest.mark.parametrize("source", SAFE_MATH)
def test_math_becomes_mathml_with_its_latex_annotation(source: str) -> None:
    for for_markdown in (False, True):
        mathml = math_to_mathml(source, for_markdown)
        assert mathml is not None and mathml.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
        reader = read(mathml)
        assert set(reader.tags) <= MATH_TAGS
        assert ("annotation", "encoding", "application/x-tex") in reader.attrs
        assert visible(mathml) == source
    for html in (
        render(md_inline(f"see {source} here")),
        render(f"<div><p>{html_text(f'see {source}')}</p></div>"),
    ):
        assert "math" in read(html).tags
        assert source in visible(html)


@pytest.mark.parametrize("source", UNSAFE_MATH)
def test_unsafe_math_falls_back_to_literal_text(source: str) -> None:
    assert math_to_mathml(source, False) is None
    assert math_to_mathml(source, True) is None
    for html in (render(md_inline(source)), render(f"<div><p>{html_text(source)}</p></div>")):
        reader = read(html)
        assert "math" not in reader.tags and "script" not in reader.tags
        assert not any(k in ("href", "style", "mathcolor") for _, k, _ in reader.attrs)
        assert visible(html) == source


@pytest.mark.parametrize("text", ["$x", "a $ b", "costs $5 and $10", "$x$$", "$ x$", "\\$x\\$", "$$"])
def test_unbalanced_or_non_math_dollars_stay_literal(text: str) -> None:
    for html in (render(md_inline(text)), render(f"<div><p>{html_text(text)}</p></div>")):
        assert "math" not in read(html).tags
        assert visible(html) == text


@pytest.mark.parametrize(
    "text", ["A\n\n# B", "A\r\n=== B", "    indented code", "line\n1. two", "x\n\n| a |"]
)
def test_line_breaks_and_indentation_cannot_leave_the_context(text: str) -> None:
    flat = " ".join(text.split())
    for context in ("heading", "link", "paragraph", "table"):
        template, allowed = CONTEXTS[context]
        html = render(template.replace("{x}", md_inline(text)))
        assert non_math_tags(html) <= allowed, (context, html)
        expected = visible(render(template.replace("{x}", "PLACEHOLDER"))).replace("PLACEHOLDER", flat)
        assert visible(html) == expected, context
    html = render(f"## {md_plain(text)} {{ #paper-id }}")
    assert visible(html) == flat and ("h2", "id", "paper-id") in read(html).attrs


def test_html_text_escapes_markup_characters() -> None:
    assert html_text("<b> & \"q\" 's'") == "&lt;b&gt; &amp; &quot;q&quot; &#x27;s&#x27;"
