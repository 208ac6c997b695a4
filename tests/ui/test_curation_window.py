"""Team curation from the window: merge a reviewer's bundle, agreement, consistency, and the curation panel."""
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from annotator.store import Store, gold
from annotator.transfer import import_paths
from tests.conftest import DOCUMENTS
from tests.ui.test_review_desk import point_of


def reviewer_db(path, who, phrases):
    store = Store(path)
    import_paths(store, [DOCUMENTS], annotator=who)
    for doc_id in store.document_ids():
        text = store.document_text(doc_id)
        for phrase, label in phrases:
            at = text.find(phrase)
            if at >= 0:
                store.add_span(doc_id, at, at + len(phrase), label, who)
        store.set_review(doc_id, who, status="done")
    store.close()
    return path


def run(dialog, qtbot):
    qtbot.mouseClick(dialog.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20_000)


def test_merge_agreement_and_curation(open_window, tmp_path, qtbot):
    bob = reviewer_db(tmp_path / "bob.db", "bob", [("IOM", "ORGANISATION"), ("Liu Jieyi", "FIGURE")])
    carol_db = reviewer_db(tmp_path / "carol.db", "carol", [("IOM", "ORGANISATION"), ("Liu Jieyi", "ORGANISATION")])
    w = open_window(carol_db, annotator="carol")
    qtbot.keyClick(w, Qt.Key_M, Qt.ControlModifier | Qt.ShiftModifier)
    dialog = w.findChild(object, "mergeDialog")
    qtbot.addWidget(dialog)
    dialog.add_paths(bob)
    run(dialog, qtbot)
    assert "added" in dialog.report.toPlainText().lower()
    assert set(w.store.annotators()) == {"bob", "carol"}

    agreement = w.agreement_dialog()
    qtbot.addWidget(agreement)
    qtbot.mouseClick(agreement.compute_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: agreement.job is None, timeout=20_000)
    assert "bob, carol" in agreement.summary.text()
    overall = {agreement.overall.item(r, 0).text(): agreement.overall.item(r, 3).text()
               for r in range(agreement.overall.rowCount())}
    assert 0 < float(overall["(all labels)"]) < 1  # they agree on IOM, not on Liu Jieyi

    # close the panels, back to the main window: open the document where they disagree, curate it by keyboard
    dialog.close()
    agreement.close()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    doc = next(d for d in w.store.document_ids() if "Liu Jieyi" in w.store.document_text(d))
    w.open_document(doc)
    qtbot.keyClick(w, Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier)
    panel = w.curation_panel
    assert panel.isVisible() and panel.table.rowCount() == 3  # IOM (agreed), Liu Jieyi twice
    headers = [panel.table.horizontalHeaderItem(c).text() for c in range(panel.table.columnCount())]
    assert headers[2:4] == ["bob", "carol"]
    qtbot.keyClick(panel.table, Qt.Key_A)  # every agreed span into gold
    assert [(g.text, g.label) for g in gold.spans(w.store, doc)] == [("IOM", "ORGANISATION")]
    row = next(r for r, c in enumerate(panel.state.candidates) if c.label == "ORGANISATION" and c.text == "Liu Jieyi")
    panel.table.setCurrentCell(row, 0)
    assert w.view.marked == (panel.state.candidates[row].start, panel.state.candidates[row].end)
    qtbot.keyClick(panel.table, Qt.Key_G)
    row = next(r for r, c in enumerate(panel.state.candidates) if c.label == "FIGURE")
    panel.table.setCurrentCell(row, 0)
    qtbot.keyClick(panel.table, Qt.Key_R)
    assert sorted((g.text, g.label) for g in gold.spans(w.store, doc)) == [("IOM", "ORGANISATION"), ("Liu Jieyi", "ORGANISATION")]
    assert "decided 3 of 3" in panel.title.text()
    qtbot.keyClick(w.view, Qt.Key_Z, Qt.ControlModifier)  # undo the rejection
    assert "decided 2 of 3" in panel.title.text()

    # edit: bob's FIGURE "Liu Jieyi" taken as a COMMITMENT with key 3, then its range corrected with E
    panel.table.setFocus()
    row = next(r for r, c in enumerate(panel.state.candidates) if c.label == "FIGURE")
    panel.table.setCurrentCell(row, 0)
    qtbot.keyClick(panel.table, Qt.Key_3)
    assert ("Liu Jieyi", "COMMITMENT") in [(g.text, g.label) for g in gold.spans(w.store, doc)]
    assert [s.label for s in w.store.spans(doc, annotator="carol") if s.text == "Liu Jieyi"] == ["ORGANISATION"]
    text = w.view.text
    at = text.index("said Liu Jieyi")
    w.view.select_offsets(at, at + len("said Liu Jieyi"))
    panel.table.setCurrentCell(row, 0)
    qtbot.keyClick(panel.table, Qt.Key_E)  # the gold span taken from this candidate gets the corrected range
    golds = [(g.text, g.label) for g in gold.spans(w.store, doc)]
    assert ("said Liu Jieyi", "COMMITMENT") in golds and ("Liu Jieyi", "COMMITMENT") not in golds
    qtbot.keyClick(panel.table, Qt.Key_Z, Qt.ControlModifier)
    assert ("Liu Jieyi", "COMMITMENT") in [(g.text, g.label) for g in gold.spans(w.store, doc)]


def test_consistency_panel_opens_an_occurrence(open_window, tmp_path, qtbot):
    db = reviewer_db(tmp_path / "a.db", "alice", [("IOM", "ORGANISATION")])
    store = Store(db)
    doc = next(d for d in store.document_ids() if store.document_text(d).count("IOM") > 1)
    text = store.document_text(doc)
    second = text.index("IOM", text.index("IOM") + 1)
    store.close()
    w = open_window(db)
    dialog = w.consistency_dialog()
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.find_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20_000)
    tops = [dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())]
    iom = next(t for t in tops if t.text(0) == "IOM")
    assert int(iom.text(2)) >= 1  # tagged in one place, untagged in others
    untagged = next(iom.child(i) for i in range(iom.childCount())
                    if iom.child(i).text(1) == "untagged" and iom.child(i).data(0, Qt.UserRole)[1] == second)
    # each occurrence in its context with its offsets, not eight identical title rows (issue 12 item 14)
    context = untagged.text(0)
    assert context.count("IOM") >= 1 and len(context.split()) >= 5
    before, hit, after = untagged.data(0, Qt.UserRole + 1)
    assert hit == "IOM" and text[:second].split()[-1] in before and text[second + 3:].split()[0] in after
    assert untagged.text(3).endswith(f"@ {second}–{second + 3}")
    rows = [iom.child(i).text(0) for i in range(iom.childCount())]
    assert len(set(rows)) == len(rows)
    labels_width = dialog.tree.header().sectionSize(1)
    assert labels_width >= dialog.tree.fontMetrics().horizontalAdvance(iom.text(1))
    dialog.resize(900, 500)
    dialog.show()
    dialog.tree.expandAll()
    dialog.grab().save(str(tmp_path / "consistency.png"))
    dialog.tree.itemActivated.emit(untagged, 0)
    assert w.doc_id == doc and w.view.selection_offsets() == (second, second + 3)
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(w.view, Qt.Key_1)
    assert ("IOM", "ORGANISATION") in [(s.text, s.label) for s in w.store.spans(doc) if s.start == second]


def test_a_curator_selects_a_corrected_range_and_takes_it_by_keyboard(open_window, tmp_path, qtbot):
    """Issue 12 item 12: E from the article, where selecting text puts the focus; a candidate chosen afterwards
    (by a click on its row) does not replace the range the curator selected."""
    from tests.ui.test_review_desk import put_caret

    bob = reviewer_db(tmp_path / "bob.db", "bob", [("Liu Jieyi", "ORGANISATION")])
    carol_db = reviewer_db(tmp_path / "carol.db", "carol", [("Liu Jieyi", "ORGANISATION")])
    w = open_window(carol_db, annotator="carol")
    dialog = w.merge_dialog()
    qtbot.addWidget(dialog)
    dialog.add_paths(bob)
    run(dialog, qtbot)
    doc = next(d for d in w.store.document_ids() if "Liu Jieyi" in w.store.document_text(d))
    w.open_document(doc)
    dialog.close()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(w, Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier)
    panel = w.curation_panel
    assert panel.table.rowCount() == 1
    # select "said Liu Jieyi" in the article with the keyboard, then press E there
    view = w.view
    at = view.text.index("said Liu Jieyi")
    put_caret(view, at)
    view.setFocus()
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key_Right, Qt.ControlModifier | Qt.ShiftModifier)
    assert view.selection_offsets()[0] == at
    qtbot.keyClick(view, Qt.Key_E)
    assert [(g.text, g.label) for g in gold.spans(w.store, doc)] == [("said Liu Jieyi", "ORGANISATION")]
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
    assert gold.spans(w.store, doc) == []
    # select first, then click the candidate's row: the selection stays, the candidate is framed, E takes it
    view.select_offsets(at + 5, at + len("said Liu Jieyi"))
    table = panel.table
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=table.visualRect(table.model().index(0, 0)).center())
    assert view.selection_offsets() == (at + 5, at + len("said Liu Jieyi"))
    assert view.marked == (at + 5, at + 14)
    qtbot.keyClick(table, Qt.Key_E)
    assert [(g.text, g.label) for g in gold.spans(w.store, doc)] == [("Liu Jieyi", "ORGANISATION")]
    # the dock's own close button leaves curation as the menu does: no candidate stays framed in the article
    assert view.marked is not None
    close = w.curation.dock.findChild(QWidget, "qt_dockwidget_closebutton")
    qtbot.mouseClick(close, Qt.LeftButton, pos=QPoint(close.width() // 2, close.height() // 2))
    qtbot.waitUntil(lambda: not w.curation.active)
    assert view.marked is None and not w.curation_action.isChecked()


def test_one_reviewer_is_not_shown_as_disagreement_and_a_says_why_nothing_is_taken(open_window, tmp_path, qtbot):
    """Issue 12 item 14: with a single reviewer every candidate showed "≠" and "agreed 0", and A said nothing."""
    db = reviewer_db(tmp_path / "solo.db", "bob", [("Liu Jieyi", "ORGANISATION")])
    w = open_window(db, annotator="carol")
    doc = next(d for d in w.store.document_ids() if "Liu Jieyi" in w.store.document_text(d))
    w.open_document(doc)
    qtbot.keyClick(w, Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier)
    panel = w.curation_panel
    agreed_column = panel.table.columnCount() - 2
    assert panel.table.item(0, agreed_column).text() == "—"
    assert "one reviewer" in panel.title.text()
    qtbot.keyClick(panel.table, Qt.Key_A)
    assert "One reviewer only" in w.statusBar().currentMessage()
    assert gold.spans(w.store, doc) == []


def test_the_agreement_window_computes_when_it_opens(open_window, tmp_path, qtbot):
    bob = reviewer_db(tmp_path / "bob.db", "bob", [("IOM", "ORGANISATION")])
    carol_db = reviewer_db(tmp_path / "carol.db", "carol", [("IOM", "ORGANISATION")])
    w = open_window(carol_db, annotator="carol")
    merge = w.merge_dialog()
    qtbot.addWidget(merge)
    merge.add_paths(bob)
    run(merge, qtbot)
    dialog = w.agreement_dialog()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.overall.rowCount() > 0, timeout=20_000)  # nobody pressed Compute
    assert "bob, carol" in dialog.summary.text()


def test_a_curator_opening_the_merged_database_sees_the_reviewers_spans_read_only(open_window, tmp_path, qtbot):
    """Issue 12 item 13: `annotator gui --annotator carol` on bob's and dave's merged work showed a blank article,
    "0 / to do" everywhere, and nothing said to use curation mode."""
    db = reviewer_db(tmp_path / "team.db", "bob", [("Liu Jieyi", "ORGANISATION"), ("IOM", "ORGANISATION")])
    w = open_window(db, annotator="carol")
    doc = next(d for d in w.store.document_ids() if "Liu Jieyi" in w.store.document_text(d))
    w.open_document(doc)
    assert {(s.text, s.annotator) for s in w.span_model.spans} >= {("Liu Jieyi", "bob"), ("IOM", "bob")}
    assert "bob" in w.reviewer_label.text() and "read-only" in w.reviewer_label.text()
    view = w.view
    at = view.text.index("Liu Jieyi")
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=point_of(view, at + 2))
    assert view.selected is not None and view.selected.annotator == "bob"
    assert "bob · ORGANISATION" in w.selection_label.text()
    qtbot.keyClick(view, Qt.Key_2)  # someone else's span: not relabelled
    qtbot.keyClick(view, Qt.Key_Delete)
    assert [s.label for s in w.store.spans(doc) if s.text == "Liu Jieyi"] == ["ORGANISATION"]
    assert "read-only" in w.statusBar().currentMessage() and "Curation mode" in w.statusBar().currentMessage()


def test_the_curation_hint_shows_when_the_window_opens_on_others_work(open_window, tmp_path):
    db = reviewer_db(tmp_path / "team.db", "bob", [("IOM", "ORGANISATION")])
    w = open_window(db, annotator="carol")
    message = w.statusBar().currentMessage()
    assert "bob" in message and "curation mode" in message.lower() and "Ctrl+Shift+C" in message
    assert w.span_model.rowCount() > 0 or w.doc_id is None
