"""Text is data, never markup: escape titles and abstracts for Markdown and HTML; math becomes MathML.

Two outputs:
* :func:`md_inline` for text placed in Markdown (headings, link text): every character Markdown or an
  extension could read as syntax is written as a numeric character reference, so it shows literally.
* :func:`html_text` for text placed inside a raw HTML block (abstracts, entry fields): HTML-escaped;
  :func:`html_plain` the same on one line and without math (authors, labels).
Both turn well-formed inline math ``$...$`` into MathML (``latex2mathml``) that browsers render with no
script; the MathML is rebuilt through an allowlist of elements and attributes, and anything else
(e.g. ``\\href``, ``\\style``, ``<script>`` inside ``\\text{}``) falls back to the literal text.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser

from latex2mathml.converter import convert

from generator.core.text import control_table
from generator.sources.normalize import split_math

# Characters with a meaning in Markdown, Python-Markdown extensions, Material or HTML.
_MD_SPECIAL = "\\`*_{}[]()#+-!?|~=^:<>&\"'$%@"
# Control characters and lone surrogates are dropped ("\x02...\x03" is Python-Markdown's placeholder
# syntax); the ones that are whitespace (form feed, NEL, ...) become spaces.
_CONTROLS = control_table(keep="\t\n\r")
_MD_TABLE = {**_CONTROLS, **{ord(c): f"&#{ord(c)};" for c in _MD_SPECIAL}}
_LIST_NUMBER = re.compile(r"^(\d+)\.")  # "1. x" at the start of a line starts an ordered list
_LINE_BREAK = re.compile(r"\s*[\n\r\v\f\x85\u2028\u2029]\s*")  # would end a heading, link or table cell

_MATH_TAGS = {
    "math",
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
    "semantics",
    "annotation",
}
_MATH_ATTRS = {
    "xmlns",
    "display",
    "mathvariant",
    "stretchy",
    "fence",
    "separator",
    "lspace",
    "rspace",
    "linethickness",
    "columnalign",
    "rowalign",
    "rowspacing",
    "columnspacing",
    "accent",
    "accentunder",
    "movablelimits",
    "largeop",
    "symmetric",
    "minsize",
    "maxsize",
    "width",
    "height",
    "depth",
    "notation",
    "scriptlevel",
    "displaystyle",
    "form",
    "encoding",
    "columnlines",
    "rowlines",
    "frame",
}
_SAFE_VALUE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.#%+- ")
_XMLNS = "http://www.w3.org/1998/Math/MathML"


class _Unsafe(Exception):
    pass


class _MathMLRebuilder(HTMLParser):
    """Re-emit MathML keeping only allowlisted elements and attributes; raise on anything else."""

    def __init__(self, escape_text) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.escape_text = escape_text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _MATH_TAGS:
            raise _Unsafe(tag)
        parts = [tag]
        for name, value in attrs:
            value = value or ""
            if name not in _MATH_ATTRS:
                raise _Unsafe(name)
            if name == "xmlns":
                if value != _XMLNS:
                    raise _Unsafe(value)
            elif not set(value) <= _SAFE_VALUE:
                raise _Unsafe(value)
            parts.append(f'{name}="{value}"')
        self.out.append("<" + " ".join(parts) + ">")

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs)
        self.out.append(f"</{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _MATH_TAGS:
            raise _Unsafe(tag)
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(self.escape_text(data))

    def handle_comment(self, data: str) -> None:
        raise _Unsafe("comment")

    def handle_decl(self, decl: str) -> None:
        raise _Unsafe("decl")

    def handle_pi(self, data: str) -> None:
        raise _Unsafe("pi")

    def unknown_decl(self, data: str) -> None:
        raise _Unsafe("decl")


@lru_cache(maxsize=8192)
def math_to_mathml(source: str, for_markdown: bool) -> str | None:
    """MathML for ``$latex$`` (delimiters included), with the source as annotation; None if unsafe/invalid."""
    latex = source[1:-1]
    try:
        mathml = convert(latex)
    except Exception:
        return None
    escape_text = md_escape_chars if for_markdown else html.escape
    rebuilder = _MathMLRebuilder(escape_text)
    try:
        rebuilder.feed(mathml)
        rebuilder.close()
    except _Unsafe:
        return None
    body = "".join(rebuilder.out)
    if not body.startswith("<math") or not body.endswith("</math>"):
        return None
    open_tag, _, inner = body.partition(">")
    inner = inner[: -len("</math>")]
    annotation = escape_text(source)
    return (
        f"{open_tag}><semantics><mrow>{inner}</mrow>"
        f'<annotation encoding="application/x-tex">{annotation}</annotation></semantics></math>'
    )


def md_escape_chars(text: str) -> str:
    """Numeric character references for every Markdown-significant character (no math handling)."""
    return _LIST_NUMBER.sub(r"\1&#46;", text.translate(_MD_TABLE))


def _one_line(text: str) -> str:
    # Markdown text must stay on its line, and leading spaces would make an indented code block (trailing
    # ones a <br>): controls go first, so that "x\t\x1b" cannot leave a tab at the end.
    return _LINE_BREAK.sub(" ", text.translate(_CONTROLS)).strip()


def _with_math(text: str, escape_text, for_markdown: bool) -> str:
    if "$" not in text:
        return escape_text(text)
    out = []
    for is_math, piece in split_math(text):
        rendered = math_to_mathml(piece, for_markdown) if is_math else None
        if rendered is not None and for_markdown and not out:
            # Python-Markdown reads a line starting with <math> as a raw HTML block; a span keeps it inline.
            rendered = f"<span>{rendered}</span>"
        out.append(rendered if rendered is not None else escape_text(piece))
    return "".join(out)


def md_inline(text: str) -> str:
    """Text for a Markdown context (heading, link text, list item): shows literally, math as MathML."""
    return _with_math(_one_line(text), md_escape_chars, True)


def html_text(text: str) -> str:
    """Text for a raw HTML block: HTML-escaped, math as MathML."""
    return _with_math(text.translate(_CONTROLS), html.escape, False)


def html_plain(text: str) -> str:
    """Text for raw HTML that never renders math (authors, labels, dates): one line, HTML-escaped."""
    return html.escape(_one_line(text), quote=True)


def md_plain(text: str) -> str:
    """Like :func:`md_inline` but never renders math (for places such as page titles and link labels)."""
    return md_escape_chars(_one_line(text))
