"""Raw HTML blocks set aside before Python-Markdown and put back after: the same page, for less work.

Every paper entry is a Markdown heading followed by one pre-rendered raw HTML block (tags, abstract,
meta line, Cite, related list: ``templates/paper.md.j2``). Python-Markdown passes such a block through
untouched, but only after two HTML parses of the whole page (its raw-HTML preprocessor and MkDocs' anchor
collector), which were most of MkDocs' time on a topic page. The MkDocs hook (also run by ProperDocs)
hands MkDocs each page with those blocks replaced by a one-line placeholder and puts the block text back
into the rendered HTML (``on_page_content``): the HTML is the same, byte for byte
(``tests/build/test_raw_blocks.py`` renders every page of a site both ways). The written pages
(``python -m generator build``, read by Zensical) keep their blocks.

A block is set aside only when it is certainly one that Python-Markdown keeps verbatim: after a blank line
(or the start), up to the next blank line, a run of whole block-level elements (each opening at a line
start and closing at a line end), balanced, with nothing but tags and escaped text: no comment, no
``markdown`` attribute (``md_in_html`` would parse its inside), no script/style/iframe/noscript (their
insides are not HTML), a ``title``/``textarea`` only around plain text, self-closed tags only inside an
``<svg>`` (where HTML reads them as closed), no stray ``<``. A page with one run that does not qualify,
or with a fenced code block, is handed over as written.

MkDocs collects every raw-HTML ``id`` (and ``<a name>``) as a link target for its anchor check, so a
block's placeholder carries them as empty ``<a>`` elements: the check sees the same targets either way.
"""

from __future__ import annotations

import re

from generator.site.head import front_matter_close

# Block-level elements of Python-Markdown (``Markdown().block_level_elements``) that may open a block here.
_OPENERS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "div",
        "dl",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
    ]
)
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)
_REFUSED = frozenset(["script", "style", "iframe", "noscript"])  # their insides are not HTML
_PLAIN_TEXT = frozenset(["title", "textarea"])  # read as text by newer parsers: only plain text inside
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*)?)(/?)>")
_MARKDOWN_ATTR = re.compile(r"\smarkdown\b", re.I)  # md_in_html reads inside such an element
# The attributes MkDocs' raw-HTML scan takes as link targets: any id, and name on <a> (as written).
_ANCHOR_ATTR = re.compile(r"""\s(id|name)\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.I)
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.M)
_BLANK_LINE = re.compile(r"(\n[ \t]*\n(?:[ \t]*\n)*)")  # split keeps the separators
_LINE_TAG = re.compile(r"^[ \t]*<", re.M)
PLACEHOLDER = '<div class="rl-raw-block" data-rl-block="{}">{}</div>'  # number, the block's anchors
_PLACEHOLDER_RE = re.compile(r'<div class="rl-raw-block" data-rl-block="([0-9]+)">(?:<a [^<>]*></a>)*</div>')


def _front_matter_end(text: str) -> int:
    """Offset just after the front matter (MkDocs strips it before Markdown), 0 if there is none."""
    end = front_matter_close(text)
    return 0 if end < 0 else end + len("\n---\n")


class _Shape:
    """What ``_shape`` found: whether Markdown reads inside the block, and its anchors (as written)."""

    __slots__ = ("anchors", "keep")

    def __init__(self) -> None:
        self.keep = False
        self.anchors: list[str] = []


def _anchors(name: str, attrs: str) -> list[str]:
    """The link targets MkDocs takes from one tag: ``id=...`` on any element, ``name=...`` on ``<a>``."""
    return [
        f"<a {kind.lower()}={value}></a>"
        for kind, value in _ANCHOR_ATTR.findall(attrs)
        if kind.lower() == "id" or name == "a"
    ]


def _shape(block: str) -> _Shape | None:
    """The block's shape when it is whole, balanced block-level elements that Python-Markdown keeps as
    written (``keep`` when Markdown reads inside it: a ``markdown`` attribute); ``None`` otherwise."""
    if "<!" in block or "<?" in block or _PLACEHOLDER_RE.search(block):
        return None
    stack: list[str] = []
    pos = 0
    shape = _Shape()
    plain_text = ""  # the title/textarea whose closing tag must come next
    for match in _TAG.finditer(block):
        between = block[pos : match.start()]
        if "<" in between:  # a '<' that starts no tag
            return None
        closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if name in _REFUSED or (plain_text and not (closing and name == plain_text)):
            return None
        if attrs:
            if _MARKDOWN_ATTR.search(attrs):
                shape.keep = True
            if "=" in attrs:
                shape.anchors += _anchors(name, attrs)
        if not stack and (closing or name not in _OPENERS or between != ("" if pos == 0 else "\n")):
            return None  # top level: only whole block elements, one per line start
        if closing:
            if not stack or stack[-1] != name:
                return None
            stack.pop()
            plain_text = ""
        elif name in _VOID:
            pass
        elif match.group(4) or attrs.endswith("/"):
            if "svg" not in stack:
                return None  # a self-closed HTML element: HTML reads it as an opening tag
        else:
            stack.append(name)
            plain_text = name if name in _PLAIN_TEXT else ""
        pos = match.end()
        if not stack and block[pos : pos + 1] not in ("\n", ""):
            return None  # something after a top-level element on its line
    if stack or block[pos:] != "":
        return None
    return shape


def set_aside(text: str) -> tuple[str, list[str]]:
    """``text`` with each qualifying raw HTML block replaced by a placeholder line, and the blocks.

    Returns ``(text, [])`` unchanged when any block that opens with a tag at a line start does not
    qualify (see the module doc)."""
    start = _front_matter_end(text)
    body = text[start:]
    if _FENCE.search(body):
        return text, []
    blocks: list[str] = []
    out: list[str] = [text[:start]]
    for index, chunk in enumerate(_BLANK_LINE.split(body)):
        if index % 2 == 1 or not _LINE_TAG.search(chunk):  # a separator, or no tag at a line start
            out.append(chunk)
            continue
        block = chunk.strip("\n")  # newlines at the page's start and end, or after front matter
        shape = _shape(block) if block.startswith("<") else None
        if shape is None:
            return text, []
        if shape.keep:
            out.append(chunk)
        else:
            lead = chunk[: len(chunk) - len(chunk.lstrip("\n"))]
            placeholder = PLACEHOLDER.format(len(blocks), "".join(shape.anchors))
            out.append(lead + placeholder + chunk[len(lead) + len(block) :])
            blocks.append(block)
    return "".join(out), blocks


def put_back(html: str, blocks: list[str]) -> str:
    """The rendered ``html`` with every placeholder replaced by its block."""
    if not blocks:
        return html
    return _PLACEHOLDER_RE.sub(lambda m: blocks[int(m.group(1))], html)
