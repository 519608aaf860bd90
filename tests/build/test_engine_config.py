"""The engines' configuration as the generator reads and writes it: mkdocs.yml's address (``!ENV``
resolved as the engines resolve it) and mkdocs.generated.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.build.engine_config import generated_config, read_engine_settings
from generator.core.errors import ReadingListError


def _config(tmp_path: Path, text: str) -> Path:
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_address_comes_from_the_variable_mkdocs_yml_names(tmp_path: Path, monkeypatch) -> None:
    root = _config(
        tmp_path, "site_name: x\nsite_url: !ENV [PAGES_ADDRESS, SITE_URL, 'http://localhost:1/']\n"
    )
    monkeypatch.delenv("PAGES_ADDRESS", raising=False)
    monkeypatch.setenv("SITE_URL", "https://a.github.io/b")
    settings = read_engine_settings(root)
    assert (settings.site_url, settings.site_url_source) == ("https://a.github.io/b/", "from SITE_URL")
    monkeypatch.setenv("PAGES_ADDRESS", "https://c.example/")
    assert read_engine_settings(root).site_url_source == "from PAGES_ADDRESS"
    monkeypatch.delenv("PAGES_ADDRESS")
    monkeypatch.delenv("SITE_URL")
    settings = read_engine_settings(root)
    assert settings.site_url == "http://localhost:1/" and "not set" in settings.site_url_source


def test_a_plain_address_and_the_url_style(tmp_path: Path) -> None:
    root = _config(
        tmp_path,
        "site_name: x\nsite_url: https://x.org/list/\nuse_directory_urls: false\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "nav:\n  - Home: index.md\n",
    )
    settings = read_engine_settings(root)
    assert settings.site_url == "https://x.org/list/" and settings.site_url_source == "from mkdocs.yml"
    assert settings.directory_urls is False and settings.has_nav is True


def test_no_config_and_no_address(tmp_path: Path) -> None:
    assert read_engine_settings(tmp_path).site_url == ""
    assert read_engine_settings(_config(tmp_path, "site_name: x\n")).site_url == ""


def test_malformed_config_names_its_file_and_line(tmp_path: Path) -> None:
    root = _config(tmp_path, "site_name: x\nsite_url: [unclosed\n")
    with pytest.raises(ReadingListError) as exc:
        read_engine_settings(root)
    assert "mkdocs.yml" in str(exc.value) and "malformed YAML" in str(exc.value)


def test_the_generated_config_inherits_and_adds_the_nav() -> None:
    nav = [{"Home": "index.md"}, {"Topics": [{"A: the first": "topics/a.md"}]}]
    text = generated_config(nav, {"topics/a-2.md", "moved.md"}, keep_nav=False)
    assert text.startswith("# Written by `python -m generator build`")
    config = yaml.safe_load(text)
    assert config == {
        "INHERIT": "mkdocs.yml",
        "hooks": [],
        "nav": nav,
        "not_in_nav": "/moved.md\n/topics/a-2.md\n",
    }
    assert yaml.safe_load(generated_config(nav, set(), keep_nav=True)) == {
        "INHERIT": "mkdocs.yml",
        "hooks": [],
    }
