"""Text normalization: LaTeX escapes and accents to Unicode, typographic quotes, whitespace; keys and slugs.

Pure functions. The rule is *never lose a word*: LaTeX goes through :mod:`generator.sources.latex` (a
command it cannot convert is kept as written), and inline math ``$...$`` is left exactly as it is (it is
rendered as MathML later).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from generator.sources.latex import latex_to_text

# Inline math: "$" + non-space ... non-space + "$", not an escaped "\$", not followed by a digit
# ("$5 and $10").
MATH_RE = re.compile(r"(?<![\\$])\$(?=[^\s$])((?:\\\$|[^$])*?[^\s\\$])\$(?![\d$])")

_WS_RE = re.compile(r"\s+")
# Control characters (NUL, C0, DEL, C1) and lone surrogates are dropped; NEL (\x85) is a line break, so a
# space, as YAML reads it. Format characters (e.g. bidi marks) are kept as text.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")
_DOUBLE_QUOTES_RE = re.compile(r"(?:``|(?<![^\s(\[])''|(?<![^\s(\[])\")(?=\S)([^`'\"]{1,400}?)(?<=\S)''")
_SINGLE_QUOTES_RE = re.compile(r"(?<![\w`])`(?=\w)([^`'\n]{1,80}?)(?<=[\w.,!?)])'(?!\w)")
_EMDASH_RE = re.compile(r"(?<=[\w)\]])---(?=[\w(\[])")


def _convert_text_segment(text: str) -> str:
    # Each regex runs only if the text holds a substring every one of its matches contains, so a skipped
    # substitution is one that would have changed nothing: a LaTeX fragment starts with or holds "\\",
    # a double-quoted phrase ends with "''", a single-quoted one starts with "`", an em dash is "---".
    if "\\" in text:
        text = latex_to_text(text)
    if "''" in text:
        text = _DOUBLE_QUOTES_RE.sub(_double_quotes, text)
    if "`" in text:
        text = _SINGLE_QUOTES_RE.sub(_single_quotes, text)
    if "---" in text:
        text = _EMDASH_RE.sub("\u2014", text)
    return text


def _double_quotes(match: re.Match[str]) -> str:
    return f"\u201c{match.group(1)}\u201d"


def _single_quotes(match: re.Match[str]) -> str:
    return f"\u2018{match.group(1)}\u2019"


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
    """Drop control characters, then one space between words, none at the ends."""
    # str.split() splits on exactly the characters ``\s`` matches (str.isspace), and is several times faster.
    # Fast path: every character _CONTROL_RE removes is non-printable (categories Cc, Cs, Cf, Cn), and the
    # only whitespace a printable text can hold is " " (every other str.isspace() character is in Cc, Zs,
    # Zl or Zp, all non-printable): such a text is already collapsed unless it has a double, leading or
    # trailing space. tests/test_normalize.py checks both facts over every code point.
    if text.isprintable():
        if "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text
        return " ".join(text.split())
    return " ".join(_CONTROL_RE.sub("", text.replace("\r\n", "\n")).split())


_MAX_PASSES = 8  # real text settles after one or two passes


def normalize_text(text: str) -> str:
    """Normalize a title or abstract: Unicode NFC, LaTeX escapes to Unicode, quotes, one space between words.

    Idempotent: a conversion can expose new syntax (``\\\\'e`` gives ``\\'e``), so passes repeat until the
    text stops changing.
    """
    out = _normalize_pass(text)
    if out == text:
        return out  # a pass is a pure function: the next pass would return the same text again
    if not _may_convert(out) and unicodedata.is_normalized("NFC", out):
        return out  # nothing left to convert: another pass would return the same text
    for _ in range(_MAX_PASSES):
        again = _normalize_pass(out)
        if again == out:
            break
        out = again
    return out


def _may_convert(text: str) -> bool:
    """Does ``text`` hold a substring that :func:`_convert_text_segment` may convert? (See there.)"""
    return "\\" in text or "''" in text or "`" in text or "---" in text


def _normalize_pass(text: str) -> str:
    text = unicodedata.normalize("NFC", collapse_ws(text))
    if not _may_convert(text):
        return text  # _convert_text_segment would return every piece unchanged
    if "$" not in text:
        converted = _convert_text_segment(text)
    else:
        pieces = split_math(text)
        converted = "".join(piece if is_math else _convert_text_segment(piece) for is_math, piece in pieces)
    # ``text`` is already collapsed (NFC composes no space or control character out of other characters).
    return text if converted == text else collapse_ws(converted)


_BIB_BRACES_RE = re.compile(r"(?<![\\A-Za-z\"'`^~=.])\{(?!\\(?:em|it|bf|sc|sl|tt|rm|sf)\s)([^{}]*)\}")


def strip_bibtex_braces(text: str) -> str:
    """Remove BibTeX case-protection braces (``{B}ayesian`` -> ``Bayesian``), keeping macro arguments
    and math."""
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


# For text_key: ASCII letters and digits to lowercase, every other byte to a space.
_KEY_BYTES = bytes(
    c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or 48 <= c <= 57 else 32 for c in range(256)
)


@lru_cache(maxsize=4096)
def text_key(text: str) -> str:
    """Deduplication key: case-folded letters and digits only, single spaces."""
    # Same as " ".join(re.findall("[a-z0-9]+", fold_ascii(text).casefold())), in C: fold_ascii returns ASCII
    # (itself for ASCII text), whose casefold() is lower(); the runs of [a-z0-9] are the words left when
    # every other byte becomes a space.
    folded = text if text.isascii() else fold_ascii(text)
    return b" ".join(folded.encode("ascii").translate(_KEY_BYTES).split()).decode("ascii")


@lru_cache(maxsize=1 << 18)  # ingest asks for each text's fingerprint in parse and again in merge
def fingerprint(kind: str, text: str) -> str:
    """A short, stable fingerprint such as ``t:1a2b3c4d5e`` of a text's key."""
    return f"{kind}:{hashlib.sha1(text_key(text).encode()).hexdigest()[:10]}"


_WORD_RE = re.compile(r"[a-z0-9]+")
_SLUG_STOP = {"a", "an", "the", "of", "for", "and", "in", "on", "to", "with", "via", "by", "from", "at", "as"}


def slugify(text: str, max_len: int = 60) -> str:
    """A readable, URL-safe id: lowercase ASCII words joined by '-', at most ``max_len`` characters."""
    words = _WORD_RE.findall(fold_ascii(text).lower().replace("'", "").replace("\u2019", ""))
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
