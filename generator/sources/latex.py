"""LaTeX fragments in a dump to plain text, through pylatexenc's parser, never dropping a word.

The text is parsed by ``LatexWalker`` and its nodes are walked here, so each construct is decided once,
on the node it is, and its output is never parsed again:

- formatting commands (``\\textbf``, ``\\emph``, ``\\textit``, ``\\textsc``, ... nested or not) give their
  argument; declarations (``{\\em x}``, ``{\\bf x}``) give the group's text;
- escapes give their character (``\\%`` ``\\&`` ``\\#`` ``\\_`` ``\\$`` ``\\{`` ``\\}``;
  ``\\\\``, LaTeX's line break, a space); accents and symbols (``\\"o``, ``{\\O}``, ``\\alpha``) their
  Unicode character;
- everything else is kept as written: unknown commands, ``\\cite``/``\\ref``/``\\today`` (pylatexenc would
  make them placeholders or the date), comments (``%`` in a dump is a per cent sign, not a comment),
  math, environments, ``~`` and quote/dash ligatures (handled by :mod:`generator.sources.normalize`), and a
  brace group without commands (``{{ config }}``).

Linear time on any input: the text is walked in chunks of about :data:`CHUNK` characters cut at spaces
(an unclosed ``{`` reaches at most the end of its chunk), and a chunk nested deeper than
:data:`MAX_DEPTH` is converted with its braces taken as plain characters.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import cache, lru_cache

CHUNK = 400
MAX_DEPTH = 24
MAX_MATH = 4 * CHUNK
_DOLLAR_RE = re.compile(r"\\.|\$", re.S)  # an escape pair (``\$`` is no delimiter), or a dollar
_FORMATTING_WORDS = """
textbf textit textsl textsc texttt textrm textsf textup textmd textnormal emph underline uline
mbox text textsuperscript textsubscript footnote hbox
"""
FORMATTING = frozenset(_FORMATTING_WORDS.split())
_DECLARATIONS_WORDS = """
em bf it sc sl tt rm sf bfseries itshape scshape slshape ttfamily rmfamily sffamily upshape
mdseries normalfont
"""
DECLARATIONS = frozenset(_DECLARATIONS_WORDS.split())
ESCAPES = {
    "%": "%",
    "&": "&",
    "#": "#",
    "_": "_",
    "$": "$",
    "{": "{",
    "}": "}",
    ",": "\u2009",
    ";": " ",
    " ": " ",
    "-": "",
    "\\": " ",
    "/": "",
}
VERBATIM_ARG = frozenset(("url", "path", "nolinkurl"))
_KEEP_RE = re.compile(r"today|nocite|cite[a-zA-Z]*|(?:auto|c|C|eq|page)?ref|label")
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_SPACE_RE = re.compile(r"\s")
_PERCENT_RE = re.compile(r"(?<!\\)%")
_BRACE_TOKEN_RE = re.compile(r"\\.|[{}]")  # an escaped character, or a brace
_STRAY = "\x00"  # never in a normalized text: collapse_ws removes NUL before LaTeX is read


@cache
def _converter():  # noqa: ANN202 - pylatexenc is imported only when a text holds a backslash
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


@cache
def _node_types():  # noqa: ANN202
    from pylatexenc import latexwalker as lw

    return lw


@cache
def _context():  # noqa: ANN202 - built once: pylatexenc would rebuild its macro tables per walker
    return _node_types().get_default_latex_context_db()


def latex_to_text(text: str) -> str:
    """``text`` with its LaTeX commands converted (see the module docstring)."""
    return "".join(_chunk_to_text(chunk) for chunk in _chunks(text))


def _chunks(text: str) -> list[str]:
    """Pieces of about CHUNK characters, cut just before a space (no command holds a bare space) that
    is outside math: a cut inside ``$...$`` would pair the dollars differently in each piece, and the
    next pass, cutting elsewhere, would read other text as math (normalization must be idempotent). Math
    longer than MAX_MATH characters, or never closed, is cut anyway (linear time comes first)."""
    pieces = []
    start = 0
    dollars = [m.start() for m in _DOLLAR_RE.finditer(text) if m.group() == "$"] if "$" in text else []
    while len(text) - start > CHUNK:
        cut = _SPACE_RE.search(text, start + CHUNK)
        if cut is None:
            break
        at = bisect.bisect_left(dollars, cut.start())
        if at % 2 == 1 and at < len(dollars) and dollars[at] - cut.start() <= MAX_MATH:
            closer = _SPACE_RE.search(text, dollars[at] + 1)  # the first space after the math closes
            if closer is None:
                break
            cut = closer
        pieces.append(text[start : cut.start()])
        start = cut.start()
    pieces.append(text[start:])
    return pieces


def _depth(text: str) -> int:
    depth = deepest = 0
    for match in re.finditer(r"\\.|[{}]", text):
        token = match.group()
        if token == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif token == "}":
            depth = max(0, depth - 1)
    return deepest


@lru_cache(maxsize=4096)  # a pure function of short pieces; repeated pieces are common in bad input
def _chunk_to_text(chunk: str) -> str:
    if "\\" not in chunk:
        return chunk
    if "%" in chunk:  # a per cent sign, never a comment: walk the pieces around it
        pieces = _PERCENT_RE.split(chunk)
        if len(pieces) > 1:
            return "%".join(_chunk_to_text(piece) for piece in pieces)
    if _depth(chunk) > MAX_DEPTH:  # braces as characters: each brace-free piece on its own
        return "".join(_chunk_to_text(p) if p not in "{}" else p for p in re.split(r"((?<!\\)[{}])", chunk))
    lw = _node_types()
    marked = _mark_stray_closers(chunk)
    try:
        walker = lw.LatexWalker(marked, latex_context=_context(), tolerant_parsing=True)
        nodes, _, _ = walker.get_latex_nodes(pos=0)
        out = _nodes(nodes, marked)
    except Exception:  # noqa: BLE001 - pylatexenc is lenient; if it still fails, keep the text as written
        return chunk
    return out.replace(_STRAY, "}")


def _mark_stray_closers(chunk: str) -> str:
    """``chunk`` with each ``}`` that closes nothing replaced by a marker: pylatexenc's tolerant parser
    would drop it, and it is text (``7*7 }}`` when the ``{{`` fell into the previous chunk)."""
    if _STRAY in chunk or "}" not in chunk:
        return chunk
    out, depth, last = [], 0, 0
    for match in _BRACE_TOKEN_RE.finditer(chunk):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            if depth == 0:
                out.append(chunk[last : match.start()] + _STRAY)
                last = match.end()
            else:
                depth -= 1
    return "".join(out) + chunk[last:]


def _nodes(nodes: list, source: str) -> str:
    return "".join(_node(node, source) for node in nodes if node is not None)


def _verbatim(node: object) -> str:
    return node.latex_verbatim()


def _node(node: object, source: str) -> str:
    lw = _node_types()
    if isinstance(node, lw.LatexCharsNode):
        return node.chars
    if isinstance(node, lw.LatexGroupNode):
        inner = _nodes(node.nodelist, source)
        if any(isinstance(n, lw.LatexMacroNode) for n in node.nodelist):
            return inner
        opening, closing = node.delimiters
        closed = _verbatim(node).endswith(closing)
        return opening + inner + (closing if closed else "")
    if isinstance(node, lw.LatexMacroNode):
        return _macro(node, source)
    return _verbatim(node)  # comments, math, environments, specials: kept as written


def _arguments(node: object) -> list:
    argd = node.nodeargd
    return [a for a in (argd.argnlist if argd is not None else []) if a is not None]


def _macro(node: object, source: str) -> str:
    lw = _node_types()
    name = node.macroname
    post = node.macro_post_space or ""
    if name in ESCAPES:
        return ESCAPES[name] + post
    if _KEEP_RE.fullmatch(name):
        return _verbatim(node)
    args = _arguments(node)
    if name in DECLARATIONS and not args:
        return ""
    if name in FORMATTING or name in VERBATIM_ARG or name == "href":
        if not args or not all(isinstance(a, lw.LatexGroupNode) for a in args):
            return _verbatim(node)  # "\textbf baz": an argument without braces is kept as written
        texts = [_verbatim(a)[1:-1] if name in VERBATIM_ARG else _nodes(a.nodelist, source) for a in args]
        return (f"{texts[-1]} ({texts[0]})" if name == "href" and len(texts) == 2 else " ".join(texts)) + post
    try:
        out = _converter().nodelist_to_text([node])
    except Exception:  # noqa: BLE001 - a macro pylatexenc cannot render is kept as written
        return _verbatim(node)
    out = unicodedata.normalize("NFC", out)
    if not out.strip() or _loses_words(args, out, source):
        return _verbatim(node)  # an unknown command (\foo -> ""), or one that drops its argument
    return out


def _loses_words(args: list, out: str, source: str) -> bool:
    words = _LETTERS_RE.findall(" ".join(_nodes(getattr(a, "nodelist", [a]), source) for a in args))
    return any(len(word) > 1 and word not in out for word in words)
