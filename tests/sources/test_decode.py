"""Decoding: bad UTF-8 bytes repaired per line, byte-order marks, cp1252 only for whole files, line breaks."""

import codecs

import pytest

from generator.core.errors import ReadingListError
from generator.sources.decode import decode_bytes

TEXT = "Schrödinger Bridges\nWe study naïve couplings. Two sentences.\nSecond Title\nAnother abstract here.\n"


def test_a_few_bad_bytes_keep_the_file_utf8_and_name_their_lines() -> None:
    data = TEXT.encode("utf-8").replace(b"Second", b"Sec\xffond").replace(b"Another", b"An\xfe\xfdother")
    text, problems = decode_bytes(data, "x.txt")
    assert "Schrödinger" in text and "naïve" in text  # no cp1252 mojibake (SchrÃ¶dinger)
    assert "Sec\ufffdond" in text and "An\ufffd\ufffdother" in text
    (warning,) = problems
    assert warning.line == 3 and "line(s) 3, 4" in warning.message and "UTF-8" in warning.message


def test_cp1252_only_when_the_whole_file_is_not_utf8() -> None:
    text, problems = decode_bytes("Café Title\nAn “abstract”.\n".encode("cp1252"), "w.txt")
    assert text == "Café Title\nAn “abstract”.\n"
    assert problems[0].message == "file is not UTF-8; decoded as cp1252"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_a_byte_order_mark(codec: str) -> None:
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }.get(codec, b"")
    text, problems = decode_bytes(bom + TEXT.encode(codec), "u.txt")
    assert text == TEXT and problems == []


@pytest.mark.parametrize("brk", ["\r\n", "\r", "\f", "\v", "\x85", "\u2028", "\u2029", "\x1c"])
def test_every_unicode_line_break_is_a_line_break(brk: str) -> None:
    text, _ = decode_bytes(f"Title{brk}Abstract. Two.{brk}".encode(), "b.txt")
    assert text == "Title\nAbstract. Two.\n"


def test_empty_and_binary_are_refused() -> None:
    with pytest.raises(ReadingListError, match="empty"):
        decode_bytes(codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "e.txt")
    with pytest.raises(ReadingListError, match="binary"):
        decode_bytes(bytes(range(256)) * 10, "b.txt")
