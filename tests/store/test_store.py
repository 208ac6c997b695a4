"""The Store checks every invariant and records who did what, when, and what was deleted."""
import pytest

from annotator.core.errors import InputError, InvariantError, NotFound
from annotator.core.text import document_id

TEXT = "The UNODC met IOM in Bali 😀.\nThey pledged US$7 billion."


@pytest.fixture
def doc(store):
    return store.add_document(TEXT)[0]


def test_same_text_is_one_document(store):
    first, new = store.add_document(TEXT)
    again, new_again = store.add_document(TEXT)
    assert new and not new_again
    assert first.id == again.id == document_id(TEXT)
    assert store.document_count() == 1


def test_title_is_first_non_empty_line_unless_given(store):
    assert store.add_document("\n\n  Headline here \nbody")[0].title == "Headline here"
    assert store.add_document("x\ny", title="Given")[0].title == "Given"


def test_empty_document_refused(store):
    with pytest.raises(InputError, match="empty or only whitespace"):
        store.add_document(" \n\t ")


def test_span_records_text_annotator_and_times(store, doc):
    s = store.add_span(doc.id, 4, 9, "ORGANISATION", "alice")
    assert (s.text, s.annotator) == ("UNODC", "alice")
    assert s.created == s.updated and s.created.endswith("+00:00")
    assert store.spans(doc.id) == [s]


def test_offsets_are_code_points_after_an_emoji(store, doc):
    start = TEXT.index("US$7")
    s = store.add_span(doc.id, start, start + len("US$7 billion"), "FIGURE", "alice")
    assert s.text == "US$7 billion"


@pytest.mark.parametrize(
    "start,end,reason",
    [(-1, 3, "out of range"), (3, 999, "out of range"), (5, 5, "empty or reversed"), (6, 2, "empty or reversed")],
)
def test_span_range_is_checked(store, doc, start, end, reason):
    with pytest.raises(InvariantError, match=reason):
        store.add_span(doc.id, start, end, "FIGURE", "alice")
    assert store.spans(doc.id) == []


def test_unknown_label_and_missing_annotator_refused(store, doc):
    with pytest.raises(InvariantError, match="unknown label 'PERSON'"):
        store.add_span(doc.id, 0, 3, "PERSON", "alice")
    with pytest.raises(InvariantError, match="needs an annotator"):
        store.add_span(doc.id, 0, 3, "FIGURE", "")


def test_stated_text_must_match(store, doc):
    with pytest.raises(InvariantError, match="says its text is 'IOM'"):
        store.add_span(doc.id, 4, 9, "ORGANISATION", "alice", text="IOM")


def test_relabel_resize_note_update_the_time(store, doc):
    s = store.add_span(doc.id, 4, 9, "ORGANISATION", "alice")
    r = store.relabel_span(s.id, "FIGURE")
    assert r.label == "FIGURE" and r.updated > s.updated and r.created == s.created
    g = store.resize_span(s.id, 0, 9)
    assert g.text == "The UNODC"
    assert store.note_span(s.id, "check acronym").note == "check acronym"
    with pytest.raises(InvariantError):
        store.resize_span(s.id, 0, 10_000)
    assert store.span(s.id).text == "The UNODC"


def test_delete_leaves_a_tombstone_and_can_be_restored(store, doc):
    s = store.add_span(doc.id, 4, 9, "ORGANISATION", "alice")
    gone = store.delete_span(s.id)
    assert gone.deleted and store.spans(doc.id) == []
    assert [t.id for t in store.spans(doc.id, include_deleted=True)] == [s.id]
    with pytest.raises(InvariantError, match="deleted"):
        store.relabel_span(s.id, "FIGURE")
    assert store.restore_span(s.id).deleted is None
    assert store.spans(doc.id)[0].id == s.id


def test_rename_label_keeps_every_span(store, doc):
    s = store.add_span(doc.id, 4, 9, "ORGANISATION", "alice")
    store.rename_label("ORGANISATION", "ORG")
    assert store.span(s.id).label == "ORG"
    assert [l.name for l in store.labels()] == ["ORG", "FIGURE", "COMMITMENT"]


def test_retire_label_in_use_needs_a_decision(store, doc):
    s = store.add_span(doc.id, 4, 9, "ORGANISATION", "alice")
    with pytest.raises(InvariantError, match="used by 1 span"):
        store.retire_label("ORGANISATION")
    assert store.span(s.id).label == "ORGANISATION"
    assert store.retire_label("ORGANISATION", relabel_to="FIGURE") == 1
    assert store.span(s.id).label == "FIGURE"
    assert "ORGANISATION" not in [l.name for l in store.labels()]
    store.retire_label("FIGURE", delete_spans=True)
    assert store.spans(doc.id) == [] and store.span(s.id).deleted


def test_default_labels_have_hotkeys_colours_guidelines(store):
    labels = store.labels()
    assert [(l.name, l.hotkey) for l in labels] == [("ORGANISATION", "1"), ("FIGURE", "2"), ("COMMITMENT", "3")]
    assert len({l.color for l in labels}) == 3 and all(len(l.guideline) > 100 for l in labels)


def test_added_label_gets_next_colour_and_hotkey(store):
    label = store.add_label("LOCATION")
    assert label.hotkey == "4" and label.color not in {l.color for l in store.labels() if l.name != "LOCATION"}
    with pytest.raises(InvariantError, match="already exists"):
        store.add_label("LOCATION")
    with pytest.raises(InvariantError, match="#RRGGBB"):
        store.update_label("LOCATION", color="blue")


def test_reviews_and_progress(store, doc):
    other = store.add_document("Second article")[0]
    store.set_review(doc.id, "alice", status="done", note="clear")
    assert store.review(doc.id, "alice").status == "done"
    assert store.review(doc.id, "bob").status == "todo"
    assert store.progress("alice") == (1, 2)
    assert store.next_document(doc.id, annotator="alice") == other.id
    assert store.list_documents(annotator="alice", status="done")[0].id == doc.id
    with pytest.raises(InvariantError):
        store.set_review(doc.id, "alice", status="finished")
    with pytest.raises(NotFound):
        store.set_review("nope", "alice", status="done")


def test_search_finds_text_and_titles(store, doc):
    store.add_document("Migrant smuggling conference\nIslamabad")
    assert [r.title for r in store.list_documents(search="islam")] == ["Migrant smuggling conference"]
    assert store.count_documents(search="UNODC bali") == 1
    assert store.count_documents(search="nothing-like-this") == 0


def test_changes_are_broadcast(store, doc):
    seen = []
    store.subscribe(seen.append)
    s = store.add_span(doc.id, 4, 9, "ORGANISATION", "alice")
    store.delete_span(s.id)
    assert [(c.kind, c.doc_id, c.span_ids) for c in seen] == [("spans", doc.id, (s.id,))] * 2


def test_file_database_uses_wal_and_foreign_keys(db_path):
    from annotator.store import Store

    s = Store(db_path)
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_committed_at_once_visible_to_another_connection(db_path):
    """Nothing waits for a Save: another process sees each action as soon as the call returns."""
    import sqlite3

    from annotator.store import Store

    s = Store(db_path)
    d = s.add_document(TEXT)[0]
    s.add_span(d.id, 4, 9, "ORGANISATION", "alice")
    other = sqlite3.connect(db_path)
    assert other.execute("SELECT text FROM spans").fetchall() == [("UNODC",)]
