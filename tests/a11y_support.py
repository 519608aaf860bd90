"""Accessibility checkers for the built site: axe-core in Chromium and the Nu HTML checker (vnu.jar).

Both tools are npm packages pinned in package.json (``npm ci`` installs them into node_modules/).
``axe_page`` injects ``node_modules/axe-core/axe.min.js`` into an open Playwright page, runs it with the
WCAG 2.1 A/AA rules plus axe's best practices, and splits every violation node into *ours* (inside the
page content our templates produce, Material's ``.md-content``) and *theme* (Material's header, tabs,
navigation, footer and whole-document checks). ``vnu_errors`` runs the Nu checker over a folder and
returns its errors. Run this file directly to print the counts for a built site:

    .venv/bin/python tests/a11y_support.py /tmp/site
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material's data-md-color-scheme

# Where a violation node sits: inside the page content (ours) or in Material's chrome (the theme's).
_OWNER_JS = """targets => targets.map(t => {
    const sel = Array.isArray(t) ? t[t.length - 1] : t;
    let el = null;
    try { el = document.querySelector(sel); } catch (e) { return 'unknown'; }
    if (!el) return 'unknown';
    return el.closest('.md-content') ? 'ours' : 'theme';
})"""


@dataclass(frozen=True)
class Finding:
    """One violation node: rule id, impact, where (ours/theme), its CSS target and axe's summary."""

    rule: str
    impact: str
    owner: str
    target: str
    summary: str

    def line(self) -> str:
        return f"[{self.owner}] {self.rule} ({self.impact}) {self.target}: {self.summary[:200]}"


def axe_page(page) -> list[Finding]:
    """Run axe-core on the page that is open in ``page``; every violation node, classified."""
    if not AXE_JS.is_file():
        raise FileNotFoundError(f"{AXE_JS} is missing: run `npm ci` (axe-core is pinned in package.json)")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
                  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact,
                        nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary || ''}))})))""",
        AXE_TAGS,
    )
    findings = []
    for violation in result:
        owners = page.evaluate(_OWNER_JS, [n["target"] for n in violation["nodes"]])
        for node, owner in zip(violation["nodes"], owners, strict=True):
            target = " >> ".join(str(t) for t in node["target"])
            summary = " ".join(node["summary"].split())
            findings.append(Finding(violation["id"], violation["impact"] or "", owner, target, summary))
    return findings


def count(findings: list[Finding]) -> dict[str, Counter]:
    """Node counts per rule, for ours and theme."""
    out: dict[str, Counter] = {"ours": Counter(), "theme": Counter(), "unknown": Counter()}
    for f in findings:
        out[f.owner][f.rule] += 1
    return out


def vnu_errors(site_dir: Path) -> list[dict]:
    """The Nu HTML checker's errors over every HTML file under ``site_dir`` (``--errors-only``)."""
    if not VNU_JAR.is_file():
        raise FileNotFoundError(f"{VNU_JAR} is missing: run `npm ci` (vnu-jar is pinned in package.json)")
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--skip-non-html", str(site_dir)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode not in (0, 1) or not result.stderr.strip().startswith("{"):
        raise RuntimeError(f"vnu.jar failed (exit {result.returncode}):\n{result.stderr[-2000:]}")
    messages = json.loads(result.stderr)["messages"]  # vnu writes its JSON report to stderr
    return [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]


def _measure(site_dir: Path) -> None:
    from browser_support import CHROMIUM_ARGS, base_path, chromium_path, serve_site
    from playwright.sync_api import sync_playwright

    tags = sorted(p.name for p in (site_dir / "tags").iterdir() if p.is_dir())
    pages = {"home": "", "topic": "topics/optimization/", "tag index": "tags/", "tag": f"tags/{tags[0]}/"}
    pages["map"] = "map/"
    totals: dict[str, Counter] = {"ours": Counter(), "theme": Counter(), "unknown": Counter()}
    with serve_site(site_dir, base_path(REPO)) as served, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for scheme in SCHEMES:
            context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
            page = context.new_page()
            for name, rel in pages.items():
                page.goto(served.page_url(rel))
                counts = count(axe_page(page))
                for owner, c in counts.items():
                    totals[owner].update(c)
                print(f"{scheme:5} {name:9} ours={dict(counts['ours'])} theme={dict(counts['theme'])}")
            context.close()
        browser.close()
    for owner, c in totals.items():
        print(f"total {owner}: {sum(c.values())} nodes {dict(c)}")
    errors = vnu_errors(site_dir)
    print(f"vnu: {len(errors)} errors")
    for message, n in Counter(e["message"] for e in errors).most_common():
        print(f"  {n:4} {message[:160]}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    _measure(Path(sys.argv[1]))
