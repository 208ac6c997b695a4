"""The schema is created and upgraded by Migrations: an old database opens and keeps its data."""
import sqlite3

from sqlite_utils import Database

from annotator.store import Store, schema


def test_database_made_by_first_migration_upgrades(tmp_path):
    path = tmp_path / "old.db"
    db = Database(path)
    schema.upgrade(db, stop_before="m002_gold_layer")
    assert "gold_spans" not in db.table_names()
    db.execute("INSERT INTO labels (name, color) VALUES ('FIGURE', '#E69F00')")
    db.execute("INSERT INTO documents VALUES ('d1', 't', 'text', NULL, 'x', '{}', 'now')")
    db.execute("INSERT INTO spans VALUES ('s1','d1',0,4,'FIGURE','text','old','', 'a', 'a', NULL)")
    db.conn.commit()
    db.close()

    store = Store(path)
    assert "gold_spans" in store.db.table_names()
    assert store.span("s1").text == "text"
    names = [r[0] for r in store.conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert names == [m.name for m in schema.migrations._migrations]


def test_reopening_applies_nothing_twice(tmp_path):
    path = tmp_path / "a.db"
    Store(path).close()
    Store(path).close()
    rows = sqlite3.connect(path).execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert rows == len(schema.migrations._migrations)
    assert sqlite3.connect(path).execute("SELECT count(*) FROM labels").fetchone()[0] == 3
