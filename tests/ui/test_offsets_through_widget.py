"""Spans made by keyboard selection (by character, by word, by line) over astral characters, combining marks
and several paragraphs store exactly the text the reviewer had selected."""
import pytest
from PySide6.QtCore import Qt

from annotator.core.tokenize import snap_to_tokens
from annotator.store import Store

TEXT = (
    "Opening 😀 paragraph with 𠮟る and Ame\u0301lie's café.\n"
    "\n"
    "第二段 𠀋𡈽 UNODC 👩\u200d👩\u200d👧 pledged US$7 billion; Zoë\u0308 said e\u0301te\u0301.\n"
    "Third 🇻🇳 line, with \U0002A6D6 near the end.\n"
)
CTRL_SHIFT = Qt.ControlModifier | Qt.ShiftModifier

# (where the caret starts, the keys pressed to select)
MOVES = [
    ("Opening", [(Qt.Key_Right, CTRL_SHIFT)] * 3),
    ("😀", [(Qt.Key_Right, CTRL_SHIFT)] * 4),
    ("𠮟る", [(Qt.Key_Right, Qt.ShiftModifier)] * 3),
    ("Ame", [(Qt.Key_Right, CTRL_SHIFT)] * 2),
    ("café", [(Qt.Key_Down, Qt.ShiftModifier)] * 2),  # across the empty paragraph
    ("𠀋", [(Qt.Key_Right, CTRL_SHIFT)] * 5),
    ("👩", [(Qt.Key_Right, Qt.ShiftModifier)] * 2 + [(Qt.Key_Right, CTRL_SHIFT)] * 2),
    ("Zo", [(Qt.Key_End, Qt.ShiftModifier), (Qt.Key_Right, CTRL_SHIFT), (Qt.Key_Right, CTRL_SHIFT)]),
    ("🇻🇳", [(Qt.Key_Right, CTRL_SHIFT)] * 6),
]


@pytest.fixture
def tricky(open_window, tmp_path):
    store = Store(tmp_path / "tricky.db")
    doc = store.add_document(TEXT)[0]
    store.close()
    window = open_window(tmp_path / "tricky.db")
    window.open_document(doc.id)
    return window


def select_by_keys(qtbot, view, at, keys):
    view.select_offsets(at, at)
    view.setFocus()
    for key, modifiers in keys:
        qtbot.keyClick(view, key, modifiers)
    return view.textCursor().selectedText().replace("\u2029", "\n")


@pytest.mark.parametrize("snap", [False, True], ids=["exact", "snapped"])
@pytest.mark.parametrize("anchor,keys", MOVES, ids=[m[0] for m in MOVES])
def test_keyboard_selection_is_stored_exactly(tricky, qtbot, anchor, keys, snap):
    view = tricky.view
    if not snap:
        qtbot.keyClick(view, Qt.Key_W, CTRL_SHIFT)
    at = TEXT.index(anchor)
    selected = select_by_keys(qtbot, view, at, keys)
    assert selected.strip()
    start = at
    assert TEXT[start:start + len(selected)] == selected  # what the widget shows is our text
    qtbot.keyClick(view, Qt.Key_2)
    [span] = tricky.store.spans(tricky.doc_id)
    assert TEXT[span.start:span.end] == span.text
    if snap:
        assert (span.start, span.end) == snap_to_tokens(TEXT, start, start + len(selected))
    else:
        assert span.text == selected.strip()
    # and the list beside the text shows the same text
    assert tricky.span_model.data(tricky.span_model.index(0, 1)) == span.text.replace("\n", " ⏎ ")
