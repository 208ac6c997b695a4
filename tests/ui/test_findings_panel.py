"""Review > Findings in the window: the tables fill in the background, a commitment opens in its document with
the span selected, and Save report writes the same page as the command line."""
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from annotator.store import Store
from tests.findings.hostile import REVIEWER, TITLE, add_hostile
from tests.findings.tagging import CHINA, SEED_BALI, SEED_UNODC, UNODC_2011, import_bundled, tag


@pytest.fixture
def tagged_db(tmp_path):
    path = tmp_path / "corpus.db"
    store = Store(path)
    ids = import_bundled(store)
    spans = tag(store, ids)
    add_hostile(store)
    store.close()
    return path, ids, spans


def menu_action(window, menu_title: str, text: str):
    for menu_action_ in window.menuBar().actions():
        if menu_action_.text().replace("&", "") == menu_title:
            return next(a for a in menu_action_.menu().actions() if a.text() == text)
    raise AssertionError(f"no menu {menu_title}")


def open_findings(window, qtbot):
    menu_action(window, "Review", "Findings…").trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "findingsDialog" and w.isVisible())
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30_000)
    return dialog


def test_findings_fill_in_and_a_double_click_opens_the_commitment(open_window, tagged_db, qtbot, tmp_path):
    db, ids, spans = tagged_db
    w = open_window(db)
    dialog = open_findings(w, qtbot)
    model = dialog.models["commitments"]
    assert model.rowCount() == 6
    assert "6 commitment(s)" in dialog.summary.text() and "3 inferred by proximity" in dialog.summary.text()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == UNODC_2011)
    assert model.index(row, 5).data() == f"{SEED_UNODC}; {SEED_BALI}" and model.index(row, 6).data() == "inferred by proximity"
    assert model.index(row, 2).data().startswith("Ministers welcomed assistance from UNODC")
    # markup from the corpus is a cell's text, never rendered
    hostile = next(r for r in range(model.rowCount()) if model.index(r, 9).data() == REVIEWER)
    assert model.index(hostile, 11).data() == TITLE
    view = dialog.views["commitments"]
    rect = view.visualRect(model.index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=rect.center())
    commitment = spans[(UNODC_2011, "Ministers welcomed assistance from UNODC in establishing a voluntary reporting "
                                    "system on migrant smuggling")]
    assert w.doc_id == ids[UNODC_2011]
    assert w.view.selection_offsets() == (commitment.start, commitment.end)
    dialog.close()


def test_filters_recompute_and_a_bad_one_is_named(open_window, tagged_db, qtbot):
    db, *_ = tagged_db
    dialog = open_findings(open_window(db), qtbot)
    dialog.since.setFocus()
    qtbot.keyClicks(dialog.since, "2024")
    qtbot.keyClick(dialog.since, Qt.Key_Return)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30_000)
    assert sorted(dialog.models["commitments"].index(r, 0).data()
                  for r in range(dialog.models["commitments"].rowCount())) == ["2024-04-27", "2024-07-17"]
    # the reviewers, named by the first findings, are in the Layer box; choosing one by keyboard recomputes for them
    layers = [dialog.layer.itemText(i) for i in range(dialog.layer.count())]
    assert layers == ["every reviewer, gold if curated", "<b>eve</b>", "alice", "gold (curated)"]
    dialog.since.clear()
    dialog.layer.setFocus()
    qtbot.keyClick(dialog.layer, Qt.Key_Down)
    qtbot.keyClick(dialog.layer, Qt.Key_Down)
    assert dialog.layer.currentText() == "alice"
    qtbot.mouseClick(dialog.compute_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30_000)
    assert {dialog.models["commitments"].index(r, 9).data()
            for r in range(dialog.models["commitments"].rowCount())} == {"alice"}
    assert dialog.models["commitments"].rowCount() == 5
    dialog.until.setText("April")
    qtbot.mouseClick(dialog.compute_button, Qt.LeftButton)
    assert "--until 'April' is not a date" in dialog.summary.text()
    dialog.close()


def test_save_report_writes_the_html_page(open_window, tagged_db, qtbot, tmp_path, monkeypatch):
    from annotator.ui import file_dialogs

    db, *_ = tagged_db
    dialog = open_findings(open_window(db), qtbot)
    target = tmp_path / "saved report.html"
    monkeypatch.setattr(file_dialogs, "save_file", lambda *a, **k: str(target))
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None and target.exists(), timeout=30_000)
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "Ministers welcomed assistance" in page
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert "Report saved" in dialog.summary.text()
    dialog.close()


def test_cancel_stops_the_computation(open_window, tagged_db, qtbot, monkeypatch):
    from annotator.findings import tables

    db, *_ = tagged_db
    w = open_window(db)
    monkeypatch.setattr(tables, "CHECK_EVERY", 1)
    import threading
    gate = threading.Event()
    real = tables.queries.documents

    def slow_documents(store, part=None):
        for row in real(store, part):
            gate.wait(5)
            yield row
    monkeypatch.setattr(tables.queries, "documents", slow_documents)
    menu_action(w, "Review", "Findings…").trigger()
    dialog = next(x for x in QApplication.topLevelWidgets() if x.objectName() == "findingsDialog" and x.isVisible())
    assert dialog.cancel_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30_000)
    assert "cancelled" in dialog.summary.text() and dialog.models["commitments"].rowCount() == 0
    dialog.close()


def click_header(qtbot, view, column: int) -> None:
    header = view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))


def column_of(model, column: int) -> list:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_a_click_on_a_header_sorts_numbers_as_numbers_and_dates_as_dates(open_window, tagged_db, qtbot):
    db, ids, spans = tagged_db
    w = open_window(db)
    dialog = open_findings(w, qtbot)
    figures, view = dialog.models["figures"], dialog.views["figures"]
    values = {r: figures.rows[r][1] for r in range(figures.rowCount())}
    assert all(isinstance(v, (int, float)) for v in values.values())
    view.setColumnWidth(1, 120)  # the Value column where a reader sees it
    click_header(qtbot, view, 1)
    shown = [figures.rows[r][1] for r in range(figures.rowCount())]
    assert shown == sorted(values.values())  # 60, 90, 350, ...: by value, not by the text "2400000" < "350"
    assert sorted(map(str, shown)) != [str(v) for v in shown]
    click_header(qtbot, view, 1)
    assert [figures.rows[r][1] for r in range(figures.rowCount())] == sorted(values.values(), reverse=True)
    # the dates of the commitments, oldest first, then newest first
    commitments, cview = dialog.models["commitments"], dialog.views["commitments"]
    dialog.tabs.setCurrentWidget(cview)
    click_header(qtbot, cview, 0)
    dates = column_of(commitments, 0)
    assert dates == sorted(dates) and dates[0] == CHINA
    click_header(qtbot, cview, 0)
    assert column_of(commitments, 0) == sorted(dates, reverse=True)
    # a sorted row still opens its own document
    row = column_of(commitments, 0).index(UNODC_2011)
    rect = cview.visualRect(commitments.index(row, 2))
    qtbot.mouseClick(cview.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(cview.viewport(), Qt.LeftButton, pos=rect.center())
    assert w.doc_id == ids[UNODC_2011]
    # and the mentions of the organisations, most first on a second click
    orgs, oview = dialog.models["organisations"], dialog.views["organisations"]
    dialog.tabs.setCurrentWidget(oview)
    click_header(qtbot, oview, 1)
    click_header(qtbot, oview, 1)
    mentions = column_of(orgs, 1)
    assert [int(m) for m in mentions] == sorted((int(m) for m in mentions), reverse=True)
    dialog.close()
