"""Text normalization: LaTeX escapes and accents to Unicode, typographic quotes, whitespace; keys and slugs.

Pure functions. The rule is *never lose a word*: a LaTeX fragment that cannot be converted is kept as
written, and inline math ``$...$`` is left exactly as it is (it is rendered as MathML later).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text

# Inline math: "$" + non-space ... non-space + "$", not an escaped "\$", not followed by a digit ("$5 and $10").
MATH_RE = re.compile(r"(?<![\\$])\$(?=[^\s$])((?:\\\$|[^$])*?[^\s\\$])\$(?![\d$])")

# A LaTeX fragment worth converting:
#  1. a brace group opened by a declaration macro: {\em finite sample}, {\bf x}
#  2. an optional "{", a macro (word macro or one-symbol macro such as \" \' \% \,), an optional argument
#     (one brace group, or for a symbol accent the next letter), an optional "}".
_LATEX_RE = re.compile(
    r"""
    \{\\(?:em|it|bf|sc|sl|tt|rm|sf)\s+[^{}\\$]*\}
    |
    (\{)?
    \\(?:
        [A-Za-z]+(?:\{(?:\\[A-Za-z]+\s*|[^{}\\$])*\})?
      | ["'`^~=.](?:\{(?:\\[A-Za-z]+\s*|[^{}\\$])*\}|\\[ij](?![A-Za-z])|[A-Za-z])
      | [^\sA-Za-z0-9]
    )
    (?(1)\})
    """,
    re.VERBOSE,
)
_LATEX_SYMBOLS = {
    r"\%": "%", r"\&": "&", r"\_": "_", r"\#": "#", r"\$": "$", r"\{": "{", r"\}": "}",
    r"\,": "\u2009", r"\;": " ", r"\ ": " ", r"\-": "", r"\\": "\\",
}
_ACCENT_RE = re.compile(r"\\[\"'`^~=.uvHcdbtkr]")
# Macros pylatexenc would turn into the current date (\today) or a placeholder that drops the key
# (\cite{x} -> "<cit.>", \ref{x} -> "<ref>"): kept as written, so ingest is deterministic and loses nothing.
_KEEP_RE = re.compile(r"\{?\\(?:today|nocite|cite[a-zA-Z]*|(?:auto|c|C|eq|page)?ref)(?![A-Za-z])")
_l2t = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)

_WS_RE = re.compile(r"\s+")
# Control characters (NUL, C0, DEL, C1) and lone surrogates are dropped; NEL (\x85) is a line break, so a
# space, as YAML reads it. Format characters (e.g. bidi marks) are kept as text.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")
_DOUBLE_QUOTES_RE = re.compile(r"(?:``|(?<![^\s(\[])''|(?<![^\s(\[])\")(?=\S)([^`'\"]{1,400}?)(?<=\S)''")
_SINGLE_QUOTES_RE = re.compile(r"(?<![\w`])`(?=\w)([^`'\n]{1,80}?)(?<=[\w.,!?)])'(?!\w)")
_EMDASH_RE = re.compile(r"(?<=[\w)\]])---(?=[\w(\[])")


def _convert_latex(match: re.Match[str]) -> str:
    text = match.group(0)
    if text in _LATEX_SYMBOLS:
        return _LATEX_SYMBOLS[text]
    if _KEEP_RE.match(text):
        return text
    core = text
    # Keep braces that do not belong to the fragment: "({\alpha})" keeps its parentheses via the caller.
    try:
        out = _l2t.latex_to_text(core)
    except Exception:  # pylatexenc is lenient, but never lose text because of it
        return text
    out = unicodedata.normalize("NFC", out)
    letters_in = re.sub(r"\\[A-Za-z]+|[^A-Za-z]", "", text)
    letters_out = re.sub(r"[^\w]", "", out)
    if not out.strip() or (letters_in and not letters_out and not _ACCENT_RE.search(text)):
        return text  # an unknown macro such as \foo converts to nothing: keep it verbatim
    return out


def _convert_text_segment(text: str) -> str:
    if "\\" in text:
        text = _LATEX_RE.sub(_convert_latex, text)
    if "`" in text or "'" in text or '"' in text:
        text = _DOUBLE_QUOTES_RE.sub(lambda m: f"\u201c{m.group(1)}\u201d", text)
        text = _SINGLE_QUOTES_RE.sub(lambda m: f"\u2018{m.group(1)}\u2019", text)
    if "---" in text:
        text = _EMDASH_RE.sub("\u2014", text)
    return text


def split_math(text: str) -> list[tuple[bool, str]]:
    """Split text into ``(is_math, piece)`` parts; math pieces keep their ``$`` delimiters."""
    parts: list[tuple[bool, str]] = []
    pos = 0
    for m in MATH_RE.finditer(text):
        if m.start() > pos:
            parts.append((False, text[pos : m.start()]))
        parts.append((True, m.group(0)))
        pos = m.end()
    if pos < len(text):
        parts.append((False, text[pos:]))
    return parts


def collapse_ws(text: str) -> str:
    # str.split() splits on exactly the characters ``\s`` matches (str.isspace), and is several times faster.
    return " ".join(_CONTROL_RE.sub("", text.replace("\r\n", "\n")).split())


_MAX_PASSES = 8  # real text settles after one or two passes


def normalize_text(text: str) -> str:
    """Normalize a title or abstract: Unicode NFC, LaTeX escapes to Unicode, quotes, one space between words.

    Idempotent: a conversion can expose new syntax (``\\\\'e`` gives ``\\'e``), so passes repeat until the
    text stops changing.
    """
    out = _normalize_pass(text)
    if not any(c in out for c in "\\`'\"-") and unicodedata.is_normalized("NFC", out):
        return out  # nothing left to convert: another pass would return the same text
    for _ in range(_MAX_PASSES):
        again = _normalize_pass(out)
        if again == out:
            break
        out = again
    return out


def _normalize_pass(text: str) -> str:
    text = unicodedata.normalize("NFC", collapse_ws(text))
    if not any(c in text for c in "\\`'\"-"):
        return text
    if "$" not in text:
        return collapse_ws(_convert_text_segment(text))
    out = [piece if is_math else _convert_text_segment(piece) for is_math, piece in split_math(text)]
    return collapse_ws("".join(out))


_BIB_BRACES_RE = re.compile(r"(?<![\\A-Za-z\"'`^~=.])\{(?!\\(?:em|it|bf|sc|sl|tt|rm|sf)\s)([^{}]*)\}")


def strip_bibtex_braces(text: str) -> str:
    """Remove BibTeX case-protection braces ``{B}ayesian`` -> ``Bayesian``, keeping macro arguments and math."""
    out: list[str] = []
    for is_math, piece in split_math(text):
        if is_math:
            out.append(piece)
            continue
        # Drop braces that are not a macro's argument ({B}ayesian, Schr{\"o}dinger), innermost first;
        # a declaration group such as {\em x} is left for normalize_text.
        previous = None
        while previous != piece:
            previous = piece
            piece = _BIB_BRACES_RE.sub(r"\1", piece)
        out.append(piece)
    return "".join(out)


def fold_ascii(text: str) -> str:
    """Best-effort ASCII transliteration used for slugs and keys (ö -> o, ß -> ss)."""
    text = text.replace("ß", "ss").replace("æ", "ae").replace("ø", "o").replace("ł", "l")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


@lru_cache(maxsize=4096)
def text_key(text: str) -> str:
    """Deduplication key: case-folded letters and digits only, single spaces."""
    folded = fold_ascii(text).casefold()
    return " ".join(re.findall(r"[a-z0-9]+", folded))


@lru_cache(maxsize=1 << 18)  # ingest asks for each text's fingerprint in parse and again in merge
def fingerprint(kind: str, text: str) -> str:
    """A short, stable fingerprint such as ``t:1a2b3c4d5e`` of a text's key."""
    return f"{kind}:{hashlib.sha1(text_key(text).encode()).hexdigest()[:10]}"


_SLUG_STOP = {"a", "an", "the", "of", "for", "and", "in", "on", "to", "with", "via", "by", "from", "at", "as"}


def slugify(text: str, max_len: int = 60) -> str:
    """A readable, URL-safe id: lowercase ASCII words joined by '-', at most ``max_len`` characters."""
    words = re.findall(r"[a-z0-9]+", re.sub(r"['\u2019]", "", fold_ascii(text).lower()))
    kept = [w for w in words if w not in _SLUG_STOP] or words
    slug = ""
    for w in kept:
        candidate = f"{slug}-{w}" if slug else w
        if len(candidate) > max_len:
            break
        slug = candidate
    return slug or (kept[0][:max_len] if kept else "paper")


def provisional_title(abstract: str, max_words: int = 12) -> str:
    """A provisional title for an untitled abstract: its first sentence, cut to ``max_words`` words."""
    first = re.split(r"(?<=[.!?])\s", abstract, maxsplit=1)[0]
    words = first.split()
    title = " ".join(words[:max_words]).rstrip(".,;:")
    return title + ("\u2026" if len(words) > max_words else "")
