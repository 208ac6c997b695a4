import os

# Before anything imports Qt: tests render offscreen, with no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "documents"


@pytest.fixture
def store():
    from annotator.store import Store

    s = Store(":memory:")
    yield s
    s.close()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "test.db"
