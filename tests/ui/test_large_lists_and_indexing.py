"""The document list at scale and the background search index, as a reviewer meets them."""
import sqlite3
import threading

from PySide6.QtCore import Qt

from annotator.core.model import Document
from annotator.core.text import document_id, sha256
from annotator.store import Store


def many_documents(path, n):
    store = Store(path)
    with store.db.atomic():
        store.insert_documents(
            Document(document_id(t), t, f"Article {i}", None, sha256(t), {})
            for i, t in ((i, f"Article {i} on {'the Bali Process' if i % 50 == 7 else 'smuggling'}") for i in range(n))
        )
    ids = store.document_ids()
    store.close()
    return ids


def test_restart_selects_the_open_document_far_down_the_list(open_window, settings, tmp_path):
    ids = many_documents(tmp_path / "many.db", 650)
    window = open_window(tmp_path / "many.db")
    window.open_document(ids[611])
    window.close()
    window = open_window(tmp_path / "many.db")
    assert window.doc_id == ids[611]
    assert window.doc_list.currentIndex().row() == 611
    assert window.doc_model.data(window.doc_model.index(611, 0)) == "Article 611"


def test_search_typed_while_the_index_is_built_filters_when_it_is_ready(open_window, tmp_path, qtbot, monkeypatch):
    from annotator.ui import search_index

    many_documents(tmp_path / "many.db", 300)
    gate = threading.Event()
    real_run = search_index.SearchIndexer.run

    def slow_run(self):
        gate.wait(10)
        real_run(self)

    monkeypatch.setattr(search_index.SearchIndexer, "run", slow_run)
    window = open_window(tmp_path / "many.db")
    assert window.indexer.isRunning()
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    qtbot.keyClicks(window.search_box, "Bali")
    assert window.doc_model.rowCount() == 300  # not filtered yet, and no "database is locked"
    assert "Indexing" in window.statusBar().currentMessage()
    gate.set()
    qtbot.waitUntil(lambda: window.doc_model.rowCount() == 6, timeout=10000)
    titles = {window.doc_model.data(window.doc_model.index(r, 0)) for r in range(6)}
    assert titles == {f"Article {i}" for i in range(7, 300, 50)}
    assert window.statusBar().currentMessage() == ""


def test_indexing_survives_a_write_racing_it(open_window, tmp_path, qtbot, monkeypatch):
    from annotator.store import store as store_module

    many_documents(tmp_path / "many.db", 300)
    real = store_module.Store.update_search_index
    refused = []

    def racing(self, *args, **kwargs):
        if not refused:  # the first batch meets a span the window has just committed
            refused.append(True)
            raise sqlite3.OperationalError("database is locked")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(store_module.Store, "update_search_index", racing)
    window = open_window(tmp_path / "many.db")
    qtbot.waitUntil(lambda: not window.indexer.isRunning(), timeout=10000)
    assert refused and Store(tmp_path / "many.db").pending_search_index() == 0


def test_each_database_reopens_its_own_document(open_window, tmp_path):
    a = many_documents(tmp_path / "a.db", 5)
    b = many_documents(tmp_path / "b.db", 7)
    for path, doc in ((tmp_path / "a.db", a[3]), (tmp_path / "b.db", b[5])):
        window = open_window(path)
        window.open_document(doc)
        window.close()
    assert open_window(tmp_path / "a.db").doc_id == a[3]
    assert open_window(tmp_path / "b.db").doc_id == b[5]


def test_span_count_in_the_list_follows_edits_and_undo(window, qtbot):
    row = window.doc_list.currentIndex().row()
    count = lambda: window.doc_model.data(window.doc_model.index(row, 2))  # noqa: E731
    assert count() == 0
    view = window.view
    for phrase in ("China", "Liu Jieyi"):
        at = view.text.index(phrase)
        view.select_offsets(at, at + len(phrase))
        view.setFocus()
        qtbot.keyClick(view, Qt.Key_1)
    assert count() == 2
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
    assert count() == 1
    window.close()
