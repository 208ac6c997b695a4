"""Interchange formats: one module per format, each with a streaming ``read`` and ``write`` over core objects.

A format module defines:
    NAME: str                      the ``--format`` name
    DESCRIPTION: str               one line for ``--help``
    SUFFIXES: tuple[str, ...]      file suffixes it is recognised by (for ``--format auto``)
    read(path, options) -> Iterator[DocumentRecord | InputError]
        streaming; yields an InputError (with file and line) for a bad record and carries on, so that
        ``--skip-invalid`` can skip it; the caller decides whether an error aborts the import.
    write(records, out, options) -> None
        ``out`` is a text stream (or a folder path for formats that write folders: set WRITES_FOLDER = True);
        what the format cannot hold is counted in ``options.report`` (a LossReport).
    sniff(path) -> bool            optional: True if the file is surely in this format (for ``--format auto``)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType

from ..core.errors import InputError

# Modules listed here are loaded lazily, so a format with a heavy optional dependency costs nothing until used.
FORMAT_MODULES = {
    "jsonl": "canonical",
    "text": "plaintext",
}


@dataclass
class LossReport:
    """What a format could not hold, per kind: never silent (users.md)."""

    lost: dict[str, int] = field(default_factory=dict)
    adjusted: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def lose(self, kind: str, n: int = 1) -> None:
        self.lost[kind] = self.lost.get(kind, 0) + n

    def adjust(self, kind: str, n: int = 1) -> None:
        self.adjusted[kind] = self.adjusted.get(kind, 0) + n

    def __bool__(self) -> bool:
        return bool(self.lost or self.adjusted)

    def lines(self) -> list[str]:
        out = [f"lost: {n} {kind}" for kind, n in sorted(self.lost.items())]
        out += [f"adjusted: {n} {kind}" for kind, n in sorted(self.adjusted.items())]
        return out + self.notes


@dataclass
class Options:
    """What readers and writers may need beyond the records."""

    annotator: str = ""          # who imported spans that name no annotator
    encoding: str = "utf-8"
    label: str | None = None     # a default label, for formats whose spans may carry none
    strict: bool = False
    include_deleted: bool = False
    report: LossReport = field(default_factory=LossReport)
    progress: object = None      # callable(n_bytes_or_records) or None


def names() -> list[str]:
    return list(FORMAT_MODULES)


def get(name: str) -> ModuleType:
    if name not in FORMAT_MODULES:
        raise InputError(f"unknown format {name!r}; choose one of {', '.join(FORMAT_MODULES)}")
    return import_module(f"{__name__}.{FORMAT_MODULES[name]}")
