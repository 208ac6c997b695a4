"""Issue 10 section 3: every string from a corpus, a bundle or a reviewer is shown as text, in every place the
window shows it: markup stays literal, a local image is never loaded, an override ends with its string, an `&`
is an ampersand, a long label does not squeeze the span table, a hotkey never takes a window key."""
import pytest
from click.testing import CliRunner
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QTextDocument
from PySide6.QtGui import Qt as QtGui_Qt
from PySide6.QtWidgets import QInputDialog, QLabel, QToolTip

from annotator.cli import main as cli
from annotator.core.errors import InvariantError
from annotator.core.labels import WINDOW_KEYS, normal_key
from annotator.store import Store
from tests.ui.test_review_desk import point_of

IMG = '<img src="/tmp/annotator-probe.png">'
TITLE = f"{IMG}<b>Bold</b> &amp; <font size=6>big</font> \u202eTXT.EXE"
LABEL = "R&D <i>UNIT</i>"
GUIDELINE = "Tag <ORG> names & <b>not</b> people"
REVIEWER = "<font size=6>mallory"
SPAN_TEXT = "<b>Acme</b> & Co"
NOTE = "<i>see</i> <u>source</u>"
BODY = f"{TITLE}\nThe firm {SPAN_TEXT} pledged \u202eEXE.TXT support.\n"


def seen(s: str) -> str:
    """What a reader sees: the text of rich text rendered, or the string itself if Qt shows it as it is."""
    if QtGui_Qt.mightBeRichText(s):
        doc = QTextDocument()
        doc.setHtml(s)
        return doc.toPlainText()
    return s


def shown_by(label: QLabel) -> str:
    return label.text() if label.textFormat() == Qt.PlainText else seen(label.text())


def ended(s: str) -> bool:
    """Every override or embedding in ``s`` is closed by the end of the string (an isolate or a pop)."""
    depth = 0
    for c in s:
        if c in "\u202a\u202b\u202d\u202e\u2066\u2067\u2068":
            depth += 1
        elif c in "\u202c\u2069" and depth:
            depth -= 1
    return depth == 0 or s.endswith("\u2069")


@pytest.fixture
def hostile(open_window, tmp_path):
    path = tmp_path / "hostile.db"
    store = Store(path)
    doc = store.add_document(BODY)[0]
    store.add_label(LABEL, guideline=GUIDELINE)
    at = BODY.index(SPAN_TEXT)
    span = store.add_span(doc.id, at, at + len(SPAN_TEXT), LABEL, REVIEWER)
    store.set_span(span.evolve(note=NOTE))
    store.add_span(doc.id, at, at + len(SPAN_TEXT), LABEL, "bob")
    store.close()
    w = open_window(path, annotator=REVIEWER)
    w.open_document(doc.id)
    return w


def test_markup_from_every_field_shows_as_text_in_every_place(hostile, qtbot, monkeypatch):
    w = hostile
    # the document list: cell and tooltip
    index = w.doc_model.index(0, 0)
    assert TITLE.replace("\u202e", "") in w.doc_model.data(index).replace("\u2068", "").replace("\u202e", "").replace("\u2069", "")
    tip = seen(w.doc_model.data(index, Qt.ToolTipRole))
    assert "<img" in tip and "<b>Bold</b> &amp; <font size=6>" in tip and ended(tip)
    # the span table: cells and tooltip
    assert w.span_model.data(w.span_model.index(0, 1)) == SPAN_TEXT
    assert w.span_model.data(w.span_model.index(0, 2)) == NOTE
    tip = seen(w.span_model.data(w.span_model.index(0, 1), Qt.ToolTipRole))
    assert SPAN_TEXT in tip and NOTE in tip and LABEL in tip and REVIEWER in tip
    # the status bar: reviewer, hover text, selected span
    assert shown_by(w.reviewer_label) == f"Reviewer: {REVIEWER}"
    view = w.view
    at = view.text.index(SPAN_TEXT)
    qtbot.mouseMove(view.viewport(), point_of(view, at + 3))
    qtbot.waitUntil(lambda: LABEL in shown_by(w.hover_label))
    assert f"{LABEL}: {SPAN_TEXT}" in shown_by(w.hover_label)
    # the article's hover tooltip
    qtbot.waitUntil(lambda: QToolTip.isVisible())
    assert SPAN_TEXT in seen(QToolTip.text()) and NOTE in seen(QToolTip.text())
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=point_of(view, at + 3))
    assert SPAN_TEXT in shown_by(w.selection_label) and LABEL in shown_by(w.selection_label)
    # the note prompt
    asked = []
    monkeypatch.setattr(QInputDialog, "getText", lambda parent, title, prompt, **k: (asked.append(prompt), ("", False))[1])
    qtbot.keyClick(view, Qt.Key_N)
    assert asked and f"Note on {LABEL} “{SPAN_TEXT}”:" == seen(asked[0])
    # the label palette: button text and tooltip; the Labels menu
    button = w.palette_widget.buttons[LABEL]
    assert button.text().replace("&&", "&") .endswith(LABEL) and QKeySequence.mnemonic(button.text()).isEmpty()
    tip = seen(button.toolTip())
    assert LABEL in tip and GUIDELINE in tip
    action = next(a for a in w.label_actions if "UNIT" in a.text())
    assert action.text() == "Apply R&&D <i>UNIT</i>" and QKeySequence.mnemonic(action.text()).isEmpty()


def test_curation_title_and_agreement_summary_show_reviewer_names_as_text(hostile, qtbot):
    from annotator.curation import agreement

    w = hostile
    qtbot.keyClick(w, Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier)
    assert REVIEWER in shown_by(w.curation_panel.title)
    dialog = w.agreement_dialog()
    qtbot.addWidget(dialog)
    assert sorted(dialog.chosen()) == sorted(["bob", REVIEWER])
    dialog.show_report(agreement.compute(w.store, dialog.chosen(), None, all_documents=True, worst=20))
    assert REVIEWER in shown_by(dialog.summary)


def test_an_override_in_a_title_ends_with_the_title(hostile):
    title = hostile.doc_model.data(hostile.doc_model.index(0, 0))
    assert "\u202e" in title and ended(title)
    tip = hostile.doc_model.data(hostile.doc_model.index(0, 0), Qt.ToolTipRole)
    assert ended(seen(tip))


def test_a_long_label_is_elided_not_the_text_column(open_window, tmp_path, qtbot):
    path = tmp_path / "long.db"
    store = Store(path)
    doc = store.add_document("A span with a very long label name here.\n")[0]
    long_name = "L" * 64
    store.add_label(long_name)
    store.add_span(doc.id, 2, 6, long_name, "alice")
    store.close()
    w = open_window(path)
    w.open_document(doc.id)
    w.resize(1200, 800)
    qtbot.wait(20)
    assert w.span_list.columnWidth(1) >= 120
    assert w.span_list.columnWidth(0) < w.span_list.fontMetrics().horizontalAdvance(long_name)


# -- hotkeys ---------------------------------------------------------------------------------------------------

def test_every_key_the_window_binds_is_known_to_the_label_rules(window):
    bound = {normal_key(k.toString(QKeySequence.PortableText)) for a in window.findChildren(type(window.undo_action))
             if a not in window.label_actions for k in a.shortcuts() if not k.isEmpty()}
    assert bound and bound <= WINDOW_KEYS, bound - WINDOW_KEYS


@pytest.mark.parametrize("key", ["Ctrl+Z", "ctrl+z", "N", "Esc", "F1", "Alt+Left", "g"])
def test_a_hotkey_on_a_window_key_is_refused_by_the_store_and_the_cli(tmp_path, key):
    store = Store(tmp_path / "k.db")
    with pytest.raises(InvariantError, match="key of the review window"):
        store.add_label("X", hotkey=key)
    store.close()
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "k.db"), "labels", "add", "Y", "--hotkey", key])
    assert result.exit_code == 1 and "key of the review window" in result.output and "Traceback" not in result.output


def test_a_label_with_a_window_key_from_elsewhere_is_not_bound_and_undo_still_works(open_window, tmp_path, qtbot):
    path = tmp_path / "old.db"
    store = Store(path)
    doc = store.add_document("IOM pledged support.\n")[0]
    store.conn.execute("INSERT INTO labels (name, color, hotkey, guideline, retired, position) "
                       "VALUES ('OLD', '#123456', 'Ctrl+Z', '', 0, 9)")
    store.conn.commit()
    store.close()
    w = open_window(path)
    w.open_document(doc.id)
    assert "OLD" in w.statusBar().currentMessage()
    w.view.select_offsets(0, 3)
    qtbot.keyClick(w.view, Qt.Key_1)
    assert len(w.store.spans(doc.id)) == 1
    qtbot.keyClick(w.view, Qt.Key_Z, Qt.ControlModifier)
    assert w.store.spans(doc.id) == []


def test_a_nul_in_a_text_does_not_cut_the_list_tooltip_count(open_window, tmp_path):
    path = tmp_path / "nul.db"
    store = Store(path)
    body = "Title\nbefore\x00after, and more after the NUL character.\n"
    store.add_document(body)
    store.close()
    w = open_window(path)
    tip = seen(w.doc_model.data(w.doc_model.index(0, 0), Qt.ToolTipRole))
    assert f"{len(body):,} characters" in tip
