"""Smoke test of the benchmark harness (benchmarks/run.py): a tiny corpus, end to end, one repeat.

Asserts that the report has every step with plausible numbers (no timing thresholds), so the harness
cannot rot unnoticed; that the synthetic corpus maker is deterministic and yields unique papers; and
that the store's fast reader (a performance path the benchmarks rely on) reads exactly what YAML reads.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest
from conftest import REPO, read_store

from generator import store
from generator.core.model import Paper, Source
from generator.sources.normalize import text_key
from generator.sources.parse import parse_file

if str(REPO) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(REPO))

from benchmarks.corpus import make_papers, write_corpus  # noqa: E402
from benchmarks.run import GENERATOR_STEPS, SIDE_STEPS, STEPS  # noqa: E402

N = 200


def test_corpus_is_deterministic_and_unique(tmp_path) -> None:
    first, again, other = make_papers(300, seed=1), make_papers(300, seed=1), make_papers(300, seed=2)
    assert first == again
    assert first != other
    assert len({text_key(t) for t, _ in first}) == 300
    assert len({text_key(a) for _, a in first}) == 300
    paths = write_corpus(300, tmp_path / "raw")
    assert len(paths) >= 4
    entries = [e for p in paths for e in parse_file(p, p.name).entries]
    assert [(e.title, e.abstract) for e in entries] == first  # the listing parser reads back every paper


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("bench-out")
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "run.py"),
            "--sizes",
            str(N),
            "--repeat",
            "1",
            "--out",
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, f"benchmarks/run.py failed:\n{result.stdout}\n{result.stderr[-5000:]}"
    report = (out / "results.md").read_text(encoding="utf-8")
    assert report.count(f"| {N} |") == report.count("| papers |") >= 1  # one row per table
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_report_has_every_step_with_sane_numbers(report: dict) -> None:
    assert report["machine"]["nproc"] >= 1 and report["machine"]["python"]
    (size,) = report["sizes"]
    assert size["papers"] == N and size["repeats"] == 1
    steps = size["steps"]
    for step in (*STEPS, "recall"):
        assert step in steps, f"missing step {step}"
        assert steps[step]["peak_mb"] > 10, step  # a Python process holds at least that much
    for step in (*STEPS, *SIDE_STEPS):
        assert step in steps, f"missing step {step}"
    for step in (*STEPS, *SIDE_STEPS):
        assert 0 < steps[step]["wall_s"] < 600, step
        assert 0 < steps[step]["cpu_s"] <= steps[step]["wall_s"] * 4, step
    for step in GENERATOR_STEPS:
        assert 0 < steps[step]["work_s"] <= steps[step]["wall_s"], step
    assert steps["ingest"]["info"]["added"] == N
    assert steps["reingest"]["info"]["store_unchanged"] is True
    assert steps["enrich"]["info"]["papers"] == N and steps["enrich"]["info"]["related_links"] > 0
    assert steps["render"]["info"]["pages"] > 20
    assert steps["pipeline"]["info"]["pages"] == steps["render"]["info"]["pages"]
    assert steps["pipeline"]["info"]["related_links"] == steps["enrich"]["info"]["related_links"]
    assert steps["build_noop"]["info"]["files_rewritten"] == 0
    assert steps["build_noop"]["info"]["reported_written"] == 0
    assert 0.9 <= steps["recall"]["info"]["recall"] <= 1.0
    assert size["generator_work_s"] <= size["generator_wall_s"]
    assert size["ratio_wall"] > 0
    assert size["ratio_plain"] > 0 and size["search_index_share"] > 0
    assert steps["plain"]["info"]["html_pages"] >= 22  # 20 topics, the tag index, home
    assert steps["site_cold"]["info"]["pagefind_files"] > N  # a fragment per paper and the index


@pytest.mark.slow
def test_report_describes_the_built_site(report: dict) -> None:
    site = report["sizes"][0]["steps"]["mkdocs"]["info"]
    assert site["paper_records"] == N  # the paper search: one record per paper
    assert site["pagefind_bytes"] > 0
    assert site["search_docs"] > 0  # Material's search keeps the pages that are not topic pages
    assert 0 < site["search_bytes_per_paper"] < 100_000
    assert site["largest_html"][0]["bytes"] >= site["home_html_bytes"] > 0
    assert site["tag_index_html_bytes"] > 0
    assert abs(sum(site["search_share_by_kind"].values()) - 100) < 1  # percent of the index per kind
    assert sum(site["search_by_field"].values()) <= site["search_index_bytes"]


# Awkward text for the store: YAML indicators, words YAML reads as booleans or null, escapes, commas
# (which end a plain scalar inside [...]), non-printable and non-ASCII characters.
_PIECES = [
    *"abcXYZ019 ,.:'\"-_()/+#[]{}!?&*|>%@`\\\t\u00e9\u2028\u0085\x7f\u00a0\U0001f600",
    "yes",
    "no",
    "null",
    "true",
    "1",
    ": ",
    " #",
    "\\u",
    "~",
    "2020-01-01",
]
_EDITS = ["", "# c", "  # c", "  notes: x", "  title: y", "  - {file: a, line: 1}", "    more"]


def _text(rng: random.Random, most: int) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(rng.randrange(most)))


def _paper(rng: random.Random, i: int) -> Paper:
    def some(most: int, n: int) -> tuple[str, ...]:
        return tuple(_text(rng, most) for _ in range(rng.randrange(n)))

    return Paper(
        id=rng.choice([f"p{i}", f"{i}-x", f"{i}", "yes"]),
        title=_text(rng, 8) or "t",
        abstract=_text(rng, 12),
        added=rng.choice(["2026-01-01", "2026-13-01"]),
        sources=tuple(
            Source(_text(rng, 5) or "f", rng.randrange(5), some(4, 3)) for _ in range(rng.randrange(3))
        ),
        needs_title=rng.random() < 0.2,
        listed=rng.choice([None, _text(rng, 5)]),
        authors=some(5, 3),
        year=rng.choice([None, 2020, 0]),
        notes=rng.choice([None, _text(rng, 6)]),
        topics=some(3, 2),
        tags=some(3, 2),
        hidden=rng.random() < 0.1,
        aliases=some(3, 2),
    )


def _mutate(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    k = rng.randrange(len(lines))
    edit = rng.randrange(4)
    if edit == 0:
        lines[k] += rng.choice([" ", "#", " # c", ",", "]"])
    elif edit == 1:
        lines.insert(k, rng.choice(_EDITS))
    elif edit == 2:
        lines[k] = lines[k].replace(": ", ":  ", 1)
    else:
        lines[k] = lines[k].replace('"', "'", 2)
    return "\n".join(lines)


def test_fast_store_reader_matches_yaml(monkeypatch) -> None:
    """Written stores (and hand-edited variants) give the same papers, problems and errors either way."""
    rng = random.Random(7)
    fast_used = 0
    for _ in range(600):
        text = store.dump_papers([_paper(rng, i) for i in range(rng.randrange(1, 4))])
        if rng.random() < 0.5:
            text = _mutate(rng, text)
        fast_used += store.reader._fast_records(text) is not None
        assert read_store(text, True, monkeypatch) == read_store(text, False, monkeypatch), text
    assert fast_used > 300  # the fast path really ran


def test_fast_store_reader_reads_the_seed_store(monkeypatch) -> None:
    text = (REPO / "data" / "papers.yaml").read_text(encoding="utf-8")
    assert store.reader._fast_records(text) is not None
    assert read_store(text, True, monkeypatch) == read_store(text, False, monkeypatch)
