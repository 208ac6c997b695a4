"""Relations and attributes in the review window: the relations list and the attributes panel beside the span
table, relating spans from the keyboard (relation_linking.py), the related spans framed in the article with the
relation's name, and every change as an undoable command on the window's undo stack.

Made by the window after it has subscribed to the store, so on each change the span table is already up to date
when the desk reads it."""
from __future__ import annotations

import re

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QWidget

from ..core import attribute_proposals, relation_candidates as rc
from ..core.errors import NotFound
from ..core.relation_commands import DeleteRelation, NewEntity, RetypeRelation, SetAttribute, Together, \
    entity_id_from_text
from .attribute_panel import AttributePanel, entity_words
from .plain import text
from .review_status import shorten
from .relation_linking import RelationLinker, span_words
from .relation_list import RelationList

_ENTITY_ID = re.compile(r"\[([^\[\]]+)\]\s*$")


class RelationDesk(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.store, self.editor, self.view = window.store, window.editor, window.view
        self.doc_id: str | None = None
        self.proposals: dict[str, object] = {}  # the selected span's values proposed by the tool, not stored
        self.proposer = attribute_proposals.Proposer(self.store)
        self.list = RelationList(self._span_of)
        self.panel = AttributePanel()
        window.span_pane.add_section(self.list, 1)
        window.span_pane.add_section(self.panel, 0)
        self.relations_label = QLabel(objectName="relationsLabel")
        self.relations_label.setTextFormat(Qt.PlainText)
        window.statusBar().insertWidget(1, self.relations_label)
        self.view.hover_lines = self.relation_lines
        self.linker = RelationLinker(self.store, self.view, window.span_pane, self.editor.run, self)
        self._types_changed()
        self._entities_changed()

        say = window.statusBar().showMessage
        self.linker.sig_message.connect(say)
        self.panel.sig_message.connect(say)
        self.editor.sig_document_shown.connect(self._document_shown)
        self.editor.sig_selection_changed.connect(self._selected)
        self.list.sig_relation_chosen.connect(self._relation_chosen)
        self.list.sig_delete.connect(self.delete_relation)
        self.list.sig_retype.connect(self.retype_relation)
        self.list.sig_leave.connect(self.view.setFocus)
        self.panel.sig_set.connect(self.set_attribute)
        self.panel.sig_confirm.connect(self.confirm)
        self.panel.sig_new_entity.connect(self.new_entity)
        self.panel.sig_leave.connect(self.view.setFocus)
        window.external.sig_changed.connect(self.reload)
        self._unsubscribe = self.store.subscribe(self._on_change)
        self._build_actions()
        self.reload()

    def _build_actions(self) -> None:
        w = self.window
        menu = w.menuBar().addMenu("Rela&tions")
        relate = self._action(menu, "Relate the selected span…", "R", self.start)
        # R only in the article: in the curation table R rejects a candidate
        relate.setShortcutContext(Qt.WidgetShortcut)
        self.view.addAction(relate)
        self._action(menu, "Go to the relations list", "Ctrl+R", self.focus_list)
        menu.addSeparator()
        self._action(menu, "Attributes of the selected span", "F2", self.focus_panel)
        self._action(menu, "Confirm the span's proposed values", "Y", lambda: self.confirm(""))
        self.relate_action = relate

    def _action(self, menu, words: str, key: str, slot) -> QAction:
        action = QAction(words, self.window)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def stop(self) -> None:
        self._unsubscribe()

    # -- what is shown ----------------------------------------------------------------------------------------

    def _span_of(self, span_id: str):
        return self.window.span_pane.model.by_id.get(span_id)

    def _shown_annotator(self) -> str | None:
        return None if self.editor.show_others else self.window.annotator

    def reload(self) -> None:
        """The document's relations, the registry and the selected span's attributes, read again."""
        self.doc_id = self.editor.doc_id
        relations = self.store.relations(self.doc_id, annotator=self._shown_annotator()) if self.doc_id else []
        self.list.model.set_relations(relations, self.window.colors)
        self._entities_changed()
        self._show_selected()

    def _document_shown(self, _doc_id: str) -> None:
        self.linker.cancel("")
        self.reload()

    def _selected(self, span) -> None:
        if self.linker.active and (span is None or span.id != self.linker.source.id):
            self.linker.cancel("Relation cancelled: another span was selected")
        self._show_selected()

    def _related(self, span) -> list[tuple]:
        """(relation, the other span, True when the selected span is the head) for the selected span."""
        out = []
        for r in self.list.model.of_span(span.id):
            other = self._span_of(r.child if r.head == span.id else r.head)
            if other is not None:
                out.append((r, other, r.head == span.id))
        return out

    def relation_lines(self, span) -> list[str]:
        """A span's relations as its hover tooltip lists them, the arrow from head to child: "ACTOR → ORGANISATION
        “Ministry of Foreign Affairs”" on the commitment, "COMMITMENT “China will…” —ACTOR→ this" on the ministry."""
        return [f"{text(r.type)} → {span_words(o, 40)}" if head else f"{span_words(o, 40)} —{text(r.type)}→ this"
                for r, o, head in self._related(span)]

    def _show_selected(self) -> None:
        span = self.view.selected
        related = self._related(span) if span is not None else []
        self.view.related = [(o.start, o.end, r.type if head else f"← {r.type}") for r, o, head in related]
        self.view.viewport().update()
        self.relations_label.setText(self._fitting(related))
        self._show_attributes(span)

    def _fitting(self, related: list[tuple]) -> str:
        """The selected span's relations in the room the status bar has left beside the selection: the ends'
        labels and 30 characters of their texts, else shorter texts, else how many (the list shows them), so the
        message is never cut off."""
        if not related:
            return ""

        def words(o, width: int, label: bool) -> str:
            return span_words(o, width) if label else f"“{text(shorten(o.text, width))}”"

        bar = self.window.statusBar()
        taken = sum(w.width() + 12 for w in bar.findChildren(QWidget, options=Qt.FindDirectChildrenOnly)
                    if w.isVisible() and w is not self.relations_label
                    and w.objectName() not in ("hoverLabel", "selectionLabel"))
        selection = self.window.review_status.selection_label
        room = bar.width() - taken - selection.fontMetrics().horizontalAdvance(selection.text()) - 40
        advance = self.relations_label.fontMetrics().horizontalAdvance
        for width, label in ((30, True), (30, False), (18, False)):
            said = "  ·  ".join((f"{text(r.type)} → {words(o, width, label)}" if head else
                                 f"{words(o, width, label)} —{text(r.type)}→ this") for r, o, head in related)
            if advance(said) <= room:
                return said
        n = len(related)
        return f"{n} relation{'s' if n != 1 else ''} (Ctrl+R lists them)"

    def _show_attributes(self, span) -> None:
        if span is None:
            self.proposals = {}
            self.panel.show_span(None, [], {})
            return
        defs = self.store.attribute_defs(span.label)
        stored = {a.name: a for a in self.store.attributes(span_id=span.id)}
        self.proposals = {n: v for n, v in self.proposer.propose(span, defs, self.view.text).items()
                          if n not in stored}
        values = {n: (a.value, a.proposed) for n, a in stored.items()}
        values.update({n: (v, True) for n, v in self.proposals.items()})
        for d in defs:  # an entity shows as its name and id
            if d.type == "entity" and d.name in values:
                value, proposed = values[d.name]
                entity = self._entity_named(value)
                values[d.name] = (entity_words(entity) if entity is not None else f"[{value}]", proposed)
        self.panel.show_span(span, defs, values)

    def _entities_changed(self) -> None:
        """The completer offers the database's entities and the seed's organisations it does not hold yet."""
        self.proposer.forget()
        held = self.store.entities()
        ids = {e.id for e in held}
        self.panel.set_entities(held + [o for o in attribute_proposals.seed_organisations() if o.id not in ids])

    def _entity_named(self, entity_id: str):
        """The database's entity with this id, or the seed's (not in the database yet), or None."""
        try:
            return self.store.entity(entity_id)
        except NotFound:
            return attribute_proposals.seed_entity(entity_id)

    def _link(self, span, name: str, entity_id: str, text: str = ""):
        """The command that links ``span`` to an entity: the seed's is added to the database first."""
        try:
            self.store.entity(entity_id)
            return SetAttribute(span, name, entity_id, text=text)
        except NotFound:
            o = attribute_proposals.seed_entity(entity_id)
            return NewEntity(span, entity_id, o.name, o.aliases, o.kind, o.country, text=text or f"set {name}")

    def _types_changed(self) -> None:
        self.types = self.store.relation_types()
        self.list.type_keys = {t.hotkey.lower() for t in self.types if t.hotkey}
        self.list.set_type_names([t.name for t in self.store.relation_types(include_retired=True)])

    def _on_change(self, change) -> None:
        if change.kind == "relation_types":
            self._types_changed()
        elif change.kind == "entities":
            self._entities_changed()
            self._show_selected()
        elif change.doc_id is not None and change.doc_id != self.doc_id:
            return
        elif change.kind == "relations":
            if change.doc_id is None or not change.span_ids:
                self.reload()
                return
            mine = self._shown_annotator()
            for span_id in change.span_ids:
                for r in self.store.relations(self.doc_id, span_id=span_id, include_deleted=True):
                    if mine is None or r.annotator == mine:
                        self.list.model.put(r)
            self._show_selected()
        elif change.kind == "spans":
            self.list.model.spans_changed()
            self._show_selected()
        elif change.kind == "attributes":
            self._show_selected()

    # -- relations --------------------------------------------------------------------------------------------

    def start(self) -> None:
        self.linker.annotator = self.window.annotator
        self.linker.start()

    def focus_list(self) -> None:
        rows = self.list.model.relations
        if not rows:
            self.window.statusBar().showMessage("No relations in this article yet: select a span and press R", 5000)
            return
        span = self.view.selected
        mine = self.list.model.of_span(span.id) if span is not None else []
        row = self.list.model.row_of(mine[0].id) if mine else 0
        self.list.table.setFocus(Qt.ShortcutFocusReason)
        self.list.show_row(row)
        if span is None:  # nothing selected yet: the relation's head is, so both ends show framed
            self._relation_chosen(rows[row])
        self.window.statusBar().showMessage("Relations: ↑/↓ choose · Delete deletes · " + " · ".join(
            f"{t.hotkey} {text(t.name)}" for t in self.types if t.hotkey) + " retypes · Esc back to the article", 8000)

    def _relation_chosen(self, relation) -> None:
        head = self._span_of(relation.head)
        if head is not None:
            self.editor.select_span(head)

    def _after_list_edit(self, row: int) -> None:
        self.list.table.setFocus()
        self.list.show_row(row)

    def _not_mine(self, relation) -> bool:
        if relation.annotator == self.window.annotator:
            return False
        self.window.statusBar().showMessage(f"{text(relation.annotator)}'s relation: read-only here", 5000)
        return True

    def delete_relation(self, relation) -> None:
        if self._not_mine(relation):
            return
        row = self.list.model.row_of(relation.id)
        if self.editor.run(DeleteRelation(relation, span=self._span_of(relation.head))):
            self.window.statusBar().showMessage(f"Deleted the {relation.type} relation (Ctrl+Z brings it back)", 5000)
            self._after_list_edit(row)

    def retype_relation(self, relation, letter: str) -> None:
        if self._not_mine(relation):
            return
        head, child = self._span_of(relation.head), self._span_of(relation.child)
        if head is None or child is None:
            return
        fit = rc.fit_for_key(rc.fits(self.types, head, child), letter)
        if fit is None or fit.head.id != head.id:
            t = next((t for t in self.types if t.hotkey.lower() == letter), None)
            self.window.statusBar().showMessage(
                f"{text(t.name)} joins {text(t.head_label)} → {text(t.child_label)}: not these two" if t
                else f"No type has key {letter}",
                5000)
            return
        if fit.type.name != relation.type and self.editor.run(RetypeRelation(relation, fit.type.name, span=head)):
            self._after_list_edit(self.list.model.row_of(relation.id))

    # -- attributes -------------------------------------------------------------------------------------------

    def focus_panel(self) -> None:
        span = self.view.selected
        if span is None:
            self.window.statusBar().showMessage("Select a span first (] / [ or a click), then F2", 4000)
        elif not self.panel.focus_first():
            self.window.statusBar().showMessage(f"{span.label} has no attributes in this scheme", 4000)
        else:
            self.window.statusBar().showMessage("Attributes: Tab moves · Enter sets (or confirms a proposed value) · "
                                                "Esc back to the article", 6000)

    def _editable_span(self):
        span = self.view.selected
        if span is None:
            return None
        if span.annotator != self.window.annotator:
            self.window.statusBar().showMessage(f"{text(span.annotator)}'s span: read-only here", 5000)
            return None
        return span

    def set_attribute(self, name: str, value) -> None:
        span = self._editable_span()
        if span is None:
            return
        entity = any(d.type == "entity" and d.name == name for d in self.store.attribute_defs(span.label))
        if value is not None and entity:
            value = self._entity_id(value)
            if value is None:
                return
        current = self.store.attribute(span.id, name)
        if (current is None and value is None) or (current is not None and not current.proposed
                                                    and current.value == value):
            self._show_selected()  # nothing to change (Enter, then the completer's own activation)
            return
        command = self._link(span, name, value) if entity and value is not None else SetAttribute(span, name, value)
        if self.editor.run(command):
            self.window.statusBar().showMessage(f"{name} of {span_words(span, 30)}: " + (
                "cleared" if value is None else text(value)), 4000)
        else:
            self._show_selected()  # the field shows the stored value again

    def _entity_id(self, typed: str) -> str | None:
        match = _ENTITY_ID.search(typed)
        found = []
        if match:
            found = [match.group(1)]
        else:
            found = [e.id for e in self.store.find_entities(typed)]
            if not found:
                found = [e.id for e in self.store.entities() if e.name.lower() == typed.lower() or e.id == typed]
            if not found:  # as the proposals match names ("the IOM's"), and the seed's organisations
                hit = self.proposer.entity_for(typed, self.view.text)
                found = [hit] if hit else []
        for entity_id in found[:1] if len(found) == 1 else []:
            entity = self._entity_named(entity_id)
            if entity is not None:
                return entity.id
        many = f"{len(found)} entities are called that: choose one from the list" if len(found) > 1 else \
            "no entity has that name or alias: choose one from the list, or New entity from this span"
        self.window.statusBar().showMessage(f"“{text(typed)}”: {many}", 6000)
        self._show_selected()
        return None

    def confirm(self, name: str) -> None:
        """Confirm the selected span's proposed value ``name`` ("": all of them) as it is."""
        span = self._editable_span()
        if span is None:
            if self.view.selected is None:
                self.window.statusBar().showMessage("Select a span first, then Y confirms its proposed values", 4000)
            return
        stored = {a.name: a for a in self.store.attributes(span_id=span.id) if a.proposed}
        values = {n: a.value for n, a in stored.items()}
        values.update(self.proposals)
        if name:
            values = {name: values[name]} if name in values else {}
        if not values:
            self.window.statusBar().showMessage("Nothing proposed to confirm on this span", 4000)
            return
        words = ", ".join(values)
        entity_names = {d.name for d in self.store.attribute_defs(span.label) if d.type == "entity"}
        command = Together(f"confirm {words}", [self._link(span, n, v) if n in entity_names else
                                                SetAttribute(span, n, v) for n, v in values.items()], span=span)
        if self.editor.run(command):
            self.window.statusBar().showMessage(f"Confirmed {words} of {span_words(span, 30)}", 4000)

    def new_entity(self) -> None:
        span = self._editable_span()
        if span is None:
            return
        existing = self.store.find_entities(span.text)
        if existing:
            self.set_attribute("entity", entity_words(existing[0]))
            return

        def taken(key: str) -> bool:
            try:
                self.store.entity(key, follow=False)
                return True
            except NotFound:
                return False

        entity_id = entity_id_from_text(span.text, taken)
        if self.editor.run(NewEntity(span, entity_id, " ".join(span.text.split()))):
            self.window.statusBar().showMessage(f"New entity {entity_id}: “{text(span.text[:60])}”, linked", 5000)
