"""Every file dialog of the window, made in one place so that none can touch the open database.

SQLite's locks are POSIX advisory locks: they belong to the process, and closing *any* descriptor of the
database file (or of its -wal/-shm files) drops every lock the process holds on it. Another process then
believes it is the last user, checkpoints and deletes the WAL the window still has mapped, and the database is
corrupt ("How To Corrupt An SQLite Database File", section 2.2). Qt's file dialog asks its icon provider for an
icon and a type name of every file it lists, and the default provider finds both through QMimeDatabase, which
opens files without a telling suffix (``corpus.db-wal``, ``corpus.db-shm``) to read their first bytes, then
closes them. The provider below names icons and types from ``QFileInfo`` alone (a stat, never an open).

Native dialogs are never used: a platform's dialog (GTK's, KDE's) runs in our process and sniffs files its own
way, out of our reach. The dialog opens at a size that shows its columns and remembers the size it was left at.
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, QSize
from PySide6.QtGui import QAbstractFileIconProvider
from PySide6.QtWidgets import QFileDialog, QHeaderView, QTreeView, QWidget

DEFAULT_SIZE = QSize(900, 560)
SETTINGS_KEY = "fileDialog/size"
STATE_KEY = "fileDialog/state"


class StatOnlyIconProvider(QAbstractFileIconProvider):
    """Icons and type names from the file's name and kind, never from its content."""

    def icon(self, what):
        if isinstance(what, QAbstractFileIconProvider.IconType):
            return super().icon(what)
        kind = QAbstractFileIconProvider.IconType
        return super().icon(kind.Folder if what.isDir() else kind.File)

    def type(self, info) -> str:
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


# One provider for the process: a dialog keeps a pointer to it, so it must outlive every dialog.
_PROVIDER: StatOnlyIconProvider | None = None


def _provider() -> StatOnlyIconProvider:
    global _PROVIDER
    if _PROVIDER is None:
        _PROVIDER = StatOnlyIconProvider()
    return _PROVIDER


def make_dialog(parent: QWidget | None, caption: str, mode: QFileDialog.FileMode, *,
                accept: QFileDialog.AcceptMode = QFileDialog.AcceptOpen, name_filter: str = "",
                directory: str = "", default_name: str = "") -> QFileDialog:
    """A file dialog that is safe beside an open database (see the module's docstring)."""
    dialog = QFileDialog(parent, caption, directory)
    dialog.setObjectName("fileDialog")
    dialog.setOption(QFileDialog.DontUseNativeDialog, True)
    dialog.setIconProvider(_provider())
    dialog.setFileMode(mode)
    dialog.setAcceptMode(accept)
    if mode == QFileDialog.Directory:
        dialog.setOption(QFileDialog.ShowDirsOnly, True)
    if name_filter:
        dialog.setNameFilter(name_filter)
    if default_name:
        dialog.selectFile(default_name)
    settings = QSettings()
    size = settings.value(SETTINGS_KEY)
    # the size alone: the dialog opens over its window wherever that is, at the size the reviewer left it
    dialog.resize(size if isinstance(size, QSize) and size.isValid() else DEFAULT_SIZE)
    state = settings.value(STATE_KEY)
    if isinstance(state, QByteArray):
        dialog.restoreState(state)
    _readable_columns(dialog)
    dialog.finished.connect(lambda _result: _remember(dialog))
    return dialog


def _readable_columns(dialog: QFileDialog) -> None:
    """Size, type and date fit their contents ("115.23 KiB", not "116...KiB"); the name takes the rest."""
    tree = dialog.findChild(QTreeView, "treeView")
    if tree is None:
        return
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.Stretch)
    for column in range(1, header.count()):
        header.setSectionResizeMode(column, QHeaderView.ResizeToContents)


def _remember(dialog: QFileDialog) -> None:
    settings = QSettings()
    settings.setValue(SETTINGS_KEY, dialog.size())
    settings.setValue(STATE_KEY, dialog.saveState())


def _run(dialog: QFileDialog) -> list[str]:
    return dialog.selectedFiles() if dialog.exec() == QFileDialog.Accepted else []


def open_files(parent: QWidget | None, caption: str, name_filter: str = "") -> list[str]:
    return _run(make_dialog(parent, caption, QFileDialog.ExistingFiles, name_filter=name_filter))


def open_folder(parent: QWidget | None, caption: str) -> str:
    chosen = _run(make_dialog(parent, caption, QFileDialog.Directory))
    return chosen[0] if chosen else ""


def save_file(parent: QWidget | None, caption: str, default_name: str = "") -> str:
    chosen = _run(make_dialog(parent, caption, QFileDialog.AnyFile, accept=QFileDialog.AcceptSave,
                              default_name=default_name))
    return chosen[0] if chosen else ""
