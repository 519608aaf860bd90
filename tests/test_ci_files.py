"""Sanity checks for the CI entry point (.ci/run) and the Makefile targets it relies on.

Nothing here installs anything: the Makefile is only dry-run (`make -n`).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CI_RUN = ROOT / ".ci" / "run"
MAKEFILE = ROOT / "Makefile"

REQUIRED_TARGETS = {"venv", "site", "serve", "ingest", "check", "browser", "test", "lint", "bench"}


def make_dry_run(target: str, *assignments: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    # Drop the parent make's flags (this suite usually runs under `make test`).
    clean = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    proc = subprocess.run(
        ["make", "-n", "--no-print-directory", target, *assignments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=clean,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def script_lines(path: Path) -> list[str]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def test_ci_run_is_executable_bash_with_strict_mode():
    assert CI_RUN.is_file()
    assert CI_RUN.stat().st_mode & stat.S_IXUSR, ".ci/run must be executable"
    assert CI_RUN.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script_lines(CI_RUN)
    proc = subprocess.run(["bash", "-n", str(CI_RUN)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_ci_run_installs_packages_then_runs_make_test_last():
    lines = script_lines(CI_RUN)
    text = "\n".join(lines)
    update = text.find("apt-get update")
    install = text.find("apt-get install")
    assert 0 <= update < install, "apt-get update must come before apt-get install"
    assert "chromium" in text
    # The last command is the README's test command, so its exit status (and pytest's
    # closing summary line) is the script's.
    assert re.fullmatch(r"(exec\s+)?make test", lines[-1]), lines[-1]


def test_readme_test_command_matches_ci():
    readme = ROOT / "README.md"
    if not readme.is_file():
        pytest.skip("README.md not written yet")
    text = readme.read_text(encoding="utf-8")
    assert "make test" in text and "make site" in text


def test_makefile_declares_targets_phony():
    text = MAKEFILE.read_text(encoding="utf-8")
    phony = set()
    for match in re.finditer(r"^\.PHONY:(.*)$", text, re.MULTILINE):
        phony.update(match.group(1).split())
    assert phony >= REQUIRED_TARGETS, REQUIRED_TARGETS - phony
    for target in REQUIRED_TARGETS:
        assert re.search(rf"^{target}:", text, re.MULTILINE), f"no rule for {target}"


def test_make_test_runs_pytest():
    out = make_dry_run("test")
    assert re.search(r"\.venv/bin/python -m pytest\b", out), out


def test_make_site_builds_strict():
    out = make_dry_run("site")
    assert ".venv/bin/mkdocs build --strict" in out, out


def test_make_bench_runs_the_benchmark_script():
    out = make_dry_run("bench", "BENCH_ARGS=--quick")
    assert ".venv/bin/python benchmarks/run.py --quick" in out, out


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_code_passes_ruff(command: list[str]) -> None:
    """`make lint` stays clean: lint rules and formatting from pyproject.toml, over the whole tree."""
    import sys

    ruff = Path(sys.executable).with_name("ruff")
    assert ruff.exists(), "ruff is a dev dependency (requirements-dev.txt)"
    proc = subprocess.run(
        [str(ruff), *command, "--no-cache", "."], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
