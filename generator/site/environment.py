"""The Jinja2 environment of a build: the bundled templates, a curator's overrides (sandboxed), the filters.

A file of the same name in data/templates/ overrides a bundled one. Output is Markdown, so nothing is
auto-escaped: templates only ever receive escaped text (``*_md`` for Markdown, ``*_html`` for raw HTML).

A curator's templates are data, never code: a build with any file in data/templates/ runs every
template in Jinja2's ``ImmutableSandboxedEnvironment`` (no ``__globals__``, ``__class__`` or other
underscore attributes, no ``str.format`` tricks, no mutating lists), and the loader reads only regular
files inside its own folder (no symbolic link, no ``..``). A build with only the bundled templates (this
package's own code) skips the sandbox's per-attribute checks. A template that breaks a rule, does not
compile or names an unknown value is a ReadingListError naming the template file and line.
"""

from __future__ import annotations

import html
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from generator.core.errors import ReadingListError
from generator.site.escape import html_text, md_inline, md_plain

TEMPLATES = Path(__file__).parent / "templates"
_HINT = (
    "templates may only print the values they are given (see the bundled ones in generator/site/templates)"
)


class FolderLoader(jinja2.BaseLoader):
    """Regular files directly under one folder (or its subfolders), never through a symbolic link."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.real = os.path.realpath(folder)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        parts = jinja2.loaders.split_template_path(template)  # TemplateNotFound on "..", "/" or "\\"
        path = os.path.join(self.folder, *parts)
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        self._refuse_links(path, template)
        try:
            with open(path, encoding="utf-8") as handle:
                source = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise ReadingListError(
                f"cannot read the template: {exc}", path, hint="save it as UTF-8 text"
            ) from None
        mtime = os.path.getmtime(path)
        return source, path, lambda: os.path.exists(path) and os.path.getmtime(path) == mtime

    def _refuse_links(self, path: str, template: str) -> None:
        """A symbolic link anywhere below the folder, or a real path outside it, is refused."""
        current = str(self.folder)
        for part in jinja2.loaders.split_template_path(template):
            current = os.path.join(current, part)
            if os.path.islink(current):
                target = os.readlink(current)
                raise ReadingListError(
                    f"template '{template}' is a symbolic link (to {target}): refused",
                    current,
                    hint="copy the template into the folder instead of linking to it",
                )
        real = os.path.realpath(path)
        if os.path.commonpath([real, self.real]) != self.real or not os.path.isfile(real):
            raise ReadingListError(
                f"template '{template}' is not a regular file inside {self.folder}: refused", path, hint=_HINT
            )


class _Template(jinja2.Template):
    """A template whose failures are ReadingListErrors naming the template file and line."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except ReadingListError:
            raise
        except (jinja2.TemplateError, AttributeError, TypeError) as exc:
            raise _template_error(exc, self.filename or self.name or "template") from None


def _template_error(exc: Exception, fallback: str) -> ReadingListError:
    """The error for a template that failed: its message, at the innermost template frame."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    tb = sys.exc_info()[2]
    while tb is not None:  # Jinja rewrites tracebacks so that template frames carry their file and line
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2") or (filename is None and name == fallback):
            filename, line = name, tb.tb_lineno
        tb = tb.tb_next
    message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
    kind = "refused" if isinstance(exc, jinja2.exceptions.SecurityError) else "failed"
    return ReadingListError(f"template {kind}: {message}"[:300], filename or fallback, line, hint=_HINT)


class _Checked(jinja2.Environment):
    """Template compile errors as ReadingListErrors naming the file and line."""

    template_class = _Template

    def _load_template(self, name: str, globals: Any) -> jinja2.Template:  # noqa: A002 - Jinja's name
        try:
            return super()._load_template(name, globals)
        except jinja2.TemplateSyntaxError as exc:
            raise ReadingListError(
                f"template does not compile: {exc.message}",
                exc.filename or name,
                exc.lineno,
                hint="check the {{ }} and {% %} tags at that line",
            ) from None


class _Sandboxed(_Checked, ImmutableSandboxedEnvironment):
    """For a build with a curator's templates: they are data, never code."""


def front_matter_text(value: object) -> str:
    """A front-matter value (a page ``title``): the theme prints it as HTML in the page's <title>, header
    and search results, so it is HTML-escaped, then quoted as YAML (JSON is YAML)."""
    return json.dumps(html.escape(str(value), quote=True), ensure_ascii=False)


def make_environment(override_dir: Path | None = None) -> jinja2.Environment:
    """One environment per build: templates from ``override_dir`` (if it exists) before the bundled ones."""
    loaders: list[jinja2.BaseLoader] = []
    curated = False
    if override_dir is not None:
        if override_dir.is_symlink():
            raise ReadingListError(
                f"the template folder is a symbolic link (to {os.readlink(override_dir)}): refused",
                str(override_dir),
                hint="make data/templates a real folder",
            )
        if override_dir.is_dir():
            loaders.append(FolderLoader(override_dir))
            curated = any(override_dir.iterdir())
    loaders.append(FolderLoader(TEMPLATES))
    # The bundled templates are this package's code, so without a curator's template the sandbox's
    # check of every attribute read (a tenth of a cold build's render) is skipped; with one, every
    # template of the build runs sandboxed (a curator's template can include, or be included by, ours).
    environment = _Sandboxed if curated else _Checked
    env = environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,  # output is Markdown; text arrives pre-escaped as *_md / *_html
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no stat() of the template file at every include
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_inline
    env.filters["md_plain"] = md_plain
    env.filters["html"] = html_text
    env.filters["yaml"] = front_matter_text
    return env


_REUSED: dict[str, tuple[tuple, jinja2.Environment]] = {}


def _stamp(folder: Path | None) -> tuple:
    """Every entry at and below ``folder`` as (path, mode, mtime, size), links not followed."""
    if folder is None or not os.path.lexists(folder):
        return ()
    top = os.lstat(folder)
    rows = [(str(folder), top.st_mode, top.st_mtime_ns, top.st_size)]
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            st = os.lstat(path)
            rows.append((path, st.st_mode, st.st_mtime_ns, st.st_size))
    return tuple(sorted(rows))


def reused_environment(override_dir: Path | None = None) -> jinja2.Environment:
    """``make_environment(override_dir)``, kept for the next build in the same process (``mkdocs serve``)
    while no file at or below either template folder changed (name, kind, time, size): its compiled
    templates are reused instead of compiled again at every rebuild."""
    key = str(override_dir)
    stamp = (_stamp(override_dir), _stamp(TEMPLATES))
    kept = _REUSED.get(key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    env = make_environment(override_dir)
    _REUSED[key] = (stamp, env)
    return env
