"""Errors about user input, each naming where the problem is and what it is."""
from __future__ import annotations


# What the command line tells a user to do about an input error. The window has no such options: it says the same
# with the names of its own controls (transfer.in_window_words), so the producers use these constants.
HINT_SKIP = "--skip-invalid imports the valid records"
HINT_ENCODING = "say which with --encoding (for example --encoding cp1252)"
HINT_FORMAT = "say it with --format"


class AnnotatorError(Exception):
    """An error a user can act on; its message is shown as it is."""


class InputError(AnnotatorError):
    """Bad input: names the file, the line (or record) and the reason."""

    def __init__(self, reason: str, file: str | None = None, line: int | None = None):
        self.reason = reason
        self.file = file
        self.line = line
        super().__init__(self.location() + reason)

    def location(self) -> str:
        if self.file and self.line:
            return f"{self.file}, line {self.line}: "
        if self.file:
            return f"{self.file}: "
        if self.line:
            return f"record {self.line}: "
        return ""

    def at(self, file: str | None = None, line: int | None = None) -> "InputError":
        return InputError(self.reason, file or self.file, line or self.line)


class InvariantError(AnnotatorError):
    """An operation would break a store invariant (offset range, unknown label, text mismatch...)."""


class NotFound(AnnotatorError):
    pass


class DatabaseUnusable(AnnotatorError):
    """The database file cannot be used as asked: missing, not an annotator database, made by a newer version,
    read-only for a write, busy, on a full disk. The message names the file and says what to do."""


class WriteFailed(AnnotatorError):
    """A write the database refused for a reason outside the action itself; nothing of it was written.

    ``kind`` is "busy" (another connection holds the write lock: worth retrying), "readonly", "full" (the disk),
    "io" or "other"."""

    def __init__(self, message: str, kind: str = "other"):
        super().__init__(message)
        self.kind = kind
