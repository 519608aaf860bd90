"""Helpers for the real-browser tests: serve a built site on localhost and watch what a page does.

``serve_site`` serves a site folder with ``http.server`` in a thread, under the base path of the project's
``site_url`` (as GitHub Pages would), so a link that escapes the base path shows up as a 404. ``PageGuard``
blocks every request that leaves localhost and records blocked requests, dialogs, script errors and
failed local requests, so a test can assert the page worked offline and quietly.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from conftest import load_mkdocs_yml

CHROMIUM_ENV = "READINGLIST_CHROMIUM"
CHROMIUM_DEFAULT = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def chromium_path() -> str:
    """The chromium binary the tests drive (never a downloaded one)."""
    return os.environ.get(CHROMIUM_ENV, CHROMIUM_DEFAULT)


@contextmanager
def launched_chromium() -> Iterator:
    """Debian's chromium through Playwright (never a downloaded browser), closed when the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def base_path(project: Path) -> str:
    """The path part of ``site_url`` in the project's mkdocs.yml, e.g. ``/readinglist/`` (default ``/``)."""
    url = load_mkdocs_yml(project / "mkdocs.yml").get("site_url") or "/"
    path = urlsplit(url).path or "/"
    return path if path.endswith("/") else path + "/"


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves ``directory`` under ``prefix``; everything outside the prefix is a 404."""

    def __init__(self, *args, prefix: str, **kwargs) -> None:
        self.prefix = prefix
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        clean = urlsplit(path).path
        if clean + "/" == self.prefix:
            clean = self.prefix  # "/readinglist" -> directory redirect below
        if not clean.startswith(self.prefix):
            return str(Path(self.directory) / "\0outside-base-path")  # never exists: 404
        return super().translate_path("/" + clean[len(self.prefix) :])

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of the base class
        pass


@dataclass(frozen=True)
class Served:
    """A running local server: ``url`` is the site's root (ends with ``/``)."""

    url: str

    def page_url(self, rel: str) -> str:
        """The URL of a docs-relative page such as ``topics/optimization/``."""
        return self.url + rel.lstrip("/")


@contextmanager
def serve_site(site_dir: Path, prefix: str = "/") -> Iterator[Served]:
    """Serve ``site_dir`` at ``http://127.0.0.1:<free port><prefix>`` until the block ends."""
    handler = partial(_SiteHandler, directory=str(site_dir), prefix=prefix)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"site-{site_dir.name}", daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_address[1]}{prefix}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def is_local(url: str) -> bool:
    """Served by the test server (or made in the page: data:, blob:, about:)."""
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL_HOSTS


# Known causes of what the guard records, so a failure says where to look.
HINTS = {
    "api.github.com": "mkdocs.yml `repo_url` makes Material's header fetch repository stats from GitHub",
    "/sitemap.xml": "Material fetches sitemap.xml next to every <link rel=alternate> (e.g. an Atom feed "
    "in a subfolder); see zensical/zensical#908",
}


@dataclass
class PageGuard:
    """What a page did that it must not: leave localhost, open dialogs, throw, or hit missing files."""

    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def attach(self, context, page) -> None:
        """Route every request of ``context`` through the guard and listen to ``page``."""
        context.route("**/*", self._route)
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))
        page.on("requestfailed", self._request_failed)

    def _route(self, route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _request_failed(self, request) -> None:
        # ERR_ABORTED is the browser cancelling a request because the page navigated away (a favicon
        # still loading when a test clicks a link), not a broken resource; 404s are caught as responses.
        if urlsplit(request.url).hostname in LOCAL_HOSTS and "ERR_ABORTED" not in str(request.failure):
            self.failed.append(f"{request.failure} {request.url}")

    def problems(self) -> dict[str, list[str]]:
        """Everything recorded that should not have happened (kinds with nothing recorded are left out)."""
        found = {
            "non-local requests": self.blocked,
            "dialogs": self.dialogs,
            "script errors": self.errors,
            "failed local requests": self.failed,
        }
        return {kind: items for kind, items in found.items() if items}

    def report(self) -> str:
        """The problems, with a hint for each known cause."""
        lines = [f"{kind}: {items}" for kind, items in self.problems().items()]
        seen = " ".join(url for items in self.problems().values() for url in items)
        lines += [f"hint: {hint}" for key, hint in HINTS.items() if key in seen]
        return "\n".join(lines)
