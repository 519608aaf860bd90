"""Reserved ids: a topic or tag whose page would land on a path the site already writes (a page suffix,
the tag index, Unsorted, the site's own pages) is refused while loading, so by `check` and `build`."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_project, run_cli

from generator.core.errors import ReadingListError
from generator.taxonomy import load_taxonomy

TOPIC = "  - id: {id}\n    title: T {id}\n    description: d\n    rules: [phrase {n}]\n"
TAG = "  - id: {id}\n    label: label {n}\n"


def _files(tmp_path: Path, topics: list[str], tags: list[str]) -> tuple[Path, Path]:
    topics_path, tags_path = tmp_path / "topics.yaml", tmp_path / "tags.yaml"
    topics_path.write_text("topics:\n" + "".join(TOPIC.format(id=t, n=n) for n, t in enumerate(topics)))
    tags_path.write_text("tags:\n" + "".join(TAG.format(id=t, n=n) for n, t in enumerate(tags)))
    return topics_path, tags_path


@pytest.mark.parametrize(
    ("topics", "tags", "message", "where"),
    [
        (["optimization", "optimization-2"], ["a"], "topic id 'optimization-2' collides with page 2 of 'optimization'", "topics.yaml:6"),  # noqa: E501
        (["unsorted"], ["a"], "topic id 'unsorted' is reserved", "topics.yaml:2"),
        (["unsorted-3"], ["a"], "collides with page 3 of 'unsorted'", "topics.yaml:2"),
        (["a"], ["index"], "tag id 'index' is reserved", "tags.yaml:2"),
        (["a"], ["rl", "rl-10"], "tag id 'rl-10' collides with page 10 of 'rl'", "tags.yaml:4"),
        *((["x", name], ["a"], f"topic id '{name}' is reserved", "topics.yaml:6") for name in ("tags", "map", "feeds", "bib", "search", "moved")),  # noqa: E501
    ],
)  # fmt: skip
def test_a_colliding_id_is_refused_with_its_line(tmp_path: Path, topics, tags, message, where) -> None:
    with pytest.raises(ReadingListError) as info:
        load_taxonomy(*_files(tmp_path, topics, tags))
    assert message in str(info.value) and where in str(info.value)
    assert "choose another id" in str(info.value)


def test_ids_with_numbers_that_collide_with_nothing_are_fine(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(*_files(tmp_path, ["gpt-4", "llama-2", "web3"], ["rl-2", "t5"]))
    assert [t.id for t in taxonomy.topics] == ["gpt-4", "llama-2", "web3"]


def test_the_repository_taxonomy_has_no_reserved_id() -> None:
    root = Path(__file__).resolve().parents[2] / "data"
    load_taxonomy(root / "topics.yaml", root / "tags.yaml")


@pytest.mark.parametrize("command", ["check", "build"])
def test_check_and_build_refuse_a_colliding_id(tmp_path: Path, command: str) -> None:
    project = make_project(
        tmp_path / "p", [{"id": "s", "title": "S", "abstract": "A.", "added": "2024-01-01"}]
    )
    tags = project / "data" / "tags.yaml"
    tags.write_text(tags.read_text() + "  - id: index\n    label: an index tag\n")
    result = run_cli(command, cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "tag id 'index' is reserved" in result.stderr
    assert not (project / "docs" / "tags").exists()
