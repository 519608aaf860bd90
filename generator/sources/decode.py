"""Bytes of a raw file to text: pick the encoding, repair bad bytes line by line, unify line breaks.

The only I/O of the readers is :func:`read_text`; everything else takes text. Rules:

- a UTF-32 or UTF-16 byte-order mark selects that encoding (a UTF-8 one is dropped);
- a file that is UTF-8 except for a few bad bytes stays UTF-8: each bad byte becomes U+FFFD and one
  warning names the lines that held them;
- cp1252 (Latin-1 where cp1252 has holes) only when the file as a whole is not UTF-8, i.e. when it has
  invalid bytes and not a single valid multi-byte UTF-8 character;
- every line break Python's ``str.splitlines`` knows (``\\r\\n``, ``\\r``, ``\\f``, ``\\v``, U+0085,
  U+2028, U+2029, ``\\x1c``-``\\x1e``) becomes ``\\n``, so line numbers are the ones an editor shows.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from generator.core.errors import Problem, ReadingListError

# Byte-order marks, longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
LINE_BREAK_RE = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_ESCAPED_RE = re.compile("[\udc80-\udcff]")  # bytes surrogateescape could not decode
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))


def read_text(path: Path, label: str) -> tuple[str, list[Problem]]:
    """Read and decode one raw file (see the module docstring); refuse empty and binary files."""
    return decode_bytes(path.read_bytes(), label)


def decode_bytes(data: bytes, label: str) -> tuple[str, list[Problem]]:
    """``data`` as text with ``\\n`` line breaks, and the warnings decoding it raised."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _finish(*_decode_marked(data[len(bom) :], encoding, label), label)
    if not data.strip():
        raise ReadingListError("file is empty", label, None, hint="remove it or paste the dump again")
    _refuse_binary(data, label)
    return _finish(*_decode_unmarked(data, label), label)


def split_lines(text: str) -> list[str]:
    """``text`` cut at every line break (the same cuts as ``str.splitlines``, plus a last empty line)."""
    return LINE_BREAK_RE.split(text)


def _refuse_binary(data: bytes, label: str) -> None:
    sample = data[:65536]
    # Bytes < 9 or in 14..31 (a NUL counts twice), counted in C: what is left once the others are deleted.
    controls = len(sample.translate(None, _NOT_CONTROL_BYTES)) + sample.count(0)
    if controls > max(8, len(sample) // 100):
        raise ReadingListError(
            "file looks binary (control bytes), not a text dump",
            label,
            None,
            hint="export the papers as text, BibTeX, YAML or JSON",
        )


def _decode_marked(data: bytes, encoding: str, label: str) -> tuple[str, list[Problem]]:
    problems = []
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:  # e.g. a lone surrogate or a truncated last character
        text = data.decode(encoding, errors="replace")
        problems.append(_bad_bytes_warning(LINE_BREAK_RE.sub("\n", text), "\ufffd", encoding, label))
    if not text.strip():
        raise ReadingListError("file is empty", label, None, hint="remove it or paste the dump again")
    return text, problems


def _decode_unmarked(data: bytes, label: str) -> tuple[str, list[Problem]]:
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    text = data.decode("utf-8", errors="surrogateescape")
    if _has_multibyte(text):  # UTF-8 with a few bad bytes: keep UTF-8, replace only those bytes
        unified = LINE_BREAK_RE.sub("\n", text)
        warning = _bad_bytes_warning(unified, _ESCAPED_RE, "UTF-8", label)
        return _ESCAPED_RE.sub("\ufffd", unified), [warning]
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    line = len(LINE_BREAK_RE.findall(data[:first_bad].decode("ascii", errors="replace"))) + 1
    hint = "save the file as UTF-8 to silence this"
    return text, [Problem("warning", f"file is not UTF-8; decoded as {encoding}", label, line, hint=hint)]


def _has_multibyte(text: str) -> bool:
    """Does surrogate-escaped ``text`` hold a character that came from a valid multi-byte sequence?"""
    return any(ord(c) > 0x7F for c in _ESCAPED_RE.sub("", text))


def _bad_bytes_warning(text: str, bad: str | re.Pattern[str], encoding: str, label: str) -> Problem:
    pattern = bad if isinstance(bad, re.Pattern) else re.compile(re.escape(bad))
    lines = sorted({text.count("\n", 0, m.start()) + 1 for m in pattern.finditer(text)})
    shown = ", ".join(map(str, lines[:10])) + (", ..." if len(lines) > 10 else "")
    return Problem(
        "warning",
        f"invalid {encoding} bytes replaced by U+FFFD on line(s) {shown}",
        label,
        lines[0],
        hint="fix these characters in the dump (the rest of the file was read as " + encoding + ")",
    )


_BREAKS = "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def _finish(text: str, problems: list[Problem], label: str) -> tuple[str, list[Problem]]:
    if any(c in text for c in _BREAKS):  # each test is one C scan; most dumps hold only "\n"
        text = LINE_BREAK_RE.sub("\n", text)
    if "\x00" in text:
        problems.append(
            Problem("warning", "NUL bytes removed", label, text.count("\n", 0, text.index("\x00")) + 1)
        )
        text = text.replace("\x00", "")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, problems
