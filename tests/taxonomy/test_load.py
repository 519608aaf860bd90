"""Loading and validating data/topics.yaml and data/tags.yaml (generator.taxonomy)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.core.errors import ReadingListError
from generator.core.model import Rule
from generator.taxonomy import SLUG, load_taxonomy

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "taxonomy"
GOOD_TAGS = FIXTURES / "tags.yaml"
GOOD_TOPICS = FIXTURES / "topics.yaml"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load_topics(tmp_path: Path, text: str):
    return load_taxonomy(write(tmp_path, "topics.yaml", text), GOOD_TAGS)


def load_tags(tmp_path: Path, text: str):
    return load_taxonomy(GOOD_TOPICS, write(tmp_path, "tags.yaml", text))


def test_shipped_taxonomy_is_valid() -> None:
    taxonomy = load_taxonomy(ROOT / "data" / "topics.yaml", ROOT / "data" / "tags.yaml")
    assert 12 <= len(taxonomy.topics) <= 20
    assert 40 <= len(taxonomy.tags) <= 160
    for topic in taxonomy.topics:
        assert SLUG.fullmatch(topic.id)
        assert topic.rules and topic.line and topic.title
        assert len(topic.description) > 40, f"topic {topic.id} needs a real description"
    assert all(tag.line and tag.label for tag in taxonomy.tags)


def test_fixture_records_keep_lines_weights_and_parents() -> None:
    taxonomy = load_taxonomy(GOOD_TOPICS, GOOD_TAGS)
    assert [t.id for t in taxonomy.topics] == ["generative", "optimization", "diffusion-sampling"]
    generative, optimization, sampling = taxonomy.topics
    assert (generative.line, optimization.line, sampling.line) == (3, 11, 16)
    assert generative.rules == (Rule("diffusion model*"), Rule("score-based"), Rule("generative model*", 2.0))
    assert optimization.rules == (Rule("learning rate*"), Rule("sgd"))
    assert sampling.parent == "generative" and generative.parent is None
    assert sampling.description == ""
    gp = taxonomy.tags[0]
    assert (gp.id, gp.label, gp.synonyms, gp.line) == (
        "gaussian-processes",
        "Gaussian processes",
        ("gaussian process*", "GP regression"),
        2,
    )
    assert taxonomy.tags[2].synonyms == ()
    assert taxonomy.topics_path == str(GOOD_TOPICS)


BAD_TOPICS = [
    pytest.param(
        """
        topics:
          - id: a
            title: A
           rules: [x]
        """,
        4,
        "malformed YAML",
        id="bad-indentation",
    ),
    pytest.param(
        """
        topics:
          - id: a
            title: A
            rules: [x]
          - id: b
            title: B
        """,
        5,
        "topic 'b' has no rules",
        id="no-rules",
    ),
    pytest.param(
        """
        topics:
          - id: a
            title: A
            rules: []
        """,
        4,
        "topic 'a' has no rules",
        id="empty-rules",
    ),
    pytest.param(
        """
        topics:
          - id: a
            title: A
            rules: [x]
          - id: b
            title: B
            parent: y
            rules: [z]
        """,
        7,
        "unknown parent 'y'",
        id="unknown-parent",
    ),
    pytest.param(
        """
        topics:
          - id: a
            title: A
            rules: [x]
          - id: b
            title: B
            parent: a
            rules: [y]
          - id: c
            title: C
            parent: b
            rules: [z]
        """,
        11,
        "parent 'b' has a parent itself",
        id="three-levels",
    ),
    pytest.param(
        """
        topics:
          - id: a
            title: A
            rules: [x]

          - id: a
            title: Again
            rules: [y]
        """,
        6,
        "duplicate topic id 'a' (also on line 2)",
        id="duplicate-id",
    ),
    pytest.param(
        """
        topics:
          - id: Diffusion Models
            title: A
            rules: [x]
        """,
        2,
        "topic id 'Diffusion Models' is not a slug",
        id="not-a-slug",
    ),
    pytest.param(
        """
        topics:
          - id: a
            title: A
            rule: [x]
        """,
        4,
        "unknown field 'rule'",
        id="misspelt-field",
    ),
    pytest.param(
        """
        topics:
          - id: a
            title: A
            title: B
            rules: [x]
        """,
        4,
        "field 'title' appears twice",
        id="repeated-key",
    ),
    pytest.param(
        """
        topics:
          - id: a
            rules: [x]
        """,
        2,
        "missing 'title'",
        id="missing-title",
    ),
    pytest.param(
        """
        topics:
          - id: a
            title: A
            rules:
              - x
              - {phrase: y, weight: 0}
        """,
        6,
        "weight of 'y' must be a non-zero number",
        id="bad-weight",
    ),
    pytest.param(
        """
        topics:
          - id: a
            title: A
            rules:
              - fine phrase
              - dif*fusion
        """,
        6,
        "unusable phrase 'dif*fusion'",
        id="star-inside-word",
    ),
    pytest.param(
        """
        topics:
          - id: a
            title: A
            rules:
              - 42
        """,
        5,
        "a rule must be a phrase",
        id="number-as-phrase",
    ),
    pytest.param(
        """
        - id: a
          title: A
          rules: [x]
        """,
        1,
        "expected a 'topics:' list",
        id="list-at-top",
    ),
    pytest.param(
        """
        topics:
          - just a string
        """,
        2,
        "each entry of 'topics' must be a mapping",
        id="entry-not-mapping",
    ),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD_TOPICS)
def test_bad_topics_file_is_located(tmp_path: Path, text: str, line: int, message: str) -> None:
    with pytest.raises(ReadingListError) as info:
        load_topics(tmp_path, text)
    error = info.value
    assert message in error.message
    assert error.line == line
    assert error.path == str(tmp_path / "topics.yaml")
    assert error.hint
    assert str(error).startswith(f"{tmp_path / 'topics.yaml'}:{line}: ")


BAD_TAGS = [
    pytest.param(
        """
        tags:
          - id: gaussian-processes
            label: Gaussian processes
            synonyms: [gaussian process*, gp]
          - id: gp-regression
            label: GP regression
            synonyms: [kriging, GP]
        """,
        7,
        "duplicate tag id or synonym 'GP' (also on tag 'gaussian-processes', line 2)",
        id="duplicate-synonym",
    ),
    pytest.param(
        """
        tags:
          - id: sgd
            label: SGD
          - id: optimizers
            label: Optimizers
            synonyms: [adam]
          - id: sgd
            label: Plain SGD
        """,
        7,
        "duplicate tag id or synonym 'sgd' (also on tag 'sgd', line 2)",
        id="duplicate-id",
    ),
    pytest.param(
        """
        tags:
          - id: a
            label: A tag
            synonyms: a phrase
        """,
        4,
        "'synonyms' must be a list",
        id="synonyms-not-list",
    ),
    pytest.param(
        """
        tags:
          - id: a
            synonyms: [x]
        """,
        2,
        "missing 'label'",
        id="missing-label",
    ),
    pytest.param(
        """
        tags:
          - id: a
            label: "A: tag
        """,
        3,
        "malformed YAML",
        id="unclosed-quote",
    ),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD_TAGS)
def test_bad_tags_file_is_located(tmp_path: Path, text: str, line: int, message: str) -> None:
    with pytest.raises(ReadingListError) as info:
        load_tags(tmp_path, text)
    assert message in info.value.message
    assert info.value.line == line
    assert info.value.path == str(tmp_path / "tags.yaml")


def test_label_repeating_own_id_or_synonym_is_fine(tmp_path: Path) -> None:
    taxonomy = load_tags(
        tmp_path,
        """
        tags:
          - id: gaussian-processes
            label: Gaussian processes
            synonyms: [gaussian processes, GP]
        """,
    )
    assert taxonomy.tags[0].synonyms == ("gaussian processes", "GP")


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ReadingListError) as info:
        load_taxonomy(tmp_path / "nope.yaml", GOOD_TAGS)
    assert info.value.path == str(tmp_path / "nope.yaml")
    assert "cannot read" in info.value.message
