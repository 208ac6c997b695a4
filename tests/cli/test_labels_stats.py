"""Labels and stats from the command line."""
import json

from annotator.store import Store
from tests.conftest import DOCUMENTS


def first_doc_with_span(cli, word="UNODC", label="ORGANISATION", who="alice"):
    store = Store(cli.db)
    for row in store.list_documents(limit=10):
        text = store.document_text(row.id)
        at = text.find(word)
        if at >= 0:
            span = store.add_span(row.id, at, at + len(word), label, who)
            store.close()
            return span
    raise AssertionError(word)


def test_labels_list_add_rename_recolor_retire(cli):
    cli("import", DOCUMENTS)
    out = cli("labels").stdout.splitlines()
    assert [l.split()[:2] for l in out] == [["1", "ORGANISATION"], ["2", "FIGURE"], ["3", "COMMITMENT"]]
    assert "added LOCATION (#009E73, hotkey 4)" in cli("labels", "add", "LOCATION").stdout
    span = first_doc_with_span(cli, label="LOCATION")
    assert "1 span(s) follow" in cli("labels", "rename", "LOCATION", "PLACE").stdout
    assert "PLACE is now #D55E00" in cli("labels", "recolor", "PLACE", "#d55e00").stdout
    refused = cli("labels", "retire", "PLACE", ok=False).output
    assert "used by 1 span(s)" in refused
    assert "1 span(s) relabelled to ORGANISATION" in cli("labels", "retire", "PLACE", "--relabel-to", "ORGANISATION").stdout
    assert Store(cli.db).span(span.id).label == "ORGANISATION"
    listed = json.loads(cli("labels", "--all", "--json").stdout)
    assert {l["name"]: l["retired"] for l in listed}["PLACE"] is True
    assert "must be written #RRGGBB" in cli("labels", "recolor", "FIGURE", "red", ok=False).output


def test_stats_counts_per_label_annotator_and_status(cli):
    cli("import", DOCUMENTS)
    span = first_doc_with_span(cli)
    first_doc_with_span(cli, "cooperation", "COMMITMENT", "bob")
    Store(cli.db).set_review(span.doc_id, "alice", status="done")
    figures = cli.stats()
    assert figures["documents"] == 5 and figures["spans"] == 2
    assert figures["spans_per_label"] == {"COMMITMENT": 1, "FIGURE": 0, "ORGANISATION": 1}
    assert figures["spans_per_annotator"] == {"alice": 1, "bob": 1}
    assert figures["reviews"]["alice"] == {"todo": 4, "done": 1, "skipped": 0}
    text = cli("stats").stdout
    assert "documents: 5" in text and "alice" in text and "1 / 0 / 4" in text
