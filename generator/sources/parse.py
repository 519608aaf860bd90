"""Read one raw file: decode it, pick its format (detected, or forced), run that format's reader.

Also the stable import point for callers and tests: ``parse_file``, ``FORMATS``, ``ParseResult``,
``read_text``, ``detect_format`` and one ``parse_<format>`` name per built-in reader.
"""

from __future__ import annotations

from pathlib import Path

from generator.core.errors import ReadingListError
from generator.sources.abstracts import parse as parse_abstracts
from generator.sources.bibtex import parse as parse_bibtex
from generator.sources.decode import read_text
from generator.sources.detect import detect, detect_format
from generator.sources.formats import FORMATS, parser
from generator.sources.listing import parse as parse_listing
from generator.sources.result import ParseResult
from generator.sources.yaml_list import parse as parse_yaml_list

__all__ = [
    "FORMATS",
    "ParseResult",
    "detect_format",
    "parse_abstracts",
    "parse_bibtex",
    "parse_file",
    "parse_listing",
    "parse_text",
    "parse_yaml_list",
    "read_text",
]


def parse_text(path: Path, text: str, label: str, fmt: str = "auto") -> ParseResult:
    """Detect (unless ``fmt`` forces it) and parse decoded text; the result says which format and why."""
    if fmt == "auto":
        chosen, reason = detect(path, text)
    elif fmt in FORMATS:
        chosen, reason = fmt, "forced by --format"
    else:
        raise ReadingListError(f"unknown format {fmt!r}", label, hint=f"use one of {', '.join(FORMATS)}")
    result = parser(chosen)(text, label)
    result.fmt, result.reason = chosen, reason
    return result


def parse_file(path: Path, label: str, fmt: str = "auto") -> ParseResult:
    """Read, decode, detect the format and parse one file. Raises ReadingListError for unusable files."""
    text, problems = read_text(path, label)
    result = parse_text(path, text, label, fmt)
    result.problems[:0] = problems
    return result
