"""Hand-written YAML or JSON lists of papers: ``- {title: ..., abstract: ..., authors: [...]}``."""

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
            json.loads(text)  # strict JSON first: YAML would accept '{"title": }' as a null title
        except json.JSONDecodeError as exc:
            raise ReadingListError(
                f"malformed JSON: {exc.msg}", label, exc.lineno, hint="check commas, quotes and brackets"
            ) from None
    try:
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise ReadingListError(
            f"malformed YAML/JSON: {getattr(exc, 'problem', exc)}",
            label,
            line,
            hint="check indentation, quotes and colons",
        ) from None
    if root is None or not isinstance(root, yaml.SequenceNode):
        line = root.start_mark.line + 1 if root is not None else None
        raise ReadingListError(
            "expected a list of papers", label, line, hint="write '- title: ...' items, or a JSON array"
        )
    for node in root.value:
        line = node.start_mark.line + 1
        try:
            item = yaml.safe_load(yaml.serialize(node)) if isinstance(node, yaml.MappingNode) else None
        except yaml.YAMLError as exc:  # e.g. an unknown tag such as !!python/object
            result.warn(
                f"list item cannot be read ({getattr(exc, 'problem', None) or 'bad value'}); skipped",
                label,
                line,
                hint="plain text values only",
            )
            continue
        if not isinstance(item, dict):
            result.warn("list item is not a mapping; skipped", label, line)
            continue
        if any(isinstance(item.get(key), dict | list | set | bytes) for key in ("title", "abstract")):
            result.warn("title or abstract is not text; skipped", label, line, hint="write them as text")
            continue
        title = normalize_text(str(item.get("title") or ""))
        abstract = normalize_text(str(item.get("abstract") or ""))
        if not title and not abstract:
            result.warn("paper has neither title nor abstract; skipped", label, line)
            continue
        if not abstract:
            result.warn("paper has no abstract", label, line, hint="add 'abstract: ...'")
        pairs = ((key, item[key]) for key in sorted(DUMP_FIELDS & item.keys()))
        fields = checked_fields(pairs, result, label, line)
        result.entries.append(make_entry(title or None, abstract, label, line, None, fields))
    return result


def score(path: Path, text: str, blocks: list[Block]) -> Evidence | None:
    """By extension, else by a first line that opens a YAML list item or a JSON array."""
    if path.suffix.lower() in SUFFIXES:
        return Evidence(1.0, f"file extension {path.suffix.lower()}")
    if blocks and blocks[0].lines[0].text.startswith(("- ", "[")):
        return Evidence(0.8, "starts like a YAML list item or a JSON array")
    return None
