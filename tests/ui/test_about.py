"""Help > About shows what a bug report needs; the window carries the app's icon and says whose database it is."""
import tomllib
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel

from annotator.store import schema
from annotator.ui import app
from annotator.ui.about import AboutDialog

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def open_about_by_keyboard(window, qtbot) -> AboutDialog:
    qtbot.keyClick(window, Qt.Key_H, Qt.AltModifier)  # Help
    menu = QApplication.activePopupWidget()
    assert menu is not None and [a.text() for a in menu.actions()][-1] == "&About annotator…"
    qtbot.keyClick(menu, Qt.Key_A)
    qtbot.waitUntil(lambda: window.findChild(AboutDialog, "aboutDialog") is not None
                    and window.findChild(AboutDialog, "aboutDialog").isVisible())
    return window.findChild(AboutDialog, "aboutDialog")


def shown(dialog, what: str) -> str:
    return dialog.findChild(QLabel, f"about{what}").text()


def test_help_about_shows_the_version_the_database_its_schema_and_qt(window, qtbot, corpus_db):
    dialog = open_about_by_keyboard(window, qtbot)
    version = tomllib.loads(PYPROJECT.read_text())["project"]["version"]
    assert shown(dialog, "Version") == version
    assert shown(dialog, "Database") == str(corpus_db)
    known = [m.name for m in schema.migrations._migrations]  # a new database has every migration this version knows
    assert shown(dialog, "Schema") == f"version {len(known)} ({known[-1]})"
    assert shown(dialog, "Qt") == qVersion() and shown(dialog, "PySide6") == PySide6.__version__
    assert not dialog.findChild(QLabel, "aboutIcon").pixmap().isNull()

    qtbot.mouseClick(dialog.findChild(PySide6.QtWidgets.QPushButton, "aboutCopy"), Qt.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert f"Version: {version}\nDatabase: {corpus_db}\n" in copied and f"Qt: {qVersion()}" in copied
    qtbot.keyClick(dialog, Qt.Key_Escape)
    qtbot.waitUntil(lambda: window.findChild(AboutDialog, "aboutDialog") is None)  # closed and gone


def test_a_path_with_markup_is_shown_as_it_is(open_window, qtbot, tmp_path):
    db = tmp_path / "<b>team</b> & co" / "corpus.db"
    window = open_window(db)
    dialog = open_about_by_keyboard(window, qtbot)
    label = dialog.findChild(QLabel, "aboutDatabase")
    assert label.text() == str(db) and label.textFormat() == Qt.PlainText


def test_the_title_names_the_file_and_the_reviewer_not_the_whole_path(window, monkeypatch, corpus_db):
    assert window.windowTitle() == "corpus.db — alice — annotator"
    assert str(corpus_db.parent) not in window.windowTitle()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("bob", True))
    window.change_name()
    assert window.windowTitle() == "corpus.db — bob — annotator"


def test_the_application_has_the_icon_in_every_launcher_size(qapp):
    icon = app.application().windowIcon()
    assert sorted(s.width() for s in icon.availableSizes()) == [16, 32, 48, 64, 128, 256]
    image = icon.pixmap(48, 48).toImage()
    # the first tagged span of the icon is drawn in ORGANISATION's blue
    assert image.pixelColor(int(48 * 60 / 256), int(48 * 68 / 256)).name() == "#0072b2"
