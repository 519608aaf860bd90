"""generator.core.yaml_errors: one wording for malformed YAML (file, line, problem, hint), a nesting guard."""

from __future__ import annotations

import pytest
import yaml

from generator.core.errors import ReadingListError
from generator.core.yaml_errors import MAX_NESTING, Loader, check_nesting, yaml_error


def _error_of(text: str, hint: str | None = None) -> ReadingListError:
    with pytest.raises(yaml.YAMLError) as info:
        yaml.load(text, Loader=Loader)
    return yaml_error(info.value, "f.yaml") if hint is None else yaml_error(info.value, "f.yaml", hint)


def test_a_syntax_error_names_file_line_problem_and_context() -> None:
    error = _error_of("a: 1\nb:\n  - x\n c: 2\n")
    assert error.path == "f.yaml" and error.line == 4
    assert error.message.startswith("malformed YAML: while parsing a block mapping (from line 1) ")
    assert error.message.endswith("did not find expected key")
    assert str(error).startswith("f.yaml:4: malformed YAML: ")
    assert str(error).endswith("(hint: check indentation, colons and quotes)")


def test_a_construct_left_open_points_at_where_it_began() -> None:
    error = _error_of('a: 1\nb: "open\n\n\n')
    assert error.line == 2  # the quote, not the end of the file
    assert "while scanning a quoted scalar (from line 2)" in error.message
    assert "end of stream" in error.message


def test_the_caller_can_give_its_own_hint() -> None:
    assert _error_of("[a, b\n", hint="restore it with git").hint == "restore it with git"


def test_an_error_without_a_mark_keeps_the_parser_s_words() -> None:
    error = yaml_error(yaml.YAMLError("something odd"), "f.yaml")
    assert (error.message, error.line) == ("malformed YAML: something odd", None)


def test_nesting_deeper_than_the_limit_is_refused_on_the_line_it_crosses_it() -> None:
    check_nesting("[" * MAX_NESTING + "]" * MAX_NESTING, "f.yaml")  # at the limit: fine
    text = "a: 1\nb: " + "[" * MAX_NESTING + "]" * MAX_NESTING + "\n"  # the mapping is one level more
    with pytest.raises(ReadingListError) as info:
        check_nesting(text, "f.yaml")
    assert info.value.line == 2 and f"more than {MAX_NESTING} levels" in info.value.message
    assert info.value.hint == "check the brackets"


def test_nesting_check_leaves_syntax_errors_to_the_loader() -> None:
    check_nesting("a: [1,\nb: }\n", "f.yaml")  # no exception: the loader reports it with its line


def test_nesting_counts_block_collections_too() -> None:
    deep = "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_NESTING + 1)) + f"{'  ' * (MAX_NESTING + 1)}v\n"
    with pytest.raises(ReadingListError):
        check_nesting(deep, "f.yaml")
