"""Curator mistakes are reported, never crash: each names file:line and gives a hint, the same way in
`python -m generator check` (exit 1 on errors), `python -m generator build` and `mkdocs build` (a clean
PluginError, no Python traceback).

Cases: malformed YAML in the store, topics.yaml or tags.yaml; unknown topic or tag pins; duplicate ids
(also through aliases); bad settings; links out that are not http(s) URLs, DOIs or arXiv ids
(``javascript:``, ``data:``, ``file:``, relative URLs); and, as a warning only, a topic rule that
matches nothing.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import REPO, make_project, run_cli

from generator.store import parse_store

PAPERS = [
    {
        "id": "diffusion-paper",
        "title": "Denoising Diffusion Models for Images",
        "abstract": "We train diffusion models with a denoising objective.",
        "added": "2024-01-01",
    },
    {
        "id": "bandit-paper",
        "title": "Regret Bounds for Contextual Bandits",
        "abstract": "We prove regret bounds for contextual bandit algorithms.",
        "added": "2024-01-02",
    },
]


def store_with(*extra: dict, papers: list[dict] = PAPERS) -> str:
    return yaml.safe_dump([*papers, *extra], allow_unicode=True, sort_keys=False)


@dataclass(frozen=True)
class Case:
    """A broken project: which file to replace with what, and what every command must then say."""

    name: str
    file: str  # data/<file>
    text: str
    location: str  # "papers.yaml:7" (matched at the end of the reported path)
    message: str
    hint: str


def _topics_text() -> str:
    return (REPO / "data" / "topics.yaml").read_text(encoding="utf-8")


def _tags_text() -> str:
    return (REPO / "data" / "tags.yaml").read_text(encoding="utf-8")


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the ``nth`` occurrence of ``needle``."""
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    return text[:index].count("\n") + 1


_BAD_INDENT = store_with() + "- id: broken\n  title: Broken\n abstract: bad indent\n  added: '2024-01-03'\n"
_UNCLOSED = store_with() + "- id: broken\n  title: \"unclosed quote\n  abstract: x\n  added: '2024-01-03'\n"
_TOPICS_BAD = _topics_text().replace("topics:\n", "topics:\n  - id: [unclosed\n", 1)
_TAGS_BAD = _tags_text().replace("tags:\n", 'tags:\n  - {id: x, label: "y"\n', 1)
_TOPICS_DUP = _topics_text().replace(
    "topics:\n", "topics:\n  - id: optimization\n    title: Again\n    rules: [again]\n", 1
)
_SITE_BAD = "title: My list\npage_size: ten\n"


FILE_CASES = [
    Case(
        "store-bad-indent",
        "papers.yaml",
        _BAD_INDENT,
        f"papers.yaml:{_line_of(_BAD_INDENT, ' abstract: bad')}",
        "malformed YAML",
        "fix the indentation",
    ),
    Case("store-unclosed-quote", "papers.yaml", _UNCLOSED, "papers.yaml:", "malformed YAML", "quoting"),
    # The parser notices the unclosed "[" on the line after it (and says "from line N").
    Case(
        "topics-malformed",
        "topics.yaml",
        _TOPICS_BAD,
        f"topics.yaml:{_line_of(_TOPICS_BAD, '[unclosed') + 1}",
        "malformed YAML",
        "check indentation",
    ),
    Case("tags-malformed", "tags.yaml", _TAGS_BAD, "tags.yaml:", "malformed YAML", "check indentation"),
    Case(
        "topics-duplicate-id",
        "topics.yaml",
        _TOPICS_DUP,
        f"topics.yaml:{_line_of(_TOPICS_DUP, '- id: optimization', 2)}",
        "duplicate topic id 'optimization'",
        "topic ids must be unique",
    ),
    Case(
        "site-bad-setting",
        "site.yaml",
        _SITE_BAD,
        "site.yaml:2",
        "setting 'page_size' should be int",
        "e.g. page_size: 200",
    ),
]

# Mistakes inside records: (record id, fields, message, hint). All go into one store; every command
# must list every one of them, each at its own record's line.
RECORD_MISTAKES = [
    ("pinned-topic", {"topics": ["gone-topic"]}, "unknown topic pin 'gone-topic'", "use one of the ids"),
    ("pinned-tag", {"tags": ["removed-tag"]}, "unknown tag pin 'removed-tag'", "use one of the ids in"),
    ("diffusion-paper", {}, "duplicate id 'diffusion-paper' (also on line 1)", "give one record a new id"),
    (
        "alias-live",
        {"aliases": ["bandit-paper"]},
        "duplicate id 'bandit-paper' (also on line 5)",
        "give one record a new id",
    ),
    ("alias-bad", {"aliases": ["Old Id!"]}, "id 'Old Id!' is not a slug", "lowercase letters"),
    (
        "url-javascript",
        {"url": "javascript:alert(1)"},
        "url 'javascript:alert(1)' is not an http(s):// URL",
        "fix or remove 'url'",
    ),
    (
        "url-data",
        {"url": "data:text/html,x"},
        "url 'data:text/html,x' is not an http(s):// URL",
        "fix or remove 'url'",
    ),
    (
        "url-file",
        {"url": "file:///etc/passwd"},
        "url 'file:///etc/passwd' is not an http(s):// URL",
        "fix or remove 'url'",
    ),
    (
        "url-relative",
        {"url": "../secret.html"},
        "url '../secret.html' is not an http(s):// URL",
        "fix or remove 'url'",
    ),
    (
        "url-no-scheme",
        {"url": "//evil.test/x"},
        "url '//evil.test/x' is not an http(s):// URL",
        "fix or remove 'url'",
    ),
    (
        "doi-bad",
        {"doi": "javascript:alert(1)"},
        "doi 'javascript:alert(1)' is not a DOI",
        "fix or remove 'doi'",
    ),
    (
        "arxiv-bad",
        {"arxiv": "../../etc/passwd"},
        "arxiv '../../etc/passwd' is not an arXiv id",
        "fix or remove 'arxiv'",
    ),
    ("year-bool", {"year": True}, "field 'year' should be a whole number, not bool", "e.g. year: 2021"),
    (
        "added-unquoted",
        {"added": datetime.date(2024, 1, 3)},
        "field 'added' should be text, not date",
        "put the value in quotes",
    ),
    ("added-bad", {"added": "2024-02-30"}, "added '2024-02-30' is not a date", "write YYYY-MM-DD"),
]
_STORE = store_with(
    *(
        {
            "id": rid,
            "title": f"Record {rid}",
            "abstract": "A record with a mistake.",
            "added": "2024-01-03",
            **fields,
        }
        for rid, fields, _, _ in RECORD_MISTAKES
    )
)


def _record_line(rid: str) -> int:
    """The line of the record with this id (the last one, for the duplicate)."""
    return _line_of(_STORE, f"- id: {rid}", _STORE.count(f"- id: {rid}"))


RECORD_CASES = [
    Case(rid, "papers.yaml", _STORE, f"papers.yaml:{_record_line(rid)}", message, hint)
    for rid, _, message, hint in RECORD_MISTAKES
]


def broken_project(root: Path, case: Case) -> Path:
    project = make_project(root, PAPERS)
    (project / "data" / case.file).write_text(case.text, encoding="utf-8")
    return project


def mkdocs_build_output(project: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def assert_reported(output: str, case: Case) -> None:
    """One line of ``output`` names the file:line, the message and the hint; no traceback anywhere."""
    assert "Traceback" not in output, output
    assert any(
        case.location in line and case.message in line and "(hint: " in line and case.hint in line
        for line in output.splitlines()
    ), f"{case.location} {case.message!r} not in:\n{output}"


def run_everything(project: Path) -> dict[str, subprocess.CompletedProcess]:
    return {
        "check": run_cli("check", cwd=project),
        "build": run_cli("build", cwd=project),
        "mkdocs": mkdocs_build_output(project),
    }


def assert_all_report(
    results: dict[str, subprocess.CompletedProcess], cases: list[Case], project: Path
) -> None:
    for command, result in results.items():
        if command == "check" and cases[0].file == "site.yaml":
            continue  # check validates data/; the site settings are read when building
        assert result.returncode != 0, command
        for case in cases:
            assert_reported(result.stdout + result.stderr, case)
    assert "readinglist:" in results["mkdocs"].stderr  # the hook's PluginError, not a crash
    assert not (project / "docs" / "index.md").exists() and not (project / "site" / "index.html").exists()


@pytest.mark.parametrize("case", FILE_CASES, ids=[c.name for c in FILE_CASES])
def test_a_broken_file_is_reported_by_every_command(case: Case, tmp_path: Path) -> None:
    project = broken_project(tmp_path, case)
    assert_all_report(run_everything(project), [case], project)


def test_every_broken_record_is_reported_by_every_command(tmp_path: Path) -> None:
    project = make_project(tmp_path, store_text=_STORE)
    results = run_everything(project)
    assert f"{len(RECORD_CASES)} error(s)" in results["check"].stdout
    assert f"({len(RECORD_CASES)} errors; run `python -m generator check`)" in results["build"].stderr
    assert_all_report(results, RECORD_CASES, project)


@pytest.mark.parametrize(
    ("file", "message"),
    [("papers.yaml", "cannot read the store: Is a directory"), ("site.yaml", "cannot read the settings")],
)
def test_a_folder_in_place_of_a_file_is_reported(file: str, message: str, tmp_path: Path) -> None:
    project = make_project(tmp_path, PAPERS)
    target = project / "data" / file
    target.unlink(missing_ok=True)
    target.mkdir()
    case = Case(file, file, "", f"data/{file}", message, "must be a")
    assert_all_report(run_everything(project), [case], project)


def test_a_taxonomy_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    project = make_project(tmp_path, PAPERS)
    (project / "data" / "tags.yaml").write_bytes(_tags_text().encode("utf-16"))
    case = Case("tags-utf16", "tags.yaml", "", "data/tags.yaml", "not UTF-8 text", "save it as UTF-8")
    assert_all_report(run_everything(project), [case], project)


def test_a_topic_rule_that_matches_nothing_is_a_located_warning(tmp_path: Path) -> None:
    topics = _topics_text().replace(
        "topics:\n",
        "topics:\n  - id: quantum-basket-weaving\n"
        "    title: Quantum basket weaving\n    description: Nothing matches.\n"
        "    rules: [quantum basket weaving]\n",
        1,
    )
    project = make_project(tmp_path, PAPERS)
    (project / "data" / "topics.yaml").write_text(topics, encoding="utf-8")
    check = run_cli("check", cwd=project)
    assert check.returncode == 0, check.stdout + check.stderr  # a warning, not an error
    line = _line_of(topics, "id: quantum-basket-weaving")
    expected = (
        f"warning: {Path('data') / 'topics.yaml'}:{line}: topic rules match no paper "
        "[quantum-basket-weaving] (hint: check the phrases' spelling, or remove the topic)"
    )
    assert expected in check.stdout + check.stderr
    build = run_cli("build", cwd=project)
    assert build.returncode == 0, build.stderr


def test_explain_names_a_missing_id_and_follows_aliases(tmp_path: Path) -> None:
    project = make_project(tmp_path, [PAPERS[0] | {"aliases": ["old-diffusion-id"]}, PAPERS[1]])
    gone = run_cli("explain", "gone-paper", cwd=project)
    assert gone.returncode == 1 and "no paper with id 'gone-paper'" in gone.stderr and "hint:" in gone.stderr
    alias = run_cli("explain", "old-diffusion-id", cwd=project)
    assert alias.returncode == 0 and "diffusion" in alias.stdout.lower()


def test_a_store_with_lone_surrogates_is_refused_by_any_yaml_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml refuses a "\\ud800" escape; the pure-Python loader (no libyaml) accepts it, so the store
    check must catch it: pages with a lone surrogate could not be written as UTF-8."""
    import generator.store.reader as store

    monkeypatch.setattr(store, "Loader", yaml.SafeLoader)
    text = "- id: a\n  title: \"x\\ud800\"\n  abstract: y\n  added: '2024-01-01'\n"
    papers, problems = parse_store(text, "s")
    assert papers == [] and "lone surrogate" in str(problems[0])
