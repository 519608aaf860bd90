"""BibTeX through bibtexparser's middleware: strings, months, crossref, comments, duplicates kept."""

from pathlib import Path

from generator.sources.parse import parse_file

FIX = Path(__file__).parent / "fixtures" / "strings.bib"


def test_strings_crossref_comments_and_duplicates() -> None:
    result = parse_file(FIX, "strings.bib")
    titles = [e.title for e in result.entries]
    assert titles == [
        "Deep Learning for Sets",  # @string and '#' expanded (was: tpre # " Learning ...")
        "A Paper In Proceedings",
        "Another Paper With The Same Key",  # a duplicate key drops no entry
        "The First Title Wins",  # a duplicate field keeps its first value
    ]
    assert "Never A Paper" not in titles  # @comment ignored
    child = dict(result.entries[1].fields)
    assert child["year"] == 2021 and "url" not in child  # inherited from its crossref, not its identifiers
    messages = [(p.line, p.message) for p in result.problems]
    assert any(
        line == 24 and "duplicate BibTeX key 'sets2020'" in m and "lines 5 and 24" in m
        for line, m in messages
    )
    assert any(
        "'title' twice (lines 30 and 31)" in m and "The Second Title Is Reported" in m for _, m in messages
    )
    assert any("crossref parent" in m for _, m in messages)
