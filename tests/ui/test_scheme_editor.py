"""Issue 14, the window: Labels > Edit scheme… (Ctrl+Shift+L) adds, renames, recolours, keys and retires labels
and relation types, with the command line's rules and words, undoably; a new relation type works at once."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from click.testing import CliRunner

from annotator.cli import main as cli
from annotator.store import Store
from tests.ui.test_relations_desk import COMMITMENT, IOM, MINISTRY, desk, desk_db, go_to, key, relations  # noqa: F401


def open_editor(w, qtbot):
    """From the keyboard: Ctrl+Shift+L in the article."""
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key_L, Qt.ControlModifier | Qt.ShiftModifier)
    editor = w.findChild(object, "schemeEditor")
    qtbot.waitUntil(lambda: editor is not None and editor.isVisible())
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    return editor


def typed(qtbot, field, words):
    """Select the field's text and type over it, as a reviewer does (Ctrl+A, then the keys)."""
    field.setFocus()
    qtbot.keyClick(field, Qt.Key_A, Qt.ControlModifier)
    if words:
        qtbot.keyClicks(field, words)
    else:
        qtbot.keyClick(field, Qt.Key_Delete)


def choose(qtbot, combo, words):
    """A combo box chosen from the keyboard: the first item whose text starts with the words typed."""
    combo.setFocus()
    qtbot.wait(QApplication.keyboardInputInterval() + 50)  # a new search, not the end of the last one
    qtbot.keyClicks(combo, words)
    assert combo.currentText().startswith(words), combo.currentText()


def row_of(table, column, value):
    for row in range(table.rowCount()):
        if table.item(row, column).text() == value:
            return row
    raise AssertionError(f"{value!r} not in {[table.item(r, column).text() for r in range(table.rowCount())]}")


def click_row(qtbot, table, row):
    rect = table.visualRect(table.model().index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())


def test_a_new_relation_type_with_key_w_relates_two_spans_at_once(desk, qtbot):
    w = desk
    editor = open_editor(w, qtbot)
    qtbot.keyClick(editor.tabs, Qt.Key_R, Qt.AltModifier)  # Alt+R: the Relation types tab
    assert editor.tabs.currentIndex() == 1
    assert editor.types_table.rowCount() == 3
    typed(qtbot, editor.type_name, "WITH")
    choose(qtbot, editor.type_head, "COMMITMENT")
    choose(qtbot, editor.type_child, "ORGANISATION")
    typed(qtbot, editor.type_hotkey, "w")
    typed(qtbot, editor.type_guideline, "The organisation it is made with.")
    qtbot.mouseClick(editor.findChild(object, "typeAdd"), Qt.LeftButton)
    assert "Added relation type WITH (COMMITMENT → ORGANISATION, key w)" in editor.message.text()
    t = w.store.relation_type("WITH")
    assert (t.head_label, t.child_label, t.hotkey, t.guideline) == ("COMMITMENT", "ORGANISATION", "w",
                                                                     "The organisation it is made with.")
    assert editor.types_table.item(row_of(editor.types_table, 1, "WITH"), 0).text() == "w"
    qtbot.keyClick(editor.type_guideline, Qt.Key_Escape)
    qtbot.waitUntil(lambda: w.dialogs._scheme_editor is None)

    # the desk has it at once: R, to the IOM, w
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    go_to(w, qtbot, COMMITMENT)
    key(w, qtbot, Qt.Key_R, widget=w.view)
    assert "w WITH" in w.statusBar().currentMessage()
    for _ in range(len(w.relations.linker.candidates)):
        if w.relations.linker.candidate.text == IOM:
            break
        key(w, qtbot, Qt.Key_BracketRight, widget=w.view)
    key(w, qtbot, Qt.Key_W, widget=w.view)
    assert relations(w) == [(COMMITMENT[:20], "WITH", IOM)]

    # its undo in the window's stack: the relation, then the type (retired again, its key free)
    key(w, qtbot, Qt.Key_Z, Qt.ControlModifier, widget=w.view)
    key(w, qtbot, Qt.Key_Z, Qt.ControlModifier, widget=w.view)
    assert relations(w) == [] and "WITH" not in {t.name for t in w.store.relation_types()}


def test_labels_renamed_recoloured_keyed_added_and_retired_undoably(desk, qtbot):
    w = desk
    figures = sum(s.label == "FIGURE" for s in w.store.spans(w.doc_id))
    before = w.store.label("FIGURE")
    editor = open_editor(w, qtbot)
    table = editor.labels_table
    click_row(qtbot, table, row_of(table, 1, "FIGURE"))
    assert editor.label_name.text() == "FIGURE"

    # rename by typing and Enter: the spans, the AMOUNT relation type and FIGURE's attributes follow
    typed(qtbot, editor.label_name, "QUANTITY")
    qtbot.keyClick(editor.label_name, Qt.Key_Return)
    assert "Changed FIGURE: rename label FIGURE to QUANTITY" in editor.message.text()
    assert sum(s.label == "QUANTITY" for s in w.store.spans(w.doc_id)) == figures
    assert w.store.relation_type("AMOUNT").child_label == "QUANTITY"
    assert {d.name for d in w.store.attribute_defs("QUANTITY")} == {"value", "unit", "approximate"}
    assert "QUANTITY" in w.palette_widget.buttons and editor.label_name.text() == "QUANTITY"

    # a window key is refused in the command line's words; a free key and a colour are taken together
    typed(qtbot, editor.label_hotkey, "N")
    qtbot.keyClick(editor.label_hotkey, Qt.Key_Return)
    assert "Refused: hotkey 'N' is a key of the review window already" in editor.message.text()
    assert w.store.label("QUANTITY").hotkey == before.hotkey
    typed(qtbot, editor.label_hotkey, "5")
    typed(qtbot, editor.label_color, "#d55e00")
    qtbot.mouseClick(editor.findChild(object, "labelApply"), Qt.LeftButton)
    label = w.store.label("QUANTITY")
    assert (label.hotkey, label.color) == ("5", "#D55E00")
    assert w.palette_widget.buttons["QUANTITY"].text().startswith("5")
    assert table.item(row_of(table, 1, "QUANTITY"), 2).text() == "#D55E00"

    # Ctrl+Z in the editor: the key and colour back, then the name
    qtbot.keyClick(editor.label_name, Qt.Key_Z, Qt.ControlModifier)
    assert (w.store.label("QUANTITY").hotkey, w.store.label("QUANTITY").color) == (before.hotkey, before.color)
    assert "Undid: hotkey and colour of QUANTITY" in editor.message.text() or "Undid: colour and hotkey of QUANTITY" \
        in editor.message.text()
    qtbot.keyClick(editor.label_name, Qt.Key_Z, Qt.ControlModifier)
    assert w.store.relation_type("AMOUNT").child_label == "FIGURE"
    assert sum(s.label == "FIGURE" for s in w.store.spans(w.doc_id)) == figures
    qtbot.keyClick(editor.label_name, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)  # redo the rename
    assert w.store.label("QUANTITY").name == "QUANTITY"

    # add a label, retire it (unused: undoable, back with its key)
    typed(qtbot, editor.label_name, "LOCATION")
    typed(qtbot, editor.label_color, "")
    typed(qtbot, editor.label_hotkey, "")
    qtbot.mouseClick(editor.findChild(object, "labelAdd"), Qt.LeftButton)
    location = w.store.label("LOCATION")
    assert location.hotkey == "4" and not location.retired and "LOCATION" in w.palette_widget.buttons
    qtbot.mouseClick(editor.findChild(object, "labelRetire"), Qt.LeftButton)
    assert w.store.label("LOCATION").retired and "LOCATION" not in w.palette_widget.buttons
    qtbot.keyClick(editor.label_name, Qt.Key_Z, Qt.ControlModifier)
    assert not w.store.label("LOCATION").retired and w.store.label("LOCATION").hotkey == "4"

    # a label spans use: refused until told where they go, then a second press (it cannot be undone)
    click_row(qtbot, table, row_of(table, 1, "QUANTITY"))
    qtbot.mouseClick(editor.findChild(object, "labelRetire"), Qt.LeftButton)
    assert f"is used by {figures} span(s): choose where they go" in editor.message.text()
    choose(qtbot, editor.label_spans_to, "LOCATION")
    qtbot.mouseClick(editor.findChild(object, "labelRetire"), Qt.LeftButton)
    assert "cannot be undone: press Retire again" in editor.message.text() and not w.store.label("QUANTITY").retired
    qtbot.mouseClick(editor.findChild(object, "labelRetire"), Qt.LeftButton)
    assert w.store.label("QUANTITY").retired
    assert sum(s.label == "LOCATION" for s in w.store.spans(w.doc_id)) == figures


def test_relation_type_ends_key_rename_and_retire_with_the_cli_rules(desk, qtbot):
    w = desk
    spans = {s.text: s for s in w.store.spans(w.doc_id)}
    w.store.add_relation(w.doc_id, spans[COMMITMENT].id, spans[MINISTRY].id, "ACTOR", "alice")
    editor = open_editor(w, qtbot)
    editor.tabs.setCurrentIndex(1)
    table = editor.types_table
    click_row(qtbot, table, row_of(table, 1, "ACTOR"))
    assert table.item(row_of(table, 1, "ACTOR"), 4).text() == "1"  # one relation uses it

    # ends that the relation made would not fit: refused, as `relations edit` refuses them
    choose(qtbot, editor.type_child, "FIGURE")
    qtbot.mouseClick(editor.findChild(object, "typeApply"), Qt.LeftButton)
    refusal = editor.message.text()
    assert "1 ACTOR relation(s) join labels that COMMITMENT -> FIGURE would not connect" in refusal
    result = CliRunner().invoke(cli, ["--db", str(w.store.path), "relations", "edit", "ACTOR", "--child", "FIGURE"])
    assert result.exit_code == 1 and refusal.removeprefix("Refused: ") in result.output
    # a key another type has: refused in the same words as the command line's
    choose(qtbot, editor.type_child, "ORGANISATION")
    typed(qtbot, editor.type_hotkey, "p")
    qtbot.keyClick(editor.type_hotkey, Qt.Key_Return)
    assert "Refused: the relation hotkey 'p' is taken" in editor.message.text()
    # any label as the child, and key w, and a new name: one step
    choose(qtbot, editor.type_child, "*")  # (a space would open the list, as it does on any combo box)
    typed(qtbot, editor.type_hotkey, "w")
    typed(qtbot, editor.type_name, "BY")
    qtbot.keyClick(editor.type_name, Qt.Key_Return)
    t = w.store.relation_type("BY")
    assert (t.child_label, t.hotkey) == ("*", "w") and w.store.relations(w.doc_id)[0].type == "BY"
    assert w.relations.list.type_keys == {"w", "p", "m"}  # the desk's keys follow at once
    qtbot.keyClick(editor.type_name, Qt.Key_Z, Qt.ControlModifier)
    t = w.store.relation_type("ACTOR")
    assert (t.child_label, t.hotkey) == ("ORGANISATION", "a") and w.store.relations(w.doc_id)[0].type == "ACTOR"

    # retire, then undo: back with its key, its relation kept throughout
    click_row(qtbot, table, row_of(table, 1, "ACTOR"))
    qtbot.mouseClick(editor.findChild(object, "typeRetire"), Qt.LeftButton)
    assert "its 1 relation(s) are kept" in editor.message.text() and w.store.relation_type("ACTOR").retired
    assert row_of(table, 1, "PARTNER") == 0
    qtbot.keyClick(editor.type_name, Qt.Key_Z, Qt.ControlModifier)
    assert not w.store.relation_type("ACTOR").retired and w.store.relation_type("ACTOR").hotkey == "a"
    assert len(w.store.relations(w.doc_id)) == 1


def test_names_show_as_plain_text_in_the_editor(open_window, tmp_path, qtbot):
    path = tmp_path / "markup.db"
    store = Store(path)
    store.add_document("Some text.\n")
    store.add_label("<b>ORG</b> & co", guideline="Tag <ORG> names")
    store.add_relation_type("<i>BY</i>", "<b>ORG</b> & co", "*", hotkey="b")
    store.close()
    w = open_window(path)
    editor = open_editor(w, qtbot)
    row = row_of(editor.labels_table, 1, "<b>ORG</b> & co")
    assert editor.labels_table.item(row, 4).text() == "Tag <ORG> names"
    trow = row_of(editor.types_table, 1, "<i>BY</i>")
    assert editor.types_table.item(trow, 2).text() == "<b>ORG</b> & co"
    assert editor.type_head.findText("<b>ORG</b> & co") >= 0
    click_row(qtbot, editor.labels_table, row)
    typed(qtbot, editor.label_hotkey, "Ctrl+Z")
    qtbot.keyClick(editor.label_hotkey, Qt.Key_Return)
    assert editor.message.textFormat() == Qt.PlainText
    assert "Refused: hotkey 'Ctrl+Z' is a key of the review window already" in editor.message.text()
    assert editor.label_hotkey.text() == "Ctrl+Z"  # a refused value stays in its field, to be corrected
    typed(qtbot, editor.label_hotkey, "4")
    typed(qtbot, editor.label_guideline, "Tag <ORG> & <b>names</b>")
    qtbot.keyClick(editor.label_guideline, Qt.Key_Return)
    assert "Changed <b>ORG</b> & co: guideline of <b>ORG</b> & co" in editor.message.text()
    assert editor.labels_table.item(row, 4).text() == "Tag <ORG> & <b>names</b>"
    assert QApplication.activeModalWidget() is None
