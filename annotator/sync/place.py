"""One sync with a shared place (a folder, or a git working copy): bring in the corpus and the teammates' work,
then write mine.

1. Read, without touching the database: the list of ``texts/``, the texts and metadata of documents this
   database lacks, and every reviewer file whose bytes differ from those merged last time (``sync_files``).
2. Merge it all in one transaction: a kill at any moment leaves the database as it was before the sync or as it
   is after it. Each teammate file is merged in a savepoint of its own, with every check of ``annotator merge``:
   a malformed or hostile file is refused (its name and the reason are reported) and changes nothing, while the
   other files still merge. What was taken in is recorded in the same transaction.
3. Write to the place what it lacks: texts and metadata of my documents, and my file, each atomically.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..core.errors import AnnotatorError, InputError
from ..core.model import Document, DocumentRecord
from ..formats.common import text_digest
from ..store import Store
from ..store import sync_state
from ..store.merge import MergeReport, merge_records
from . import layout
from .reviewer_files import items_of, own_work, read_reviewer_file, reviewer_lines, versions_of


class SyncCancelled(AnnotatorError):
    """Cancelled before anything was changed."""


@dataclass
class SyncReport:
    place: str = ""
    merged: list[tuple[str, MergeReport]] = field(default_factory=list)  # (teammate file, what it brought)
    refused: list[str] = field(default_factory=list)                     # one line each: the file and the reason
    waiting: list[str] = field(default_factory=list)                     # what a later sync takes
    documents_added: int = 0   # from texts/
    texts_written: int = 0
    my_file: str = ""
    my_file_written: bool = False
    notes: list[str] = field(default_factory=list)
    failed: bool = False  # my work did not reach the shared place (a push that failed): the next sync takes it

    @property
    def changed(self) -> bool:
        """Did this sync change my database or the shared place?"""
        return (self.my_file_written or bool(self.texts_written) or bool(self.documents_added)
                or any(r.changed for _, r in self.merged))

    def lines(self) -> list[str]:
        out = []
        if self.documents_added:
            out.append(f"from texts/: {self.documents_added} document(s) added")
        for name, r in self.merged:
            if r.changed:
                out.append(f"from {name}: {r.spans_added} span(s) added, "
                           f"{r.spans_updated} updated, {r.spans_deleted} deleted, {r.spans_restored} restored, "
                           f"{r.reviews_added + r.reviews_updated} review status(es), "
                           f"{r.gold_added + r.gold_updated + r.gold_deleted} gold span change(s)"
                           + (f", {r.documents_updated} document(s) with other metadata" if r.documents_updated else ""))
        out += [f"refused: {line}" for line in self.refused]
        out += [f"waiting: {line}" for line in self.waiting]
        if self.my_file_written:
            out.append(f"wrote {self.my_file}" + (f" and {self.texts_written} new text(s)" if self.texts_written else ""))
        elif self.texts_written:
            out.append(f"wrote {self.texts_written} new text(s)")
        out += self.notes
        if not self.changed and not self.refused and not self.waiting:
            out.append("nothing new: your database and the shared place were already in step")
        return out

    def summary(self) -> str:
        """One line for a status bar."""
        if self.failed:
            return self.notes[-1] if self.notes else "the sync failed"
        who = [layout.reviewer_of(Path(name)) for name, r in self.merged if r.changed and name.endswith(layout.SUFFIX)]
        parts = []
        if self.documents_added:
            parts.append(f"{self.documents_added} new document(s)")
        if who:
            parts.append(f"work of {', '.join(who[:3])}{' and others' if len(who) > 3 else ''} came in")
        if self.my_file_written or self.texts_written:
            parts.append("your work went out")
        if self.refused:
            parts.append(f"{len(self.refused)} file(s) refused")
        if self.waiting:
            parts.append(f"{len(self.waiting)} waiting")
        return ", ".join(parts) if parts else "nothing new"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _my_versions(store: Store) -> dict[str, str]:
    return {doc_id: layout.meta_version(layout.meta_bytes(title, source, meta))
            for doc_id, title, source, meta in sync_state.document_versions(store)}


def sync_place(store: Store, place: Path, annotator: str, key: str | None = None,
               step: Callable[[str], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> SyncReport:
    """``key`` names the place in the database's record of what was taken in (a folder's absolute path, a git
    remote's URL). ``step(what)`` is told what is being done; ``cancelled()`` is asked until the merge starts."""
    if not annotator.strip():
        raise InputError("the reviewer name is empty: give one with --annotator")
    place = Path(place)
    key = key or str(place.absolute())
    step = step or (lambda what: None)
    report = SyncReport(place=str(place))
    mine = place / layout.REVIEWERS / layout.reviewer_file_name(annotator)
    report.my_file = str(mine)

    def check_cancel() -> None:
        if cancelled and cancelled():
            raise SyncCancelled("sync cancelled: nothing was changed")

    # 1. read
    step("reading the shared place")
    listing = layout.list_texts(place)
    known = sync_state.file_digests(store, key)
    mine_versions = _my_versions(store)
    new_docs, refused_texts, seen = _corpus_records(place, listing, mine_versions, known, report, check_cancel,
                                                    store.document_text)
    check_cancel()
    said = sync_state.claims(store, key)  # what each file taken in last time says
    held = versions_of(sync_state.work_by_document(store))  # and what this database holds
    files = []  # reviewer files to merge: (path, owner, bytes, sha)
    owners = set()
    for path in layout.reviewer_files(place):
        owner = layout.reviewer_of(path)
        owners.add(owner)
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.refused.append(f"{path}: cannot read: {exc.strerror or exc}")
            continue
        sha = _sha(data)
        # bytes taken in before need no reading, unless this database holds an item of theirs otherwise: an
        # edit made here since, which the merge of that version may overrule (a tie, a clock set back)
        if known.get(path.name) == sha and all(held.get(k) == v for k, (v, _) in said.get(owner, {}).items()):
            continue
        said[owner] = items_of(data, owner)
        files.append((path, owner, data, sha))
    claims = {o: own_work(said.get(o, {})) for o in owners}  # a file taken away says nothing any more
    check_cancel()

    # 2. merge, one transaction
    step("merging")
    documents: dict[str, Document | None] = {}
    with store.transaction():
        if new_docs:
            try:
                merged = merge_records(store, new_docs, MergeReport(sources=["texts/"]))
                report.documents_added = merged.documents_added
                if merged.documents_updated:
                    report.merged.append(("texts/", merged))
            except InputError as exc:
                report.refused.append(str(exc))
            for name, version in seen:
                sync_state.record_file(store, key, name, version)

        def document(doc_id: str) -> Document | None:
            if doc_id not in documents:
                documents[doc_id] = store.document(doc_id) if store.has_document(doc_id) else None
            return documents[doc_id]

        for path, owner, data, sha in files:
            waiting: list[str] = []
            try:
                with store.transaction():  # a savepoint: a refused file changes nothing
                    merged = merge_records(store, read_reviewer_file(str(path), data, owner, document, claims,
                                                                     refused_texts, waiting),
                                           MergeReport(sources=[str(path)]))
            except InputError as exc:
                report.refused.append(str(exc))
                continue
            if waiting:
                report.waiting.append(f"{path.name}: {len(waiting)} document(s) whose text has not arrived in "
                                      "texts/ yet (a synced folder still copying?): a later sync takes them")
            else:
                sync_state.record_file(store, key, path.name, sha)
                sync_state.record_claims(store, key, owner, said[owner])
            if path != mine or merged.changed:  # my own file brings something only to a restored backup
                report.merged.append((path.name, merged))

    # 3. write what the place lacks
    step("writing your work")
    if report.documents_added or any(r.documents_updated for _, r in report.merged):
        mine_versions = _my_versions(store)
    report.texts_written = _write_corpus(store, place, listing, mine_versions)
    registry = {e.id: e for e in store.entities(include_merged=True)}
    entity_names = frozenset(d.name for d in store.attribute_defs() if d.type == "entity") or frozenset(("entity",))
    lines = list(reviewer_lines(sync_state.work_by_document(store), annotator, claims, registry, entity_names))
    data = "".join(line for _, line in lines).encode("utf-8")
    try:
        old = mine.read_bytes()
    except FileNotFoundError:
        old = None
    if old != data:
        layout.write_atomically(mine, data)
        report.my_file_written = True
    if known.get(mine.name) != _sha(data):
        with store.transaction():
            sync_state.record_file(store, key, mine.name, _sha(data))
            sync_state.record_claims(store, key, annotator, items_of(data, annotator))
    layout.remove_leftovers(mine.parent)
    return report


def _corpus_records(place: Path, listing, mine_versions: dict[str, str], known: dict[str, str],
                    report: SyncReport, check_cancel, text_of) -> tuple[list, dict[str, str], list]:
    """The documents of texts/ to merge (new ones, and other metadata of ones I have), the refused texts (id ->
    reason) and the metadata files they come from that stay other than mine (recorded, so not read again)."""
    records: list[DocumentRecord] = []
    refused: dict[str, str] = {}
    seen: list[tuple[str, str]] = []
    arriving = 0
    for n, (doc_id, (has_text, versions)) in enumerate(listing.items()):
        have = mine_versions.get(doc_id)
        if have is not None and len(versions) == 1 and have in versions:
            continue  # the common case: a document I have, with my metadata
        if n % 500 == 0:
            check_cancel()
        if not layout.is_document_id(doc_id):
            continue  # not a file of ours
        if have is not None:
            versions = {v for v in versions if v != have and known.get(layout.meta_name(doc_id, v)) != v}
            text = text_of(doc_id) if versions else None
        elif not has_text or not versions:
            arriving += 1
            continue
        else:
            try:
                text = layout.read_text(place, doc_id)
            except InputError as exc:
                refused[doc_id] = exc.reason
                report.refused.append(f"document {doc_id}: {exc.reason}")
                continue
        for v in sorted(versions):
            try:
                meta = layout.read_meta(place, doc_id, v)
            except InputError as exc:
                report.refused.append(str(exc))
                continue
            doc = _document(doc_id, text, meta)
            if isinstance(doc, str):
                report.refused.append(f"{layout.meta_path(place, doc_id, v)}: {doc}")
                continue
            records.append(DocumentRecord(doc, file=str(layout.meta_path(place, doc_id, v))))
            if have is not None:
                seen.append((layout.meta_name(doc_id, v), v))
    if arriving:
        report.waiting.append(f"texts/: {arriving} document(s) with their text or metadata not there yet (a synced "
                              "folder still copying?): a later sync takes them")
    return records, refused, seen


def _document(doc_id: str, text: str, meta: dict) -> Document | str:
    """A document with the metadata of a file of texts/, or what is wrong with the metadata."""
    meta = dict(meta)
    title, source = meta.pop("title", None), meta.pop("source", None)
    meta.pop("sha256", None)
    if not isinstance(title, str) or not title:
        return "'title' must be a non-empty string"
    if source is not None and not isinstance(source, str):
        return "'source' must be a string or null"
    return Document(doc_id, text, title, source, text_digest(text), meta)


def _write_corpus(store: Store, place: Path, listing, mine_versions: dict[str, str]) -> int:
    """Texts and metadata files of my documents that the place lacks; how many texts were written."""
    lacking_text = [d for d in mine_versions if not listing.get(d, (False, ()))[0]]
    lacking_meta = {d for d, v in mine_versions.items() if v not in listing.get(d, (False, set()))[1]}
    written = 0
    for doc_id, text in sync_state.documents_text(store, lacking_text):
        written += layout.write_once(layout.text_path(place, doc_id), text.encode("utf-8"))
    if lacking_meta:
        for doc_id, title, source, meta in sync_state.document_versions(store):
            if doc_id in lacking_meta:
                data = layout.meta_bytes(title, source, meta)
                layout.write_once(layout.meta_path(place, doc_id, layout.meta_version(data)), data)
    for bucket in {d[:2] for d in (*lacking_text, *lacking_meta)}:
        layout.remove_leftovers(place / layout.TEXTS / bucket)
    return written

