"""The project's one error type: a problem in an input, located by file, line and record."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ReadingListError(Exception):
    """A user-facing error. ``str()`` gives ``file:line: message (record id) hint: ...``."""

    message: str
    path: str | None = None
    line: int | None = None
    record: str | None = None
    hint: str | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.record:
            text += f" [{self.record}]"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


@dataclass(frozen=True)
class Problem:
    """A non-fatal finding (warning or error) collected during parsing, checking or building."""

    severity: str  # "error" | "warning"
    message: str
    path: str | None = None
    line: int | None = None
    record: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        return str(ReadingListError(self.message, self.path, self.line, self.record, self.hint))

    def as_error(self) -> ReadingListError:
        return ReadingListError(self.message, self.path, self.line, self.record, self.hint)
