"""YAML and JSON dumps: scalars as text, duplicate keys reported at their line, aliases refused fast."""

import time
from pathlib import Path

import pytest

from generator.core.errors import ReadingListError
from generator.sources.parse import parse_file

DEFECTS = Path(__file__).parent / "fixtures"


def test_scalars_are_read_as_text() -> None:
    result = parse_file(DEFECTS / "yes_no.yaml", "yes_no.yaml")
    first, second = result.entries[:2]
    assert (first.title, first.abstract, dict(first.fields)["year"]) == ("Yes", "No", 2021)
    assert (second.title, second.abstract) == ("1e3", "On")  # not 1000.0 and True
    assert any(
        p.line == 6 and "key 'title' given twice (lines 4 and 6)" in p.message for p in result.problems
    )
    assert any(p.line == 7 and "neither title nor abstract" in p.message for p in result.problems)


def test_a_json_duplicate_key_is_reported_with_its_line() -> None:
    result = parse_file(DEFECTS / "dup_keys.json", "dup_keys.json")
    assert [e.title for e in result.entries] == ["Json Paper"]
    assert [(p.line, "given twice" in p.message) for p in result.problems] == [(2, True)]


def test_a_billion_laughs_fails_fast_with_file_and_line() -> None:
    start = time.perf_counter()
    with pytest.raises(ReadingListError, match="anchor '&a' refused") as info:
        parse_file(DEFECTS / "laughs.yaml", "laughs.yaml")
    assert time.perf_counter() - start < 1.0
    assert (info.value.path, info.value.line) == ("laughs.yaml", 1)


def test_an_alias_alone_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("- title: x\n  abstract: y\n- *nothing\n")
    with pytest.raises(ReadingListError, match="alias") as info:
        parse_file(path, "a.yaml")
    assert info.value.line == 3


def test_tagged_values_are_refused_per_item(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "- title: !!python/object/apply:os.system [id]\n  abstract: x\n"
        "- title: !!binary aGVsbG8=\n  abstract: y\n"
        "- title: Plain\n  abstract: Kept.\n"
    )
    result = parse_file(path, "t.yaml")
    assert [e.title for e in result.entries] == ["Plain"]
    assert [(p.line, "cannot be read" in p.message) for p in result.problems] == [(1, True), (3, True)]
