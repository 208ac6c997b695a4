"""Issue 13, "never blocking the window": the window's suggestions are computed in a process of their own (a
thread of the window's process held Python's lock against the window: a 1 MB article with 10,000 spans took 5 s
to open and paint instead of 85 ms), and a document with more suggestions than a reviewer can use shows the
surest of them, saying how many there were."""
import os
import signal

import pytest
from PySide6.QtCore import Qt

from annotator.store import Store
from annotator.suggest import engine
from annotator.suggest.service import SHOWN
from tests.ui.test_suggestions_window import ORG, tag, three_db, wait_for_suggestions  # noqa: F401 (fixture)

WORD = "Tidewatch"


@pytest.fixture
def computed_here_fails(monkeypatch):
    """Any suggestion computed in the window's own process raises: only the suggestion process may compute."""
    def not_here(self, doc_id, text=None):
        raise AssertionError("suggestions computed in the window's process")

    monkeypatch.setattr(engine.Suggester, "for_document", not_here)


def service_pid(w) -> int:
    service = w.suggestions.worker.service
    assert service is not None and service.alive
    return service.process.pid


def test_suggestions_come_from_a_process_of_their_own(open_window, three_db, qtbot, computed_here_fails):
    w = open_window(three_db)
    tag(w, qtbot, ORG)
    qtbot.keyClick(w.view, Qt.Key_Return, Qt.ControlModifier)  # done: the next article, where ORG is suggested
    items = wait_for_suggestions(w, qtbot)
    assert (ORG, "ORGANISATION", "corpus") in [(s.text, s.label, s.source) for s in items]
    pid = service_pid(w)
    assert pid != os.getpid()
    # and it yields the cores to the window where they are busy
    assert os.getpriority(os.PRIO_PROCESS, pid) > os.getpriority(os.PRIO_PROCESS, 0)


def test_a_suggestion_process_that_dies_is_started_again(open_window, three_db, qtbot):
    w = open_window(three_db)
    wait_for_suggestions(w, qtbot)
    first = service_pid(w)
    os.kill(first, signal.SIGKILL)
    tag(w, qtbot, ORG)  # asked again at once: found ended, started again, asked again
    qtbot.keyClick(w.view, Qt.Key_Return, Qt.ControlModifier)
    items = wait_for_suggestions(w, qtbot)  # the new document's suggestions, from a new process
    assert ORG in [s.text for s in items]
    assert service_pid(w) != first


@pytest.fixture
def huge_db(tmp_path):
    """An article naming one tagged body more times than any list can usefully show."""
    path = tmp_path / "huge.db"
    store = Store(path)
    tagged = store.add_document(f"{WORD} patrolled the coast.", title="Tagged")[0]
    store.add_span(tagged.id, 0, len(WORD), "ORGANISATION", "bob")
    store.add_document(" ".join(f"{WORD} met them." for _ in range(SHOWN + 700)), title="Huge")
    store.close()
    return path


def test_a_document_with_more_suggestions_than_can_be_shown_shows_the_surest(open_window, huge_db, qtbot):
    w = open_window(huge_db)
    huge = next(d.id for d in w.store.list_documents() if d.title == "Huge")
    w.open_document(huge)
    desk = w.suggestions
    items = wait_for_suggestions(w, qtbot)
    assert len(items) == SHOWN == desk.list.model.rowCount() == len(desk.layer.items)
    assert desk.label.text().startswith(f"Suggestions: the {SHOWN:,} surest of {SHOWN + 700:,}")
    assert [s.start for s in items] == sorted(s.start for s in items)  # still in reading order
    qtbot.keyClick(w.view, Qt.Key_Tab)
    qtbot.keyClick(w.view, Qt.Key_Return)  # accepted: one fewer, of one fewer
    assert len(w.store.spans(huge)) == 1
    assert desk.label.text().startswith(f"Suggestions: the {SHOWN - 1:,} surest of {SHOWN + 699:,}")


def test_every_source_switched_off_says_off_and_asks_nothing(open_window, three_db, qtbot):
    from annotator.suggest import set_setting

    w = open_window(three_db)
    tag(w, qtbot, ORG)
    qtbot.keyClick(w.view, Qt.Key_Return, Qt.ControlModifier)
    assert wait_for_suggestions(w, qtbot)
    set_setting(w.store, "sources", [])
    desk = w.suggestions
    assert desk.items == [] and desk.layer.items == [] and desk.list.model.rowCount() == 0
    assert desk.label.text().startswith("Suggestions: off")
    qtbot.keyClick(w.view, Qt.Key_PageDown, Qt.ControlModifier)  # another document: nothing asked, no error said
    qtbot.wait(300)
    assert not desk.worker.busy and desk.label.text().startswith("Suggestions: off")
    assert "could not" not in w.statusBar().currentMessage()
    set_setting(w.store, "sources", ["corpus"])
    assert ORG in [s.text for s in wait_for_suggestions(w, qtbot)]
