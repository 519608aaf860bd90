"""Bounded YAML: a "billion laughs" file (973 bytes, nested aliases) and a 9-level variant are refused at
their first anchor, with file:line and no traceback, in the store, the taxonomy, the site settings and a
raw dump, through the real CLI. Each run is a subprocess under a generous timeout (before the guard the
store took 97 s and 3.9 GB, the 9-level file over 13 minutes); the time is printed, never asserted.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import make_project, run_cli

from generator.core.errors import ReadingListError
from generator.core.yaml_errors import check_structure
from generator.store import parse_store

SEED = {"id": "seed", "title": "A seed paper", "abstract": "Nothing to see.", "added": "2024-01-01"}


def laughs(levels: int, width: int = 9) -> str:
    """``levels`` lines, each an anchored flow list of ``width`` aliases of the line above."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def billion_laughs() -> str:
    """The classic file: 9 levels of 9 aliases (about 10^9 "lol"s once expanded)."""
    return laughs(9)


def nine_deep() -> str:
    """A 9-level variant with 12 aliases a level (5 * 10^9 leaves)."""
    return laughs(9, width=12)


def as_store(bomb: str) -> str:
    body = "".join(f"    {line}\n" for line in bomb.splitlines())
    return f"- id: bomb\n  title: Boom\n  abstract: x\n  added: '2024-01-01'\n  notes:\n{body}"


def as_topics(bomb: str) -> str:
    body = "".join(f"      {line}\n" for line in bomb.splitlines())
    return f"topics:\n  - id: opt\n    title: Optimization\n    rules: [optimizer]\n    description:\n{body}"


def as_tags(bomb: str) -> str:
    body = "".join(f"      {line}\n" for line in bomb.splitlines())
    head = "tags:\n  - id: rl\n    label: reinforcement learning\n    synonyms:\n      - x\n"
    return f"{head}    description:\n{body}"


def as_settings(bomb: str) -> str:
    body = "".join(f"  {line}\n" for line in bomb.splitlines())
    return f"title: Boom\nintro:\n{body}"


def as_dump(bomb: str) -> str:
    body = "".join(f"    {line}\n" for line in bomb.splitlines())
    return f"- title: Boom\n  abstract: x\n  notes:\n{body}"


@pytest.mark.parametrize("bomb", [billion_laughs, nine_deep], ids=["billion-laughs", "nine-levels"])
def test_the_guard_refuses_the_first_anchor_at_its_line(bomb) -> None:
    started = time.perf_counter()
    with pytest.raises(ReadingListError, match=r"anchor '&a0' refused") as info:
        check_structure(bomb(), "x.yaml")
    assert info.value.line == 1
    print(f"{bomb.__name__}: refused in {1000 * (time.perf_counter() - started):.2f} ms")


def test_an_alias_alone_is_refused_at_its_line() -> None:
    with pytest.raises(ReadingListError, match=r"alias '\*x' refused") as info:
        check_structure("a: 1\nb: *x\n", "x.yaml")
    assert info.value.line == 2


@pytest.mark.parametrize("fast_layout", [True, False])
def test_the_store_never_reads_an_alias_as_text(fast_layout: bool) -> None:
    """The store's fast reader leaves anything YAML would read as an alias or anchor to the YAML path."""
    value = "*a" if fast_layout else "[*a, b]"
    text = f"- id: x\n  title: &a T\n  abstract: {value}\n  added: '2024-01-01'\n"
    with pytest.raises(ReadingListError, match="refused") as info:
        parse_store(text, "papers.yaml")
    assert info.value.line == 2


CASES = {
    "store": ("data/papers.yaml", as_store, "check", 6),
    "topics": ("data/topics.yaml", as_topics, "check", 6),
    "tags": ("data/tags.yaml", as_tags, "check", 7),
    "settings": ("data/site.yaml", as_settings, "build", 3),
    "dump": ("data/raw/bomb.yaml", as_dump, "ingest", 4),
}


@pytest.mark.parametrize("bomb", [billion_laughs, nine_deep], ids=["billion-laughs", "nine-levels"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_yaml_file_refuses_the_bomb_fast_through_the_cli(tmp_path: Path, case: str, bomb) -> None:
    rel, wrap, command, line = CASES[case]
    project = make_project(tmp_path / "p", [SEED])
    target = project / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(wrap(bomb()), encoding="utf-8")
    args = [command, "data/raw"] if command == "ingest" else [command]
    started = time.perf_counter()
    result = run_cli(*args, cwd=project)  # a 600 s timeout: before the guard this ran for minutes
    elapsed = time.perf_counter() - started
    print(f"{case} / {bomb.__name__}: `{command}` exited {result.returncode} in {elapsed:.2f} s")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    label = rel.removeprefix("data/") if case == "dump" else rel  # ingest names inputs from data/
    assert f"{label}:{line}:" in result.stderr + result.stdout
    assert "refused" in result.stderr + result.stdout
