"""generator.store.writer: papers -> the store's text, every field type, a stable layout, same bytes again."""

from __future__ import annotations

import dataclasses
import random

import yaml
from conftest import REPO

from generator.core.model import Paper, Source
from generator.store import HEADER, dump_papers, parse_store, yaml_str

EVERY_FIELD = Paper(
    id="every-field",
    title="A title: with a colon, \"quotes\" and 'apostrophes'",
    abstract="Line one\twith a tab, a NEL \x85, math $x^2$ and a backslash \\ud800.",
    added="2024-02-29",
    sources=(
        Source("raw/a.txt", 3, ("t:0123456789", "a:abcdef0123")),
        Source("raw/dir with space/b.bib", 0, ()),
        Source("yes", 12, ("odd, key", "t:0123456789")),
    ),
    needs_title=True,
    listed="Mar 13",
    authors=("Smith, J.", "Ö. Ünal", "null", "1984"),
    year=0,
    url="https://example.org/a?b=1&c=2#x",
    doi="10.1234/abc(1)[2]_x",
    arxiv="2301.01234v2",
    notes="Curator notes: keep.\nSecond line.",
    topics=("generative", "optimization"),
    tags=("gaussian-processes",),
    hidden=True,
    aliases=("old-id", "older-id-2"),
)
MINIMAL = Paper("1984", "Yes", "", "2000-01-01")


def _round_trip(papers: list[Paper]) -> list[Paper]:
    text = dump_papers(papers)
    loaded, problems = parse_store(text, "data/papers.yaml")
    assert problems == []
    assert dump_papers(loaded) == text  # same papers, same bytes
    return [dataclasses.replace(p, line=None) for p in loaded]


def test_every_field_type_round_trips() -> None:
    """Text, bool, int, lists of texts, sources with and without keys, optional fields unset."""
    assert _round_trip([EVERY_FIELD, MINIMAL]) == [EVERY_FIELD, MINIMAL]


def test_records_are_written_in_a_fixed_key_order_and_layout() -> None:
    text = dump_papers([EVERY_FIELD, MINIMAL])
    assert text.startswith(HEADER)
    keys = [line.split(":")[0].strip(" -{") for line in text[len(HEADER) :].splitlines() if ": " in line]
    first = keys[: keys.index("id", 1)]
    assert first == [
        "id", "title", "needs_title", "abstract", "authors", "year", "url", "doi", "arxiv", "notes",
        "topics", "tags", "aliases", "hidden", "added", "listed", "file", "file", "file",
    ]  # fmt: skip
    assert text.endswith('- id: "1984"\n  title: "Yes"\n  abstract: ""\n  added: \'2000-01-01\'\n')


def test_the_written_text_is_what_yaml_reads() -> None:
    records = yaml.safe_load(dump_papers([EVERY_FIELD]))
    assert records[0]["title"] == EVERY_FIELD.title and records[0]["abstract"] == EVERY_FIELD.abstract
    assert records[0]["authors"] == list(EVERY_FIELD.authors) and records[0]["year"] == 0
    assert records[0]["sources"][2] == {"file": "yes", "line": 12, "keys": ["odd, key", "t:0123456789"]}


def test_the_seed_store_is_written_back_byte_for_byte() -> None:
    text = (REPO / "data" / "papers.yaml").read_text(encoding="utf-8")
    papers, problems = parse_store(text, "papers.yaml")
    assert problems == [] and papers
    assert dump_papers(papers) == text


_PLAIN_RULE = r"^[^\W\d_](?:[\w ,.()/+\-':]*[\w.)])?\Z"  # the writer's rule for plain scalars
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "nan", "inf"}
_PIECES = [*"abcXYZ019 ,.:'\"-_()/+#[]{}!?&*|>%@`\\\t\u00e9\u2028\u0085\x7f\u00a0", "yes", ": ", "\\u"]


def test_yaml_str_writes_plain_exactly_what_the_rule_allows_and_yaml_reads_it_back() -> None:
    import re

    rule = re.compile(_PLAIN_RULE)
    rng = random.Random(5)
    for _ in range(20000):
        value = "".join(rng.choice(_PIECES) for _ in range(rng.randrange(8)))
        plain = bool(rule.match(value)) and value.lower() not in _YAML_WORDS and ": " not in value
        assert (yaml_str(value) == value) == plain, repr(value)
        assert (yaml_str(value, flow=True) == value) == (plain and "," not in value), repr(value)
        assert yaml.safe_load(f"k: {yaml_str(value)}")["k"] == value, repr(value)
        assert yaml.safe_load(f"k: [{yaml_str(value, flow=True)}]")["k"] == [value], repr(value)


def test_key_lists_are_written_as_their_items_would_be() -> None:
    """Fingerprint keys take a shortcut (no quoting); any other list is quoted item by item."""
    rng = random.Random(9)
    for _ in range(3000):
        values = tuple(
            rng.choice(
                [
                    f"t:{rng.getrandbits(40):010x}",
                    "t:0123456789, a:0123456789",
                    "".join(rng.choice(_PIECES) for _ in range(rng.randrange(4))),
                    "x,y",
                ]
            )
            for _ in range(rng.randrange(1, 4))
        )
        text = dump_papers([Paper("p", "T", "", "2024-01-01", authors=values)])
        line = next(line for line in text.splitlines() if line.startswith("  authors: "))
        assert line == "  authors: [" + ", ".join(yaml_str(v, flow=True) for v in values) + "]"
