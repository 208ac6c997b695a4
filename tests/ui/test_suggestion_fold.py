"""Issue 13 in curation mode: the suggestions list under the article took 170 pixels of a column the curation dock
already shortens, leaving the article a few lines. The list folds to its title row (its count stays in view);
curation mode folds it unless the reviewer unfolded it there, and the choice is remembered per mode, also in the
next window."""
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget


def article_share(w) -> float:
    """The share of the article's column (under the pending-writes bar) that shows the article's text."""
    pane = w.findChild(QWidget, "articlePane")
    return w.view.viewport().height() / pane.height()


def curation(w, qtbot, on: bool) -> None:
    qtbot.keyClick(w.view, Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier)
    qtbot.waitUntil(lambda: w.curation.active == on)
    qtbot.wait(50)  # the splitters settle


def test_curation_folds_the_suggestions_list_and_the_article_keeps_the_height(open_window, corpus_db, qtbot):
    w = open_window(corpus_db)
    w.resize(1400, 900)
    listing = w.suggestions.list
    qtbot.waitUntil(lambda: listing.table.isVisible())
    assert not listing.folded  # the review shows the list as before
    curation(w, qtbot, True)
    assert listing.folded and not listing.table.isVisible() and listing.title.isVisible()
    assert "Suggestions" in listing.title.text()
    folded = w.view.viewport().height()
    assert article_share(w) > 0.9, (folded, w.findChild(QWidget, "articlePane").height())

    # the reviewer unfolds it with the arrow: the list has its rows again, the article less room
    qtbot.mouseClick(listing.fold_button, Qt.LeftButton)
    assert listing.table.isVisible() and not listing.folded
    assert w.view.viewport().height() < folded - 100
    curation(w, qtbot, False)
    assert not listing.folded
    curation(w, qtbot, True)
    assert not listing.folded  # remembered for curation mode
    qtbot.mouseClick(listing.fold_button, Qt.LeftButton)
    assert listing.folded and w.view.viewport().height() >= folded - 2


def test_the_choice_is_remembered_per_mode_in_the_next_window_and_ctrl_g_unfolds(open_window, corpus_db, qtbot):
    w = open_window(corpus_db)
    w.resize(1400, 900)
    listing = w.suggestions.list
    qtbot.waitUntil(lambda: listing.table.isVisible())
    [shown] = [a for a in w.suggestions.menu.actions() if a.text() == "Show the suggestions list"]
    assert shown.isChecked()
    shown.trigger()  # folded in the review, from the Suggestions menu
    assert listing.folded and not listing.table.isVisible() and not shown.isChecked()
    w.close()

    again = open_window(corpus_db)
    again.resize(1400, 900)
    listing = again.suggestions.list
    qtbot.wait(50)
    assert listing.folded and not listing.table.isVisible() and article_share(again) > 0.9
    curation(again, qtbot, True)
    assert listing.folded
    # Ctrl+G goes to the list: it unfolds, and the keys act there
    qtbot.keyClick(again.view, Qt.Key_G, Qt.ControlModifier)
    qtbot.waitUntil(lambda: listing.table.hasFocus())
    assert not listing.folded and listing.table.isVisible()
    # the dock's own close button leaves curation mode as the menu does: the review's choice again (folded)
    close = again.curation.dock.findChild(QWidget, "qt_dockwidget_closebutton")
    qtbot.mouseClick(close, Qt.LeftButton, pos=QPoint(close.width() // 2, close.height() // 2))
    qtbot.waitUntil(lambda: not again.curation.active)
    assert listing.folded and not again.curation_action.isChecked()
