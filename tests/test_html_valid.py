"""Every HTML page of the built seed site passes the Nu HTML checker (vnu.jar, pinned in package.json).

The checker runs on the machine's Java over the whole site (``--errors-only``). Errors that Material's own
templates produce on every page are filtered by the explicit list below, each with its reason; every other
error fails the test. A second test makes sure the checker and the filter do catch an error in our content,
and a third that no page puts a ``<style>`` element in its body (styles live in docs/assets/readinglist.css).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from a11y_support import VNU_JAR, vnu_errors


@dataclass(frozen=True)
class ThemeError:
    """An error Material's templates emit, matched by message and by the markup it was found in."""

    message: str  # regex on the checker's message
    extract: str  # regex on the checker's extract (the offending markup)
    reason: str


THEME_ERRORS = [
    ThemeError(
        r"^Attribute “autocomplete” is only allowed when the input type is ",
        r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox"',
        'Material\'s base.html gives its two hidden checkbox toggles autocomplete="off" (a Firefox '
        "workaround); only a copy of the whole base template could change it; browsers ignore it",
    ),
    ThemeError(
        r"^Bad value “” for attribute “tabindex” on element “label”",
        r'<label class="md-nav__link[^"]*" for="__nav_[0-9_]+" id="__nav_[0-9_]+_label" tabindex="">',
        'Material\'s nav-item partial writes tabindex="" on section labels with navigation.sections; '
        "an empty tabindex is treated as absent, so keyboard behaviour is unchanged",
    ),
]


def _needs_java() -> None:
    if shutil.which("java") is None or not VNU_JAR.is_file():
        reason = (
            "the Nu checker needs java and "
            "node_modules/vnu-jar (npm ci; apt-get install default-jre-headless)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


def theme_reason(error: dict) -> str | None:
    """Why ``error`` is the theme's (the matching entry's reason), or None when it is ours."""
    for known in THEME_ERRORS:
        if re.search(known.message, error.get("message", "")) and re.search(
            known.extract, error.get("extract", "")
        ):
            return known.reason
    return None


def _describe(error: dict) -> str:
    where = error.get("url", "?").rsplit("/site/", 1)[-1]
    extract = error.get("extract", "").strip()[:160]
    return f"{where}:{error.get('lastLine', '?')}: {error.get('message')} | {extract}"


def test_whole_site_has_no_html_errors_of_ours(seed_site: Path) -> None:
    _needs_java()
    errors = vnu_errors(seed_site)
    ours = [e for e in errors if theme_reason(e) is None]
    assert not ours, f"{len(ours)} HTML errors from our content:\n" + "\n".join(map(_describe, ours[:40]))
    pages = sum(1 for _ in seed_site.rglob("*.html"))
    assert pages > 50, f"only {pages} HTML pages checked"


def test_checker_reports_an_error_in_our_content(tmp_path: Path) -> None:
    _needs_java()
    page = tmp_path / "index.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
        '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">'
        '<p id="x">one</p><p id="x">two</p></main></body></html>',
        encoding="utf-8",
    )
    errors = vnu_errors(tmp_path)
    ours = [e for e in errors if theme_reason(e) is None]
    theirs = [e for e in errors if theme_reason(e) is not None]
    assert any("Duplicate ID" in e["message"] for e in ours), errors
    assert len(theirs) == 1, "the theme filter should match exactly Material's toggle"


_BODY = re.compile(r"<body\b.*</body>", re.S)


def test_no_style_element_inside_the_body(seed_site: Path) -> None:
    """A <style> in a <div> (the old map) is flagged by older Nu checkers and by CSP; styles belong in CSS."""
    offenders = []
    for html_file in sorted(seed_site.rglob("*.html")):
        body = _BODY.search(html_file.read_text(encoding="utf-8"))
        if body and "<style" in body.group(0):
            offenders.append(html_file.relative_to(seed_site).as_posix())
    assert not offenders, f"pages with a <style> element in their body: {offenders}"
