"""Read and validate the curator's taxonomy: data/topics.yaml and data/tags.yaml -> Taxonomy.

Every record keeps its 1-based line. Anything that would make the classifier or the site wrong
(bad YAML, a missing or misspelt field, a duplicate id, an unknown parent, an unusable phrase) raises
ReadingListError naming file, line and record; softer findings come from
:func:`generator.taxonomy.checks.check_taxonomy`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NoReturn

import yaml

from generator.core.errors import ReadingListError
from generator.core.model import Rule, TagDef, Taxonomy, Topic
from generator.core.yaml_errors import Loader, check_structure, yaml_error
from generator.enrich.classify import PhraseError, phrase_key, phrase_variants
from generator.taxonomy.checks import (
    check_taxonomy,  # noqa: F401  (callers that import it from here)
    reserved_id_errors,
)

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TOPIC_KEYS = ("id", "title", "description", "parent", "rules")
TAG_KEYS = ("id", "label", "synonyms", "description", "not_with", "requires")
RULE_KEYS = ("phrase", "weight")


def load_taxonomy(topics_path: str | Path, tags_path: str | Path) -> Taxonomy:
    """Load and validate both files; raises ReadingListError on the first hard problem."""
    topics = _read_topics(str(topics_path))
    tags = _read_tags(str(tags_path))
    taxonomy = Taxonomy(topics=topics, tags=tags, topics_path=str(topics_path), tags_path=str(tags_path))
    for problem in reserved_id_errors(taxonomy):  # a page of the site would be replaced: never build
        raise problem.as_error()
    return taxonomy


class _Reader:
    """Helpers bound to one file: load its YAML node tree and raise located errors."""

    def __init__(self, path: str, top_key: str, example: str) -> None:
        self.path = path
        self.top_key = top_key
        self.example = example
        self.loader: Any = None

    def fail(
        self, message: str, node: yaml.Node | None = None, record: str | None = None, hint: str | None = None
    ) -> NoReturn:
        line = node.start_mark.line + 1 if node is not None else None
        raise ReadingListError(message, self.path, line, record, hint)

    def records(self) -> list[yaml.MappingNode]:
        try:
            text = Path(self.path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ReadingListError(
                f"cannot read the file: {exc.strerror or exc}",
                self.path,
                hint=f"create it with {self.example}",
            ) from None
        except UnicodeDecodeError as exc:
            raise ReadingListError(
                f"not UTF-8 text ({exc.reason})", self.path, hint="save it as UTF-8"
            ) from None
        check_structure(text, self.path)  # no aliases to expand; libyaml overflows on absurd nesting
        self.loader = Loader(text)
        try:
            root = self.loader.get_single_node()
        except yaml.YAMLError as exc:
            raise yaml_error(exc, self.path) from None
        finally:
            self.loader.dispose()
        hint = f"the file must be a mapping with a '{self.top_key}:' list, e.g. {self.example}"
        if not isinstance(root, yaml.MappingNode):
            self.fail(f"expected a '{self.top_key}:' list at the top of the file", root, hint=hint)
        top = self.mapping(root, (self.top_key,), None)
        if self.top_key not in top:
            self.fail(f"missing '{self.top_key}:' list", root, hint=hint)
        seq = top[self.top_key]
        if not isinstance(seq, yaml.SequenceNode) or not seq.value:
            self.fail(f"'{self.top_key}' must be a non-empty list", seq, hint=hint)
        for item in seq.value:
            if not isinstance(item, yaml.MappingNode):
                self.fail(
                    f"each entry of '{self.top_key}' must be a mapping", item, hint=f"e.g. {self.example}"
                )
        return seq.value

    def mapping(
        self, node: yaml.MappingNode, allowed: tuple[str, ...], record: str | None
    ) -> dict[str, yaml.Node]:
        """The mapping's keys -> value nodes; unknown or repeated keys are errors."""
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = self.value(key_node)
            if key not in allowed:
                self.fail(
                    f"unknown field '{key}'", key_node, record, hint=f"allowed fields: {', '.join(allowed)}"
                )
            if key in out:
                self.fail(f"field '{key}' appears twice", key_node, record, hint="keep one of them")
            out[key] = value_node
        return out

    def value(self, node: yaml.Node) -> Any:
        return self.loader.construct_object(node, deep=True)

    def text(
        self,
        fields: dict[str, yaml.Node],
        key: str,
        record_node: yaml.Node,
        record: str | None,
        required: bool,
    ) -> str:
        node = fields.get(key)
        value = None if node is None else self.value(node)
        if value is None:
            if required:
                self.fail(
                    f"missing '{key}'", node or record_node, record, hint=f"add '{key}: ...' to the entry"
                )
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(
                f"'{key}' must be non-empty text", node, record, hint="quote it if it looks like a number"
            )
        return " ".join(value.split())

    def slug(self, fields: dict[str, yaml.Node], record_node: yaml.Node, kind: str) -> str:
        node = fields.get("id")
        value = self.text(fields, "id", record_node, None, required=True)
        if not SLUG.fullmatch(value):
            self.fail(
                f"{kind} id '{value}' is not a slug",
                node,
                value,
                hint="use lowercase letters, digits and single hyphens, e.g. 'gaussian-processes'",
            )
        return value

    def phrase(self, text: str, node: yaml.Node, record: str) -> None:
        try:
            phrase_variants(text)
        except PhraseError as exc:
            self.fail(
                f"unusable phrase '{text}': {exc}",
                node,
                record,
                hint="write words; '*' only at a word's end; '-' matches a hyphen, a space or nothing",
            )


def _read_topics(path: str) -> tuple[Topic, ...]:
    reader = _Reader(path, "topics", "'topics: [{id: ..., title: ..., rules: [...]}]'")
    topics: list[Topic] = []
    lines: dict[str, int] = {}
    parents: dict[str, yaml.Node] = {}
    for node in reader.records():
        fields = reader.mapping(node, TOPIC_KEYS, None)
        tid = reader.slug(fields, node, "topic")
        line = node.start_mark.line + 1
        if tid in lines:
            reader.fail(
                f"duplicate topic id '{tid}' (also on line {lines[tid]})",
                fields["id"],
                tid,
                hint="topic ids must be unique; rename one or merge the two topics",
            )
        lines[tid] = line
        title = reader.text(fields, "title", node, tid, required=True)
        description = reader.text(fields, "description", node, tid, required=False)
        parent = reader.text(fields, "parent", node, tid, required=False) or None
        if parent is not None:
            parents[tid] = fields["parent"]
        rules = _read_rules(reader, fields.get("rules"), node, tid)
        topics.append(Topic(tid, title, description, parent, rules, line))
    by_id = {t.id: t for t in topics}
    for topic in topics:
        if topic.parent is None:
            continue
        node = parents[topic.id]
        if topic.parent == topic.id:
            reader.fail(f"topic '{topic.id}' is its own parent", node, topic.id, hint="remove 'parent'")
        if topic.parent not in by_id:
            reader.fail(
                f"unknown parent '{topic.parent}'",
                node,
                topic.id,
                hint=f"use the id of another topic ({', '.join(sorted(by_id)[:5])}, ...) or null",
            )
        if by_id[topic.parent].parent is not None:
            reader.fail(
                f"parent '{topic.parent}' has a parent itself",
                node,
                topic.id,
                hint="topics have at most two levels: point 'parent' at a top-level topic",
            )
    return tuple(topics)


def _read_rules(
    reader: _Reader, node: yaml.Node | None, record_node: yaml.Node, tid: str
) -> tuple[Rule, ...]:
    hint = "add 'rules:' with at least one phrase, e.g. 'rules: [diffusion model*]'"
    if node is None or reader.value(node) is None:
        reader.fail(f"topic '{tid}' has no rules", node or record_node, tid, hint=hint)
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        reader.fail(f"topic '{tid}' has no rules ('rules' must be a non-empty list)", node, tid, hint=hint)
    rules: list[Rule] = []
    for item in node.value:
        weight: Any = 1.0
        if isinstance(item, yaml.MappingNode):
            fields = reader.mapping(item, RULE_KEYS, tid)
            phrase = reader.value(fields["phrase"]) if "phrase" in fields else None
            if "weight" in fields:
                weight = reader.value(fields["weight"])
                # A negative weight is a phrase that speaks against the topic; zero would do nothing.
                if isinstance(weight, bool) or not isinstance(weight, int | float) or not -1e6 < weight < 1e6:
                    weight = None
                if weight is None or weight == 0:
                    reader.fail(
                        f"weight of '{phrase}' must be a non-zero number",
                        fields["weight"],
                        tid,
                        hint="e.g. {phrase: generative model*, weight: 2}; -1: a phrase against the topic",
                    )
        elif isinstance(item, yaml.ScalarNode):
            phrase = reader.value(item)
        else:
            phrase = None
        if not isinstance(phrase, str) or not phrase.strip():
            reader.fail(
                "a rule must be a phrase or {phrase: ..., weight: ...}",
                item,
                tid,
                hint="quote phrases that YAML would read as something else (numbers, yes/no, null)",
            )
        reader.phrase(phrase, item, tid)
        rules.append(Rule(" ".join(phrase.split()), float(weight)))
    return tuple(rules)


def _read_tags(path: str) -> tuple[TagDef, ...]:
    reader = _Reader(path, "tags", "'tags: [{id: ..., label: ..., synonyms: [...]}]'")
    tags: list[TagDef] = []
    names: dict[str, tuple[str, int]] = {}  # phrase key -> (tag id, line)
    for node in reader.records():
        fields = reader.mapping(node, TAG_KEYS, None)
        tid = reader.slug(fields, node, "tag")
        line = node.start_mark.line + 1
        label = reader.text(fields, "label", node, tid, required=True)
        description = reader.text(fields, "description", node, tid, required=False)
        reader.phrase(label, fields["label"], tid)
        names_here = [(tid, fields["id"]), (label, fields["label"])]
        syn_node = fields.get("synonyms")
        if syn_node is not None and reader.value(syn_node) is not None:
            if not isinstance(syn_node, yaml.SequenceNode):
                hint = "e.g. synonyms: [gaussian process*]"
                reader.fail("'synonyms' must be a list", syn_node, tid, hint=hint)
            for item in syn_node.value:
                value = reader.value(item)
                if not isinstance(value, str) or not value.strip():
                    reader.fail("each synonym must be non-empty text", item, tid, hint="quote it")
                reader.phrase(value, item, tid)
                names_here.append((" ".join(value.split()), item))
        own: set[str] = set()
        for name, name_node in names_here:
            key = phrase_key(name)
            if key in own:
                continue
            own.add(key)
            if key in names:
                other, other_line = names[key]
                reader.fail(
                    f"duplicate tag id or synonym '{name}' (also on tag '{other}', line {other_line})",
                    name_node,
                    tid,
                    hint="a phrase may name only one tag: remove it here or there, or merge the tags",
                )
            names[key] = (tid, line)
        synonyms = tuple(name for name, _ in names_here[2:])
        not_with, requires = (_guard_phrases(reader, fields, key, tid) for key in ("not_with", "requires"))
        tags.append(TagDef(tid, label, synonyms, description, line, not_with, requires))
    return tuple(tags)


def _guard_phrases(reader: _Reader, fields: dict, key: str, tid: str) -> tuple[str, ...]:
    """A tag's word-sense guard (``not_with`` or ``requires``): a list of phrases, matched like synonyms."""
    node = fields.get(key)
    if node is None or reader.value(node) is None:
        return ()
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        reader.fail(
            f"'{key}' must be a non-empty list of phrases",
            node,
            tid,
            hint=f"e.g. {key}: [dataset distillation]",
        )
    phrases = []
    for item in node.value:
        value = reader.value(item)
        if not isinstance(value, str) or not value.strip():
            reader.fail(f"each '{key}' phrase must be non-empty text", item, tid, hint="quote it")
        reader.phrase(value, item, tid)
        phrases.append(" ".join(value.split()))
    return tuple(phrases)
