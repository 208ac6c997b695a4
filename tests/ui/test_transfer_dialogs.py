"""File > Import and File > Export: the work runs off the GUI thread, with progress, a report and cancel."""
import json

from PySide6.QtCore import Qt

from annotator.store import Store
from tests.conftest import DOCUMENTS


def run(dialog, qtbot):
    qtbot.mouseClick(dialog.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20_000)


def test_import_a_folder_from_the_window(open_window, tmp_path, qtbot):
    w = open_window(tmp_path / "empty.db")
    assert w.doc_model.rowCount() == 0
    qtbot.keyClick(w, Qt.Key_I, Qt.ControlModifier)
    dialog = w.findChild(object, "importDialog")
    qtbot.addWidget(dialog)
    dialog.add_paths(str(DOCUMENTS))
    run(dialog, qtbot)
    assert "5 document(s) imported" in dialog.report.toPlainText()
    assert w.doc_model.rowCount() == 5 and w.doc_id is not None
    run(dialog, qtbot)
    assert "5 document(s) already in the database" in dialog.report.toPlainText()


def test_bad_import_reports_file_and_line_and_changes_nothing(open_window, tmp_path, qtbot):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": "abc", "spans": [{"start": 2, "end": 1, "label": "FIGURE"}]}\n')
    w = open_window(tmp_path / "empty.db")
    dialog = w.import_dialog()
    qtbot.addWidget(dialog)
    dialog.add_paths(str(bad))
    run(dialog, qtbot)
    assert f"{bad}, line 2: span 1: span 2-1 is empty or reversed" in dialog.report.toPlainText()
    assert w.store.document_count() == 0
    dialog.skip_invalid.setChecked(True)
    run(dialog, qtbot)
    assert "1 invalid record(s) skipped" in dialog.report.toPlainText() and w.store.document_count() == 1


def test_cancelled_import_leaves_the_database_as_it_was(open_window, tmp_path, qtbot):
    big = tmp_path / "many.jsonl"
    big.write_text("".join(json.dumps({"text": f"Article {i} about UNODC " * 20}) + "\n" for i in range(20_000)))
    w = open_window(tmp_path / "empty.db")
    dialog = w.import_dialog()
    qtbot.addWidget(dialog)
    dialog.add_paths(str(big))
    qtbot.mouseClick(dialog.run_button, Qt.LeftButton)
    qtbot.mouseClick(dialog.cancel_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20_000)
    assert "Cancelled: nothing was changed." in dialog.report.toPlainText()
    assert Store(tmp_path / "empty.db").document_count() == 0


def test_export_with_filters_from_the_window(window, tmp_path, qtbot):
    view = window.view
    for phrase, key in (("Liu Jieyi", Qt.Key_3), ("Ministry of Foreign Affairs", Qt.Key_1)):
        at = view.text.index(phrase)
        view.select_offsets(at, at + len(phrase))
        qtbot.keyClick(view, key)
    qtbot.keyClick(window, Qt.Key_E, Qt.ControlModifier)
    dialog = window.findChild(object, "exportDialog")
    qtbot.addWidget(dialog)
    out = tmp_path / "orgs.jsonl"
    dialog.output.setText(str(out))
    dialog.label.setCurrentIndex(dialog.label.findData("ORGANISATION"))
    run(dialog, qtbot)
    assert "5 document(s) written" in dialog.report.toPlainText()
    spans = [s for line in out.read_text().splitlines() for s in json.loads(line)["spans"]]
    assert [(s["text"], s["label"]) for s in spans] == [("Ministry of Foreign Affairs", "ORGANISATION")]


def test_import_dialog_says_what_the_cli_says_in_its_own_words(open_window, tmp_path, qtbot):
    """The same one-line message as the command line, naming the dialog's controls instead of its options; and a
    file that used to show nothing (deep JSON) or "Unexpected error: KeyError('FOO ')"."""
    from click.testing import CliRunner

    from annotator.cli import main

    cases = {
        "deep.jsonl": '{"text": "abc", "meta": {"a": ' + "[" * 50_000 + "]" * 50_000 + "}}\n",
        "label.jsonl": json.dumps({"text": "Hello IOM", "spans": [{"start": 6, "end": 9, "label": "FOO "}]}) + "\n",
        "latin.txt": "Caf\u00e9",
        "unknown.data": "",
    }
    w = open_window(tmp_path / "empty.db")
    dialog = w.import_dialog()
    qtbot.addWidget(dialog)
    for name, content in cases.items():
        path = tmp_path / name
        if name == "latin.txt":
            path.write_bytes(content.encode("latin-1"))
        else:
            path.write_text(content)
        cli = CliRunner().invoke(main, ["--db", str(tmp_path / "cli.db"), "import", str(path)])
        assert cli.exit_code == 1 and cli.output.startswith(f"Error: {path}")
        dialog.paths.clear()
        dialog.add_paths(str(path))
        run(dialog, qtbot)
        shown = dialog.report.toPlainText()
        assert "Unexpected error" not in shown and "--" not in shown, shown
        assert dialog.progress.isHidden()  # no full bar over a refusal
        words = [(option, control) for option, control in (
            ("--skip-invalid imports the valid records", "tick “Skip invalid records” to import the valid ones"),
            ("say which with --encoding (for example --encoding cp1252)",
             "type it in the Text encoding box (for example cp1252)"),
            ("say it with --format", "choose it in the Format list")) if option in cli.output]
        assert words, cli.output
        expected = cli.output.strip().removeprefix("Error: ")
        for option, control in words:
            expected = expected.replace(option, control)
        assert shown == expected
    assert w.store.document_count() == 0


def test_cancel_works_while_a_read_is_blocked(open_window, tmp_path, qtbot, monkeypatch):
    """A named pipe is refused by name; one that takes a file's place after the check (or a network share that
    stops answering) blocks the read: Cancel answers at once, the dialog closes without freezing the window, and
    the import rolls back when the read returns."""
    import os
    import threading
    import time

    from annotator import formats

    pipe = tmp_path / "pipe.jsonl"
    os.mkfifo(pipe)
    done = threading.Event()

    def watchdog():  # code that blocks on the pipe (the GUI thread, before the fix) fails this test, not hangs it
        if not done.wait(20):
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))

    threading.Thread(target=watchdog, daemon=True).start()
    w = open_window(tmp_path / "empty.db")
    dialog = w.import_dialog()
    qtbot.addWidget(dialog)
    dialog.add_paths(str(pipe))
    run(dialog, qtbot)
    assert dialog.report.toPlainText() == f"{pipe}: a named pipe (FIFO), not a file: only regular files and folders are imported"

    real_expand = formats.expand
    monkeypatch.setattr(formats, "expand", lambda paths, fmt="auto", skipped=None: [(pipe, "jsonl")])  # the check passed earlier
    dialog.paths.clear()
    dialog.add_paths(str(tmp_path / "was-a-file.jsonl"))
    qtbot.mouseClick(dialog.run_button, Qt.LeftButton)
    job = dialog.job
    qtbot.wait(200)
    assert job.isRunning()  # blocked in open(): a FIFO with no writer
    started = time.monotonic()
    qtbot.mouseClick(dialog.cancel_button, Qt.LeftButton)
    assert time.monotonic() - started < 2
    assert dialog.report.toPlainText().startswith("Cancelled: nothing was changed.")
    assert dialog.job is None and dialog.cancel_button.text() == "Close" and dialog.run_button.isEnabled()
    started = time.monotonic()
    dialog.close()
    assert time.monotonic() - started < 2
    monkeypatch.setattr(formats, "expand", real_expand)

    writer = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)  # the read returns: a record arrives, then the end
    os.write(writer, json.dumps({"text": "Arrived too late"}).encode() + b"\n")
    os.close(writer)
    assert job.wait(10_000)
    done.set()
    assert Store(tmp_path / "empty.db").document_count() == 0
