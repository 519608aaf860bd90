"""Site settings: the typed schema of data/site.yaml and its loader (unknown names, bad types, anchors
and aliases, and a ``site_url`` that is not http(s) are errors with file and line)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields

import yaml

from generator.core.errors import ReadingListError
from generator.core.project import Project
from generator.core.yaml_errors import Loader, check_structure, yaml_error

_HTTP_URL = re.compile(r"https?://[^\s/?#<>\"'`]+[^\s<>\"'`]*", re.IGNORECASE)


@dataclass(frozen=True)
class Settings:
    """Site settings a curator may set in data/site.yaml."""

    title: str = "Reading list"
    intro: str = ""
    recent: int = 10
    page_size: int = 200  # full paper entries per topic page before it is split
    tag_page_size: int = 500  # one-line entries per listing page (tags; a topic's "Also in this topic")
    repo_url: str = ""
    site_url: str = ""  # absolute links in feeds and citations; the mkdocs hook passes mkdocs.yml's
    directory_urls: bool = True  # page URLs as MkDocs writes them (mkdocs.yml use_directory_urls)
    feed_size: int = 50  # newest entries per Atom feed
    map_papers: int = 1000  # newest papers drawn on the paper map


def load_settings(project: Project) -> Settings:
    """data/site.yaml as :class:`Settings` (the defaults when there is no such file)."""
    path = project.site_config
    if not path.exists():
        return Settings()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReadingListError(
            f"cannot read the settings: {exc}", str(path), hint="data/site.yaml must be a UTF-8 text file"
        ) from None
    check_structure(text, str(path))  # no anchors or aliases: nothing to expand
    loader = Loader(text)
    try:
        root = loader.get_single_node()
        data = (loader.construct_document(root) if root is not None else None) or {}
    except yaml.YAMLError as exc:
        raise yaml_error(exc, str(path)) from None
    finally:
        loader.dispose()
    known = {f.name for f in fields(Settings)}
    unknown = set(data) - known if isinstance(data, dict) else {"(not a mapping)"}
    if unknown:
        raise ReadingListError(
            f"unknown setting(s): {', '.join(sorted(map(str, unknown)))}",
            str(path),
            1,
            hint=f"known settings: {', '.join(sorted(known))}",
        )
    lines = {key.value: key.start_mark.line + 1 for key, _ in root.value} if data else {}
    data = {name: value for name, value in data.items() if value is not None}  # "name:" alone: the default
    for name, value in data.items():
        _check_setting(name, value, str(path), lines.get(name))
    for name in ("site_url", "repo_url"):
        check_http_url(data.get(name, ""), name, str(path), lines.get(name))
    return Settings(**data)


def check_http_url(url: str, name: str, path: str, line: int | None) -> None:
    """An address the site links to must be empty or an absolute http(s) URL (no ``javascript:``)."""
    if url and not _HTTP_URL.fullmatch(url):
        raise ReadingListError(
            f"{name} must be an http(s) address, not {url[:80]!r}",
            path,
            line,
            hint=f"e.g. {name}: https://you.github.io/readinglist/",
        )


def _check_setting(name: str, value: object, path: str, line: int | None) -> None:
    """A setting has its default's type; counts are not negative and page sizes at least 1."""
    default = getattr(Settings(), name)
    kind = type(default)
    if not isinstance(value, kind) or isinstance(value, bool) is not isinstance(default, bool):
        raise ReadingListError(
            f"setting '{name}' should be {kind.__name__}, not {_shown(value)}",
            path,
            line,
            hint=f"e.g. {name}: {json.dumps(default)}",
        )
    if kind is int and value < (1 if name.endswith("size") else 0):
        raise ReadingListError(
            f"setting '{name}' is too small: {value}", path, line, hint=f"e.g. {name}: {default}"
        )


def _shown(value: object) -> str:
    """A short description of a wrong value (never the repr of a whole nested structure)."""
    if isinstance(value, (dict, list)):
        return f"a {'mapping' if isinstance(value, dict) else 'list'}"
    return repr(value)[:80]
