"""Shared fixtures: the real repository, throwaway projects, and real `mkdocs build --strict` runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from yaml_env_tag import construct_env_tag

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
OUTPUT = REPO / "tests" / "output"  # screenshots and other artefacts worth looking at (gitignored)

# mkdocs.yml reads the site's address from SITE_URL (`site_url: !ENV [SITE_URL, ...]`). The tests build
# every site as if published under a Pages-like base path, so a link that escapes it shows; every
# build a test starts inherits this.
SITE_URL = "https://example.github.io/readinglist/"
os.environ["SITE_URL"] = SITE_URL


class _MkDocsYaml(yaml.SafeLoader):
    """YAML as MkDocs reads mkdocs.yml: with its ``!ENV`` tag."""


_MkDocsYaml.add_constructor("!ENV", construct_env_tag)


def load_mkdocs_yml(path: Path) -> dict:
    """A mkdocs.yml as the engines read it (``!ENV`` resolved from this environment)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_MkDocsYaml)


def run_cli(
    *args: str, cwd: Path, check: bool = False, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run `python -m generator ...` as a user would, in ``cwd``."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"generator {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def mkdocs_build(project: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """The real `mkdocs build --strict` of ``project`` into ``site_dir``; fails the test on error."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    if result.returncode != 0:
        raise AssertionError(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}")
    return result


def make_project(
    root: Path,
    papers: list[dict] | None = None,
    *,
    store_text: str | None = None,
    taxonomy_from: Path = REPO / "data",
) -> Path:
    """A minimal project folder: the repo's mkdocs.yml, hook, CSS and taxonomy, plus the given papers.

    ``papers`` are store records (dicts with at least id, title, abstract, added); or pass ``store_text``.
    """
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copy(REPO / "mkdocs_hooks.py", root / "mkdocs_hooks.py")
    shutil.copytree(REPO / "overrides", root / "overrides", dirs_exist_ok=True)  # theme.custom_dir
    shutil.copytree(
        REPO / "docs" / "assets",
        root / "docs" / "assets",
        ignore=shutil.ignore_patterns("generated"),
        dirs_exist_ok=True,
    )
    data = root / "data"
    data.mkdir(exist_ok=True)
    for name in ("topics.yaml", "tags.yaml", "site.yaml"):
        if (taxonomy_from / name).exists():
            shutil.copy(taxonomy_from / name, data / name)
    if store_text is not None:
        (data / "papers.yaml").write_text(store_text, encoding="utf-8")
    elif papers is not None:
        (data / "papers.yaml").write_text(
            yaml.safe_dump(papers, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return root


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    """The real site built from the committed seeds (data/papers.yaml) with `mkdocs build --strict`."""
    project = make_project(
        tmp_path_factory.mktemp("seed-project"),
        store_text=(REPO / "data" / "papers.yaml").read_text(encoding="utf-8"),
    )
    site = project / "site"
    mkdocs_build(project, site)
    return site


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


def read_store(text: str, fast: bool, monkeypatch) -> tuple:
    """Parse a store text with the fast line reader (``fast``) or forcing the YAML path: ("ok", result)
    or ("error", message), so tests can require both paths to agree."""
    from generator.core.errors import ReadingListError
    from generator.store import reader as store

    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(store, "_fast_records", lambda _text: None)
        try:
            return "ok", store.parse_store(text, "data/papers.yaml")
        except ReadingListError as exc:
            return "error", str(exc)


# Known engine gaps, shown as xfail (not skipped: they run, and an XPASS says the gap closed). README
# "Engines" lists them.
# Zensical's raw-HTML links are no gap any more: every page is the index.md of its URL's folder, where the
# engines' two readings of a relative link agree (generator/site/urls.py).
ENGINE_GAPS: dict[tuple[str, str], str] = {}


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        engine = item.name.rsplit("[", 1)[-1].rstrip("]") if "[" in item.name else ""
        reason = ENGINE_GAPS.get((item.originalname, engine))
        if reason:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=False))
