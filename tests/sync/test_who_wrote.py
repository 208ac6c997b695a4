"""Who wrote which file: a reviewer's file holds their own work (and carried versions of teammates' spans that the
teammates' own files have); a file that claims new work in another reviewer's name is refused by name, and the
others still merge. Work whose text has not arrived yet waits for a later sync (issue 17)."""
from __future__ import annotations

import json
import shutil

from annotator.store import Store
from annotator.sync import sync
from tests.sync.test_convergence import canonical_bytes

A = "The UNODC met IOM in Bali.\nThey pledged US$7 billion to fight smuggling."
B = "Ministers of 45 countries agreed to share data on trafficking routes by 2027."


def team(tmp_path, *names: str, texts=(A, B)) -> dict[str, Store]:
    stores = {n: Store(":memory:") for n in names}
    for t in texts:
        stores[names[0]].add_document(t)
    return stores


def spans_by(store: Store) -> set[tuple[str, str, str]]:
    return {(s.annotator, s.text, s.label) for d in store.document_ids() for s in store.spans(d)}


def test_new_work_in_a_teammates_name_is_refused_by_file_and_line_and_the_others_merge(tmp_path):
    s = team(tmp_path, "alice", "bob", "carol", "dan")
    doc = s["alice"].document_ids()[0]
    s["alice"].add_span(doc, 4, 9, "ORGANISATION", "alice")
    for n in ("alice", "bob", "carol"):
        sync(s[n], str(tmp_path), n)
    # bob's database says alice made a span she never made (an edit with the sqlite3 shell): his sync does not
    # put it in his file, as it is not his and alice's file does not have it
    forged = s["bob"].add_span(doc, 14, 17, "ORGANISATION", "bob")
    s["bob"].conn.execute("UPDATE spans SET annotator = 'alice' WHERE id = ?", (forged.id,))
    s["bob"].conn.commit()
    s["bob"].add_span(doc, 21, 25, "ORGANISATION", "bob")
    sync(s["bob"], str(tmp_path), "bob")
    bobs = tmp_path / "reviewers" / "bob.jsonl"
    assert forged.id not in bobs.read_text(encoding="utf-8")
    # so he writes it into his file by hand
    line = json.loads(bobs.read_text(encoding="utf-8"))
    line["spans"].append({"id": forged.id, "start": 14, "end": 17, "label": "ORGANISATION", "text": "IOM",
                          "annotator": "alice", "note": "", "created": forged.created, "updated": forged.updated})
    bobs.write_text(json.dumps(line) + "\n", encoding="utf-8")
    carols = s["carol"].add_span(doc, 0, 3, "FIGURE", "carol")
    sync(s["carol"], str(tmp_path), "carol")

    report = sync(s["dan"], str(tmp_path), "dan")
    [refused] = report.refused
    assert "bob.jsonl, line 1" in refused and f"span 2 ('{forged.id}') is in the name of 'alice'" in refused
    assert "whose own file does not have it" in refused
    assert spans_by(s["dan"]) == {("alice", "UNODC", "ORGANISATION"), ("carol", "The", "FIGURE")}
    assert carols.id in {x.id for x in s["dan"].spans(doc)}
    # refused again on the next sync (not taken as read), and still said
    assert sync(s["dan"], str(tmp_path), "dan").refused == [refused]


def test_an_edit_of_a_teammates_span_travels_and_an_import_under_another_name_too(tmp_path):
    s = team(tmp_path, "alice", "bob", "carol")
    doc = s["alice"].document_ids()[0]
    span = s["alice"].add_span(doc, 4, 9, "ORGANISATION", "alice")
    s["alice"].add_span(doc, 14, 17, "ORGANISATION", "model")  # an import's spans: nobody syncs as 'model'
    for n in ("alice", "bob"):
        sync(s[n], str(tmp_path), n)
    s["bob"].relabel_span(span.id, "FIGURE")  # bob corrects alice's span
    report = sync(s["bob"], str(tmp_path), "bob")
    assert not report.refused
    report = sync(s["carol"], str(tmp_path), "carol")
    assert not report.refused, report.refused
    assert spans_by(s["carol"]) == {("alice", "UNODC", "FIGURE"), ("model", "IOM", "ORGANISATION")}
    # once alice has taken bob's edit in, her own file says it and bob's file stops carrying it
    sync(s["alice"], str(tmp_path), "alice")
    sync(s["bob"], str(tmp_path), "bob")
    assert '"annotator":"alice"' not in (tmp_path / "reviewers" / "bob.jsonl").read_text(encoding="utf-8")
    alice_file = (tmp_path / "reviewers" / "alice.jsonl").read_text(encoding="utf-8")
    assert '"label":"FIGURE"' in alice_file and '"annotator":"model"' in alice_file


def test_work_whose_text_has_not_arrived_waits_for_a_later_sync_and_the_rest_merges(tmp_path):
    s = team(tmp_path, "alice", "bob")
    first, second = sorted(s["alice"].document_ids())
    s["alice"].add_span(first, 0, 3, "ORGANISATION", "alice")
    s["alice"].add_span(second, 0, 3, "ORGANISATION", "alice")
    sync(s["alice"], str(tmp_path), "alice")
    # a synced cloud folder has brought alice's file but not yet the second text and its metadata
    aside = tmp_path.parent / f"{tmp_path.name}-aside"
    aside.mkdir()
    bucket = tmp_path / "texts" / second[:2]
    for p in list(bucket.glob(f"{second}.*")):
        shutil.move(p, aside / p.name)
    report = sync(s["bob"], str(tmp_path), "bob")
    assert not report.refused
    assert any("alice.jsonl: 1 document(s) whose text has not arrived" in w for w in report.waiting)
    assert s["bob"].document_ids() == [first] and len(s["bob"].spans(first)) == 1
    assert "waiting: alice.jsonl" in "\n".join(report.lines())

    for p in aside.iterdir():  # it arrives
        shutil.move(p, bucket / p.name)
    report = sync(s["bob"], str(tmp_path), "bob")
    assert not report.refused and not report.waiting
    assert sorted(s["bob"].document_ids()) == [first, second] and len(s["bob"].spans(second)) == 1


def test_two_copies_of_an_article_with_other_metadata_end_the_same_everywhere(tmp_path):
    alice, bob = Store(":memory:"), Store(":memory:")
    alice.add_document(A, title="From the wire", source="/home/alice/a.txt")
    bob.add_document(A, title="UNODC and IOM", source="/home/bob/a.txt")
    for _ in range(2):
        for store, name in ((alice, "alice"), (bob, "bob")):
            assert not sync(store, str(tmp_path), name).refused
    [doc] = alice.document_ids()
    assert alice.document(doc) == bob.document(doc)
    assert len(list((tmp_path / "texts").rglob("*.json"))) == 2  # one file per version, each written once
    metas = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "texts").rglob("*.json")]
    assert {m["source"] for m in metas} == {"/home/alice/a.txt", "/home/bob/a.txt"}
    assert not sync(alice, str(tmp_path), "alice").changed and not sync(bob, str(tmp_path), "bob").changed


def test_metadata_files_are_the_same_bytes_whatever_the_title_holds():
    from annotator.sync import layout

    for title, source in [("A \"quoted\" title\\n", None), ("Über 😀 \u2028 \x00", "/a/b.txt"), ("t", "")]:
        expected = json.dumps({"title": title, "source": source}, ensure_ascii=False, sort_keys=True,
                              separators=(",", ":")).encode("utf-8")
        assert layout.meta_bytes(title, source, {}) == expected


def test_a_sync_cancelled_before_it_changes_anything_changes_nothing(tmp_path):
    import pytest

    from annotator.sync import SyncCancelled

    s = team(tmp_path, "alice", "bob")
    s["alice"].add_span(s["alice"].document_ids()[0], 0, 3, "ORGANISATION", "alice")
    sync(s["alice"], str(tmp_path), "alice")
    asked = []

    def cancelled():
        asked.append(1)
        return True

    with pytest.raises(SyncCancelled, match="nothing was changed"):
        sync(s["bob"], str(tmp_path), "bob", cancelled=cancelled)
    assert asked and s["bob"].document_count() == 0 and not (tmp_path / "reviewers" / "bob.jsonl").exists()


def test_relations_and_attribute_values_travel_and_so_do_edits_of_a_teammates(tmp_path):
    s = team(tmp_path, "alice", "bob", "carol", texts=(A,))
    [doc] = s["alice"].document_ids()
    at = A.index
    unodc = s["alice"].add_span(doc, at("UNODC"), at("UNODC") + 5, "ORGANISATION", "alice")
    pledge = s["alice"].add_span(doc, at("pledged"), at("pledged") + 7, "COMMITMENT", "alice")
    money = s["alice"].add_span(doc, at("US$7"), at("US$7") + 12, "FIGURE", "alice")
    actor = s["alice"].add_relation(doc, pledge.id, unodc.id, "ACTOR", "alice")
    s["alice"].add_relation(doc, pledge.id, money.id, "AMOUNT", "alice")
    s["alice"].set_attribute(money.id, "value", 7_000_000_000)
    for n in ("alice", "bob"):
        assert not sync(s[n], str(tmp_path), n).refused
    assert {r.type for r in s["bob"].relations(doc)} == {"ACTOR", "AMOUNT"}
    assert s["bob"].attribute(money.id, "value").value == 7_000_000_000
    s["bob"].retype_relation(actor.id, "PARTNER")  # bob corrects alice's relation and completes her figure
    s["bob"].set_attribute(money.id, "unit", "USD")
    assert not sync(s["bob"], str(tmp_path), "bob").refused
    report = sync(s["carol"], str(tmp_path), "carol")
    assert not report.refused, report.refused
    assert {r.type for r in s["carol"].relations(doc)} == {"PARTNER", "AMOUNT"}
    assert s["carol"].attribute(money.id, "unit").value == "USD"
    assert all(r.annotator == "alice" for r in s["carol"].relations(doc))
    for n in ("alice", "bob", "carol", "alice", "bob", "carol"):
        assert not sync(s[n], str(tmp_path), n).refused
    assert canonical_bytes(s["alice"]) == canonical_bytes(s["bob"]) == canonical_bytes(s["carol"])
    assert '"relations"' not in (tmp_path / "reviewers" / "bob.jsonl").read_text(encoding="utf-8")
