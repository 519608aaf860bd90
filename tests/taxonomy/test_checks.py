"""Soft checks of a loaded taxonomy: every kind of warning, located on the record it is about."""

from __future__ import annotations

import textwrap
from pathlib import Path

from generator.core.model import Rule, TagDef, Taxonomy, Topic
from generator.taxonomy import check_taxonomy, load_taxonomy

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_shipped_taxonomy_is_clean() -> None:
    assert check_taxonomy(load_taxonomy(ROOT / "data" / "topics.yaml", ROOT / "data" / "tags.yaml")) == []


def test_check_taxonomy_reports_soft_problems(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(
        write(
            tmp_path,
            "topics.yaml",
            """
            topics:
              - id: a
                title: A
                rules: [learning, shared phrase, shared-phrase]
              - id: b
                title: B
                description: Fine.
                rules: [shared phrase]
            """,
        ),
        write(
            tmp_path,
            "tags.yaml",
            """
            tags:
              - id: b
                label: B tag
                synonyms: [models]
            """,
        ),
    )
    problems = check_taxonomy(taxonomy)
    messages = [p.message for p in problems]
    assert "topic has no description" in messages
    assert "phrase 'learning' is too generic" in messages
    assert "phrase 'shared-phrase' is listed twice" in messages
    assert "phrase 'shared phrase' is also a rule of topic 'a'" in messages
    assert "tag id 'b' is also a topic id" in messages
    assert "synonym 'models' is too generic" in messages
    assert all(p.severity == "warning" for p in problems)
    by_message = {p.message: p for p in problems}
    assert by_message["topic has no description"].line == 2
    assert by_message["phrase 'shared phrase' is also a rule of topic 'a'"].record == "b"


def test_warnings_come_topics_first_in_file_order_and_name_their_file() -> None:
    taxonomy = Taxonomy(
        topics=(
            Topic("a", "A", "", None, (Rule("model"), Rule("x y")), 1),
            Topic("b", "B", "Fine.", None, (Rule("x y"), Rule("deep")), 7),
        ),
        tags=(TagDef("b", "data", ("fine phrase", "tasks"), "", 3),),
        topics_path="topics.yaml",
        tags_path="tags.yaml",
    )
    found = [(p.path, p.line, p.record, p.message) for p in check_taxonomy(taxonomy)]
    assert found == [
        ("topics.yaml", 1, "a", "topic has no description"),
        ("topics.yaml", 1, "a", "phrase 'model' is too generic"),
        ("topics.yaml", 7, "b", "phrase 'x y' is also a rule of topic 'a'"),
        ("topics.yaml", 7, "b", "phrase 'deep' is too generic"),
        ("tags.yaml", 3, "b", "tag id 'b' is also a topic id"),
        ("tags.yaml", 3, "b", "synonym 'data' is too generic"),
        ("tags.yaml", 3, "b", "synonym 'tasks' is too generic"),
    ]


def test_a_negative_weight_may_name_another_topics_phrase(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(
        write(
            tmp_path,
            "topics.yaml",
            """
            topics:
              - id: robust
                title: Robust
                description: Robustness.
                rules: [invariant risk minimization]
              - id: symmetry
                title: Symmetry
                description: Symmetry.
                rules: [invariance*, {phrase: invariant risk minimization, weight: -2}]
            """,
        ),
        write(tmp_path, "tags.yaml", "tags:\n  - {id: irm, label: IRM, synonyms: [invariant risk]}\n"),
    )
    assert taxonomy.topics[1].rules[1] == Rule("invariant risk minimization", -2.0)
    assert check_taxonomy(taxonomy) == []  # a phrase against a topic is meant to be another topic's
