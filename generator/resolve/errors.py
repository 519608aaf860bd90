"""The errors a lookup can end with: the service answered badly, or there is no network at all."""

from __future__ import annotations

from generator.core.errors import ReadingListError


class ServiceError(ReadingListError):
    """A service answered, but not usefully (HTTP error after retries, malformed feed, error entry)."""


class OfflineError(ServiceError):
    """No connection could be made: no network, DNS failure, or the service is down."""


class NotFound(ServiceError):
    """HTTP 404: the service has no such record (a DOI it does not know)."""
