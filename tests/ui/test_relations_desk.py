"""Issue 14, the window: relating spans from the keyboard, seeing and editing relations, the attributes panel.

The China Daily article of documents/: the commitment "China will strengthen cooperation with regional and
international organizations…", the ministry whose official announced it, the IOM that co-organised the workshop,
and "US$7 billion"."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.store import Store
from tests.ui.test_review_desk import point_of

COMMITMENT = "China will strengthen cooperation with regional and international organizations"
MINISTRY = "Ministry of Foreign Affairs"
IOM = "International Organization for Migration"
FIGURE = "US$7 billion"
CHINA_DAILY = "Joint Efforts Key to Fighting Irregular Migration"


def span_at(store, doc, phrase, label, occurrence=0):
    at = -1
    for _ in range(occurrence + 1):
        at = doc.text.index(phrase, at + 1)
    return store.add_span(doc.id, at, at + len(phrase), label, "alice")


@pytest.fixture
def desk_db(corpus_db):
    """alice's spans in the China Daily article, and the registry's IOM (the seed list brings it)."""
    store = Store(corpus_db)
    doc = next(store.document(d.id) for d in store.list_documents(0, 10) if d.title == CHINA_DAILY)
    span_at(store, doc, COMMITMENT, "COMMITMENT")
    span_at(store, doc, "Department of International Organizations and Conferences", "ORGANISATION")
    span_at(store, doc, MINISTRY, "ORGANISATION", 0)
    span_at(store, doc, MINISTRY, "ORGANISATION", 1)
    span_at(store, doc, IOM, "ORGANISATION")
    span_at(store, doc, "more than 90 delegates", "FIGURE")
    span_at(store, doc, FIGURE, "FIGURE")
    if not store.find_entities("IOM"):
        store.add_entity("IOM", IOM, aliases=("IOM",))
    store.close()
    return corpus_db, doc.id


@pytest.fixture
def desk(open_window, desk_db):
    path, doc_id = desk_db
    w = open_window(path)
    w.open_document(doc_id)
    w.view.highlighter.finish()
    return w


def key(w, qtbot, k, modifier=Qt.NoModifier, widget=None):
    qtbot.keyClick(widget or w.focusWidget() or w.view, k, modifier)


def go_to(w, qtbot, phrase):
    """From the keyboard: ] from the start until the phrase's span is selected."""
    key(w, qtbot, Qt.Key_Escape, widget=w.view)
    key(w, qtbot, Qt.Key_Home, Qt.ControlModifier, widget=w.view)
    for _ in range(len(w.span_pane.spans) + 1):
        key(w, qtbot, Qt.Key_BracketRight, widget=w.view)
        if w.view.selected is not None and w.view.selected.text == phrase:
            return w.view.selected
    raise AssertionError(f"no span {phrase!r}: {w.view.selected} {w.focusWidget()} {QApplication.activePopupWidget()}")


def status(w):
    return w.statusBar().currentMessage()


def relations(w):
    spans = {s.id: s.text for s in w.store.spans(w.doc_id)}
    return sorted((spans[r.head][:20], r.type, spans[r.child]) for r in w.store.relations(w.doc_id))


def test_done_when_from_the_keyboard_only(desk, qtbot):
    w = desk
    go_to(w, qtbot, COMMITMENT)
    key(w, qtbot, Qt.Key_R, widget=w.view)
    assert "Relating COMMITMENT" in status(w) and "Esc cancels" in status(w) and "a ACTOR" in status(w)
    # nearest first: the Department (next paragraph), then the ministry
    assert w.relations.linker.candidate.text.startswith("Department of International")
    key(w, qtbot, Qt.Key_BracketRight, widget=w.view)
    assert w.relations.linker.candidate.text == MINISTRY
    assert w.view.candidate == (w.relations.linker.candidate.start, w.relations.linker.candidate.end)
    key(w, qtbot, Qt.Key_A, widget=w.view)
    assert relations(w) == [(COMMITMENT[:20], "ACTOR", MINISTRY)]
    assert "Related" in status(w) and w.view.candidate is None
    assert w.view.selected.text == COMMITMENT  # still selected: R again relates the partner

    key(w, qtbot, Qt.Key_R, widget=w.view)
    for _ in range(10):
        if w.relations.linker.candidate.text == IOM:
            break
        key(w, qtbot, Qt.Key_Tab, widget=w.view)
    key(w, qtbot, Qt.Key_P, widget=w.view)
    assert relations(w) == [(COMMITMENT[:20], "ACTOR", MINISTRY), (COMMITMENT[:20], "PARTNER", IOM)]

    # the related spans are framed with the relation's name, the status bar names them, the list lists them
    assert sorted(c for _, _, c in w.view.related) == ["ACTOR", "PARTNER"]
    # (two relations beside the selection leave no room for the ends' labels at the window's default size)
    assert "ACTOR → “Ministry of Foreign Affairs”" in w.relations.relations_label.text()
    assert w.relations.list.model.rowCount() == 2

    # the IOM link is proposed from the registry; Y confirms it
    iom = go_to(w, qtbot, IOM)
    panel = w.relations.panel
    assert panel.tags["entity"].text() == "proposed" and panel.fields["entity"].font().italic()
    assert "[IOM]" in panel.fields["entity"].text()
    key(w, qtbot, Qt.Key_Y, widget=w.view)
    attr = w.store.attribute(iom.id, "entity")
    assert attr.value == "IOM" and not attr.proposed
    assert panel.tags["entity"].text() == "" and not panel.fields["entity"].font().italic()

    # the figure's value and unit are proposed from its text; Y confirms them
    fig = go_to(w, qtbot, FIGURE)
    value, unit = panel.fields["value"], panel.fields["unit"]
    assert (value.text(), unit.text()) == ("7,000,000,000", "USD") and value.font().italic()
    assert panel.tags["value"].text() == panel.tags["unit"].text() == "proposed"
    assert w.store.attribute(fig.id, "value") is None  # shown, not stored, until confirmed
    key(w, qtbot, Qt.Key_Y, widget=w.view)
    assert (w.store.attribute(fig.id, "value").value, w.store.attribute(fig.id, "unit").value) == (7_000_000_000, "USD")
    assert not w.store.attribute(fig.id, "value").proposed and not value.font().italic()
    assert panel.tags["value"].text() == ""


def test_a_typed_value_and_unit_from_the_panel(desk, qtbot):
    w = desk
    panel = w.relations.panel
    fig = go_to(w, qtbot, FIGURE)
    key(w, qtbot, Qt.Key_F2, widget=w.view)
    value = panel.fields["value"]
    assert value.hasFocus()
    value.selectAll()
    qtbot.keyClicks(value, "7.5e9")
    key(w, qtbot, Qt.Key_Return, widget=value)
    assert w.store.attribute(fig.id, "value").value == 7_500_000_000 and value.text() == "7,500,000,000"
    key(w, qtbot, Qt.Key_Tab, widget=value)
    unit = panel.fields["unit"]
    assert unit.hasFocus()
    unit.selectAll()
    qtbot.keyClicks(unit, "EUR")
    key(w, qtbot, Qt.Key_Return, widget=unit)
    assert w.store.attribute(fig.id, "unit").value == "EUR" and not unit.font().italic()
    key(w, qtbot, Qt.Key_Escape, widget=unit)
    assert w.view.hasFocus() and w.view.selected.id == fig.id


def test_relating_mode_keys_esc_cancels_and_label_keys_wait(desk, qtbot):
    w = desk
    go_to(w, qtbot, COMMITMENT)
    key(w, qtbot, Qt.Key_R, widget=w.view)
    first = w.relations.linker.candidate
    key(w, qtbot, Qt.Key_Tab, widget=w.view)
    key(w, qtbot, Qt.Key_Backtab, Qt.ShiftModifier, widget=w.view)
    assert w.relations.linker.candidate == first
    key(w, qtbot, Qt.Key_BracketLeft, widget=w.view)  # wraps round to the farthest
    assert w.relations.linker.candidate.text == FIGURE
    key(w, qtbot, Qt.Key_2, widget=w.view)  # a label key does not relabel the span being related
    assert w.view.selected.label == "COMMITMENT" and "No relation type has the key '2'" in status(w)
    key(w, qtbot, Qt.Key_A, widget=w.view)  # ACTOR joins an ORGANISATION, not a FIGURE: said, nothing made
    assert "ACTOR joins COMMITMENT → ORGANISATION, not these two" in status(w) and relations(w) == []
    key(w, qtbot, Qt.Key_Escape, widget=w.view)
    assert status(w) == "Relation cancelled" and w.view.candidate is None and relations(w) == []
    assert w.view.selected.text == COMMITMENT  # Esc ended the mode only
    key(w, qtbot, Qt.Key_BracketRight, widget=w.view)  # ] is the span step again
    assert w.view.selected.text != COMMITMENT


def test_enter_makes_the_default_type_and_a_click_picks_a_candidate(desk, qtbot):
    w = desk
    go_to(w, qtbot, COMMITMENT)
    key(w, qtbot, Qt.Key_R, widget=w.view)
    at = w.view.text.index(FIGURE)
    qtbot.mouseClick(w.view.viewport(), Qt.LeftButton, pos=point_of(w.view, at + 2))
    assert w.relations.linker.candidate.text == FIGURE and w.view.selected.text == COMMITMENT
    key(w, qtbot, Qt.Key_Return, widget=w.view)
    assert relations(w) == [(COMMITMENT[:20], "AMOUNT", FIGURE)]


def test_from_an_organisation_the_candidates_are_commitments_and_it_is_the_child(desk, qtbot):
    w = desk
    go_to(w, qtbot, IOM)
    key(w, qtbot, Qt.Key_R, widget=w.view)
    assert [s.label for s in w.relations.linker.candidates] == ["COMMITMENT"]
    key(w, qtbot, Qt.Key_P, widget=w.view)
    assert relations(w) == [(COMMITMENT[:20], "PARTNER", IOM)]
    assert "COMMITMENT “China will strengthen" in w.relations.relations_label.text() and "—PARTNER→ this" in \
        w.relations.relations_label.text()
    assert [c for _, _, c in w.view.related] == ["← PARTNER"]


def test_r_with_nothing_to_relate_says_why(desk, qtbot):
    w = desk
    key(w, qtbot, Qt.Key_Escape, widget=w.view)
    key(w, qtbot, Qt.Key_R, widget=w.view)
    assert "Select a span first" in status(w)
    go_to(w, qtbot, "more than 90 delegates")
    w.store.delete_span(next(s.id for s in w.store.spans(w.doc_id) if s.label == "COMMITMENT"))
    key(w, qtbot, Qt.Key_R, widget=w.view)
    assert "No span in this article can be related to FIGURE" in status(w) and not w.relations.linker.active


def relate(w, qtbot, source, target, type_key):
    go_to(w, qtbot, source)
    key(w, qtbot, Qt.Key_R, widget=w.view)
    for _ in range(len(w.relations.linker.candidates)):
        if w.relations.linker.candidate.text == target:
            break
        key(w, qtbot, Qt.Key_BracketRight, widget=w.view)
    key(w, qtbot, type_key, widget=w.view)


def test_relations_list_delete_retype_undo_redo(desk, qtbot):
    w = desk
    relate(w, qtbot, COMMITMENT, MINISTRY, Qt.Key_A)
    relate(w, qtbot, COMMITMENT, IOM, Qt.Key_P)
    go_to(w, qtbot, COMMITMENT)
    key(w, qtbot, Qt.Key_R, Qt.ControlModifier, widget=w.view)
    table = w.relations.list.table
    assert table.hasFocus() and table.currentIndex().row() == 0
    model = w.relations.list.model
    assert [model.data(model.index(0, c)) for c in range(3)] == [
        "“China will strengthen cooperation with…”", "ACTOR", "“Ministry of Foreign Affairs”"]
    # retype the ACTOR as PARTNER with its key, then undo and redo it
    key(w, qtbot, Qt.Key_P, widget=table)
    assert relations(w) == [(COMMITMENT[:20], "PARTNER", IOM), (COMMITMENT[:20], "PARTNER", MINISTRY)]
    assert table.hasFocus()
    key(w, qtbot, Qt.Key_Z, Qt.ControlModifier, widget=table)
    assert relations(w) == [(COMMITMENT[:20], "ACTOR", MINISTRY), (COMMITMENT[:20], "PARTNER", IOM)]
    key(w, qtbot, Qt.Key_Y, Qt.ControlModifier, widget=table)
    assert relations(w)[1] == (COMMITMENT[:20], "PARTNER", MINISTRY)
    key(w, qtbot, Qt.Key_Z, Qt.ControlModifier, widget=table)
    # Delete in the list deletes the relation, not the span
    table.setFocus()
    w.relations.list.show_row(1)
    key(w, qtbot, Qt.Key_Delete, widget=table)
    assert relations(w) == [(COMMITMENT[:20], "ACTOR", MINISTRY)] and len(w.store.spans(w.doc_id)) == 7
    assert model.rowCount() == 1 and "Deleted the PARTNER relation" in status(w)
    key(w, qtbot, Qt.Key_Z, Qt.ControlModifier, widget=table)
    assert model.rowCount() == 2 and len(relations(w)) == 2
    key(w, qtbot, Qt.Key_Escape, widget=table)
    assert w.view.hasFocus()
    # a click on a row selects its head in the article and frames the child
    rect = table.visualRect(model.index(0, 2))
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())
    assert w.view.selected.text == COMMITMENT
    assert any((s, e) == (w.view.text.index(MINISTRY), w.view.text.index(MINISTRY) + len(MINISTRY))
               for s, e, _ in w.view.related)


def test_deleting_a_span_takes_its_relations_says_so_and_undo_brings_them_back(desk, qtbot):
    w = desk
    relate(w, qtbot, COMMITMENT, MINISTRY, Qt.Key_A)
    relate(w, qtbot, COMMITMENT, IOM, Qt.Key_P)
    go_to(w, qtbot, COMMITMENT)
    key(w, qtbot, Qt.Key_Delete, widget=w.view)
    assert status(w).startswith("Deleted 1 span and its 2 relations")
    assert relations(w) == [] and w.relations.list.model.rowCount() == 0
    key(w, qtbot, Qt.Key_Z, Qt.ControlModifier, widget=w.view)
    assert len(relations(w)) == 2 and w.relations.list.model.rowCount() == 2
    assert w.view.selected.text == COMMITMENT and len(w.view.related) == 2
    key(w, qtbot, Qt.Key_Z, Qt.ControlModifier, widget=w.view)  # and the relations before it, one by one
    assert len(relations(w)) == 1
    key(w, qtbot, Qt.Key_Y, Qt.ControlModifier, widget=w.view)
    key(w, qtbot, Qt.Key_Y, Qt.ControlModifier, widget=w.view)
    assert relations(w) == [] and w.relations.list.model.rowCount() == 0


def test_attributes_from_the_keyboard_kind_approximate_and_undo(desk, qtbot):
    w = desk
    panel = w.relations.panel
    commitment = go_to(w, qtbot, COMMITMENT)
    key(w, qtbot, Qt.Key_F2, widget=w.view)
    kind = panel.fields["kind"]
    # "China will strengthen ...": a pledge, proposed from the wording and not stored until confirmed
    assert kind.hasFocus() and kind.currentText() == "pledge" and panel.tags["kind"].text() == "proposed"
    assert w.store.attribute(commitment.id, "kind") is None
    key(w, qtbot, Qt.Key_Down, widget=kind)  # a closed combo box steps its choices with the arrows
    assert w.store.attribute(commitment.id, "kind").value == "agreement"
    key(w, qtbot, Qt.Key_Escape, widget=kind)
    assert w.view.hasFocus()
    key(w, qtbot, Qt.Key_Z, Qt.ControlModifier, widget=w.view)
    assert w.store.attribute(commitment.id, "kind") is None and kind.currentText() == "pledge"
    key(w, qtbot, Qt.Key_Y, Qt.ControlModifier, widget=w.view)
    assert w.store.attribute(commitment.id, "kind").value == "agreement" and kind.currentText() == "agreement"

    figure = go_to(w, qtbot, "more than 90 delegates")
    key(w, qtbot, Qt.Key_F2, widget=w.view)
    key(w, qtbot, Qt.Key_Tab, widget=panel.fields["value"])
    key(w, qtbot, Qt.Key_Tab, widget=panel.fields["unit"])
    approximate = panel.fields["approximate"]
    assert approximate.hasFocus()
    # "more than 90" is proposed approximate; Space unticks it, and the reviewer's word is stored
    assert approximate.isChecked() and panel.tags["approximate"].text() == "proposed"
    key(w, qtbot, Qt.Key_Space, widget=approximate)
    stored = w.store.attribute(figure.id, "approximate")
    assert stored.value is False and not stored.proposed and not approximate.isChecked()
    assert panel.tags["approximate"].text() == "" and panel.tags["value"].text() == "proposed"
    # a value that is not a number is refused in the status bar, nothing stored
    panel.fields["value"].setFocus()
    panel.fields["value"].selectAll()
    qtbot.keyClicks(panel.fields["value"], "ninety")
    key(w, qtbot, Qt.Key_Return, widget=panel.fields["value"])
    assert "'ninety' is not a number" in status(w) and w.store.attribute(figure.id, "value") is None


def test_a_proposed_value_shows_as_proposed_and_enter_or_y_confirms_it_undoably(desk, qtbot):
    w = desk
    panel = w.relations.panel
    fig = next(s for s in w.store.spans(w.doc_id) if s.text == FIGURE)
    w.store.set_attribute(fig.id, "value", 7_000_000_000, proposed=True)
    w.store.set_attribute(fig.id, "unit", "USD", proposed=True)
    go_to(w, qtbot, FIGURE)
    value = panel.fields["value"]
    assert value.text() == "7,000,000,000" and value.font().italic() and panel.tags["value"].text() == "proposed"
    assert panel.confirm_button.isEnabled()
    key(w, qtbot, Qt.Key_F2, widget=w.view)
    key(w, qtbot, Qt.Key_Return, widget=value)  # Enter on the proposed value, unchanged: confirmed
    assert not w.store.attribute(fig.id, "value").proposed and w.store.attribute(fig.id, "unit").proposed
    assert not value.font().italic() and panel.tags["unit"].text() == "proposed"
    key(w, qtbot, Qt.Key_Escape, widget=value)
    key(w, qtbot, Qt.Key_Y, widget=w.view)
    assert not w.store.attribute(fig.id, "unit").proposed and "Confirmed unit" in status(w)
    key(w, qtbot, Qt.Key_Y, widget=w.view)
    assert status(w) == "Nothing proposed to confirm on this span"
    key(w, qtbot, Qt.Key_Z, Qt.ControlModifier, widget=w.view)
    assert w.store.attribute(fig.id, "unit").proposed and panel.tags["unit"].text() == "proposed"


def test_entity_from_the_completer_and_a_new_entity_from_the_span(desk, qtbot):
    w = desk
    panel = w.relations.panel
    ministry = go_to(w, qtbot, MINISTRY)
    # a bare "Ministry of Foreign Affairs" is proposed the ministry of the country the article names
    assert panel.fields["entity"].text() == "Ministry of Foreign Affairs (China) [CN-MFA]"
    assert panel.tags["entity"].text() == "proposed"
    w.store.add_entity("MOFA-CN", "Ministry of Foreign Affairs of China", aliases=("Chinese Foreign Ministry",))
    key(w, qtbot, Qt.Key_F2, widget=w.view)
    entity = panel.fields["entity"]
    qtbot.keyClicks(entity, "chinese foreign")
    popup = entity.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().data(popup.model().index(0, 0)) == "Chinese Foreign Ministry [MOFA-CN]"
    key(w, qtbot, Qt.Key_Down, widget=popup)
    key(w, qtbot, Qt.Key_Return, widget=popup)
    qtbot.waitUntil(lambda: entity.text() == "Ministry of Foreign Affairs of China [MOFA-CN]")
    # offscreen, the closed popup leaves no window active (a desktop gives the activation back to the window)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    entity.setFocus()
    assert w.store.attribute(ministry.id, "entity").value == "MOFA-CN"
    assert [c.text for c in w.stack.done] == ["set entity"]  # one step, though Enter and the completer both said it
    # a name no entity has is refused, saying what to do
    entity.selectAll()
    qtbot.keyClicks(entity, "Ministry of Magic")
    key(w, qtbot, Qt.Key_Return, widget=entity)
    assert "no entity has that name or alias" in status(w)
    assert w.store.attribute(ministry.id, "entity").value == "MOFA-CN"

    # undone, the proposal is back; Y confirms it, adding the seed's ministry to the database's registry
    key(w, qtbot, Qt.Key_Escape, widget=entity)
    key(w, qtbot, Qt.Key_Z, Qt.ControlModifier, widget=w.view)
    assert w.store.attribute(ministry.id, "entity") is None and panel.tags["entity"].text() == "proposed"
    key(w, qtbot, Qt.Key_Y, widget=w.view)
    assert w.store.attribute(ministry.id, "entity").value == "CN-MFA"
    assert w.store.entity("CN-MFA").name == "Ministry of Foreign Affairs (China)"

    department = go_to(w, qtbot, "Department of International Organizations and Conferences")
    qtbot.mouseClick(panel.new_entity_button, Qt.LeftButton)
    linked = w.store.attribute(department.id, "entity").value
    assert linked == "DEPARTMENT-OF-INTERNATIONAL-ORGANIZATIONS-AND-CONFERENCES"
    assert w.store.entity(linked).name == department.text and "New entity" in status(w)
    key(w, qtbot, Qt.Key_Z, Qt.ControlModifier, widget=w.view)
    assert w.store.attribute(department.id, "entity") is None  # the link undone; the entity stays listed


def test_relations_list_shows_span_texts_as_text(open_window, tmp_path, qtbot):
    path = tmp_path / "markup.db"
    store = Store(path)
    text_ = "<b>Acme</b> \u202eeno will <img src=x> fund it.\n"
    doc = store.add_document(text_)[0]
    org = store.add_span(doc.id, 0, 11, "ORGANISATION", "alice")
    com = store.add_span(doc.id, 12, len(text_) - 1, "COMMITMENT", "alice")
    store.add_relation(doc.id, com.id, org.id, "ACTOR", "alice")
    store.close()
    w = open_window(path)
    w.open_document(doc.id)
    model = w.relations.list.model
    assert model.data(model.index(0, 2)) == "“<b>Acme</b>”"
    assert model.data(model.index(0, 0)).startswith("\u2068“")  # the override is isolated
    assert "&lt;b&gt;Acme" in model.data(model.index(0, 0), Qt.ToolTipRole)


def test_relations_from_another_program_show_and_others_relations_are_read_only(open_window, desk_db, qtbot):
    path, doc_id = desk_db
    w = open_window(path, annotator="carol")  # a curator: alice's spans are shown read-only
    w.open_document(doc_id)
    elsewhere = Store(path)
    spans = {s.text: s for s in elsewhere.spans(doc_id)}
    elsewhere.add_relation(doc_id, spans[COMMITMENT].id, spans[IOM].id, "PARTNER", "alice")
    elsewhere.close()
    model = w.relations.list.model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=3000)
    w.relations.focus_list()
    key(w, qtbot, Qt.Key_Delete, widget=w.relations.list.table)
    assert "alice's relation: read-only here" in status(w) and len(w.store.relations(doc_id)) == 1
    go_to(w, qtbot, COMMITMENT)
    key(w, qtbot, Qt.Key_R, widget=w.view)
    assert "read-only here" in status(w) and not w.relations.linker.active


def test_hovering_a_span_names_its_relations_head_to_child(desk, qtbot):
    from PySide6.QtWidgets import QToolTip

    from tests.ui.test_review_desk import point_of
    from tests.ui.test_text_only_as_text import seen

    w = desk
    relate(w, qtbot, COMMITMENT, MINISTRY, Qt.Key_A)
    relate(w, qtbot, COMMITMENT, FIGURE, Qt.Key_M)
    key(w, qtbot, Qt.Key_Escape, widget=w.view)
    view = w.view

    def tip_over(phrase):
        QToolTip.hideText()
        view.scroll_to(view.text.index(phrase))  # on screen, whatever the article's height (the list under it)
        qtbot.mouseMove(view.viewport(), point_of(view, 0))
        qtbot.mouseMove(view.viewport(), point_of(view, view.text.index(phrase) + 3))
        qtbot.waitUntil(QToolTip.isVisible)
        return seen(QToolTip.text()).replace("\u2068", "").replace("\u2069", "")

    on_commitment = tip_over(COMMITMENT)
    assert "ACTOR → ORGANISATION “Ministry of Foreign Affairs”" in on_commitment
    assert "AMOUNT → FIGURE “US$7 billion”" in on_commitment
    on_ministry = tip_over(MINISTRY)
    assert "COMMITMENT “China will strengthen" in on_ministry and "—ACTOR→ this" in on_ministry
    assert "AMOUNT" not in on_ministry
    # a span with no relation: its label and text only
    assert "→" not in tip_over(IOM)
