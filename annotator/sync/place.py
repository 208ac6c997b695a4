"""One sync with a shared place (a folder, or a git working copy): bring in the teammates' files, write mine.

The teammates' files are merged first, each in its own transaction with every check of ``annotator merge``: a
malformed or hostile file is refused (its name and the reason are reported) and changes nothing, while the other
files still merge. Then my file is written from my database, with the texts the place lacks. Merging first lets my
file leave out what the teammates' own files already say (see ``layout.reviewer_lines``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import InputError
from ..store import Store
from ..store.bulk import ExportFilter, export_records
from ..store.merge import MergeReport, merge_records
from . import layout


@dataclass
class SyncReport:
    place: str = ""
    merged: list[tuple[str, MergeReport]] = field(default_factory=list)  # (teammate file, what it brought)
    refused: list[str] = field(default_factory=list)                     # one line each: the file and the reason
    texts_written: int = 0
    my_file: str = ""
    my_file_written: bool = False
    notes: list[str] = field(default_factory=list)
    failed: bool = False  # my work did not reach the shared place (a push that failed): the next sync takes it

    @property
    def changed(self) -> bool:
        """Did this sync change my database or the shared place?"""
        return self.my_file_written or bool(self.texts_written) or any(r.changed for _, r in self.merged)

    def lines(self) -> list[str]:
        out = []
        for name, r in self.merged:
            if r.changed:
                out.append(f"from {name}: {r.documents_added} document(s) added, {r.spans_added} span(s) added, "
                           f"{r.spans_updated} updated, {r.spans_deleted} deleted, {r.spans_restored} restored, "
                           f"{r.reviews_added + r.reviews_updated} review status(es), "
                           f"{r.gold_added + r.gold_updated + r.gold_deleted} gold span change(s)")
        out += [f"refused: {line}" for line in self.refused]
        if self.my_file_written:
            out.append(f"wrote {self.my_file}" + (f" and {self.texts_written} new text(s)" if self.texts_written else ""))
        elif self.texts_written:
            out.append(f"wrote {self.texts_written} new text(s)")
        out += self.notes
        if not self.changed:
            out.append("nothing new: your database and the shared place were already in step")
        return out


def sync_place(store: Store, place: Path, annotator: str) -> SyncReport:
    if not annotator.strip():
        raise InputError("the reviewer name is empty: give one with --annotator")
    place = Path(place)
    report = SyncReport(place=str(place))
    mine = place / layout.REVIEWERS / layout.reviewer_file_name(annotator)
    report.my_file = str(mine)

    def text_of(doc_id: str) -> str | None:
        return store.document_text(doc_id) if store.has_document(doc_id) else None

    published: dict[str, dict] = {}
    for path in layout.reviewer_files(place):
        owner = layout.reviewer_of(path)
        said: dict = {}
        try:
            merge = merge_records(store, layout.read_reviewer_file(place, path, text_of, said),
                                  MergeReport(sources=[str(path)]))
        except InputError as exc:
            report.refused.append(str(exc))
            continue
        if path != mine:
            published[owner] = said
            report.merged.append((path.name, merge))
        elif merge.changed:  # my own file brought back work this database had lost (a restored backup)
            report.merged.append((path.name, merge))

    lines = []
    # what ``annotator export --bundle`` writes (curation.bundle.bundle_records), read from the store directly:
    # sync is a sibling of curation in the layers, independent of it
    for rec in export_records(store, ExportFilter(include_deleted=True, gold=True)):
        report.texts_written += layout.write_texts(place, [(rec.document.id, rec.document.text)])
        lines.extend(layout.reviewer_lines([rec], annotator, published))
    data = "".join(lines).encode("utf-8")
    try:
        old = mine.read_bytes()
    except FileNotFoundError:
        old = None
    if old != data:
        layout.write_atomically(mine, data)
        report.my_file_written = True
    return report
