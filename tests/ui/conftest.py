import pytest
from PySide6.QtCore import QSettings

from annotator.store import Store
from annotator.store.bulk import import_records
from annotator.formats import plaintext
from tests.conftest import DOCUMENTS


@pytest.fixture(autouse=True, scope="session")
def settings_never_in_home(tmp_path_factory):
    """Any QSettings() made during the tests (the app's default) lives in a temporary folder, not in $HOME."""
    QSettings.setDefaultFormat(QSettings.IniFormat)
    for scope in (QSettings.UserScope, QSettings.SystemScope):
        QSettings.setPath(QSettings.IniFormat, scope, str(tmp_path_factory.mktemp("qsettings")))


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)


@pytest.fixture
def corpus_db(tmp_path):
    path = tmp_path / "corpus.db"
    store = Store(path)
    import_records(store, (r for p in sorted(DOCUMENTS.glob("*.txt")) for r in plaintext.read(p)))
    store.close()
    return path


@pytest.fixture
def open_window(qtbot, settings):
    from annotator.ui.main_window import MainWindow

    made = []

    def make(db, annotator="alice"):
        window = MainWindow(Store(db), annotator, settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()  # shortcuts go to the active window, as on a desktop
        qtbot.waitUntil(window.isActiveWindow)
        made.append(window)
        return window

    yield make
    for w in made:
        w.indexer.stop()
        w.suggestions.stop()


@pytest.fixture
def window(open_window, corpus_db):
    return open_window(corpus_db)
