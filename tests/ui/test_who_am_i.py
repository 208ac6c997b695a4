"""Who is reviewing: asked once (pre-filled with the OS user), kept, shown, recorded, changeable."""
import os
import tempfile

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QInputDialog, QLabel

from annotator.ui import app


def test_first_start_asks_prefilled_with_the_os_user_and_keeps_the_answer(settings, qapp, monkeypatch):
    asked = []
    monkeypatch.setattr(app, "os_user", lambda: "jdoe")

    def answer(*args, **kwargs):
        asked.append(kwargs.get("text"))
        return "Jane Doe ", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    assert app.reviewer_name(settings, None) == "Jane Doe"
    assert asked == ["jdoe"]
    assert app.reviewer_name(settings, None) == "Jane Doe" and len(asked) == 1  # kept: not asked again


def test_cancelling_or_an_empty_name_starts_with_the_os_user_and_says_so(settings, qapp, monkeypatch, tmp_path):
    """Issue 12 item 9: Esc, Cancel or OK on an empty name quit with status 1 and no word."""
    monkeypatch.setattr(app, "os_user", lambda: "jdoe")
    for answer in [("", False), ("  ", True), ("jane", False)]:
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: answer)
        assert app.reviewer_name(settings, None) == "jdoe"
        assert not settings.value("annotator")  # not kept: the next start asks again
    window = app.open_window(str(tmp_path / "x.db"), None, settings)
    try:
        assert window is not None and window.annotator == "jdoe"
        assert "reviewing as “jdoe”" in window.statusBar().currentMessage()
        assert "Change reviewer name" in window.statusBar().currentMessage()
    finally:
        window.document_pane.stop()
        window.close()


def test_a_name_on_the_command_line_is_for_that_run(settings, qapp):
    settings.setValue("annotator", "alice")
    assert app.reviewer_name(settings, "carol") == "carol"
    assert app.reviewer_name(settings, None) == "alice"


def test_changing_the_name_shows_and_records_it(window, qtbot, monkeypatch):
    assert window.reviewer_label.text() == "Reviewer: alice"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("bob", True))
    window.change_name()
    assert window.reviewer_label.text() == "Reviewer: bob"
    view = window.view
    at = view.text.index("China")
    view.select_offsets(at, at + 5)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_1)
    assert [(s.text, s.annotator) for s in window.store.spans(window.doc_id)] == [("China", "bob")]


def test_default_settings_are_kept_out_of_the_home_folder_in_tests(qapp):
    app.application()
    path = QSettings().fileName()
    assert path.startswith(tempfile.gettempdir()) and not path.startswith(os.path.expanduser("~") + os.sep + ".")


def test_a_reviewer_opening_only_others_spans_reads_the_whole_message(open_window, tmp_path, qtbot):
    """The message saying the spans shown are another reviewer's (read-only) fits beside the status bar's own
    labels at the window's usual size: it was cut after "(Review >", before the key that settles them."""
    from annotator.store import Store

    path = tmp_path / "bob.db"
    store = Store(path)
    doc = store.add_document("IOM and UNODC met in Vienna.")[0]
    store.add_span(doc.id, 0, 3, "ORGANISATION", "bob")
    store.close()
    w = open_window(path, annotator="alice")
    w.resize(1400, 900)
    qtbot.wait(50)
    bar = w.statusBar()
    message = bar.currentMessage()
    assert "bob" in message and "Ctrl+Shift+C" in message
    # a message is drawn from the left edge to the first of the permanent labels, the reviewer's
    room = bar.findChild(QLabel, "reviewerLabel").x() - 12
    assert bar.fontMetrics().horizontalAdvance(message) <= room
