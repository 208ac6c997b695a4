"""The team workflow from the command line: export --bundle, merge, export --gold."""
from __future__ import annotations

import json

from click.testing import CliRunner

from annotator.cli import main
from annotator.store import Store

TEXT = "The UNODC met IOM in Bali.\nThey pledged US$7 billion."


def run(db, *args, ok=True):
    result = CliRunner().invoke(main, ["--db", str(db), *map(str, args)], catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.output
    return result


def reviewer(tmp_path, name, start, end, label):
    db = tmp_path / f"{name}.db"
    store = Store(db)
    d = store.add_document(TEXT)[0].id
    s = store.add_span(d, start, end, label, name)
    store.set_review(d, name, status="done", note=f"{name} was here")
    store.close()
    return db, d, s


def test_bundles_merge_in_either_order_to_the_same_bytes(tmp_path):
    a_db, d, a_span = reviewer(tmp_path, "alice", 4, 9, "ORGANISATION")
    b_db, _, b_span = reviewer(tmp_path, "bob", 14, 17, "ORGANISATION")
    store = Store(a_db)
    gone = store.add_span(d, 21, 25, "ORGANISATION", "alice")
    store.delete_span(gone.id)
    store.close()
    run(a_db, "export", "--bundle", "-o", tmp_path / "alice.jsonl")
    run(b_db, "export", "--bundle", "--annotator", "bob", "-o", tmp_path / "bob.jsonl")
    line = json.loads((tmp_path / "alice.jsonl").read_text(encoding="utf-8"))
    assert [s.get("deleted") is not None for s in line["spans"]] == [False, True]
    assert line["reviews"] == [{"annotator": "alice", "status": "done", "note": "alice was here",
                                "updated": line["reviews"][0]["updated"]}]

    out = run(tmp_path / "one.db", "merge", tmp_path / "alice.jsonl", tmp_path / "bob.jsonl").output
    assert "documents: 1 added" in out and "spans: 2 added" in out and "deletions recorded for 1" in out
    run(tmp_path / "two.db", "merge", tmp_path / "bob.jsonl")
    run(tmp_path / "two.db", "merge", tmp_path / "alice.jsonl")
    one = run(tmp_path / "one.db", "export", "--bundle").stdout
    two = run(tmp_path / "two.db", "export", "--bundle").stdout
    assert one == two
    again = run(tmp_path / "one.db", "merge", "--json", tmp_path / "alice.jsonl", b_db).stdout
    report = json.loads(again)
    assert report["spans_added"] == 0 and report["spans_ignored"] == 3 and report["reviews_ignored"] == 2


def test_malformed_bundle_leaves_the_database_as_it_was(tmp_path):
    a_db, d, _ = reviewer(tmp_path, "alice", 4, 9, "ORGANISATION")
    run(a_db, "export", "--bundle", "-o", tmp_path / "alice.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": 3}\n', encoding="utf-8")
    out = run(tmp_path / "team.db", "merge", tmp_path / "alice.jsonl", bad, ok=False).output
    assert f"{bad}, line 2" in out and "nothing was merged" in out
    assert Store(tmp_path / "team.db").document_count() == 0


def test_bundle_and_gold_options_refuse_what_they_cannot_do(tmp_path):
    db, _, _ = reviewer(tmp_path, "alice", 4, 9, "ORGANISATION")
    assert "not both" in run(db, "export", "--bundle", "--gold", ok=False).output
    assert "leave out --format" in run(db, "export", "--bundle", "--format", "text", "-o", tmp_path / "x", ok=False).output
