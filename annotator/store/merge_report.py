"""What a merge did, for the command line, the window and scripts (``as_dict``)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class MergeReport:
    """What a merge did. ``ignored`` counts versions the database already had, or had a newer version of."""

    sources: list[str] = field(default_factory=list)
    documents_added: int = 0
    documents_present: int = 0
    documents_updated: int = 0  # metadata taken from the other copy (see the module docstring)
    spans_added: int = 0
    spans_updated: int = 0
    spans_deleted: int = 0
    spans_restored: int = 0
    spans_ignored: int = 0
    tombstones_added: int = 0  # deletions of spans this database never had live
    reviews_added: int = 0
    reviews_updated: int = 0
    reviews_ignored: int = 0
    gold_added: int = 0
    gold_updated: int = 0
    gold_deleted: int = 0
    gold_ignored: int = 0
    relations_added: int = 0
    relations_updated: int = 0
    relations_deleted: int = 0
    relations_ignored: int = 0
    attributes_added: int = 0
    attributes_updated: int = 0
    attributes_deleted: int = 0
    attributes_ignored: int = 0
    gold_links_added: int = 0  # gold relations and gold attribute values
    gold_links_updated: int = 0
    gold_links_deleted: int = 0
    gold_links_ignored: int = 0
    entities_added: int = 0
    entities_updated: int = 0
    relation_types_added: list[str] = field(default_factory=list)
    labels_added: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any((
            self.documents_added, self.documents_updated, self.spans_added, self.spans_updated, self.spans_deleted,
            self.spans_restored, self.tombstones_added, self.reviews_added, self.reviews_updated, self.gold_added,
            self.gold_updated, self.gold_deleted, self.relations_added, self.relations_updated,
            self.relations_deleted, self.attributes_added, self.attributes_updated, self.attributes_deleted,
            self.gold_links_added, self.gold_links_updated, self.gold_links_deleted, self.entities_added,
            self.entities_updated,
        ))

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}

    def lines(self) -> list[str]:
        out = [
            f"documents: {self.documents_added} added, {self.documents_present} already here"
            + (f" ({self.documents_updated} with their metadata taken from the other copy)" if self.documents_updated else ""),
            f"spans: {self.spans_added} added, {self.spans_updated} updated, {self.spans_deleted} deleted, "
            f"{self.spans_restored} restored, {self.spans_ignored} ignored (already here, or older than here)",
        ]
        if self.tombstones_added:
            out.append(f"deletions recorded for {self.tombstones_added} span(s) this database did not have live")
        if self.reviews_added or self.reviews_updated or self.reviews_ignored:
            out.append(f"review statuses and notes: {self.reviews_added} added, {self.reviews_updated} updated, "
                       f"{self.reviews_ignored} ignored")
        if self.gold_added or self.gold_updated or self.gold_deleted or self.gold_ignored:
            out.append(f"gold spans: {self.gold_added} added, {self.gold_updated} updated, {self.gold_deleted} deleted, "
                       f"{self.gold_ignored} ignored")
        for what, prefix in (("relations", "relations"), ("attribute values", "attributes"),
                             ("gold relations and attribute values", "gold_links")):
            counts = [getattr(self, f"{prefix}_{k}") for k in ("added", "updated", "deleted", "ignored")]
            if any(counts):
                out.append(f"{what}: {counts[0]} added, {counts[1]} updated, {counts[2]} deleted, {counts[3]} ignored")
        if self.entities_added or self.entities_updated:
            out.append(f"entities: {self.entities_added} added to the registry, {self.entities_updated} updated")
        if self.labels_added:
            out.append(f"new label(s) added to the label set: {', '.join(self.labels_added)}")
        if self.relation_types_added:
            out.append(f"new relation type(s) added, connecting any labels: {', '.join(self.relation_types_added)}")
        if not self.changed:
            out.append("nothing changed: this database already had all of it")
        return out + self.notes
