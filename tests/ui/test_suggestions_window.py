"""Issue 13, the window: a reviewer tags two articles, marks them done, opens the third and sees suggestions from
the corpus and the patterns, drawn dashed (not as spans); Tab / Enter / a label key / X / Ctrl+Shift+A from the
keyboard, the accepted span's code-point offsets past an emoji, rejections remembered after reopening, undo, and
that only accepted suggestions reach an export."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from annotator.store import Store
from annotator.store.bulk import export_records

ORG = "Harbour Watch"          # not in the organisations registry: only the corpus can suggest it
FIGURE = "350 Pakistani nationals"  # a pattern's FIGURE
FIRST = "Harbour Watch patrolled the coast near Bali on Monday."
SECOND = "Fishermen said Harbour Watch had stopped two boats."
THIRD = "😀 Yesterday Harbour Watch said 350 Pakistani nationals were returned by the IOM last week."


@pytest.fixture
def three_db(tmp_path):
    path = tmp_path / "three.db"
    store = Store(path)
    for n, text in enumerate((FIRST, SECOND, THIRD), 1):
        store.add_document(text, title=f"Article {n}")
    store.close()
    return path


def tag(w, qtbot, phrase, key=Qt.Key_1):
    at = w.view.text.index(phrase)
    w.view.select_offsets(at, at + len(phrase))
    qtbot.keyClick(w.view, key)


def wait_for_suggestions(w, qtbot):
    """Until the open document's suggestions are drawn and up to date (those computed ahead before the last
    change are drawn at once, then replaced by the ones computed again)."""
    desk = w.suggestions
    qtbot.waitUntil(lambda: desk.doc_id == w.doc_id and "looking" not in desk.label.text()
                    and desk.cache.fresh(w.doc_id), timeout=30_000)
    return w.suggestions.items


def suggested(w):
    return sorted((s.text, s.label, s.source) for s in w.suggestions.items)


@pytest.fixture
def third(open_window, three_db, qtbot):
    """Two articles tagged and marked done from the keyboard; the window has moved on to the third."""
    w = open_window(three_db)
    assert w.store.document(w.doc_id).text == FIRST
    tag(w, qtbot, ORG)
    qtbot.keyClick(w.view, Qt.Key_Return, Qt.ControlModifier)  # done, next to-do
    assert w.store.document(w.doc_id).text == SECOND
    tag(w, qtbot, ORG)
    qtbot.keyClick(w.view, Qt.Key_Return, Qt.ControlModifier)
    assert w.store.document(w.doc_id).text == THIRD
    wait_for_suggestions(w, qtbot)
    return w


def test_the_third_article_shows_suggestions_from_the_corpus_and_the_patterns(third):
    w = third
    found = suggested(w)
    assert (ORG, "ORGANISATION", "corpus") in found
    assert (FIGURE, "FIGURE", "patterns") in found
    assert ("IOM", "ORGANISATION", "patterns") in found
    # suggestions are not spans: the span table and the article's backgrounds have none of them
    assert w.span_pane.spans == [] and w.store.spans(w.doc_id) == []
    assert "Suggestions: 3" in w.suggestions.label.text()


def test_suggestions_are_drawn_dashed_in_the_label_colour_never_filled(third, qtbot):
    w = third
    w.view.highlighter.finish()
    qtbot.wait(50)
    image = w.view.viewport().grab().toImage()
    org = QColor(w.colors["ORGANISATION"])
    s = next(x for x in w.suggestions.items if x.text == ORG)
    rect = next(w.view.line_rects(s.start, s.end))
    row_under = int(rect.bottom()) - 2
    underline = [image.pixelColor(x, row_under) for x in range(int(rect.left()) + 1, int(rect.right()) - 1)]
    near = [c for c in underline if abs(c.red() - org.red()) + abs(c.green() - org.green()) + abs(c.blue() - org.blue()) < 60]
    assert near and len(near) < len(underline)  # dashes in the label's colour, with gaps between them
    middle = [image.pixelColor(x, int(rect.center().y())) for x in range(int(rect.left()), int(rect.right()))]
    base = w.view.palette().color(w.view.palette().ColorRole.Base)
    # between the letters the background is the page's, not a fill
    assert sum(c == base for c in middle) > len(middle) // 3


def test_tab_enter_accepts_with_code_point_offsets_and_undo_takes_it_back(third, qtbot):
    w = third
    qtbot.keyClick(w.view, Qt.Key_Tab)
    current = w.suggestions.current
    assert current.text == ORG
    message = w.statusBar().currentMessage()
    assert "source corpus" in message and f"score {current.score:.2f}" in message and "tagged ORGANISATION" in message
    qtbot.keyClick(w.view, Qt.Key_Return)
    [span] = w.store.spans(w.doc_id)
    at = THIRD.index(ORG)  # code points: the emoji before it is one, though two UTF-16 units in Qt
    assert (span.start, span.end, span.label, span.text, span.annotator) == (at, at + len(ORG), "ORGANISATION", ORG,
                                                                             "alice")
    assert [s.text for s in w.span_pane.spans] == [ORG]
    assert w.suggestions.current.text == FIGURE  # the next one is current, Enter again would take it
    qtbot.keyClick(w.view, Qt.Key_Z, Qt.ControlModifier)
    assert w.store.spans(w.doc_id) == [] and w.span_pane.spans == []
    qtbot.waitUntil(lambda: ORG in [s.text for s in w.suggestions.items], timeout=10_000)


def test_a_label_key_accepts_with_that_label(third, qtbot):
    w = third
    qtbot.keyClick(w.view, Qt.Key_Tab)
    qtbot.keyClick(w.view, Qt.Key_Tab)
    assert w.suggestions.current.text == FIGURE
    qtbot.keyClick(w.view, Qt.Key_3)  # COMMITMENT's key
    [span] = w.store.spans(w.doc_id)
    assert (span.text, span.label) == (FIGURE, "COMMITMENT")


def test_x_rejects_and_it_stays_rejected_after_reopening(third, qtbot, open_window, three_db):
    w = third
    qtbot.keyClick(w.view, Qt.Key_Backtab)  # from the end backwards: the last one, the IOM
    qtbot.keyClick(w.view, Qt.Key_Backtab)
    assert w.suggestions.current.text == FIGURE
    qtbot.keyClick(w.view, Qt.Key_X)
    assert FIGURE not in [s.text for s in w.suggestions.items]
    assert w.store.spans(w.doc_id) == []
    doc_id = w.doc_id
    w.close()
    again = open_window(three_db)
    again.open_document(doc_id)
    wait_for_suggestions(again, qtbot)
    assert ORG in [s.text for s in again.suggestions.items]
    assert FIGURE not in [s.text for s in again.suggestions.items]


def test_accept_all_takes_those_at_or_above_the_threshold_in_one_undo(third, qtbot):
    w = third
    threshold = w.suggestions.threshold
    expected = sorted(s.text for s in w.suggestions.items if s.score >= threshold)
    assert expected and f"≥ {threshold:.2f}" in w.suggestions.label.text()
    qtbot.keyClick(w.view, Qt.Key_A, Qt.ControlModifier | Qt.ShiftModifier)
    assert sorted(s.text for s in w.store.spans(w.doc_id)) == expected
    qtbot.keyClick(w.view, Qt.Key_Z, Qt.ControlModifier)
    assert w.store.spans(w.doc_id) == []


def test_accepted_suggestions_are_exported_and_the_others_are_not(third, qtbot):
    w = third
    qtbot.keyClick(w.view, Qt.Key_Tab)
    qtbot.keyClick(w.view, Qt.Key_Return)  # Harbour Watch accepted; the FIGURE and the IOM stay suggestions
    assert {s.text for s in w.suggestions.items} >= {FIGURE, "IOM"}
    exported = {r.document.text: [s.text for s in r.spans] for r in export_records(w.store)}
    assert exported[THIRD] == [ORG]


def test_tab_and_enter_are_the_relation_candidates_while_relating(third, qtbot):
    w = third
    qtbot.keyClick(w.view, Qt.Key_Tab)
    qtbot.keyClick(w.view, Qt.Key_3)       # Harbour Watch accepted as a COMMITMENT (for the sake of a relation)
    assert w.suggestions.current.text == FIGURE
    qtbot.keyClick(w.view, Qt.Key_Return)  # 350 Pakistani nationals, a FIGURE
    qtbot.keyClick(w.view, Qt.Key_Home, Qt.ControlModifier)
    qtbot.keyClick(w.view, Qt.Key_BracketRight)
    assert w.view.selected.text == ORG and w.suggestions.current is None
    qtbot.keyClick(w.view, Qt.Key_R)
    assert w.relations.linker.active
    qtbot.keyClick(w.view, Qt.Key_Tab)     # the relation's candidates, not the IOM suggestion
    assert w.suggestions.current is None and w.relations.linker.candidate.text == FIGURE
    qtbot.keyClick(w.view, Qt.Key_Return)  # makes the relation; accepts nothing
    assert not w.relations.linker.active
    assert [r.type for r in w.store.relations(w.doc_id)] == ["AMOUNT"]
    assert sorted(s.text for s in w.store.spans(w.doc_id)) == [FIGURE, ORG]
    assert "IOM" in [s.text for s in w.suggestions.items]


def test_a_document_without_suggestions_shows_none_and_keys_work_as_before(open_window, tmp_path, qtbot):
    path = tmp_path / "plain.db"
    store = Store(path)
    store.add_document("Nothing here to find at all.", title="Plain")
    store.close()
    w = open_window(path)
    wait_for_suggestions(w, qtbot)
    assert w.suggestions.items == [] and w.suggestions.label.text() == "Suggestions: none"
    tag(w, qtbot, "Nothing", Qt.Key_2)
    assert [s.label for s in w.store.spans(w.doc_id)] == ["FIGURE"]
