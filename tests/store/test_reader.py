"""generator.store.reader: the fast reader of the written layout and YAML's reader give the same papers.

Everything goes through the public :func:`parse_store` / :func:`load_store`: a text in the layout the
writer writes is read by the fast reader; the same records laid out differently (re-indented, or with
an indented comment) are read by YAML; both must give the same papers and problems.
"""

from __future__ import annotations

import random

import pytest
from conftest import REPO

import generator.store.reader as reader
from generator.core.errors import ReadingListError
from generator.core.model import Paper, Source
from generator.store import dump_papers, load_store, parse_store

_PIECES = [
    *"abcXYZ019 ,.:'\"-_()/+#[]{}!?&*|>%@`\\\t\u00e9\u2028\u0085\x7f\u00a0",
    "yes",
    ": ",
    "\\u",
    "\\ud800",
    "t:0123456789",
    ", a:abcdef0123",
    "raw/x.txt",
    "/tmp/a b.txt",
]


def _text(rng: random.Random, most: int) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(rng.randrange(most)))


def _key(rng: random.Random) -> str:
    fingerprint_like = f"{rng.choice('ta')}:{rng.getrandbits(40):010x}"
    return rng.choice([_text(rng, 3), fingerprint_like, "t:0123456789, a:0123456789"])


def _paper(rng: random.Random, i: int) -> Paper:
    files = ["raw/a.txt", "/tmp/raw/b.txt", "a b.txt", "x\ty", "yes", _text(rng, 5) or "f"]
    sources = tuple(
        Source(rng.choice(files), rng.randrange(30), tuple(_key(rng) for _ in range(rng.randrange(3))))
        for _ in range(rng.randrange(3))
    )
    return Paper(
        id=rng.choice([f"p{i}", f"{1900 + i}", "yes", f"p-{i}-x"]),
        title=_text(rng, 8) or "t",
        abstract=_text(rng, 10),
        added=rng.choice(["2026-01-01", "2026-02-30"]),
        sources=sources,
        needs_title=rng.random() < 0.2,
        listed=rng.choice([None, "Mar 13", _text(rng, 3) or None]),
        authors=tuple(_key(rng) for _ in range(rng.randrange(3))),
        year=rng.choice([None, 0, 2021]),
        url=rng.choice([None, "https://x.org/a?b=1", "ftp://x"]),
        notes=rng.choice([None, _text(rng, 6) or None]),
        topics=tuple(rng.choice(["a", "b-c", "Bad Pin"]) for _ in range(rng.randrange(3))),
        hidden=rng.random() < 0.2,
        aliases=tuple(rng.choice(["old", f"p{i + 1}", "x-1"]) for _ in range(rng.randrange(2))),
    )


def _reindented(text: str) -> str:
    """The same records with four spaces of indentation: YAML reads the same, the fast reader declines."""
    out = []
    for line in text.split("\n"):
        if line.startswith("- "):
            line = "-   " + line[2:]
        elif line.startswith("  "):
            line = "  " + line
        out.append(line)
    return "\n".join(out)


_NOT_CANONICAL = "  # an indented comment: YAML ignores it, the fast reader declines the file\n"


def _read(text: str) -> tuple:
    try:
        return "ok", parse_store(text, "data/papers.yaml")
    except ReadingListError as exc:
        return "error", str(exc)


class _NoYaml:
    """Stands in for the YAML loader: a text read without it was read by the fast reader."""

    def __init__(self, text: str) -> None:
        raise AssertionError("the YAML parser was used")


def _read_without_yaml(text: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    with monkeypatch.context() as patch:
        patch.setattr(reader, "Loader", _NoYaml)
        try:
            parse_store(text, "data/papers.yaml")
        except AssertionError:
            return False
    return True


def test_written_stores_read_the_same_as_their_reindented_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    fast_used = 0
    for _ in range(400):
        text = dump_papers([_paper(rng, i) for i in range(rng.randrange(1, 4))])
        fast_used += _read_without_yaml(text, monkeypatch)
        fast, slow = _read(text), _read(_reindented(text))
        assert slow[0] == "ok" and fast == slow, text
    assert fast_used > 100  # the comparison really ran the fast reader


def test_hand_edited_lines_read_the_same_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """Source lines with fingerprint keys, quoted and plain file names, key lists and hand-edited
    variants: whichever reader takes a text, it gives what YAML gives."""
    rng = random.Random(11)
    edits = [
        "  - {file: a, line: 1, keys: []}",
        "  - {file: a, line: 01}",
        '  - {file: "a\tb", line: 1}',
        "  - {file: yes, line: 1}",
        "  - {file: a, line: 1, keys: [t:0123456789]} ",
        "  - {file: a b, line: 2}",
        "  sources:",
        "  notes: 'it''s'",
        "  year: 0x10",
        "  title: null",
    ]
    fast_used = 0
    for _ in range(400):
        text = dump_papers([_paper(rng, i) for i in range(rng.randrange(1, 4))])
        if rng.random() < 0.6:
            lines = text.split("\n")
            lines.insert(rng.randrange(5, len(lines)), rng.choice(edits))
            text = "\n".join(lines)
        fast_used += _read_without_yaml(text, monkeypatch)
        assert _read(text) == _read(text + _NOT_CANONICAL), text
    assert fast_used > 100  # the comparison really ran the fast reader


def test_the_seed_store_is_read_by_the_fast_reader_as_yaml_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (REPO / "data" / "papers.yaml").read_text(encoding="utf-8")
    assert _read_without_yaml(text, monkeypatch)
    papers, problems = parse_store(text, "data/papers.yaml")
    assert problems == [] and len(papers) > 400
    assert (papers, problems) == parse_store(_reindented(text), "data/papers.yaml")


def test_layouts_the_fast_reader_declines_still_read_as_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    block = "- id: a\n  title: >\n    Folded\n    title\n  abstract: |\n    x\n  added: '2024-01-01'\n"
    assert not _read_without_yaml(block, monkeypatch)
    papers, problems = parse_store(block, "s")
    assert problems == [] and (papers[0].title, papers[0].abstract, papers[0].line) == (
        "Folded title\n",
        "x\n",
        1,
    )


def test_malformed_yaml_is_located_with_a_hint() -> None:
    text = "- id: a\n  title: T\n abstract: bad indent\n  added: '2024-01-01'\n"
    with pytest.raises(ReadingListError) as info:
        parse_store(text, "data/papers.yaml")
    assert info.value.path == "data/papers.yaml" and info.value.line == 3
    assert info.value.message.startswith("malformed YAML: ") and "git checkout" in info.value.hint


def test_an_empty_or_comment_only_store_has_no_papers() -> None:
    assert parse_store("", "s") == ([], [])
    assert parse_store("# only a comment\n", "s") == ([], [])


def test_load_store_missing_unreadable_and_not_utf8(tmp_path) -> None:
    assert load_store(tmp_path / "papers.yaml") == ([], [])
    (tmp_path / "folder.yaml").mkdir()
    with pytest.raises(ReadingListError) as info:
        load_store(tmp_path / "folder.yaml")
    assert "cannot read the store" in info.value.message and info.value.path == str(tmp_path / "folder.yaml")
    (tmp_path / "latin1.yaml").write_bytes("- id: a\n  title: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ReadingListError) as info:
        load_store(tmp_path / "latin1.yaml")
    assert "not valid UTF-8" in info.value.message


def test_load_store_reads_the_file_it_is_given(tmp_path) -> None:
    path = tmp_path / "papers.yaml"
    paper = Paper("a", "T", "x", "2024-01-01", sources=(Source("raw/a.txt", 2, ("t:0123456789",)),))
    path.write_text(dump_papers([paper]), encoding="utf-8")
    papers, problems = load_store(path)
    assert problems == [] and papers == [Paper(**{**paper.__dict__, "line": 5})]
