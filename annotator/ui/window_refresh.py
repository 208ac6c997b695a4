"""What the review window does when the database changes: its own commits (a span, a status, a label), another
connection's commits (a terminal import, another window), or a whole import or merge from its dialogs. Each view
reads again only what changed, keeping the reviewer's place."""
from __future__ import annotations

from dataclasses import replace


class WindowRefresh:
    """Part of MainWindow (its store, panes, editor and open document)."""

    def _on_change(self, change) -> None:
        if change.kind == "spans" and change.doc_id == self.doc_id:
            for span_id in change.span_ids:
                self.editor.span_changed(self.store.span(span_id))
            if not self.editor.show_others:  # the list counts the reviewer's own spans
                self.doc_model.set_span_count(self.doc_id, len(self.span_pane.spans))
        elif change.kind == "review":
            self.document_pane.rows_changed_soon()
            if change.doc_id == self.doc_id:
                self.review_status.update()
        elif change.kind == "labels":
            self._labels_changed()
        elif change.kind == "documents":
            self.document_pane.refresh()
            self._empty_hint()

    def _labels_changed(self) -> None:
        self.labels = self.store.labels()
        self.colors = {l.name: l.color for l in self.store.labels(include_retired=True)}
        self.span_pane.set_labels(self.labels)
        self._rebuild_label_actions()
        self.editor.recolor(self.colors)

    def refresh_from_elsewhere(self) -> None:
        """Another connection committed (a terminal import, another window): show what it changed, keeping the
        reviewer's place (the open document, its selected span, the scroll)."""
        labels = self.store.labels()
        colors = {l.name: l.color for l in self.store.labels(include_retired=True)}
        if labels != self.labels or colors != self.colors:
            self._labels_changed()
        self.document_pane.reload_rows()
        if self.doc_id:
            shown = {s.id: s for s in self.span_pane.spans}
            now = {s.id: s for s in self.store.spans(self.doc_id, include_deleted=True)}
            for span_id, span in now.items():
                mine = (span.annotator == self.annotator or self.editor.show_others) and not span.deleted
                if (span_id in shown) != mine or (mine and shown[span_id] != span):
                    self.editor.span_changed(span)
            for span_id in set(shown) - set(now):
                self.editor.span_changed(replace(shown[span_id], deleted="gone"))
            if not self.editor.show_others:  # the list counts the reviewer's own spans
                self.doc_model.set_span_count(self.doc_id, len(self.span_pane.spans))
        self.review_status.update()
        self._empty_hint()

    def _database_changed(self) -> None:
        """Another connection (an import, a merge) changed the database: refresh what shows it."""
        self._whose_spans()
        self._empty_hint()
        self.labels = self.store.labels()
        self.colors = {l.name: l.color for l in self.store.labels(include_retired=True)}
        self.span_pane.palette_widget.set_labels(self.labels)
        self._rebuild_label_actions()
        self.document_pane.refresh()
        if self.doc_id:
            self.open_document(self.doc_id)
        else:
            self.document_pane.select_first()
        self.review_status.update()
