"""The Jinja2 environment: sandboxed as soon as a curator template exists, and the same pages either way."""

from __future__ import annotations

import shutil

from jinja2.sandbox import SandboxedEnvironment

from generator.build.stages import build_site
from generator.core.project import Project
from generator.site.environment import TEMPLATES, make_environment, reused_environment
from tests.conftest import REPO, make_project


def test_only_bundled_templates_run_unsandboxed(tmp_path) -> None:
    assert not isinstance(make_environment(tmp_path / "absent"), SandboxedEnvironment)
    (tmp_path / "templates").mkdir()
    assert not isinstance(make_environment(tmp_path / "templates"), SandboxedEnvironment)  # empty folder
    (tmp_path / "templates" / "tag.md.j2").write_text("{{ label_md }}\n", encoding="utf-8")
    assert isinstance(make_environment(tmp_path / "templates"), SandboxedEnvironment)


def test_the_sandbox_changes_no_page(tmp_path) -> None:
    """The seed site rendered with the bundled templates unsandboxed, and sandboxed (a curator copy of a
    bundled template, byte for byte, puts the whole build in the sandbox): every page is the same."""
    store = (REPO / "data" / "papers.yaml").read_text(encoding="utf-8")
    plain = make_project(tmp_path / "plain", store_text=store)
    sandboxed = make_project(tmp_path / "sandboxed", store_text=store)
    (sandboxed / "data" / "templates").mkdir()
    shutil.copy(TEMPLATES / "paper.md.j2", sandboxed / "data" / "templates" / "paper.md.j2")
    a = build_site(Project(plain), use_cache=False, site_url="https://example.org/", directory_urls=True)
    b = build_site(Project(sandboxed), use_cache=False, site_url="https://example.org/", directory_urls=True)
    assert a.pages.keys() == b.pages.keys() and len(a.pages) > 50
    assert [p for p in a.pages if a.pages[p] != b.pages[p]] == []


def test_a_rebuild_reuses_the_environment_until_a_template_file_changes(tmp_path) -> None:
    """`mkdocs serve` builds again in the same process: the compiled templates are kept while no file of
    either template folder changed, and a curator's new, edited or removed template is seen at once."""
    folder = tmp_path / "templates"
    first = reused_environment(folder)
    assert reused_environment(folder) is first and not isinstance(first, SandboxedEnvironment)
    folder.mkdir()
    (folder / "tag.md.j2").write_text("one {{ label_md }}\n", encoding="utf-8")
    curated = reused_environment(folder)
    assert curated is not first and isinstance(curated, SandboxedEnvironment)
    assert curated.get_template("tag.md.j2").render(label_md="x") == "one x\n"
    (folder / "tag.md.j2").write_text("two, longer {{ label_md }}\n", encoding="utf-8")
    edited = reused_environment(folder)
    assert (
        edited is not curated and edited.get_template("tag.md.j2").render(label_md="x") == "two, longer x\n"
    )
    assert reused_environment(folder) is edited
    (folder / "tag.md.j2").unlink()
    assert not isinstance(reused_environment(folder), SandboxedEnvironment)
