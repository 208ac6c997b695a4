"""Merging reviewers' work: bundles and databases, idempotent, order-independent, deletions replayed, all or
nothing."""
from __future__ import annotations

import io
import itertools
import json
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import InputError
from annotator.curation.bundle import bundle_records, export_bundle
from annotator.curation.merge import merge_paths
from annotator.formats import canonical
from annotator.store import Store
from annotator.store import relations as relations_module
from annotator.store import store as store_module
from annotator.store.merge import MergeAborted, merge_records
from tests.histories import LABELS, SPAN_EDITS, Clock, edit_spans

TEXTS = [
    "The UNODC met IOM in Bali 😀.\nThey pledged US$7 billion to fight smuggling.",
    "Ministers of 45 countries agreed to share data on trafficking routes by 2027.",
]


def reviewer_store(texts=TEXTS) -> Store:
    s = Store(":memory:")
    for t in texts:
        s.add_document(t, title=t.split()[1])
    return s


def bundle_text(store: Store, annotators=()) -> str:
    out = io.StringIO()
    canonical.write(bundle_records(store, annotators), out, _Tombstones())
    return out.getvalue()


class _Tombstones:
    include_deleted = True


def write_bundle(store: Store, path) -> str:
    export_bundle(store, path)
    return str(path)


def merge_text(target: Store, text: str, name: str = "bundle.jsonl"):
    records = (canonical.parse_line(line, "import", i) for i, line in enumerate(text.splitlines(), 1) if line)
    return merge_records(target, records)


@pytest.fixture
def alice():
    return reviewer_store()


@pytest.fixture
def bob():
    return reviewer_store()


def doc_id(store, i=0):
    return sorted(store.document_ids())[i] if False else store.document_ids()[i]


# -- the rules, one at a time -----------------------------------------------------------------------------------

def test_merge_brings_documents_spans_reviews_and_reports_them(alice, tmp_path):
    d = alice.document_ids()[0]
    alice.add_span(d, 4, 9, "ORGANISATION", "alice")
    alice.set_review(d, "alice", status="done", note="checked twice")
    path = write_bundle(alice, tmp_path / "alice.jsonl")

    team = Store(":memory:")
    report = merge_paths(team, [path])
    assert (report.documents_added, report.spans_added, report.reviews_added) == (2, 1, 1)
    assert [s.text for s in team.spans(d)] == ["UNODC"]
    assert team.review(d, "alice").note == "checked twice"
    assert bundle_text(team) == bundle_text(alice)

    again = merge_paths(team, [path])
    assert not again.changed
    assert (again.documents_present, again.spans_ignored, again.reviews_ignored) == (2, 1, 1)
    assert "nothing changed" in "\n".join(again.lines())


def test_same_article_imported_twice_is_one_document(alice, bob):
    d = alice.document_ids()[0]
    alice.add_span(d, 4, 9, "ORGANISATION", "alice")
    bob.add_span(d, 14, 17, "ORGANISATION", "bob")
    merge_text(alice, bundle_text(bob))
    assert alice.document_count() == 2
    assert [s.annotator for s in alice.spans(d)] == ["alice", "bob"]


def test_newer_edit_wins_and_deletions_replay(alice, bob):
    d = alice.document_ids()[0]
    s = alice.add_span(d, 4, 9, "ORGANISATION", "alice")
    merge_text(bob, bundle_text(alice))
    bob.relabel_span(s.id, "FIGURE")  # bob edits alice's span later
    report = merge_text(alice, bundle_text(bob))
    assert report.spans_updated == 1 and alice.span(s.id).label == "FIGURE"

    alice.delete_span(s.id)
    report = merge_text(bob, bundle_text(alice))
    assert report.spans_deleted == 1 and bob.spans(d) == []
    # the older version cannot come back
    report = merge_text(alice, bundle_text(bob))
    assert report.spans_ignored == 1 and alice.spans(d) == []
    alice.restore_span(s.id)
    assert merge_text(bob, bundle_text(alice)).spans_restored == 1


def test_a_tie_is_broken_the_same_way_whatever_the_order(alice, bob):
    d = alice.document_ids()[0]
    s = alice.add_span(d, 4, 9, "ORGANISATION", "alice")
    merge_text(bob, bundle_text(alice))
    with frozen_clock("2026-05-05T10:00:00.000000+00:00"):
        alice.relabel_span(s.id, "FIGURE")
        bob.relabel_span(s.id, "COMMITMENT")
    one, two = Store(":memory:"), Store(":memory:")
    for target, order in ((one, (alice, bob)), (two, (bob, alice))):
        for source in order:
            merge_text(target, bundle_text(source))
    assert one.span(s.id).label == two.span(s.id).label == "FIGURE"  # '"FIGURE"' > '"COMMITMENT"' as JSON
    assert bundle_text(one) == bundle_text(two)


def test_reviews_merge_newest_wins(alice, bob):
    d = alice.document_ids()[0]
    alice.set_review(d, "carol", status="todo", note="first")
    merge_text(bob, bundle_text(alice))
    bob.set_review(d, "carol", status="done", note="second")
    report = merge_text(alice, bundle_text(bob))
    assert report.reviews_updated == 1
    assert (alice.review(d, "carol").status, alice.review(d, "carol").note) == ("done", "second")
    assert merge_text(bob, bundle_text(alice)).reviews_ignored == 1


def test_malformed_bundle_changes_nothing_and_names_file_and_line(alice, tmp_path):
    d = alice.document_ids()[0]
    alice.add_span(d, 4, 9, "ORGANISATION", "alice")
    good = write_bundle(alice, tmp_path / "good.jsonl")
    lines = open(good, encoding="utf-8").read().splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text(lines[0] + "\n" + lines[1][:-5] + "\n", encoding="utf-8")
    team = Store(":memory:")
    before = bundle_text(team)
    with pytest.raises(MergeAborted) as err:
        merge_paths(team, [good, str(bad)])
    assert f"{bad}, line 2" in str(err.value) and "nothing was merged" in str(err.value)
    assert bundle_text(team) == before and team.document_count() == 0


def test_span_outside_its_text_is_refused(alice, tmp_path):
    rec = json.loads(bundle_text(alice).splitlines()[0])
    rec["spans"] = [{"id": "x", "start": 0, "end": 9999, "label": "FIGURE", "annotator": "eve"}]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1"):
        merge_paths(alice, [str(bad)])


def test_merge_from_another_database_reads_it_without_writing(alice, tmp_path):
    path = tmp_path / "bob.db"
    bob = Store(path)
    for t in TEXTS:
        bob.add_document(t, title=t.split()[1])
    d = bob.document_ids()[0]
    s = bob.add_span(d, 4, 9, "ORGANISATION", "bob")
    gone = bob.add_span(d, 14, 17, "ORGANISATION", "bob")
    bob.delete_span(gone.id)
    bob.set_review(d, "bob", status="done")
    bob.close()
    stamp = path.stat().st_mtime_ns
    report = merge_paths(alice, [str(path)])
    assert report.spans_added == 1 and report.tombstones_added == 1 and report.reviews_added == 1
    assert alice.span(s.id).text == "UNODC" and alice.span(gone.id).deleted
    assert path.stat().st_mtime_ns == stamp


def test_merging_a_database_into_itself_is_ignored(tmp_path):
    path = tmp_path / "self.db"
    store = Store(path)
    store.add_document(TEXTS[0])
    report = merge_paths(store, [str(path)])
    assert not report.changed and "being merged into" in report.lines()[-1]


def test_unknown_label_arrives_with_the_span(alice, bob):
    bob.add_label("PERSON")
    d = bob.document_ids()[0]
    bob.add_span(d, 0, 3, "PERSON", "bob")
    report = merge_text(alice, bundle_text(bob))
    assert report.labels_added == ["PERSON"] and alice.spans(d)[0].label == "PERSON"


def test_gold_spans_merge_too(alice, bob):
    from annotator.store import gold

    d = alice.document_ids()[0]
    g, _ = gold.take(alice, d, 4, 9, "ORGANISATION", "carol")
    merge_text(bob, bundle_text(alice))
    assert [x.id for x in gold.spans(bob, d)] == [g.id]
    gold.delete(bob, g.id)
    assert merge_text(alice, bundle_text(bob)).gold_deleted == 1
    assert gold.spans(alice, d) == []


def test_document_metadata_is_settled_whatever_the_order():
    a, b = Store(":memory:"), Store(":memory:")
    a.add_document(TEXTS[0], title="Alice's title", source="/home/alice/a.txt")
    b.add_document(TEXTS[0], title="Bob's title", source="/home/bob/a.txt")
    one, two = Store(":memory:"), Store(":memory:")
    for target, order in ((one, (a, b)), (two, (b, a))):
        for source in order:
            merge_text(target, bundle_text(source))
    assert bundle_text(one) == bundle_text(two)
    assert one.document(one.document_ids()[0]).title == "Bob's title"


# -- random histories -------------------------------------------------------------------------------------------

@contextmanager
def frozen_clock(stamp: str):
    with mock.patch.object(store_module, "now", lambda: stamp):
        yield


ops = st.lists(
    st.tuples(
        st.integers(0, 2),  # reviewer
        st.sampled_from(["add", "add", "relabel", "resize", "delete", "restore", "review", "sync",
                         "relate", "relate", "retype", "unrelate", "attribute", "attribute", "clear"]),
        st.integers(0, 1),  # document
        st.integers(0, 10_000),  # a choice: span, offsets, label, other reviewer
        st.integers(0, 10_000),
    ),
    max_size=30,
)


# relation types that connect any labels (a span may be relabelled after it is related), and an attribute value for
# each label of the default scheme
RELATION_TYPES = ["LINKED", "NEAR"]
ATTRIBUTE_VALUES = {"FIGURE": [("unit", "USD"), ("unit", "people"), ("value", 7), ("approximate", True)],
                    "ORGANISATION": [("entity", "IOM"), ("entity", "UNODC")],
                    "COMMITMENT": [("kind", "pledge"), ("kind", "call")]}


def run_history(history, ticks) -> list[Store]:
    stores = [reviewer_store() for _ in range(3)]
    for s in stores:
        for name in RELATION_TYPES:
            s.add_relation_type(name)
        assert {"IOM", "UNODC"} <= {e.id for e in s.entities()}  # every database starts with the registry
    names = ["alice", "bob", "carol"]
    # a shared start (an earlier merge everyone took), so that reviewers edit the same spans
    with frozen_clock("2026-01-01T00:00:00.000000+00:00"):
        for doc in range(2):
            d = stores[0].document_ids()[doc]
            for k in range(3):
                stores[0].add_span(d, 4 * k, 4 * k + 3, LABELS[k], "alice", span_id=f"seed-{doc}-{k}")
        for other in stores[1:]:
            merge_text(other, bundle_text(stores[0]))
    clock = Clock(ticks)
    with mock.patch.object(store_module, "now", clock), mock.patch.object(relations_module, "now", clock):
        for who, op, doc, x, y in history:
            s = stores[who]
            d = s.document_ids()[doc]
            spans = s.spans(d, include_deleted=True)
            if op in SPAN_EDITS:
                edit_spans(s, d, names[who], op, x, y)
            elif op == "sync":
                other = stores[x % 3]
                if other is not s:
                    merge_text(s, bundle_text(other))
            elif op in ("relate", "retype", "unrelate"):
                relations = s.relations(d, include_deleted=True)
                live = [sp for sp in spans if not sp.deleted]
                if op == "relate" and len(live) > 1:
                    head, child = live[x % len(live)], live[y % len(live)]
                    if head.id != child.id and head.annotator == child.annotator and not any(
                            r.head == head.id and r.child == child.id and not r.deleted for r in relations):
                        s.add_relation(d, head.id, child.id, RELATION_TYPES[y % 2])
                elif op != "relate" and relations:
                    rel = relations[x % len(relations)]
                    if op == "unrelate":
                        s.delete_relation(rel.id)
                    elif not rel.deleted and {rel.head, rel.child} <= {sp.id for sp in live}:
                        s.retype_relation(rel.id, RELATION_TYPES[y % 2])
            elif op in ("attribute", "clear"):
                live = [sp for sp in spans if not sp.deleted]
                if live:
                    span = live[x % len(live)]
                    name, value = ATTRIBUTE_VALUES[span.label][y % len(ATTRIBUTE_VALUES[span.label])]
                    if op == "attribute":
                        s.set_attribute(span.id, name, value, proposed=bool(x % 2))
                    else:
                        s.clear_attribute(span.id, name)
    return stores


def database_file(store: Store, folder, name: str) -> str:
    """The store as a teammate's .db file (its relations and values merge in SQL, not as a bundle's)."""
    path = folder / f"{name}.db"
    target = sqlite3.connect(path)
    store.conn.backup(target)
    target.close()
    return str(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=ops, ticks=st.lists(st.integers(0, 3), min_size=1, max_size=6), orders=st.randoms())
def test_random_histories_merge_to_the_same_bytes_in_any_order(history, ticks, orders):
    stores = run_history(history, ticks)
    bundles = [bundle_text(s) for s in stores]
    with tempfile.TemporaryDirectory() as tmp:
        # the teammates' databases themselves, in one merge and one by one over a bundle already merged
        files = [database_file(s, Path(tmp), name) for s, name in zip(stores, ("alice", "bob", "carol"))]
        at_once = Store(":memory:")
        merge_paths(at_once, [files[i] for i in orders.sample(range(3), 3)])
        assert not merge_paths(at_once, files).changed
        mixed = Store(":memory:")
        merge_text(mixed, bundles[2])
        for i in (1, 0, 2):
            merge_paths(mixed, [files[i]])
        database_results = [bundle_text(at_once), bundle_text(mixed)]
    results = []
    perms = list(itertools.permutations(range(3)))
    for perm in [perms[0], *orders.sample(perms[1:], 2)]:
        target = Store(":memory:")
        for i in perm:
            merge_text(target, bundles[i])
        results.append(bundle_text(target))
    # idempotent: the same bundles again change nothing
    for b in bundles:
        assert not merge_text(target, b).changed
    # grouping does not matter either: (alice + bob) merged with carol
    pair = Store(":memory:")
    merge_text(pair, bundles[0])
    merge_text(pair, bundles[1])
    grouped = Store(":memory:")
    merge_text(grouped, bundles[2])
    merge_text(grouped, bundle_text(pair))
    results.append(bundle_text(grouped))
    # and merging into a reviewer's own database ends in the same place
    merge_text(stores[1], bundles[0])
    merge_text(stores[1], bundles[2])
    results.append(bundle_text(stores[1]))
    assert len(set(results + database_results)) == 1
