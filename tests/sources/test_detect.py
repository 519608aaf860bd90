"""Format detection per block, with the reason in words; --format forces a reading."""

from pathlib import Path

from generator.sources.detect import detect
from generator.sources.formats import FORMATS, REGISTRY, module
from generator.sources.parse import parse_file

FIX = Path(__file__).parent.parent / "fixtures" / "ingest"


def test_wrapped_bare_abstracts_are_abstracts_not_a_listing() -> None:
    path = Path(__file__).parent / "fixtures" / "wrapped_abstracts.txt"
    fmt, reason = detect(path, path.read_text())
    assert (fmt, reason) == ("abstracts", "3 of 3 blocks start with 'Abstract:'")
    result = parse_file(path, "w.txt")
    assert len(result.entries) == 3 and all(e.title is None for e in result.entries)
    assert not any(e.abstract.startswith("Abstract") for e in result.entries)
    assert "Subscribe" not in result.entries[1].abstract  # chrome ends a block: never glued into one record


def test_each_file_says_why_it_was_read_as_it_was() -> None:
    for name, fmt in [("listing.txt", "listing"), ("papers.bib", "bibtex"), ("papers.json", "yaml")]:
        result = parse_file(FIX / name, name)
        assert result.fmt == fmt and result.reason, name
    forced = parse_file(FIX / "listing.txt", "listing.txt", fmt="abstracts")
    assert (forced.fmt, forced.reason) == ("abstracts", "forced by --format")


def test_titles_above_abstract_lines_make_a_listing() -> None:
    text = "A Title Here\nAbstract: We study things. It works.\nAnother Title\nAbstract: More things. Fine.\n"
    assert detect(Path("x.txt"), text)[0] == "listing"


def test_every_registered_format_is_one_module_with_parse_and_score() -> None:
    assert tuple(REGISTRY) == FORMATS
    for name in FORMATS:
        assert callable(module(name).parse) and callable(module(name).score), name
