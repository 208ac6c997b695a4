"""The findings tables as files in a folder, one file a table: ``commitments``, ``organisations``, ``figures``,
``over_time`` and ``coverage``, as CSV (UTF-8, a header row) or JSONL (one object a row, keys in column order).

Commitments and figures are written while the pass makes them (memory stays flat however many there are). Every
file is written under a temporary name and renamed only once all of them are complete, so a failure or a cancel
leaves the folder as it was.
"""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Callable

from ..core.errors import InputError
from ..store import Store
from . import rows
from .model import COLUMNS, Filters
from .tables import Findings, compute

FORMATS = ("csv", "jsonl")
TABLES = tuple(COLUMNS)


class _TableFile:
    def __init__(self, folder: Path, table: str, fmt: str):
        self.final = folder / f"{table}.{fmt}"
        self.temporary = folder / f".{table}.{fmt}.part"
        self.columns = COLUMNS[table]
        self.fh = open(self.temporary, "w", encoding="utf-8", newline="", buffering=1 << 20)
        self.pending: list[list] = []
        if fmt == "csv":
            self.csv = csv.writer(self.fh)
            self.csv.writerow(self.columns)
            # the cells that may hold a list, a boolean or None: only these are converted, the others (strings and
            # numbers) are written as they are, and rows go to the writer a few hundred at a time
            if table in CSV_LISTS:
                lists, others = CSV_LISTS[table], CSV_OTHERS[table]
                self.write = lambda values: self._add(values, lists, others)
            else:
                self.write = lambda values: self.csv.writerow([rows.csv_cell(v) for v in values])
        else:
            self.write = lambda values: self.fh.write(
                json.dumps(dict(zip(self.columns, values)), ensure_ascii=False) + "\n")

    def _add(self, values: list, lists: tuple[int, ...], others: tuple[int, ...]) -> None:
        for i in lists:
            values[i] = "; ".join(values[i])
        for i in others:
            values[i] = rows.csv_cell(values[i])
        self.pending.append(values)
        if len(self.pending) >= 500:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.csv.writerows(self.pending)
            self.pending.clear()


def _special(table: str, names: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(COLUMNS[table].index(n) for n in names)


# the long tables' cells that are not plain strings or numbers in the rows the pass makes: lists of strings, and
# values that may be None or a boolean
CSV_LISTS = {"commitments": _special("commitments", ("actors", "partners", "organisations_nearby", "figures")),
             "figures": ()}
CSV_OTHERS = {"commitments": (), "figures": _special("figures", ("value", "approximate"))}


def write(
    store: Store,
    folder: str | Path,
    fmt: str = "csv",
    filters: Filters | None = None,
    *,
    agreement=None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[Findings, list[Path]]:
    """Compute the findings and write each table into ``folder`` (made if missing). Returns the findings (with the
    first rows kept) and the files written, in table order."""
    if fmt not in FORMATS:
        raise InputError(f"unknown findings format {fmt!r}: choose one of {', '.join(FORMATS)} (or html)")
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError("is a file: the tables go into a folder (one file a table); give a folder", str(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot make the folder: {exc.strerror}", str(folder)) from None
    files: dict[str, _TableFile] = {}
    try:
        for table in TABLES:
            files[table] = _TableFile(folder, table, fmt)
        findings = compute(store, filters, keep=0, agreement=agreement, progress=progress, cancelled=cancelled,
                           on_commitment=files["commitments"].write, on_figure=files["figures"].write)
        for o in findings.organisations:
            files["organisations"].write(rows.organisation(o))
        for period, organisation, n in findings.over_time:
            files["over_time"].write([period, organisation, n])
        for name, value in findings.filters.described():  # what the tables were made from, for whoever reads them
            files["coverage"].write([f"filter: {name}", "", value])
        for row in rows.coverage(findings.coverage):
            files["coverage"].write(row)
        for f in files.values():
            if f.pending:
                f.flush()
            f.fh.close()
        for f in files.values():
            os.replace(f.temporary, f.final)
    except OSError as exc:
        raise InputError(f"cannot write the tables: {exc.strerror or exc}", str(folder)) from None
    finally:
        for f in files.values():
            f.fh.close()
            if f.temporary.exists():
                f.temporary.unlink()
    return findings, [f.final for f in files.values()]
