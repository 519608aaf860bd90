"""Curator templates are data, not code: data/templates/ overrides run in Jinja2's immutable sandbox and
are read only as regular files inside their folder, through the real `python -m generator build`.

The payloads are the ones from issue 13: ``cycler.__init__.__globals__.os.popen('id')`` printed the
build user's id on the home page, and an ``{% include %}`` of a symbolic link to /etc/passwd published it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import make_project, run_cli

from generator.core.errors import ReadingListError
from generator.site.environment import make_environment

SEED = {"id": "seed", "title": "A seed paper", "abstract": "Nothing to see.", "added": "2024-01-01"}
PAYLOADS = {
    "popen": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "format": "{{ 'x{0.__class__}'.format(settings) }}",
    "globals": "{{ self._TemplateReference__context.cycler.__init__.__globals__ }}",
    "mutate": "{% set xs = [] %}{{ xs.append(1) }}",
}


def _project(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "p", [SEED])
    (project / "data" / "templates").mkdir()
    return project


def _docs_text(project: Path) -> str:
    docs = project / "docs"
    return "".join(p.read_text(errors="replace") for p in docs.rglob("*.md")) if docs.exists() else ""


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_a_template_cannot_reach_python(tmp_path: Path, name: str) -> None:
    project = _project(tmp_path)
    (project / "data" / "templates" / "home.md.j2").write_text(f"# Home\n\n{PAYLOADS[name]}\n")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "data/templates/home.md.j2:3: template refused" in result.stderr
    assert "uid=" not in result.stdout + result.stderr + _docs_text(project)
    assert not (project / "docs" / "index.md").exists()  # nothing half written


def test_an_include_of_a_symlink_is_refused(tmp_path: Path) -> None:
    project = _project(tmp_path)
    templates = project / "data" / "templates"
    (templates / "secret.md.j2").symlink_to("/etc/passwd")
    (templates / "home.md.j2").write_text('# Home\n\n{% include "secret.md.j2" %}\n')
    result = run_cli("build", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        "data/templates/secret.md.j2: template 'secret.md.j2' is a symbolic link (to /etc/passwd)"
        in result.stderr
    )
    assert "root:" not in _docs_text(project)


def test_an_override_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md.j2"
    outside.write_text("# Elsewhere\n")
    project = _project(tmp_path)
    (project / "data" / "templates" / "home.md.j2").symlink_to(outside)
    result = run_cli("build", cwd=project)
    assert result.returncode == 1 and "is a symbolic link" in result.stderr


def test_a_template_folder_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project = make_project(tmp_path / "p", [SEED])
    (project / "data" / "templates").symlink_to(elsewhere)
    result = run_cli("build", cwd=project)
    assert result.returncode == 1 and "template folder is a symbolic link" in result.stderr


@pytest.mark.parametrize("name", ["../site.yaml", "/etc/passwd", "sub/../../x.j2", "..\\x.j2"])
def test_paths_leaving_the_folder_are_not_found(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (tmp_path / "site.yaml").write_text("title: secret\n")
    env = make_environment(folder)
    with pytest.raises(Exception) as info:
        env.get_template(name)
    assert type(info.value).__name__ in ("TemplateNotFound", "ReadingListError")


def test_a_syntax_error_names_the_template_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "home.md.j2").write_text("# Home\n{% for x in %}\n")
    with pytest.raises(ReadingListError) as info:
        make_environment(folder).get_template("home.md.j2")
    assert info.value.path.endswith("home.md.j2") and info.value.line == 2


def test_a_plain_override_still_works(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "data" / "templates" / "home.md.j2").write_text(
        "---\ntitle: {{ settings.title | yaml }}\n---\n\n# Our list: {{ total }} papers\n"
    )
    run_cli("build", cwd=project, check=True)
    assert "# Our list: 1 papers" in (project / "docs" / "index.md").read_text()
    assert os.path.isfile(project / "docs" / "index.md")
