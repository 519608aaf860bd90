"""Word-sense guards of tags in data/tags.yaml (not_with, requires): loading, errors, and their effect."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.core.errors import ReadingListError
from generator.core.model import Paper
from generator.enrich.classify import assign, compile_taxonomy
from generator.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[2]
TOPICS = ROOT / "tests" / "fixtures" / "taxonomy" / "topics.yaml"


def load_tags(tmp_path: Path, text: str):
    path = tmp_path / "tags.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return load_taxonomy(TOPICS, path)


GUARDED = """
tags:
  - id: knowledge-distillation
    label: Knowledge distillation
    synonyms: [distillation, distill*]
    not_with: [dataset distillation, consistency distillation]
  - id: finance
    label: Finance
    synonyms: [market*]
    requires: [stock*, portfolio*]
  - id: images
    label: Images
"""


def test_guards_are_loaded(tmp_path: Path) -> None:
    tags = {t.id: t for t in load_tags(tmp_path, GUARDED).tags}
    assert tags["knowledge-distillation"].not_with == ("dataset distillation", "consistency distillation")
    assert tags["finance"].requires == ("stock*", "portfolio*")
    assert tags["images"].not_with == () and tags["images"].requires == ()


def tags_of(taxonomy, title: str, abstract: str) -> tuple[str, ...]:
    paper = Paper(id="p", title=title, abstract=abstract, added="2024-01-01")
    return assign(paper, compile_taxonomy(taxonomy)).tags


def test_not_with_keeps_a_tag_off_and_requires_needs_context(tmp_path: Path) -> None:
    taxonomy = load_tags(tmp_path, GUARDED)
    assert tags_of(taxonomy, "Distillation of teachers", "we distill a teacher") == (
        "knowledge-distillation",
    )
    assert tags_of(taxonomy, "Dataset distillation", "distillation of a dataset; dataset distillation") == ()
    assert tags_of(taxonomy, "Market design", "a market for labour") == ()
    assert tags_of(taxonomy, "Market prediction", "stock markets") == ("finance",)


@pytest.mark.parametrize(
    ("guard", "message"),
    [
        ("not_with: dataset distillation", "'not_with' must be a non-empty list of phrases"),
        ("requires: []", "'requires' must be a non-empty list of phrases"),
        ("not_with: ['']", "each 'not_with' phrase must be non-empty text"),
        ("requires: ['*']", "has no letters or digits"),
        ("require: [stock*]", "unknown field 'require'"),
    ],
)
def test_bad_guards_name_file_and_line(tmp_path: Path, guard: str, message: str) -> None:
    text = f"""
    tags:
      - id: images
        label: Images
      - id: finance
        label: Finance
        {guard}
    """
    with pytest.raises(ReadingListError) as caught:
        load_tags(tmp_path, text)
    error = caught.value
    assert message in str(error)
    assert str(error.path).endswith("tags.yaml") and error.line in (5, 6)
    assert error.record == "finance" or "unknown field" in str(error)
