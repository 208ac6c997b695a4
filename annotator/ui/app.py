"""Starting the review window: the application, who is reviewing, and the main window."""
from __future__ import annotations

import getpass
import os
import sys

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QInputDialog

from .. import __version__
from ..store import Store
from ..store.problems import is_writable
from .app_icon import app_icon
from .main_window import MainWindow


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("annotator")
    app.setApplicationName("annotator")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("annotator")  # the launcher desktop-install writes, so the desktop pairs them
    app.setWindowIcon(app_icon())
    return app


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return ""


def reviewer_name(settings: QSettings, given: str | None, ask=True) -> str | None:
    """The reviewer's name: given on the command line, kept in the settings, or asked once (pre-filled).

    A name given on the command line (``annotator gui --annotator NAME``) is for that run: it does not replace
    the name kept in the settings, unless none is kept yet.
    """
    kept = str(settings.value("annotator") or "").strip()
    if given and given.strip():
        if not kept:
            settings.setValue("annotator", given.strip())
        return given.strip()
    if kept:
        return kept
    if not ask:
        return None
    name, ok = QInputDialog.getText(None, "Who is reviewing?",
                                    "Your name, recorded on every span and status you make:", text=os_user())
    if not ok or not name.strip():
        # Esc, Cancel or an empty name: not a reason to quit without a word. This run uses the OS user name (the
        # window says so); it is not kept, so the next start asks again.
        return os_user().strip() or DEFAULT_NAME
    settings.setValue("annotator", name.strip())
    return name.strip()


DEFAULT_NAME = "reviewer"


def open_window(db_path: str, annotator: str | None = None, settings: QSettings | None = None) -> MainWindow | None:
    application()
    settings = settings or QSettings()
    name = reviewer_name(settings, annotator)
    if not name:
        return None
    unnamed = not (annotator and annotator.strip()) and not str(settings.value("annotator") or "").strip()
    exists = os.path.exists(db_path)
    # a database the user may read but not write opens read-only, and the window says so in its title
    window = MainWindow(Store(db_path, readonly=exists and not is_writable(db_path)), name, settings)
    window.show()
    if unnamed:
        window.statusBar().showMessage(f"No name was given: reviewing as “{name}” for now. Give yours with File > "
                                       "Change reviewer name…", 20000)
    return window


def run(db_path: str, annotator: str | None = None) -> int:
    app = application()
    window = open_window(db_path, annotator)
    if window is None:
        return 1
    return app.exec()
