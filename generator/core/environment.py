"""Every environment variable the generator reads, in one typed, validated object.

Read once per call of :func:`environment` (cheap: a handful of ``os.environ`` lookups), never deep
inside a stage: stages take plain values, the command edges pass them in. A malformed value is a
``ReadingListError`` naming the variable and a fix, never a traceback.

| variable | meaning | default |
| --- | --- | --- |
| ``READINGLIST_TODAY`` | the date ingest records as ``added`` (ISO ``YYYY-MM-DD``) | today |
| ``SOURCE_DATE_EPOCH`` | the same as Unix seconds (reproducible builds); ``READINGLIST_TODAY`` wins | |
| ``READINGLIST_JOBS`` | at most this many processes per build (``1``: never fork) | all cores |
| ``READINGLIST_NO_CACHE`` | ``1``: ignore and do not write ``.cache/readinglist`` | |
| ``READINGLIST_LOCK_TIMEOUT`` | seconds a second writer of ``data/`` waits for the lock | 30 |
| ``READINGLIST_ARXIV_API`` | arXiv API query endpoint | ``https://export.arxiv.org/api/query`` |
| ``READINGLIST_ARXIV_DELAY`` | seconds between two arXiv requests (its terms of use ask for 3) | 3 |
| ``READINGLIST_OPENALEX_API`` | OpenAlex API base | ``https://api.openalex.org`` |
| ``READINGLIST_CONTACT`` | e-mail address sent in the User-Agent and to OpenAlex's polite pool | |
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping
from dataclasses import dataclass

from generator.core.errors import ReadingListError

ARXIV_API = "https://export.arxiv.org/api/query"
OPENALEX_API = "https://api.openalex.org"
LOCK_TIMEOUT = 30.0
ARXIV_DELAY = 3.0


@dataclass(frozen=True)
class Environment:
    today: str | None  # READINGLIST_TODAY / SOURCE_DATE_EPOCH as an ISO date, None = the real today
    jobs: int | None  # None = no limit
    no_cache: bool
    lock_timeout: float
    arxiv_api: str
    arxiv_delay: float
    openalex_api: str
    contact: str

    def date_today(self) -> str:
        """The date ingest records: the fixed one, else the real today."""
        return self.today or _dt.date.today().isoformat()


def _error(name: str, raw: str, what: str, example: str) -> ReadingListError:
    return ReadingListError(f"{name}={raw!r} is not {what}", hint=f"e.g. {name}={example}, or unset it")


def iso_date(raw: str, name: str) -> str:
    """``raw`` as a real ISO date (``2026-02-30`` and ``yesterday`` are refused with a clean error)."""
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return _dt.date.fromisoformat(raw).isoformat()
    except ValueError:
        raise _error(name, raw, "a date (YYYY-MM-DD)", "2026-01-31") from None


def _today(env: Mapping[str, str]) -> str | None:
    fixed = env.get("READINGLIST_TODAY", "").strip()
    if fixed:
        return iso_date(fixed, "READINGLIST_TODAY")
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).date().isoformat()
        except (ValueError, OverflowError, OSError):
            raise _error("SOURCE_DATE_EPOCH", epoch, "a number of seconds since 1970", "1767225600") from None
    return None


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise _error(name, raw, "a number of seconds", "60")
    return value


def _jobs(env: Mapping[str, str]) -> int | None:
    raw = env.get("READINGLIST_JOBS", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise _error("READINGLIST_JOBS", raw, "a whole number of processes >= 1", "1")
    return int(raw)


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.lower().startswith(("http://", "https://")):
        raise _error(name, raw, "an http(s) URL", default)
    return raw


def environment(env: Mapping[str, str] | None = None) -> Environment:
    """Read and validate every setting from ``env`` (default: ``os.environ``)."""
    env = os.environ if env is None else env
    return Environment(
        today=_today(env),
        jobs=_jobs(env),
        no_cache=env.get("READINGLIST_NO_CACHE", "").strip() == "1",
        lock_timeout=_seconds(env, "READINGLIST_LOCK_TIMEOUT", LOCK_TIMEOUT),
        arxiv_api=_url(env, "READINGLIST_ARXIV_API", ARXIV_API),
        arxiv_delay=_seconds(env, "READINGLIST_ARXIV_DELAY", ARXIV_DELAY),
        openalex_api=_url(env, "READINGLIST_OPENALEX_API", OPENALEX_API),
        contact=env.get("READINGLIST_CONTACT", "").strip(),
    )
