"""Hand-written YAML or JSON lists of papers: ``- {title: ..., abstract: ..., authors: [...]}``.

Every scalar is read as the text written (``title: Yes`` is "Yes", ``year: 2021`` is "2021" until the
field rules turn it into a year); only an empty or ``~``/``null`` plain scalar counts as missing. A key
given twice in one mapping keeps its first value, with a warning naming both lines. Anchors and aliases
are refused at their line as they are met (a dump never needs them, and nested aliases would expand
exponentially), so a "billion laughs" file fails in microseconds instead of exhausting memory.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from generator.core.errors import ReadingListError
from generator.core.text import YAML_UNPRINTABLE_RE
from generator.sources.blocks import Block, Evidence
from generator.sources.fields import DUMP_FIELDS, checked_fields
from generator.sources.normalize import normalize_text
from generator.sources.result import ParseResult, make_entry
from generator.store import check_nesting

SUFFIXES = (".yaml", ".yml", ".json")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


class _AliasRefused(yaml.YAMLError):
    def __init__(self, mark: yaml.Mark, what: str) -> None:
        super().__init__(what)
        self.problem_mark = mark
        self.problem = what


class _DumpLoader(yaml.SafeLoader):
    """PyYAML's safe composer, refusing anchors and aliases at the event that introduces them."""

    def compose_node(self, parent, index):  # noqa: ANN001, ANN201 - PyYAML's signature
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _AliasRefused(event.start_mark, f"alias '*{event.anchor}' refused (dumps need no aliases)")
        if getattr(event, "anchor", None):
            raise _AliasRefused(event.start_mark, f"anchor '&{event.anchor}' refused (dumps need no anchors)")
        return super().compose_node(parent, index)


def _root(text: str, label: str) -> yaml.Node | None:
    try:
        loader = _DumpLoader(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ReadingListError(
            f"malformed YAML/JSON: {getattr(exc, 'problem', exc)}",
            label,
            mark.line + 1 if mark else None,
            hint="check indentation, quotes and colons; write values out instead of anchors and aliases",
        ) from None


def _value(node: yaml.Node, label: str, result: ParseResult) -> object:
    """A node as Python values with every scalar as text; ``None`` for a missing (null) scalar."""
    if node.tag not in _PLAIN_TAGS:  # !!python/object, !!binary, !!set, custom tags: not plain text
        raise ValueError(f"tag {node.tag} not allowed")
    if isinstance(node, yaml.ScalarNode):
        return None if node.style is None and node.value in _NULLS else node.value
    if isinstance(node, yaml.SequenceNode):
        return [_value(item, label, result) for item in node.value]
    out: dict[str, object] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(_value(key_node, label, result))
        if key in out:
            result.warn(
                f"key '{key}' given twice (lines {lines[key]} and {key_node.start_mark.line + 1}); "
                "kept the first",
                label,
                key_node.start_mark.line + 1,
                hint="delete one of them",
            )
            continue
        out[key] = _value(value_node, label, result)
        lines[key] = key_node.start_mark.line + 1
    return out


def parse(text: str, label: str) -> ParseResult:
    """One entry per list item; an item that cannot be read is skipped with a warning."""
    result = ParseResult()
    unprintable = YAML_UNPRINTABLE_RE.search(text)
    if unprintable:  # valid in JSON strings, refused by YAML; normalization drops them anyway
        result.warn("control characters removed", label, text.count("\n", 0, unprintable.start()) + 1)
        text = YAML_UNPRINTABLE_RE.sub("", text)
    check_nesting(text, label)
    if label.lower().endswith(".json"):
        try:
            # JSON syntax first: YAML would accept '{"title": }' as a null title. strict=False: a raw
            # line break inside a string is text (decoding turns NEL/U+2028 into line breaks).
            json.loads(text, strict=False)
        except json.JSONDecodeError as exc:
            raise ReadingListError(
                f"malformed JSON: {exc.msg}", label, exc.lineno, hint="check commas, quotes and brackets"
            ) from None
    root = _root(text, label)
    if root is None or not isinstance(root, yaml.SequenceNode):
        line = root.start_mark.line + 1 if root is not None else None
        raise ReadingListError(
            "expected a list of papers", label, line, hint="write '- title: ...' items, or a JSON array"
        )
    for node in root.value:
        _item(node, label, result)
    return result


def _item(node: yaml.Node, label: str, result: ParseResult) -> None:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        result.warn("list item is not a mapping; skipped", label, line)
        return
    try:
        item = _value(node, label, result)
    except ValueError as exc:  # e.g. an unknown tag such as !!python/object
        result.warn(f"list item cannot be read ({exc}); skipped", label, line, hint="plain text values only")
        return
    if any(isinstance(item.get(key), dict | list) for key in ("title", "abstract")):
        result.warn("title or abstract is not text; skipped", label, line, hint="write them as text")
        return
    title = normalize_text(item.get("title") or "")
    abstract = normalize_text(item.get("abstract") or "")
    if not title and not abstract:
        result.warn("paper has neither title nor abstract; skipped", label, line)
        return
    if not abstract:
        result.warn("paper has no abstract", label, line, hint="add 'abstract: ...'")
    pairs = ((key, item[key]) for key in sorted(DUMP_FIELDS & item.keys()))
    fields = checked_fields(pairs, result, label, line)
    result.entries.append(make_entry(title or None, abstract, label, line, None, fields))


def score(path: Path, text: str, blocks: list[Block]) -> Evidence | None:
    """By extension, else by a first line that opens a YAML list item or a JSON array."""
    if path.suffix.lower() in SUFFIXES:
        return Evidence(1.0, f"file extension {path.suffix.lower()}")
    if blocks and blocks[0].lines[0].text.startswith(("- ", "[")):
        return Evidence(0.8, "starts like a YAML list item or a JSON array")
    return None
