"""Whole imports and exports, with progress, cancellation and a report: what the command line and the window's
File > Import and File > Export both run. (It joins formats and the store, so it sits above both.)"""
from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import formats
from .core.errors import HINT_ENCODING, HINT_FORMAT, HINT_SKIP, InputError
from .store.bulk import ExportFilter, ImportReport, export_records, import_records
from .store.normalise import propose as propose_values


def import_paths(
    store,
    paths,
    *,
    fmt: str = "auto",
    encoding: str = "utf-8",
    annotator: str = "",
    skip_invalid: bool = False,
    strict: bool = False,
    offsets: str = "auto",
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    propose: bool = False,
) -> ImportReport:
    """Import files and folders in one transaction: all of it, or (on an error or a cancel) nothing. With
    ``strict``, what the files hold that we do not import (relations, choices, ...) refuses the whole import.
    With ``propose``, the imported documents' ORGANISATION, FIGURE and COMMITMENT spans then get proposed entity
    links, values and kinds (store/normalise.py; never over a value a reviewer confirmed), in a transaction of their own."""
    skipped: list = []
    files = formats.expand(paths, fmt, skipped)
    options = formats.Options(annotator=annotator, encoding=encoding, progress=progress, cancelled=cancelled,
                              strict=strict, offsets=offsets, attribute_types=_attribute_types(store))

    names = {l.name for l in store.labels(include_retired=True)}
    spaced = {"_".join(n.split()): n for n in names if " " in n and "_".join(n.split()) not in names}

    imported: set[str] = set()

    def records():
        for record in formats.read_all(files, options):
            formats.check_cancelled(options)
            if propose and not isinstance(record, InputError):
                imported.add(record.document.id)
            yield _spaces_back(record, spaced) if spaced else record
        # still inside the import's transaction: raising here leaves the database as it was
        if strict and options.report.lost:
            raise StrictRefusal("the files hold what annotator does not import (strict): "
                                + "; ".join(options.report.lines()) + ". Nothing imported.")

    report = import_records(store, records(), skip_invalid=skip_invalid)
    report.notes += options.report.lines()
    if propose and report.spans_added:
        proposals = propose_values(store, doc_ids=imported, keep=False)
        if proposals.links or proposals.figures or proposals.kinds:
            report.notes.append(proposals.lines()[0].split(": ", 1)[1] + " (see 'annotator normalise')")
    if skipped:
        shown = ", ".join(p.name for p in skipped[:5]) + (f" and {len(skipped) - 5} more" if len(skipped) > 5 else "")
        what = "text files" if fmt == "auto" else f"{fmt} files"
        report.notes.append(f"{len(skipped)} file(s) in the folder not imported (not {what}): {shown}")
    return report


def _attribute_types(store) -> dict[tuple[str, str], str]:
    """The database's attribute types, for formats that write values as text (brat, Label Studio)."""
    return {(d.label, d.name): d.type for d in store.attribute_defs()}


def _spaces_back(record, spaced: dict[str, str]):
    """brat and CoNLL write a label's spaces as ``_``: a label so written comes back as the database's label with
    spaces (``Medical_Condition`` -> ``Medical Condition``) when the database has that one and not the other."""
    if isinstance(record, InputError):
        return record
    for k, span in enumerate(record.spans):
        if span.label in spaced:
            record.spans[k] = span.evolve(label=spaced[span.label])
    return record


# The command line's advice, in the words of the window's File > Import dialog (it has no options: it has controls)
WINDOW_WORDS = {
    HINT_SKIP: "tick “Skip invalid records” to import the valid ones",
    HINT_ENCODING: "type it in the Text encoding box (for example cp1252)",
    HINT_FORMAT: "choose it in the Format list",
}


def in_window_words(message: str) -> str:
    """The message the command line prints for an import, with its advice in the Import dialog's own words."""
    for cli, window in WINDOW_WORDS.items():
        message = message.replace(cli, window)
    return message


def import_size(paths, fmt: str = "auto") -> int:
    """Bytes an import will read (what its progress counts)."""
    return sum(p.stat().st_size for p, _ in formats.expand(paths, fmt))


@dataclass
class ExportResult:
    documents: int
    report: formats.LossReport = field(default_factory=formats.LossReport)


class StrictRefusal(InputError):
    """``strict`` was asked and the format would lose or adjust something: nothing was written."""


def export_to(
    store,
    output: str | Path,
    *,
    fmt: str = "jsonl",
    flt: ExportFilter | None = None,
    strict: bool = False,
    offsets: str = "auto",
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Export to a file or folder. With ``strict``, a dry run first: if the format would lose anything, nothing is
    written and StrictRefusal says what."""
    module = formats.get(fmt)
    flt = flt or ExportFilter()
    # token formats and the other tools' files go out in the order documents came in (a round trip keeps the
    # source file's order); canonical JSONL keeps its id order
    flt = dataclasses.replace(flt, order=getattr(module, "ORDER", "id"),
                              relation_rows=getattr(module, "RELATION_ROWS", False))

    def counted(options):
        n = 0
        for record in export_records(store, flt):
            formats.check_cancelled(options)
            yield record
            n += 1
            if progress and n % 100 == 0:
                progress(n)

    registry = {e.id: e for e in store.entities(include_merged=True)}
    scheme = {"attribute_types": _attribute_types(store), "entity_names": {e.id: e.name for e in registry.values()
                                                                           if e.deleted is None},
              "entities": registry}  # canonical JSONL carries the entities its lines link to
    if strict:
        dry = formats.Options(strict=True, cancelled=cancelled, offsets=offsets, **scheme)
        _dry_run(module, counted(dry), dry)
        if dry.report:
            raise StrictRefusal(
                "the format cannot hold everything (strict): " + "; ".join(dry.report.lines()) + ". Nothing written."
            )
    options = formats.Options(strict=strict, cancelled=cancelled, offsets=offsets, **scheme)
    n = formats.write_to(module, counted(options), output, options)
    return ExportResult(n, options.report)


def _dry_run(module, records, options) -> int:
    if getattr(module, "WRITES_FOLDER", False):
        with tempfile.TemporaryDirectory() as tmp:
            return module.write(records, Path(tmp), options)
    return module.write(records, _NullWriter(), options)


class _NullWriter:
    def write(self, s: str) -> int:
        return len(s)
