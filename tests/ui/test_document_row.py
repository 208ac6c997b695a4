"""The open document is found in a filtered list of any size without walking the list's pages."""
import pytest

from annotator.store.ui_queries import document_row

FILTERS = [
    {},
    {"annotator": "alice", "status": "todo"},
    {"annotator": "alice", "status": "done"},
    {"search": "Bali"},
    {"annotator": "alice", "status": "todo", "search": "smuggling"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_row_matches_the_listed_order(store, filters):
    ids = [
        store.add_document(f"Article {i} about the Bali Process" if i % 3 == 0 else f"Article {i} on smuggling")[0].id
        for i in range(10)
    ]
    store.set_review(ids[4], "alice", status="done")
    store.set_review(ids[6], "alice", status="skipped")
    listed = [r.id for r in store.list_documents(0, 100, **filters)]
    assert [document_row(store, d, **filters) for d in ids] == [
        listed.index(d) if d in listed else None for d in ids
    ]


def test_unknown_document_has_no_row(store):
    store.add_document("Only one article")
    assert document_row(store, "0123456789abcdef") is None
