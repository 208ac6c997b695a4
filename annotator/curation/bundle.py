"""Bundles: one or several reviewers' work as canonical JSONL with tombstones, statuses, notes and gold spans.

A bundle is what ``annotator export --bundle`` writes and ``annotator merge`` reads. It is the canonical export
with deletions kept, so it is deterministic (documents by id, keys in a fixed order) and diffs cleanly under git.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from .. import formats
from ..core.model import DocumentRecord
from ..store import Store
from ..store.bulk import ExportFilter, export_records


def bundle_records(store: Store, annotators=(), labels=()) -> Iterator[DocumentRecord]:
    """Every document, with the reviewers' spans (tombstones included), statuses, notes and the gold layer."""
    return export_records(store, ExportFilter(annotators=tuple(annotators), labels=tuple(labels),
                                              include_deleted=True, gold=True))


def registry_options(store: Store) -> dict:
    """What a writer needs to carry the entities its lines link to: the registry (merged ones too, a link may
    still name one) and which attributes are entity links."""
    return {"entities": {e.id: e for e in store.entities(include_merged=True)},
            "attribute_types": {(d.label, d.name): d.type for d in store.attribute_defs()}}


def write_records(
    records, output: str | Path, *, tombstones: bool, progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None, store: Store | None = None,
) -> int:
    """``store``: the database whose registry's entities the lines carry (those they link to)."""
    options = formats.Options(include_deleted=tombstones, cancelled=cancelled, **(registry_options(store) if store
                                                                                 else {}))

    def counted():
        for n, rec in enumerate(records, 1):
            formats.check_cancelled(options)
            yield rec
            if progress and n % 100 == 0:
                progress(n)

    return formats.write_to(formats.get("jsonl"), counted(), output, options)


def export_bundle(store: Store, output: str | Path, *, annotators=(), labels=(), progress=None, cancelled=None) -> int:
    """Write a bundle to a file (``-`` for standard output); returns the number of documents."""
    return write_records(bundle_records(store, annotators, labels), output, tombstones=True, progress=progress,
                         cancelled=cancelled, store=store)


def export_gold(store: Store, output: str | Path, *, labels=(), progress=None, cancelled=None) -> int:
    """Write the gold layer as the spans of canonical JSONL (the curator as each span's annotator): every document
    the curation has touched (a gold span taken, or a reviewer's span rejected)."""
    from ..store.gold import gold_records

    return write_records(gold_records(store, labels=tuple(labels)), output, tombstones=False, progress=progress,
                         cancelled=cancelled, store=store)
