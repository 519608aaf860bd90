"""generator.store.schema: every kind of record problem, located on its record, and the link rules."""

from __future__ import annotations

import pytest

from generator.core.errors import ReadingListError
from generator.store import check_links, parse_store

_BAD_SOURCE = "a source needs 'file' (text), 'line' (a number) and optional 'keys' (a list)"
GOOD = "- id: a\n  title: T\n  abstract: x\n  added: '2024-01-01'\n"


def _problems(text: str) -> list[tuple[int | None, str | None, str]]:
    papers, problems = parse_store(text, "data/papers.yaml")
    assert all(p.path == "data/papers.yaml" and p.hint for p in problems)
    return [(p.line, p.record, p.message) for p in problems]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("  year: true\n", "field 'year' should be a whole number, not bool"),
        ("  year: '2021'\n", "field 'year' should be a whole number, not str"),
        ("  hidden: 1\n", "field 'hidden' should be true or false, not int"),
        ("  tags: gp\n", "field 'tags' should be a list, not str"),
        ("  title2: x\n", "unknown field 'title2'"),
        ("  authors: [[a]]\n", "field 'authors' should be a list of texts"),
        ("  aliases: [Not A Slug]\n", "id 'Not A Slug' is not a slug"),
        ("  url: javascript:alert(1)\n", "url 'javascript:alert(1)' is not an http(s):// URL"),
        ("  doi: 11.1/x\n", "doi '11.1/x' is not a DOI such as 10.1234/abc"),
        ("  arxiv: 'abc'\n", "arxiv 'abc' is not an arXiv id such as 2301.01234"),
        ("  sources:\n  - {line: 3}\n", _BAD_SOURCE),
        ("  sources:\n  - {file: a.txt, line: x}\n", _BAD_SOURCE),
        ("  sources:\n  - {file: a.txt, line: 1, keys: k}\n", _BAD_SOURCE),
    ],
)  # fmt: skip
def test_a_bad_field_is_an_error_on_its_record(extra: str, message: str) -> None:
    text = GOOD + "- id: b\n  title: T\n  abstract: x\n" + extra + "  added: '2024-01-01'\n"
    papers, problems = parse_store(text, "data/papers.yaml")
    assert [p.id for p in papers] == ["a"]  # the bad record is not half read
    assert [(p.severity, p.line, p.record, p.message) for p in problems] == [("error", 5, "b", message)]


def test_missing_fields_and_bad_values() -> None:
    text = "- id: a\n  abstract: x\n- id: B\n  title: T\n  abstract: x\n  added: '2024-02-30'\n"
    assert _problems(text) == [
        (1, "a", "missing required field 'title'"),
        (1, "a", "missing required field 'added'"),
        (3, "B", "id 'B' is not a slug"),
        (3, "B", "added '2024-02-30' is not a date"),
    ]


def test_an_empty_abstract_is_allowed_but_not_a_missing_one() -> None:
    assert _problems("- id: a\n  title: T\n  abstract:\n  added: '2024-01-01'\n") == []
    assert _problems("- id: a\n  title: T\n  added: '2024-01-01'\n") == [
        (1, "a", "missing required field 'abstract'")
    ]


def test_duplicate_ids_aliases_and_keys() -> None:
    text = (
        GOOD
        + "- id: b\n  title: T\n  abstract: x\n  aliases: [a]\n  added: '2024-01-01'\n"
        + "- id: c\n  title: T\n  title: U\n  abstract: x\n  added: '2024-01-01'\n"
    )
    assert _problems(text) == [
        (5, "b", "duplicate id 'a' (also on line 1)"),
        (12, "c", "field 'title' appears twice"),
    ]


def test_a_record_that_is_not_a_mapping_and_a_store_that_is_not_a_list() -> None:
    assert _problems(GOOD + "- just text\n") == [(5, None, "record is not a mapping")]
    with pytest.raises(ReadingListError) as info:
        parse_store("id: a\n", "data/papers.yaml")
    assert "must be a YAML list of papers" in str(info.value) and info.value.line == 1


def test_check_links_allows_only_http_doi_and_arxiv_forms() -> None:
    good = {"url": "https://x.org/a(b)", "doi": "10.1234/abc", "arxiv": "hep-th/9901001v2"}
    assert check_links(good, "f", 1, "r") == []
    bad = {"url": "https://x.org/\n", "doi": "10.1/x", "arxiv": "2301.1"}
    problems = check_links(bad, "f", 3, "r")
    assert [p.message.split()[0] for p in problems] == ["url", "doi", "arxiv"]
    assert all((p.severity, p.path, p.line, p.record) == ("error", "f", 3, "r") for p in problems)


def test_a_lone_surrogate_never_becomes_a_paper() -> None:
    """libyaml refuses the escape as malformed YAML; a pure-Python loader reads it and the schema refuses it
    (tests/test_curator_errors.py runs that loader)."""
    text = GOOD + "- id: b\n  title: \"x\\ud800\"\n  abstract: x\n  added: '2024-01-01'\n"
    try:
        papers, problems = parse_store(text, "data/papers.yaml")
    except ReadingListError as exc:
        assert exc.line == 6 and "malformed YAML" in exc.message
    else:
        assert [p.id for p in papers] == ["a"] and "lone surrogate" in problems[0].message
