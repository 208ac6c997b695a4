"""Issue 13, the window: suggestions computed ahead for the next documents (shown the moment one opens), the
suggestions list beside the span table, and a status bar whose selection message is not cut by them."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from annotator.store import Store
from tests.ui.test_relations_desk import COMMITMENT, IOM, MINISTRY, desk, desk_db, go_to  # noqa: F401 (fixtures)
from tests.ui.test_suggestions_window import FIGURE, ORG, SECOND, THIRD, tag, third, three_db, \
    wait_for_suggestions  # noqa: F401 (fixtures)


def doc_with(w, text):
    return next(d.id for d in w.store.list_documents() if w.store.document_text(d.id) == text)


def computed_ahead(w, qtbot, *doc_ids):
    desk = w.suggestions
    qtbot.waitUntil(lambda: not desk.worker.busy and all(desk.cache.fresh(d) for d in doc_ids), timeout=30_000)


def test_the_next_document_shows_its_suggestions_the_moment_it_opens(open_window, three_db, qtbot):
    w = open_window(three_db)
    desk = w.suggestions
    second, third_ = doc_with(w, SECOND), doc_with(w, THIRD)
    wait_for_suggestions(w, qtbot)
    computed_ahead(w, qtbot, second, third_)
    assert ORG not in [s.text for s in desk.cache.get(second)[0]]  # nobody tagged it yet
    tag(w, qtbot, ORG)  # the corpus now suggests it elsewhere: what was computed ahead is computed again
    computed_ahead(w, qtbot, second, third_)
    shown = []
    desk.sig_shown.connect(shown.append)
    qtbot.keyClick(w.view, Qt.Key_PageDown, Qt.ControlModifier)  # the next row of the list
    # no waiting: drawn in the same event-loop turn, and the worker was not asked for anything
    assert w.doc_id == second and shown == [second] and not desk.worker.busy
    assert (ORG, "ORGANISATION", "corpus") in [(s.text, s.label, s.source) for s in desk.layer.items]
    assert desk.layer.items == desk.items == desk.list.model.items
    assert "looking" not in desk.label.text()
    qtbot.keyClick(w.view, Qt.Key_Return, Qt.ControlModifier)  # done, the next to-do: the third, computed ahead
    assert w.doc_id == third_ and shown == [second, third_] and not desk.worker.busy
    assert {ORG, FIGURE, "IOM"} <= {s.text for s in desk.layer.items}


def test_a_rejection_in_a_document_computed_ahead_is_not_shown_again(open_window, three_db, qtbot):
    """What was computed ahead for a document is dropped when something changes in it (here another window's
    rejection, as a teammate's or a terminal's would arrive)."""
    from annotator.suggest import reject

    w = open_window(three_db)
    desk = w.suggestions
    third_ = doc_with(w, THIRD)
    wait_for_suggestions(w, qtbot)
    qtbot.keyClick(w.view, Qt.Key_Return, Qt.ControlModifier)  # the second; the third is computed ahead
    computed_ahead(w, qtbot, third_)
    [iom] = [s for s in desk.cache.get(third_)[0] if s.text == "IOM"]
    other = Store(w.store.path)
    reject(other, iom, "bob")
    other.close()
    qtbot.waitUntil(lambda: not desk.cache.fresh(third_) or "IOM" not in [s.text for s in desk.cache.get(third_)[0]],
                    timeout=10_000)
    qtbot.keyClick(w.view, Qt.Key_Return, Qt.ControlModifier)
    wait_for_suggestions(w, qtbot)
    assert w.doc_id == third_ and FIGURE in [s.text for s in desk.items] and "IOM" not in [s.text for s in desk.items]


def row_point(table, row, column=1):
    return table.visualRect(table.model().index(row, column)).center()


def test_the_list_shows_each_suggestion_and_follows_tab_and_the_mouse(third, qtbot):
    w = third
    desk, table = w.suggestions, w.suggestions.list.table
    model = table.model()
    rows = [[model.index(r, c).data() for c in range(5)] for r in range(model.rowCount())]
    assert rows == [[s.label, s.text, s.source, f"{s.score:.2f}", s.reason] for s in desk.items]
    assert [r[1] for r in rows] == [ORG, FIGURE, "IOM"]  # in document order
    assert rows[0][4].startswith("tagged ORGANISATION 2 times in 2 documents")
    assert desk.label.text() == f"Suggestions: 3 · {len(desk.above_threshold)} at ≥ 0.30"
    qtbot.keyClick(w.view, Qt.Key_Tab)
    qtbot.keyClick(w.view, Qt.Key_Tab)
    assert desk.current.text == FIGURE and table.currentIndex().row() == 1
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=row_point(table, 2))
    assert desk.current.text == "IOM" and desk.layer.current.text == "IOM"
    assert "Suggestion 3 of 3: ORGANISATION “IOM”" in w.statusBar().currentMessage()
    qtbot.keyClick(table, Qt.Key_X)  # from the list: rejected, not a span
    assert [s.text for s in desk.items] == [ORG, FIGURE] and w.store.spans(w.doc_id) == []
    assert desk.current.text == FIGURE and table.currentIndex().row() == 1  # the last one left is current
    qtbot.keyClick(table, Qt.Key_Up)
    qtbot.keyClick(table, Qt.Key_Down)
    assert desk.current.text == FIGURE
    qtbot.keyClick(table, Qt.Key_Return)  # from the list: accepted as an ordinary span
    assert [(s.text, s.label) for s in w.store.spans(w.doc_id)] == [(FIGURE, "FIGURE")]
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == [ORG]
    qtbot.keyClick(table, Qt.Key_Escape)
    assert w.view.hasFocus()


def test_ctrl_g_goes_to_the_list_and_a_label_key_there_accepts_with_that_label(third, qtbot):
    w = third
    qtbot.keyClick(w.view, Qt.Key_G, Qt.ControlModifier)
    table = w.suggestions.list.table
    assert table.hasFocus() and w.suggestions.current.text == ORG
    qtbot.keyClick(table, Qt.Key_Down)
    qtbot.keyClick(table, Qt.Key_3)  # COMMITMENT's key
    assert [(s.text, s.label) for s in w.store.spans(w.doc_id)] == [(FIGURE, "COMMITMENT")]


def fully_shown(label: QLabel) -> bool:
    return label.isVisible() and label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()


def test_the_selection_and_its_relations_are_not_cut_in_the_status_bar(desk, qtbot):  # noqa: F811
    w = desk
    assert (w.width(), w.height()) == (1400, 900)  # the window's default size
    go_to(w, qtbot, MINISTRY)
    qtbot.keyClick(w.view, Qt.Key_R)
    qtbot.keyClick(w.view, Qt.Key_Tab)  # the candidate nearest first: the commitment
    qtbot.keyClick(w.view, Qt.Key_A)    # ACTOR
    go_to(w, qtbot, IOM)
    qtbot.keyClick(w.view, Qt.Key_R)
    while w.relations.linker.candidate.text != COMMITMENT:
        qtbot.keyClick(w.view, Qt.Key_Tab)
    qtbot.keyClick(w.view, Qt.Key_P)    # PARTNER
    go_to(w, qtbot, COMMITMENT)
    w.statusBar().clearMessage()
    qtbot.wait(50)
    words = w.relations.relations_label.text()
    # both relations named, with their other ends' texts (without their labels when the room is short)
    assert "ACTOR → " in words and "“Ministry of Foreign Affairs”" in words
    assert "PARTNER → " in words and "“International Organization for" in words
    assert fully_shown(w.selection_label) and fully_shown(w.relations.relations_label), (
        w.relations.relations_label.width(), w.relations.relations_label.sizeHint().width())
    # the suggestions' count is in the list's title, not in the status bar
    assert w.statusBar().findChild(QLabel, "suggestionsLabel") is None
    assert w.suggestions.label.text().startswith("Suggestions:")


def test_what_is_kept_ahead_is_bounded_by_documents_and_suggestions():
    from annotator.ui.suggestion_ahead import KEEP, KEEP_SUGGESTIONS, AheadCache

    cache = AheadCache()
    for i in range(KEEP + 5):
        cache.put(f"d{i}", 0, [object()] * 10)
    assert cache.get("d0") is None and cache.fresh(f"d{KEEP + 4}")  # the oldest left first
    cache.put("big", 0, [object()] * (KEEP_SUGGESTIONS - 100))
    kept = [f"d{i}" for i in range(KEEP + 5) if cache.get(f"d{i}") is not None]
    assert cache.fresh("big") and len(kept) * 10 + KEEP_SUGGESTIONS - 100 <= KEEP_SUGGESTIONS
    assert not cache.put("late", -1, [])  # an answer from before a change is refused
    cache.changed()
    assert cache.get("big") == (cache.get("big")[0], False)  # stale, still shown until computed again
