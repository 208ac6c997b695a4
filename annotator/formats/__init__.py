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

import dataclasses
import os
import stat
import sys
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from types import ModuleType

from ..core import database_files
from ..core.errors import HINT_FORMAT, InputError
from ..core.validate import check_storable
from .background_writer import open_background
from .staging import staging_folder

# Modules listed here are loaded lazily, so a format with a heavy optional dependency costs nothing until used.
# Detection (``--format auto``) asks each module in this order; the more specific JSONL shapes come before ours.
FORMAT_MODULES = {
    "doccano": "doccano",
    "spacy-jsonl": "spacy_jsonl",
    "jsonl": "canonical",
    "spacy": "docbin",
    "spacy-shards": "docbin_shards",
    "labelstudio": "labelstudio",
    "brat": "brat",
    "conll": "conll",
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
    cancelled: object = None     # callable() -> bool, polled by long reads and writes (the window's Cancel)
    offsets: str = "auto"        # doccano: "auto", "code-points" or "utf-16" (its page counts UTF-16 units)
    # the database's scheme, for formats that write attribute values as text (brat, Label Studio): (label, name) ->
    # type; None: the default scheme (formats/links.py)
    attribute_types: dict | None = None
    entity_names: dict | None = None  # entity id -> name, for brat's N lines
    entities: dict | None = None  # entity id -> Entity: canonical JSONL carries those its lines link to


def names() -> list[str]:
    return list(FORMAT_MODULES)


def get(name: str) -> ModuleType:
    name = name.lower()
    if name not in FORMAT_MODULES:
        raise InputError(f"unknown format {name!r}; choose one of {', '.join(FORMAT_MODULES)}")
    return import_module(f"{__name__}.{FORMAT_MODULES[name]}")


class Cancelled(Exception):
    """The user cancelled a long import or export; whatever it was writing is rolled back or removed."""


def check_cancelled(options: "Options | None") -> None:
    if options is not None and options.cancelled is not None and options.cancelled():
        raise Cancelled("cancelled")


DOCUMENT_SUFFIXES = (".txt", ".jsonl", ".ndjson")


def detect(path: Path) -> str | None:
    """The format a file is surely in, judged by each format's ``sniff``; None if no format claims it."""
    for name in names():
        sniff = getattr(get(name), "sniff", None)
        try:
            if sniff and sniff(path):
                return name
        except OSError as exc:
            raise _unreadable(exc, path) from None
    return None


def _unreadable(exc: OSError, path) -> InputError:
    return InputError(f"cannot read: {exc.strerror or exc}", str(exc.filename or path))


def _regular(path: Path, raw) -> None:
    """Only regular files are read: a named pipe or a device would block the import forever, or never end."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise _unreadable(exc, raw) from None
    if not stat.S_ISREG(mode):
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
        raise InputError(f"{kind}, not a file: only regular files and folders are imported", str(raw))


def _walk(folder: Path) -> list[Path]:
    """The regular files under a folder, sorted; a subfolder that cannot be read stops the import, named."""
    def refuse(exc: OSError) -> None:
        raise _unreadable(exc, folder)

    found = []
    for top, _, files in os.walk(folder, onerror=refuse):
        found += [p for p in (Path(top, f) for f in files) if p.is_file()]  # is_file: pipes and devices are left
    return sorted(found)


def expand(paths, fmt: str = "auto", skipped: list | None = None) -> list[tuple[Path, str]]:
    """Files to read, each with its format. Folders are walked recursively, in a stable (sorted) order; the files
    of a folder that are not taken are added to ``skipped`` (for the report). A brat document is read once, from
    its ``.txt``, however its pair is named."""
    fmt = fmt.lower()
    out: list[tuple[Path, str]] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError("no such file or folder", str(raw))
        if path.is_dir():
            # the database in use may sit in the folder: it is never a document, and never opened to be sniffed
            found = [(p, _folder_format(p, fmt)) for p in _walk(path) if not database_files.is_open_database_file(p)]
            if skipped is not None:
                skipped += [p for p, f in found if not f and not _companion(p)]
            found = [(p, f) for p, f in found if f]
            if not found:
                wanted = ", ".join(DOCUMENT_SUFFIXES) if fmt == "auto" else f"{fmt} files"
                raise InputError(f"the folder holds no text files to import (looked for {wanted}, recursively)", str(raw))
            out += found
        elif database_files.is_open_database_file(path):
            raise InputError("this is the database in use (or one of its files), not a document to import", str(raw))
        elif fmt != "auto":
            get(fmt)  # an unknown name is refused here, with the list of formats
            _regular(path, raw)
            out.append((path, fmt))
        else:
            _regular(path, raw)
            found = detect(path)
            if not found:
                if path.suffix.lower() == ".ann":
                    raise InputError("a brat .ann file is read with its .txt: give the folder that holds both",
                                     str(path))
                raise InputError(
                    "cannot tell the format of this file from its name or its content; "
                    f"{HINT_FORMAT} ({', '.join(names())})", str(path),
                )
            out.append((path, found))
    return out


def _companion(path: Path) -> bool:
    """Files read with another one: a text's ``.meta.json``, a brat ``.ann``, brat's ``.conf`` files."""
    return path.name.endswith(".meta.json") or path.suffix.lower() in (".ann", ".conf")


def _folder_format(path: Path, fmt: str) -> str | None:
    if path.name.endswith(".meta.json"):
        return None  # a text file's metadata, read with it
    if fmt != "auto":
        module = get(fmt)
        if path.suffix.lower() in module.SUFFIXES:
            # brat: a document's .txt (its .ann is read with it), so that each is read once
            return fmt if fmt != "brat" or path.suffix.lower() == ".txt" else None
        content = getattr(module, "CONTENT_SUFFIXES", ())
        return fmt if path.suffix.lower() in content and module.sniff(path) else None
    return detect(path)


def read_all(files: list[tuple[Path, str]], options: Options):
    """The records of every file, in order, as one stream (InputErrors included, for the caller to judge)."""
    unnamed = 0  # spans of formats that have no place for a reviewer's name
    for path, fmt in files:
        check_cancelled(options)
        names_reviewers = getattr(get(fmt), "NAMES_REVIEWERS", True)
        for record in read_file(path, fmt, options, name_source=True):
            if not names_reviewers and not isinstance(record, InputError):
                unnamed += len(record.spans)
            yield record
    if unnamed:
        options.report.notes.append(f"{unnamed} span(s) from files that name no reviewer (CoNLL, spaCy, brat) are "
                                    f"recorded as reviewer {options.annotator or 'import'!r}; --annotator names another")


def read_file(path: Path, fmt: str, options: Options, *, name_source: bool = False):
    """One file's records, each checked to be what the store can hold and every writer can write back
    (core.validate.check_storable: the one place every reader passes through, so a new reader cannot bring back a
    lone surrogate, a list where text belongs, a 30-digit number or a label with a space at its end). A file that
    cannot be read (permissions, a disk error) is an InputError naming it. With ``name_source``, a record that
    names no source gets the file's name (an import keeps where a document came from; a merge keeps the bundle's)."""
    module = get(fmt)
    binary = getattr(module, "WRITES_BINARY", False)  # binary files have documents, not lines
    try:
        for rec in module.read(path, options):
            if not isinstance(rec, InputError):
                try:
                    check_storable(rec)
                except InputError as exc:
                    if binary:
                        rec = InputError(f"document {rec.line}: {exc.reason}", str(path))
                    else:
                        rec = exc.at(str(path), rec.line or None)
                else:
                    if not rec.file:  # so that a later check (the store's, of relations and values) names it
                        rec.file = str(path)
                    if name_source and rec.document.source is None:
                        rec.document = dataclasses.replace(rec.document, source=str(path))
            yield rec
    except OSError as exc:
        yield _unreadable(exc, path)


def write_to(module: ModuleType, records, output: str | Path, options: Options) -> int:
    """Write records to a file (via ``FILE.partial``, moved into place only when complete, so a failed or
    cancelled export never leaves half a file), to a folder for formats that write folders (the same, a folder
    at a time: see _write_folder), or to standard output for ``-``."""
    if str(output) != "-":
        database_files.refuse_as_export_target(output)
        parent = Path(output).absolute().parent
        if not parent.is_dir():  # the same rule for a file and a folder: a mistyped path makes nothing
            raise InputError(f"the folder {parent} does not exist; create it first (nothing was written)", str(output))
    if getattr(module, "WRITES_FOLDER", False):
        if str(output) == "-":
            raise InputError(f"the {module.NAME} format writes a folder: give one with -o FOLDER")
        return _write_folder(module, records, Path(output), options)
    binary = getattr(module, "WRITES_BINARY", False)
    if str(output) == "-":
        return module.write(records, sys.stdout.buffer if binary else sys.stdout, options)
    target = Path(output)
    partial = target.with_name(target.name + ".partial")
    try:
        with open_background(partial, binary) as out:
            n = module.write(records, out, options)
        partial.replace(target)
    except OSError as exc:  # a full disk, a folder that cannot be written: said plainly, not as a traceback
        raise InputError(f"cannot write: {exc.strerror or exc}", str(target)) from exc
    finally:
        partial.unlink(missing_ok=True)
    return n


def _write_folder(module: ModuleType, records, target: Path, options: Options) -> int:
    """The files are written into a hidden folder beside the target and moved into it only when all are written:
    a failed or cancelled export leaves the target as it was. A new target is the hidden folder renamed; an
    existing one (a brat project with its annotation.conf, a previous export) gets each file moved in, replacing
    files of the same name and leaving the others, except files named as the format names its own (``OWNS``, a
    glob: ``part-*.spacy`` for spacy-shards), which a shorter export would otherwise leave behind."""
    try:
        with staging_folder(target) as staging:  # locked while in use; a killed export's is removed here
            return _fill_and_move(module, records, target, staging, options)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", str(target)) from exc


def _fill_and_move(module: ModuleType, records, target: Path, staging: Path, options: Options) -> int:
    try:
        n = module.write(records, staging, options)
        if not target.exists():
            staging.rename(target)
        else:
            written = {f.name for f in staging.iterdir()}
            for name in sorted(written):
                (staging / name).replace(target / name)
            # files of the format's own naming that this export did not write are a previous export's
            owns = getattr(module, "OWNS", None)
            for stale in target.glob(owns) if owns else ():
                if stale.name not in written:
                    stale.unlink()
        return n
    except OSError as exc:
        # name the file where it was going, not in the hidden folder (a rename names both: filename2 is where to)
        where = exc.filename2 or exc.filename
        if where and str(where).startswith(str(staging)):
            where = target / Path(where).name
        raise InputError(f"cannot write: {exc.strerror or exc}", str(where or target)) from exc
