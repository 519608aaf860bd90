"""Readers for each raw format, format detection, decoding, and every bad-input case."""

from pathlib import Path

import pytest

from generator.core.errors import ReadingListError
from generator.sources.parse import detect_format, parse_abstracts, parse_file, parse_listing, read_text

FIX = Path(__file__).parent.parent / "fixtures" / "ingest"


def test_listing_boilerplate_date_and_normalization() -> None:
    result = parse_file(FIX / "listing.txt", "listing.txt")
    assert result.problems == []
    assert [e.title for e in result.entries] == [
        "A Tale of Two Schrödinger Bridges",
        "Learning $x_t$ with p(Y|X) When MNIST < CIFAR10",
    ]
    first = result.entries[0]
    assert first.abstract == (
        "We study naïve couplings of \u201cbridges\u201d and show a 44.49% gain with $1.8$ fewer "
        "steps\u2014a clear win."
    )
    assert first.listed == "Mar 13"
    assert first.source.line == 11
    assert "unbalanced ` backtick" in result.entries[1].abstract


def test_listing_with_boilerplate_glued_to_the_first_title() -> None:
    result = parse_file(FIX / "glued.txt", "glued.txt")
    assert [e.title for e in result.entries] == ["Glued Title After Boilerplate", "Second Paper Title"]
    assert [e.source.line for e in result.entries] == [3, 5]


def test_bare_abstract_blocks_wrap_over_lines() -> None:
    result = parse_file(FIX / "abstracts.txt", "abstracts.txt")
    assert [e.title for e in result.entries] == [None, None]
    assert result.entries[0].abstract == (
        "Despite the benefits of Hölder continuity, little is known about why it helps. "
        "This abstract wraps over several lines and must be joined with single spaces."
    )
    assert [e.source.line for e in result.entries] == [4, 11]


def test_bibtex_fields_and_missing_abstract_warning() -> None:
    result = parse_file(FIX / "papers.bib", "papers.bib")
    first, second = result.entries
    assert first.title == "Bayesian Optimization for Schrödinger Bridges"
    assert (
        first.abstract
        == r"We apply Bayesian optimization to bridges with 10% less compute and $\mathcal{O}(n)$ cost."
    )
    fields = dict(first.fields)
    assert fields["authors"] == ("Jane Smith", "Piet van der Berg", "Li Wei")
    assert fields["year"] == 2023
    assert fields["arxiv"] == "2301.01234"
    assert fields["doi"] == "10.1000/xyz123"
    assert fields["url"] == "https://example.org/paper"
    assert second.abstract == ""
    assert [(p.line, "no abstract" in p.message) for p in result.problems] == [(12, True)]


@pytest.mark.parametrize("name", ["papers.yaml", "papers.json"])
def test_yaml_and_json_lists(name: str) -> None:
    result = parse_file(FIX / name, name)
    assert result.problems == []
    assert len(result.entries) == 2
    assert all(e.title and e.abstract for e in result.entries)
    if name == "papers.yaml":
        fields = dict(result.entries[0].fields)
        assert fields["authors"] == ("Ada Lovelace", "Alan Turing")
        assert fields["tags"] == ("gaussian-processes",)
        assert result.entries[0].abstract == "An abstract written by hand, over two lines."
        assert [e.source.line for e in result.entries] == [2, 10]


def test_format_detection_and_forcing(tmp_path: Path) -> None:
    assert detect_format(FIX / "abstracts.txt", (FIX / "abstracts.txt").read_text()) == "abstracts"
    assert detect_format(FIX / "listing.txt", (FIX / "listing.txt").read_text()) == "listing"
    assert detect_format(Path("x.bib"), "") == "bibtex"
    assert detect_format(Path("x.json"), "") == "yaml"
    bib = tmp_path / "export.txt"
    bib.write_text((FIX / "papers.bib").read_text())
    assert detect_format(bib, bib.read_text()) == "bibtex"
    forced = parse_file(FIX / "abstracts.txt", "abstracts.txt", fmt="listing")
    assert (forced.fmt, forced.reason) == ("listing", "forced by --format")
    assert len(forced.entries) == 2 and not any(e.title for e in forced.entries)  # never an 'Abstract:' title
    with pytest.raises(ReadingListError, match="unknown format"):
        parse_file(FIX / "abstracts.txt", "abstracts.txt", fmt="csv")


def test_seed_counts() -> None:
    raw = Path(__file__).parent.parent.parent / "data" / "raw"
    counts = {p.name[:3]: len(parse_file(p, p.name).entries) for p in sorted(raw.iterdir())}
    assert counts == {"000": 10, "001": 199, "002": 80, "003": 99, "004": 51}
    assert sum(v for k, v in counts.items() if k != "000") == 429


# ----------------------------------------------------------------- bad input


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ReadingListError, match="empty") as info:
        parse_file(write(tmp_path, "empty.txt", b"  \n\n"), "raw/empty.txt")
    assert info.value.path == "raw/empty.txt"


def test_binary_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ReadingListError, match="binary"):
        parse_file(write(tmp_path, "x.txt", bytes(range(256)) * 20), "x.txt")


def test_boilerplate_only_warns_and_yields_nothing(tmp_path: Path) -> None:
    path = write(
        tmp_path, "b.txt", b"new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nMar 13\n"
    )
    result = parse_file(path, "b.txt")
    assert result.entries == []
    assert "only boilerplate" in result.problems[0].message


def test_cp1252_is_decoded_with_a_located_warning(tmp_path: Path) -> None:
    text = "Caf\u00e9 Title\nAn abstract with na\u00efve \u201cquotes\u201d. It has two sentences.\n"
    path = write(tmp_path, "w.txt", b"Title One\nA plain abstract. Two sentences.\n" + text.encode("cp1252"))
    result = parse_file(path, "w.txt")
    assert result.problems[0].message.startswith("file is not UTF-8; decoded as cp1252")
    assert result.problems[0].line == 3
    assert [e.title for e in result.entries] == ["Title One", "Caf\u00e9 Title"]
    assert (
        result.entries[1].abstract == "An abstract with na\u00efve \u201cquotes\u201d. It has two sentences."
    )


def test_bom_and_crlf(tmp_path: Path) -> None:
    body = (FIX / "listing.txt").read_text().replace("\n", "\r\n")
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + body.encode("utf-8"))
    assert parse_file(path, "bom.txt").entries == parse_file(FIX / "listing.txt", "bom.txt").entries


def test_title_with_no_abstract_is_reported_with_its_line() -> None:
    text = (
        "First Title\nSecond Title\n"
        + "A real abstract. It has two sentences and plenty of words here." * 3
        + "\n"
    )
    result = parse_listing(text, "t.txt")
    assert [(e.title, bool(e.abstract)) for e in result.entries] == [
        ("First Title", False),
        ("Second Title", True),
    ]
    assert [(p.line, "no abstract" in p.message) for p in result.problems] == [(1, True)]


def test_truncated_block_at_the_end(tmp_path: Path) -> None:
    text = (FIX / "listing.txt").read_text() + "\nA Final Title Without Its Abstract\n"
    result = parse_listing(text, "t.txt")
    assert len(result.entries) == 3 and result.entries[-1].abstract == ""  # kept, and reported
    assert "truncated" in result.problems[-1].message
    assert result.problems[-1].line == text.rstrip("\n").count("\n") + 1


def test_abstract_block_without_prefix_is_reported() -> None:
    result = parse_abstracts("Abstract: one. Two.\n\nstray text here\n", "a.txt")
    assert len(result.entries) == 1
    assert result.problems[0].line == 3


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", b"- title: ok\n  abstract: fine\n- title: [unclosed\n  abstract: x\n")
    with pytest.raises(ReadingListError) as info:
        parse_file(path, "bad.yaml")
    assert info.value.path == "bad.yaml" and info.value.line in (3, 4, 5)


def test_malformed_json_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", b'[\n {"title": "a", "abstract": "b"},\n {"title": }\n]\n')
    with pytest.raises(ReadingListError) as info:
        parse_file(path, "bad.json")
    assert info.value.line == 3


def test_yaml_that_is_not_a_list(tmp_path: Path) -> None:
    with pytest.raises(ReadingListError, match="expected a list"):
        parse_file(write(tmp_path, "m.yaml", b"title: x\n"), "m.yaml")


def test_malformed_bibtex_entry_is_skipped_with_its_line(tmp_path: Path) -> None:
    good = (FIX / "papers.bib").read_text()
    bad = good + "\n@article{broken,\n  title = {Unclosed\n"
    result = parse_file(write(tmp_path, "b.bib", bad.encode()), "b.bib")
    assert len(result.entries) == 2
    malformed = [p for p in result.problems if "malformed" in p.message]
    assert malformed and malformed[0].line == good.count("\n") + 2


def test_read_text_reports_nul_bytes(tmp_path: Path) -> None:
    text, problems = read_text(write(tmp_path, "n.txt", b"Title\x00 here\nabstract\n"), "n.txt")
    assert "\x00" not in text and problems[0].line == 1
