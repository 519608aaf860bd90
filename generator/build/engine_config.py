"""The site engines' configuration, as the generator needs it: the address and URL style mkdocs.yml
gives (``site_url: !ENV [SITE_URL, ...]`` resolved as MkDocs, ProperDocs and Zensical resolve it), and
mkdocs.generated.yml, the config the written-pages engines build from (``INHERIT: mkdocs.yml`` plus the
navigation from the taxonomy, the pages kept out of it, and no hook)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.core.errors import ReadingListError
from generator.core.yaml_errors import yaml_error
from generator.site.settings import check_http_url

CONFIG = "mkdocs.yml"
GENERATED_CONFIG = "mkdocs.generated.yml"
HEADER = (
    "# Written by `python -m generator build`: do not edit (it is rewritten on every build).\n"
    "# mkdocs.yml plus the navigation built from data/topics.yaml, for the engines that run no hook:\n"
    "#   properdocs build -f mkdocs.generated.yml     zensical build -f mkdocs.generated.yml\n"
)


@dataclass(frozen=True)
class EngineSettings:
    """What mkdocs.yml says about the site that the generator's links depend on."""

    site_url: str  # "" when mkdocs.yml sets none
    site_url_source: str  # where it came from, for the build's report
    directory_urls: bool
    has_nav: bool  # the curator wrote a nav: the generator leaves it alone


class _Loader(yaml.SafeLoader):
    """YAML with MkDocs' ``!ENV`` tag (pyyaml-env-tag): ``!ENV NAME`` or ``!ENV [NAME, ..., default]``;
    other tags (``!!python/name`` in markdown_extensions) stay unresolved: only a few keys are read."""


def _construct_env(loader: _Loader, node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        children = list(node.value)
        default = loader.construct_object(children.pop()) if len(children) > 1 else None
        names = [loader.construct_scalar(child) for child in children]
    for name in names:
        if name in os.environ:
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))
            return _EnvValue(name, loader.construct_object(yaml.ScalarNode(tag, value)))
    return _EnvValue(None, default)


@dataclass(frozen=True)
class _EnvValue:
    variable: str | None  # the variable that was set, or None: the default
    value: object


def _ignore_unknown(loader: _Loader, suffix: str, node: yaml.Node) -> None:
    return None


_Loader.add_constructor("!ENV", _construct_env)
_Loader.add_multi_constructor("", _ignore_unknown)


def read_engine_settings(root: Path) -> EngineSettings:
    """site_url (resolving ``!ENV``), use_directory_urls and whether a nav is set, from mkdocs.yml."""
    path = root / CONFIG
    if not path.is_file():
        return EngineSettings("", "no mkdocs.yml", True, False)
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_Loader) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ReadingListError(f"cannot read the site config: {exc}", str(path)) from None
    except yaml.YAMLError as exc:
        raise yaml_error(exc, str(path)) from None
    if not isinstance(data, dict):
        raise ReadingListError("the site config is not a mapping", str(path), 1)
    raw = data.get("site_url")
    if isinstance(raw, _EnvValue):
        source = f"from {raw.variable}" if raw.variable else "SITE_URL is not set: mkdocs.yml's default"
        raw = raw.value
    else:
        source = "from mkdocs.yml"
    url = "" if raw is None else str(raw)
    line = next((n for n, t in enumerate(text.split("\n"), 1) if t.startswith("site_url:")), None)
    check_http_url(url, "site_url", str(path), line)  # issue 13: never javascript: in every feed
    if url and not url.endswith("/"):
        url += "/"  # as MkDocs normalizes it
    directory_urls = data.get("use_directory_urls", True) is not False
    return EngineSettings(url, source, directory_urls, bool(data.get("nav")))


def generated_config(nav: list, not_in_nav: set[str], *, keep_nav: bool) -> str:
    """The text of mkdocs.generated.yml: mkdocs.yml, the generated navigation (unless the curator wrote
    one: ``keep_nav``), the pages kept out of it, and no hook (its pages are already written)."""
    config: dict = {"INHERIT": CONFIG, "hooks": []}
    if not keep_nav:
        config["nav"] = nav
    if not_in_nav:
        config["not_in_nav"] = "".join(f"/{page}\n" for page in sorted(not_in_nav))
    return HEADER + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1_000_000)
