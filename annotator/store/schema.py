"""The database schema, created and upgraded by sqlite-utils ``Migrations``.

Never edit a migration that has shipped: add a new one. ``tests/store/test_schema.py`` opens a database made by
the first migration alone and upgrades it.
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("annotator")


@migrations()
def m001_documents_labels_spans_reviews(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,      -- first 16 hex digits of sha256(text): same article, same id
            title TEXT NOT NULL,
            text TEXT NOT NULL,       -- never changes once stored; offsets index into it by code point
            source TEXT,              -- the file it came from, as given to import
            sha256 TEXT NOT NULL,
            meta TEXT NOT NULL DEFAULT '{}',   -- JSON object
            imported TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE labels (
            name TEXT PRIMARY KEY,
            color TEXT NOT NULL,
            hotkey TEXT NOT NULL DEFAULT '',
            guideline TEXT NOT NULL DEFAULT '',
            retired INTEGER NOT NULL DEFAULT 0,
            position INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute(
        """
        CREATE TABLE spans (
            id TEXT PRIMARY KEY,      -- a UUID made when the span is created
            doc_id TEXT NOT NULL REFERENCES documents(id),
            start INTEGER NOT NULL,   -- code-point offset, inclusive
            "end" INTEGER NOT NULL,   -- code-point offset, exclusive
            label TEXT NOT NULL REFERENCES labels(name) ON UPDATE CASCADE,
            text TEXT NOT NULL,       -- documents.text[start:end], kept for people reading the table
            annotator TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            deleted TEXT,             -- a tombstone: when the span was deleted, NULL while it is live
            CHECK (start >= 0 AND start < "end")
        )"""
    )
    db.execute('CREATE INDEX spans_by_document ON spans(doc_id, start, "end")')
    db.execute(
        """
        CREATE TABLE reviews (
            doc_id TEXT NOT NULL REFERENCES documents(id),
            annotator TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('todo', 'done', 'skipped')),
            note TEXT NOT NULL DEFAULT '',
            updated TEXT NOT NULL,
            PRIMARY KEY (doc_id, annotator)
        )"""
    )
    # Full-text search over titles and texts, kept outside the import path (see Store.update_search_index).
    db.execute(
        "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='rowid')"
    )
    db.execute("CREATE TABLE search_index_state (id INTEGER PRIMARY KEY CHECK (id = 1), indexed_rowid INTEGER NOT NULL)")
    db.execute("INSERT INTO search_index_state VALUES (1, 0)")


@migrations()
def m002_gold_layer(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE gold_spans (
            id TEXT PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL REFERENCES labels(name) ON UPDATE CASCADE,
            text TEXT NOT NULL,
            curator TEXT NOT NULL,
            sources TEXT NOT NULL DEFAULT '[]',   -- JSON list of the reviewers' span ids it was taken from
            note TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            deleted TEXT,
            CHECK (start >= 0 AND start < "end")
        )"""
    )
    db.execute('CREATE INDEX gold_spans_by_document ON gold_spans(doc_id, start, "end")')



@migrations()
def m003_relations_attributes_entities(db: Database) -> None:
    # The scheme's relation types and attributes; a new database takes resources/scheme.json's (Store.__init__).
    db.execute(
        """
        CREATE TABLE relation_types (
            name TEXT PRIMARY KEY,
            head_label TEXT NOT NULL,
            child_label TEXT NOT NULL,
            hotkey TEXT NOT NULL DEFAULT '',
            guideline TEXT NOT NULL DEFAULT '',
            retired INTEGER NOT NULL DEFAULT 0,
            position INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute(
        """
        CREATE TABLE attribute_defs (
            label TEXT NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL CHECK (type IN ('entity', 'number', 'text', 'bool', 'choice')),
            choices TEXT NOT NULL DEFAULT '[]',   -- JSON list, for a choice
            position INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (label, name)
        )"""
    )
    # A relation joins two spans of one document and one annotator; like spans, a deletion is a tombstone.
    for table, who in (("relations", "annotator"), ("gold_relations", "curator")):
        extra = "sources TEXT NOT NULL DEFAULT '[]'," if table == "gold_relations" else ""
        db.execute(
            f"""
            CREATE TABLE {table} (
                id TEXT PRIMARY KEY,
                doc_id TEXT NOT NULL REFERENCES documents(id),
                head TEXT NOT NULL,       -- a span id (of gold_spans for gold_relations)
                child TEXT NOT NULL,
                type TEXT NOT NULL REFERENCES relation_types(name) ON UPDATE CASCADE,
                {who} TEXT NOT NULL,
                {extra}
                created TEXT NOT NULL,
                updated TEXT NOT NULL,
                deleted TEXT,
                CHECK (head <> child)
            )"""
        )
        db.execute(f"CREATE INDEX {table}_by_document ON {table}(doc_id)")
        db.execute(f"CREATE INDEX {table}_by_head ON {table}(head)")
        db.execute(f"CREATE INDEX {table}_by_child ON {table}(child)")
    # One value per span and attribute name; value is JSON. proposed = 1 until a reviewer confirms it.
    for table, who in (("span_attributes", "annotator"), ("gold_span_attributes", "curator")):
        db.execute(
            f"""
            CREATE TABLE {table} (
                span_id TEXT NOT NULL,
                doc_id TEXT NOT NULL REFERENCES documents(id),
                name TEXT NOT NULL,
                value TEXT NOT NULL,
                {who} TEXT NOT NULL,
                proposed INTEGER NOT NULL DEFAULT 0,
                updated TEXT NOT NULL,
                deleted TEXT,
                PRIMARY KEY (span_id, name)
            )"""
        )
        db.execute(f"CREATE INDEX {table}_by_document ON {table}(doc_id)")
    db.execute(
        """
        CREATE TABLE entities (
            id TEXT PRIMARY KEY,          -- a short stable key: IOM, UNODC, BALI-PROCESS
            name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'organisation',
            country TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            deleted TEXT,
            merged_into TEXT              -- set when merged into another entity: links to it move there
        )"""
    )
    db.execute(
        """
        CREATE TABLE entity_aliases (
            entity_id TEXT NOT NULL REFERENCES entities(id) ON UPDATE CASCADE,
            alias TEXT NOT NULL,
            PRIMARY KEY (entity_id, alias)
        )"""
    )
    db.execute("CREATE INDEX entity_aliases_by_alias ON entity_aliases(alias)")


@migrations()
def m004_suggestions(db: Database) -> None:
    """Suggestions themselves are computed, never stored; what is stored is what people and training did with them."""
    db.execute(
        """
        CREATE TABLE rejected_suggestions (   -- a reviewer said no: never suggest this range with this label again
            doc_id TEXT NOT NULL REFERENCES documents(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL,
            source TEXT NOT NULL,     -- which source suggested it (corpus, patterns, model, spacy:NAME)
            annotator TEXT NOT NULL,  -- who rejected it
            rejected TEXT NOT NULL,
            PRIMARY KEY (doc_id, start, "end", label)
        )"""
    )
    db.execute(
        """
        CREATE TABLE accepted_suggestions (   -- spans made by accepting a suggestion: where they came from
            span_id TEXT PRIMARY KEY REFERENCES spans(id),
            source TEXT NOT NULL,
            score REAL NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            accepted TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE suggestion_models (   -- every model trained on the reviewers' work, newest last
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL,       -- the pipeline folder, beside the database (DATABASE.models/NAME)
            trained TEXT NOT NULL,    -- when training ended
            labels TEXT NOT NULL,     -- JSON list of the labels it suggests
            train_documents INTEGER NOT NULL,
            heldout_documents INTEGER NOT NULL,
            train_spans INTEGER NOT NULL,
            scores TEXT NOT NULL,     -- JSON {label: {"p", "r", "f", "support"}} on the held-out reviewed documents
            seconds REAL NOT NULL,
            info TEXT NOT NULL DEFAULT '{}'   -- JSON: documents used (ids' digest), iterations, spaCy version
        )"""
    )
    db.execute(
        """
        CREATE TABLE suggestion_settings (   -- which sources are on, the installed pipeline and its label mapping
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL       -- JSON
        )"""
    )


@migrations()
def m005_sync_state(db: Database) -> None:
    """What ``annotator sync`` has already taken from each shared place, so that a sync with nothing new reads
    nothing again. Named m005: it follows the relations (m003) and suggestions (m004) migrations."""
    db.execute(
        """
        CREATE TABLE sync_files (
            place TEXT NOT NULL,      -- the shared folder (its absolute path) or the git remote (its URL)
            name TEXT NOT NULL,       -- a reviewer file (reviewers/NAME.jsonl) or a metadata file of texts/
            sha256 TEXT NOT NULL,     -- of the bytes taken in: a file with these bytes is not read again
            PRIMARY KEY (place, name)
        )"""
    )
    db.execute(
        """
        CREATE TABLE sync_claims (
            place TEXT NOT NULL,
            owner TEXT NOT NULL,      -- the reviewer whose file it is
            item TEXT NOT NULL,       -- 'span ID', 'review DOC_ID ANNOTATOR' or 'gold ID'
            version TEXT NOT NULL,    -- a digest of the version the file holds
            own INTEGER NOT NULL,     -- 1: the owner's own work; 0: a version of someone else's it carries
            PRIMARY KEY (place, owner, item)
        )"""
    )


@migrations()
def m008_alias_tombstones(db: Database) -> None:
    """An alias is a version with a time, and its removal a tombstone, so that a merge replays a removal as it
    replays every other edit (newest wins) instead of bringing the alias back from a teammate who still had it.
    Aliases made before have the empty time: older than any edit. Numbered m008: m006 and m007 are other
    branches' (each applies once, by its name)."""
    db.execute("ALTER TABLE entity_aliases ADD COLUMN updated TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE entity_aliases ADD COLUMN deleted TEXT")  # deleted: NULL while the alias is live


@migrations()
def m009_relation_and_value_keys_as_indexes(db: Database) -> None:
    """The reviewers' relations and attribute values (a million rows in a large team database) keep their keys as
    unique indexes of their own instead of the tables' primary keys, and a relation has one index beside its key,
    (doc_id, head, child), in place of three (doc_id), (head), (child).

    Why: a merge into an empty table writes the rows first and builds every index after, one sort each
    (store/merge_database_links.py); a primary key's index cannot be dropped, so the rows had to be sorted by key
    first and written in that order, which cost more than the rest of the writing (an import keeps the unique
    index while it copies: it is what ignores an id a file gives twice). A span's relations are found
    with its document named, head and child read in the index (store/relations.py ``OF_SPAN``): by head a seek, by
    child a walk through the document's entries of the index (5,000 relations: 0.3 ms).
    The keys are as unique as before. The gold tables, written by curation a row at a time, keep theirs.
    Numbered m009: m006 and m007 are other branches' (each applies once, by its name)."""
    db.execute(
        """
        CREATE TABLE relations_m009 (
            id TEXT NOT NULL,         -- a UUID; unique (relations_by_id)
            doc_id TEXT NOT NULL REFERENCES documents(id),
            head TEXT NOT NULL,       -- a span id
            child TEXT NOT NULL,
            type TEXT NOT NULL REFERENCES relation_types(name) ON UPDATE CASCADE,
            annotator TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            deleted TEXT,             -- a tombstone: when the relation was deleted, NULL while it is live
            CHECK (head <> child)
        )"""
    )
    db.execute(
        """
        CREATE TABLE span_attributes_m009 (
            span_id TEXT NOT NULL,    -- one value per span and name: unique (span_attributes_by_span)
            doc_id TEXT NOT NULL REFERENCES documents(id),
            name TEXT NOT NULL,
            value TEXT NOT NULL,      -- JSON
            annotator TEXT NOT NULL,
            proposed INTEGER NOT NULL DEFAULT 0,   -- 1 until a reviewer confirms it
            updated TEXT NOT NULL,
            deleted TEXT
        )"""
    )
    for table, columns in (("relations", "id, doc_id, head, child, type, annotator, created, updated, deleted"),
                           ("span_attributes", "span_id, doc_id, name, value, annotator, proposed, updated, deleted")):
        db.execute(f"INSERT INTO {table}_m009 (rowid, {columns}) SELECT rowid, {columns} FROM {table}")
        db.execute(f"DROP TABLE {table}")  # its indexes with it
        db.execute(f"ALTER TABLE {table}_m009 RENAME TO {table}")
    db.execute("CREATE UNIQUE INDEX relations_by_id ON relations(id)")
    db.execute("CREATE INDEX relations_by_document ON relations(doc_id, head, child)")
    db.execute("CREATE UNIQUE INDEX span_attributes_by_span ON span_attributes(span_id, name)")
    db.execute("CREATE INDEX span_attributes_by_document ON span_attributes(doc_id)")


def check(db: Database, path: str, *, readonly: bool = False) -> None:
    """Refuse, naming the file, a database this version cannot use: not an annotator database, one made by a
    newer version (a migration we do not know), or a read-only one that needs an upgrade."""
    from ..core.errors import DatabaseUnusable

    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
    if not tables:
        if readonly:
            raise DatabaseUnusable(f"{path}: the database is empty and read-only: nothing to read")
        return
    applied = [m.name for m in migrations.applied(db)]
    if not applied and "documents" not in tables:
        shown = ", ".join(sorted(tables)[:5])
        raise DatabaseUnusable(f"{path}: not an annotator database (an SQLite database with tables {shown})")
    known = [m.name for m in migrations._migrations]
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise DatabaseUnusable(
            f"{path}: made by a newer version of annotator (its schema has {', '.join(unknown)}; this version "
            f"knows up to {known[-1]}): upgrade annotator to open it"
        )
    if readonly and len(applied) < len(known):
        raise DatabaseUnusable(f"{path}: the database needs a schema upgrade to {known[-1]}, but it is read-only")


def applied(db: Database) -> list[str]:
    """The names of the migrations the database has, oldest first (its schema version is the last)."""
    return [m.name for m in migrations.applied(db)]


def upgrade(db: Database, stop_before: str | None = None) -> None:
    migrations.apply(db, stop_before=stop_before)
