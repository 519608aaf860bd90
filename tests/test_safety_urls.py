"""site_url (data/site.yaml and mkdocs.yml) and repo_url must be http(s): javascript: is refused with
file:line and no traceback, before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_project, run_cli

SEED = {"id": "seed", "title": "A seed paper", "abstract": "Nothing to see.", "added": "2024-01-01"}


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "//evil.example/", "ftp://x.org/"]
)
def test_site_yaml_refuses_a_site_url_that_is_not_http(tmp_path: Path, url: str) -> None:
    project = make_project(tmp_path / "p", [SEED])
    (project / "data" / "site.yaml").write_text(f"title: T\nsite_url: '{url}'\n", encoding="utf-8")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "data/site.yaml:2: site_url must be an http(s) address" in result.stderr
    assert not (project / "docs" / "index.md").exists()


def test_site_yaml_refuses_a_javascript_repo_url(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [SEED])
    (project / "data" / "site.yaml").write_text("repo_url: javascript:alert(1)\n", encoding="utf-8")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1 and "data/site.yaml:1: repo_url must be an http(s) address" in result.stderr


def test_mkdocs_yml_refuses_a_javascript_site_url(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [SEED])
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    line = next(n for n, t in enumerate(text.split("\n"), 1) if t.startswith("site_url:"))
    lines = text.split("\n")
    lines[line - 1] = "site_url: javascript:alert(1)"
    config.write_text("\n".join(lines), encoding="utf-8")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"mkdocs.yml:{line}: site_url must be an http(s) address" in result.stderr


def test_an_http_site_url_is_used(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [SEED])
    (project / "data" / "site.yaml").write_text("site_url: https://me.example.org/list/\n", encoding="utf-8")
    run_cli("build", cwd=project, check=True)
