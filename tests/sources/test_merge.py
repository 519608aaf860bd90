"""Merging into the store: dedup on strong evidence only, stable ids, curator edits survive, merges listed."""

import dataclasses

from generator.core.model import RawEntry, Source
from generator.sources.merge import _Index, merge_entries
from generator.sources.normalize import slugify
from generator.sources.result import entry_keys

LONG = "We study permutation invariant functions on sets and show that each such function is a sum."
OTHER = "A completely different paper about protein folding with graph networks, on five benchmarks."


def entry(title: str | None, abstract: str, file: str = "raw/a.txt", line: int = 1) -> RawEntry:
    return RawEntry(title, abstract, Source(file, line, entry_keys(title, abstract)))


def test_merge_on_title_with_agreeing_abstracts_or_on_a_substantive_abstract() -> None:
    papers, summary = merge_entries(
        [],
        [
            entry("Deep Sets", LONG, line=1),
            entry("deep sets!", LONG + " Extra words.", "raw/b.txt", 5),  # same title, abstracts agree
            entry("Other Title", LONG, "raw/c.txt", 9),  # same substantive abstract
            entry("Fresh Paper", OTHER),
        ],
        "2026-01-02",
    )
    assert [p.id for p in papers] == ["deep-sets", "fresh-paper"]
    assert [(s.file, s.line) for s in papers[0].sources] == [
        ("raw/a.txt", 1),
        ("raw/b.txt", 5),
        ("raw/c.txt", 9),
    ]
    assert (summary.added, summary.merged, summary.unchanged) == (2, 2, 0)
    assert all(p.added == "2026-01-02" for p in papers)
    # Every merge is listed with both titles and both sources.
    assert [(m.entry_title, m.entry_source, m.paper_title, m.paper_source) for m in summary.merges] == [
        ("deep sets!", "raw/b.txt:5", "Deep Sets", "raw/a.txt:1"),
        ("Other Title", "raw/c.txt:9", "Deep Sets", "raw/a.txt:1"),
    ]
    listed = "\n".join(summary.lines())
    assert "raw/c.txt:9 'Other Title' -> [deep-sets] 'Deep Sets' (raw/a.txt:1): same abstract" in listed


def test_a_shared_title_with_contradicting_abstracts_keeps_two_papers() -> None:
    papers, summary = merge_entries(
        [], [entry("Introduction", LONG), entry("Introduction", OTHER, "raw/b.txt", 3)], "2026-01-01"
    )
    assert [p.id for p in papers] == ["introduction", "introduction-2"]
    assert summary.merged == 0
    (warning,) = summary.problems
    assert (warning.path, warning.line) == ("raw/b.txt", 3) and "[introduction]" in warning.message


def test_placeholder_and_short_abstracts_never_merge_on_their_own() -> None:
    papers, summary = merge_entries(
        [],
        [
            entry("Paper One", "No abstract available."),
            entry("Paper Two", "No abstract available.", line=2),
            entry("Paper Three", "Short text.", line=3),
            entry("Paper Four", "Short text.", line=4),
        ],
        "2026-01-01",
    )
    assert len(papers) == 4 and summary.merged == 0
    # ... but a placeholder does not contradict a shared title either.
    papers, summary = merge_entries(papers, [entry("Paper One", LONG, "raw/b.txt")], "2026-01-01")
    assert len(papers) == 4 and summary.merged == 1


def test_version_suffixes_are_ignored_when_matching_titles() -> None:
    for suffix in (" [v2]", " (v3)", " v2", "  [V12]"):
        papers, summary = merge_entries(
            [], [entry("Deep Sets", LONG), entry("Deep Sets" + suffix, "", "raw/b.txt")], "2026-01-01"
        )
        assert len(papers) == 1 and summary.merged == 1, suffix
    papers, _ = merge_entries([], [entry("YOLOv3", ""), entry("YOLO", "")], "2026-01-01")
    assert len(papers) == 2  # a version glued to a word is part of the name


def test_untitled_abstracts_get_a_flagged_provisional_title_and_a_real_one_later() -> None:
    papers, _ = merge_entries([], [entry(None, LONG)], "2026-01-01")
    first_id = papers[0].id
    assert papers[0].needs_title and papers[0].title.startswith("We study permutation invariant")
    papers, summary = merge_entries(papers, [entry("Deep Sets", LONG, "raw/l.txt")], "2026-02-01")
    assert papers[0].title == "Deep Sets" and not papers[0].needs_title
    assert papers[0].id == first_id  # ids never change
    assert summary.upgraded == 1


def test_colliding_slugs_get_suffixes() -> None:
    papers, _ = merge_entries(
        [], [entry("Attention", LONG), entry("Attention?", ""), entry("Attention!!", "")], "2026-01-01"
    )
    assert [p.id for p in papers] == ["attention"]  # same normalized title, no contradiction
    papers, _ = merge_entries(
        papers, [entry("Attention: a study", "Four."), entry("Attention, a study", OTHER)], "2026-01-01"
    )
    # "Four." and OTHER contradict each other: two papers with the same slug, the second suffixed.
    assert [p.id for p in papers] == ["attention", "attention-study", "attention-study-2"]


def test_curator_edits_survive_reingest() -> None:
    papers, _ = merge_entries([], [entry("Old Title", "The abstract.")], "2026-01-01")
    edited = [
        dataclasses.replace(
            papers[0],
            title="Curated Title",
            abstract="A curated abstract that shares no word with the ingested one at all.",
            notes="keep me",
            topics=("optimization",),
            tags=("sgd",),
            hidden=True,
            authors=("A. Author",),
            year=2020,
            url="https://x.org",
            doi="10.1/x",
            arxiv="2101.00001",
        )
    ]
    again, summary = merge_entries(edited, [entry("Old Title", "The abstract.")], "2026-03-03")
    assert again == edited  # recognised by the fingerprints of the text ingested before
    assert (summary.added, summary.unchanged) == (0, 1)


def test_sources_follow_the_latest_ingest_of_a_file() -> None:
    papers, _ = merge_entries([], [entry("Paper", "Abstract.", "raw/a.txt", 3)], "2026-01-01")
    moved, _ = merge_entries(
        papers, [entry("Paper", "Abstract.", "raw/a.txt", 7)], "2026-01-01", ["raw/a.txt"]
    )
    assert [(s.file, s.line) for s in moved[0].sources] == [("raw/a.txt", 7)]


def test_new_id_gives_the_smallest_free_suffix() -> None:
    import random

    index = _Index()
    taken: set[str] = set()
    rng = random.Random(3)
    for _ in range(300):
        title = rng.choice(["Deep Nets", "Deep Nets 2", "Shallow Nets"])
        if rng.random() < 0.2:  # an id taken by a curator's record or alias, ahead of the suffix order
            taken.add(f"deep-nets-{rng.randrange(2, 80)}")
            index.ids.update(taken)
        base = expected = slugify(title)
        n = 2
        while expected in index.ids:  # the definition: first free of base, base-2, base-3, ...
            expected, n = f"{base}-{n}", n + 1
        got = index.new_id(title)
        assert got == expected
        index.ids.add(got)
