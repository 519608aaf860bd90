"""Raw service responses on disk under ``.cache/resolve/``, keyed by the request, so re-runs are offline.

Only responses that parsed are stored; a file is written atomically (a killed run leaves none half
written). The key is the SHA-256 of the service name, URL and sorted query parameters, without the
contact address (``mailto``): changing ``READINGLIST_CONTACT`` does not empty the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def request_key(service: str, url: str, params: Mapping[str, str]) -> str:
    """A stable key for one request (same request -> same key, whatever the parameter order)."""
    kept = sorted((k, v) for k, v in params.items() if k != "mailto")
    raw = json.dumps([service, url, kept], ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


class ResponseCache:
    """``root/<service>/<key>``: the body of one successful response. ``root=None`` caches nothing."""

    def __init__(self, root: Path | None) -> None:
        self.root = root

    def _path(self, service: str, url: str, params: Mapping[str, str]) -> Path | None:
        if self.root is None:
            return None
        return self.root / service / request_key(service, url, params)

    def get(self, service: str, url: str, params: Mapping[str, str]) -> bytes | None:
        path = self._path(service, url, params)
        if path is None:
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

    def put(self, service: str, url: str, params: Mapping[str, str], body: bytes) -> None:
        path = self._path(service, url, params)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(body)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
