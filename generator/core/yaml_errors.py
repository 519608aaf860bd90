"""YAML input guards shared by every reader of YAML: one wording for malformed YAML, a nesting limit.

Every file the project reads as YAML (the store, the taxonomy, hand-written dumps, the site settings)
reports a syntax error the same way, ``file:line: malformed YAML: <problem> (hint: ...)``, and refuses
absurdly deep nesting before the parser sees it. :func:`check_structure` also refuses anchors and aliases
(none of the project's files needs them, and nested aliases expand exponentially: a "billion laughs"
file is refused at its first anchor, from the event stream, before anything is expanded).
"""

from __future__ import annotations

import yaml

from generator.core.errors import ReadingListError

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it

MAX_NESTING = 50  # YAML deeper than this is refused: libyaml's composer recurses and would crash
DEFAULT_HINT = "check indentation, colons and quotes"


def yaml_error(exc: yaml.YAMLError, label: str, hint: str = DEFAULT_HINT) -> ReadingListError:
    """The error to raise for a YAML syntax error in the file ``label``: its problem, where the parser
    noticed it, and (for a construct left open) where that construct began."""
    if not isinstance(exc, yaml.MarkedYAMLError):
        return ReadingListError(f"malformed YAML: {exc}", label, None, hint=hint)
    return ReadingListError(f"malformed YAML: {_problem(exc)}", label, _line(exc), hint=hint)


def _problem(exc: yaml.MarkedYAMLError) -> str:
    """The parser's problem, preceded by its context ("while scanning a quoted scalar (from line 3)")."""
    context = exc.context
    if context and exc.context_mark:
        context += f" (from line {exc.context_mark.line + 1})"
    return " ".join(str(p) for p in (context, exc.problem) if p) or str(exc)


def _line(exc: yaml.MarkedYAMLError) -> int | None:
    """Where to look: the problem's line, or where the construct began if the file simply ended."""
    mark = exc.problem_mark
    if exc.context_mark and (mark is None or "end of stream" in str(exc.problem)):
        mark = exc.context_mark
    return mark.line + 1 if mark else None


def check_nesting(text: str, label: str, limit: int = MAX_NESTING) -> None:
    """Raise ReadingListError if collections nest deeper than ``limit`` (a crafted file could crash the
    YAML composer). Syntax errors are left to the loader, which reports them with their line."""
    _check_events(text, label, limit, aliases=True)


def check_structure(text: str, label: str, limit: int = MAX_NESTING) -> None:
    """:func:`check_nesting`, and refuse any anchor (``&a``) or alias (``*a``) at its line, so nothing
    is ever expanded. Syntax errors are left to the loader, which reports them with their line."""
    _check_events(text, label, limit, aliases=False)


def _check_events(text: str, label: str, limit: int, aliases: bool) -> None:
    depth = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limit:
                    raise ReadingListError(
                        f"YAML nested more than {limit} levels deep",
                        label,
                        event.start_mark.line + 1,
                        hint="check the brackets",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if not aliases and (isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None)):
                raise _alias_error(event, label)
    except yaml.YAMLError:
        return


def _alias_error(event: yaml.Event, label: str) -> ReadingListError:
    kind, sign = ("alias", "*") if isinstance(event, yaml.AliasEvent) else ("anchor", "&")
    return ReadingListError(
        f"YAML {kind} '{sign}{event.anchor}' refused (this file needs no anchors or aliases)",
        label,
        event.start_mark.line + 1,
        hint="write the value out in full instead of '&name' and '*name'",
    )
