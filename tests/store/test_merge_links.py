"""Merging relations, attribute values and entities (issue 14): replayed like span edits, checked like an import,
refused with the file and line or table when forged; a teammate's database of the previous schema still merges."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from annotator.core.text import ID_LENGTH, sha256
from annotator.curation.merge import merge_paths
from annotator.store import Store
from annotator.store.merge import MergeAborted

from .test_merge import TEXTS, bundle_text, merge_text, reviewer_store, write_bundle


def find(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


@pytest.fixture
def alice():
    """Alice's database: a commitment related to its actor and its amount, the amount's value and unit."""
    s = reviewer_store()
    d = s.document_ids()[0]
    text = s.document(d).text
    c = s.add_span(d, *find(text, "They pledged US$7 billion to fight smuggling"), "COMMITMENT", "alice")
    iom = s.add_span(d, *find(text, "IOM"), "ORGANISATION", "alice")
    money = s.add_span(d, *find(text, "US$7 billion"), "FIGURE", "alice")
    s.add_relation(d, c.id, iom.id, "ACTOR")
    s.add_relation(d, c.id, money.id, "AMOUNT")
    s.set_attribute(money.id, "value", 7_000_000_000, proposed=True)
    s.set_attribute(money.id, "unit", "USD")
    s.set_attribute(iom.id, "entity", "IOM")
    return s


def test_relations_and_attributes_arrive_with_their_spans_and_a_second_merge_changes_nothing(alice, tmp_path):
    team = Store(":memory:")
    report = merge_paths(team, [write_bundle(alice, tmp_path / "alice.jsonl")])
    d = alice.document_ids()[0]
    assert [(r.type, team.span(r.child).text) for r in team.relations(d)] == [("ACTOR", "IOM"),
                                                                               ("AMOUNT", "US$7 billion")]
    money = next(s for s in team.spans(d) if s.label == "FIGURE")
    assert team.attribute(money.id, "value").value == 7_000_000_000 and team.attribute(money.id, "value").proposed
    assert "relations: 2 added, 0 updated, 0 deleted, 0 ignored" in report.lines()
    assert "attribute values: 3 added, 0 updated, 0 deleted, 0 ignored" in report.lines()
    # a bundle carries the links, not the registry: IOM is the registry's, which every database starts with
    assert team.entity("IOM").name == "International Organization for Migration" and report.entities_added == 0
    assert bundle_text(team) == bundle_text(alice)
    again = merge_paths(team, [write_bundle(alice, tmp_path / "alice.jsonl")])
    assert not again.changed and again.relations_ignored == 2 and again.attributes_ignored == 3


def test_the_newer_edit_of_a_relation_or_value_wins_and_deletions_replay_either_way(alice):
    bob = Store(":memory:")
    merge_text(bob, bundle_text(alice))
    d = alice.document_ids()[0]
    actor, amount = alice.relations(d)
    money = amount.child
    bob.retype_relation(actor.id, "PARTNER")  # bob's later edits
    bob.set_attribute(money, "unit", "EUR")
    bob.delete_relation(amount.id)
    report = merge_text(alice, bundle_text(bob))
    assert [r.type for r in alice.relations(d)] == ["PARTNER"]
    assert alice.attribute(money, "unit").value == "EUR"
    assert (report.relations_updated, report.relations_deleted, report.attributes_updated) == (1, 1, 1)
    # alice's older copy merged back into bob's brings nothing back
    merge_text(bob, bundle_text(Store(":memory:")))
    assert not merge_text(bob, bundle_text(alice)).changed
    # deleting a span takes its relations; the deletion replays, and so does its undo
    alice.delete_span(actor.child)
    merge_text(bob, bundle_text(alice))
    assert bob.relations(d) == []
    alice.restore_span(actor.child)
    merge_text(bob, bundle_text(alice))
    assert [r.type for r in bob.relations(d)] == ["PARTNER"]
    assert bundle_text(bob) == bundle_text(alice)


def test_a_type_the_database_lacks_arrives_connecting_any_labels(alice):
    d = alice.document_ids()[0]
    iom, money = (s for s in alice.spans(d) if s.label != "COMMITMENT")
    alice.add_relation_type("MENTIONS")
    alice.add_relation(d, iom.id, money.id, "MENTIONS")
    team = Store(":memory:")
    report = merge_text(team, bundle_text(alice))
    assert (team.relation_type("MENTIONS").head_label, report.relation_types_added) == ("*", ["MENTIONS"])


def soon() -> str:
    """A time after every edit of the test and within what a merge accepts from a clock running ahead."""
    return (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat(timespec="microseconds")


def _bundle_lines(store) -> list[dict]:
    return [json.loads(line) for line in bundle_text(store).splitlines()]


def _merge_lines(team, lines, tmp_path) -> str:
    path = tmp_path / "forged.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    before = bundle_text(team)
    with pytest.raises(MergeAborted) as err:
        merge_paths(team, [str(path)])
    assert bundle_text(team) == before and "\n" not in str(err.value) and "nothing was merged" in str(err.value)
    assert str(err.value).startswith(f"{path}, line ")
    return str(err.value)


@pytest.mark.parametrize("forge, message", [
    (lambda line: line["relations"][0].update(head="no-such-span"),
     "relation 1: its head 'no-such-span' is not the id of a span of this document"),
    (lambda line: line["relations"][0].update(annotator="bob"), "relation 1 is bob's but joins spans of alice"),
    (lambda line: line["relations"][0].update(child=line["relations"][0]["head"]), "relation 1 joins a span to itself"),
    (lambda line: line["relations"][0].update(updated="2999-01-01T00:00:00.000000+00:00"), "in the future"),
    (lambda line: next(s for s in line["spans"] if s["label"] == "FIGURE")["attributes"]["value"].update(value="lots"),
     "FIGURE.value takes a finite number"),
    (lambda line: next(s for s in line["spans"] if s["label"] == "FIGURE")["attributes"].update(
        colour={"value": "red", "proposed": False, "updated": "2026-01-01T00:00:00.000000+00:00"}),
     "FIGURE has no attribute 'colour' in this database"),
])
def test_a_forged_relation_or_value_in_a_bundle_refuses_the_merge_with_its_line(alice, tmp_path, forge, message):
    lines = _bundle_lines(alice)
    line = next(x for x in lines if x.get("relations"))
    rel = line["relations"][0]["id"]
    forge(line)
    got = _merge_lines(Store(":memory:"), lines, tmp_path)
    assert message.format(rel=rel) in got, got


def test_a_relation_id_reused_between_other_spans_or_ends_of_another_reviewer_are_refused(alice, tmp_path):
    team = Store(":memory:")
    merge_text(team, bundle_text(alice))
    lines = _bundle_lines(alice)
    line = next(x for x in lines if x.get("relations"))
    first, second = line["relations"]
    first["child"] = second["child"]  # the same relation id between other spans
    first["updated"] = soon()
    got = _merge_lines(team, lines, tmp_path)
    assert f"relation {first['id']!r}: its id is the id of a relation between other spans" in got
    # a span whose stored copy is another reviewer's cannot be an end of alice's relation
    lines = _bundle_lines(alice)
    line = next(x for x in lines if x.get("relations"))
    d = line["id"]
    head = line["relations"][0]["head"]
    team.conn.execute("UPDATE spans SET annotator = 'mallory', updated = '2027-01-01T00:00:00.000000+00:00' "
                      "WHERE id = ?", (head,))
    line["relations"][0]["updated"] = soon()
    got = _merge_lines(team, lines, tmp_path)
    assert "its ends are here spans of alice, mallory" in got and d in got


def _m002_database(path) -> tuple[str, str]:
    """A teammate's database made before relations (schema m002), with one document and one span."""
    from sqlite_utils import Database

    from annotator.store import schema

    db = Database(path)
    schema.upgrade(db, stop_before="m003_relations_attributes_entities")
    text = TEXTS[0]
    digest = sha256(text)
    stamp = "2026-01-01T00:00:00.000000+00:00"
    db.execute("INSERT INTO labels (name, color) VALUES ('ORGANISATION', '#0072B2')")
    db.execute("INSERT INTO documents VALUES (?,?,?,?,?,?,?)", (digest[:ID_LENGTH], "t", text, None, digest, "{}",
                                                                stamp))
    db.execute("INSERT INTO spans VALUES (?,?,?,?,?,?,?,?,?,?,NULL)",
               ("old-span", digest[:ID_LENGTH], 4, 9, "ORGANISATION", "UNODC", "bob", "", stamp, stamp))
    db.conn.commit()
    db.conn.close()
    return str(path), digest[:ID_LENGTH]


def test_a_teammates_database_of_the_schema_before_relations_merges(alice, tmp_path):
    path, d = _m002_database(tmp_path / "old.db")
    report = merge_paths(alice, [path])
    assert report.spans_added == 1 and [s.text for s in alice.spans(d, annotator="bob")] == ["UNODC"]
    assert len(alice.relations(d)) == 2  # alice's own are untouched
    assert sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master WHERE name = 'relations'").fetchone() \
        == (0,)  # and the old database was only read


def test_a_teammates_database_brings_its_relations_attributes_and_registry(alice, tmp_path):
    team = Store(tmp_path / "team.db")
    team.add_entity("UNODC-2", "UN Office on Drugs and Crime")  # the team had the duplicate too
    path = tmp_path / "alice.db"
    disk = Store(path)
    merge_text(disk, bundle_text(alice))
    disk.add_entity("UNODC-2", "UN Office on Drugs and Crime")
    d = alice.document_ids()[0]
    text = alice.document(d).text
    unodc = disk.add_span(d, *find(text, "UNODC"), "ORGANISATION", "alice")
    disk.set_attribute(unodc.id, "entity", "UNODC-2")
    disk.merge_entities("UNODC", "UNODC-2")  # alice found the duplicate
    disk.close()

    report = merge_paths(team, [str(path)])
    assert {"UN Office on Drugs and Crime", "UNODC"} <= set(team.entity("UNODC").aliases)
    assert team.entity("UNODC-2").id == "UNODC"  # followed to the one it was merged into
    assert team.attribute(unodc.id, "entity").value == "UNODC"
    assert team.entity("UNODC").name == "United Nations Office on Drugs and Crime"  # the teammate's name
    assert len(team.relations(d)) == 2 and (report.entities_added, report.entities_updated) == (0, 2)  # both known
    assert not merge_paths(team, [str(path)]).changed


@pytest.mark.parametrize("statement, reason", [
    ("UPDATE relations SET head = 'nowhere' WHERE rowid = 1", "its head 'nowhere' is not a span of this document"),
    ("UPDATE relations SET annotator = 'bob' WHERE rowid = 1", "it is bob's but joins spans of alice"),
    ("UPDATE span_attributes SET value = '{\"a\": 1}' WHERE rowid = 1", "its value must be text, a number or"),
    ("UPDATE span_attributes SET value = 'not json' WHERE rowid = 1", "value is not a JSON value, got 'not json'"),
    ("UPDATE relations SET created = 5 WHERE rowid = 1", "created '5' is not a time in the form we write"),
    ("DELETE FROM spans WHERE label = 'FIGURE'", "its child"),
    ("UPDATE relations SET doc_id = 'gone' WHERE rowid = 2", "its document 'gone' is not in the documents table"),
    ("UPDATE span_attributes SET doc_id = 'gone' WHERE rowid = 3", "its document 'gone' is not in the documents"),
    ("UPDATE relations SET created = x'41' WHERE rowid = 1", "created must be text, got bytes b'A'"),
    ("UPDATE span_attributes SET value = CAST('\"USD\"' AS BLOB) WHERE name = 'unit'",
     "value is not a JSON value, got bytes b'\"USD\"'"),
])
def test_a_forged_relation_or_value_in_a_teammates_database_refuses_the_merge(alice, tmp_path, statement, reason):
    path = tmp_path / "alice.db"
    disk = Store(path)
    merge_text(disk, bundle_text(alice))
    disk.close()
    conn = sqlite3.connect(path)  # what a teammate's sqlite3 shell can do
    conn.execute(statement)
    conn.commit()
    conn.close()
    team = Store(":memory:")
    with pytest.raises(MergeAborted) as err:
        merge_paths(team, [str(path)])
    message = str(err.value)
    assert message.startswith(f"{path}: table ") and reason in message and "\n" not in message, message
    assert team.document_count() == 0


def test_a_forged_entity_in_a_teammates_database_refuses_the_merge(tmp_path):
    path = tmp_path / "bob.db"
    Store(path).close()  # a new database holds the registry's organisations, IOM among them
    conn = sqlite3.connect(path)
    conn.execute("UPDATE entities SET name = ' IOM\n' WHERE id = 'IOM'")
    conn.commit()
    conn.close()
    team = Store(":memory:")
    with pytest.raises(MergeAborted) as err:
        merge_paths(team, [str(path)])
    assert str(err.value).startswith(f"{path}: table entities, id 'IOM': an entity name is 1 to 300 characters")
    assert team.entities() == Store(":memory:").entities()  # the registry it started with, nothing more


def test_gold_relations_and_values_travel_in_bundles(alice, tmp_path):
    from annotator.core.commands import UndoStack
    from annotator.curation import adjudication as adj
    from annotator.store import gold_links

    d = alice.document_ids()[0]
    stack = UndoStack(alice)
    for candidate in adj.document(alice, d, ["alice"]).candidates:
        stack.push(adj.TakeCandidate(candidate, "carol"))
    assert len(gold_links.relations(alice, d)) == 2
    team = Store(":memory:")
    report = merge_paths(team, [write_bundle(alice, tmp_path / "alice.jsonl")])
    assert [r.type for r in gold_links.relations(team, d)] == ["ACTOR", "AMOUNT"]
    assert {a.name for a in gold_links.attributes(team, d)} == {"entity", "value", "unit"}
    assert "gold relations and attribute values: 5 added, 0 updated, 0 deleted, 0 ignored" in report.lines()
    assert bundle_text(team) == bundle_text(alice)
    assert not merge_paths(team, [write_bundle(alice, tmp_path / "alice.jsonl")]).changed
