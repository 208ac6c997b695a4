"""Three reviewers working and syncing in random orders, through a shared folder and through a local bare git
repository, end with byte-identical databases once everyone has synced twice (issue 17)."""
from __future__ import annotations

import io
import subprocess
import tempfile
import threading
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.curation.bundle import bundle_records
from annotator.formats import canonical
from annotator.store import Store
from annotator.store import store as store_module
from annotator.sync import git as sync_git_module
from annotator.sync import sync
from tests.histories import LABELS, SPAN_EDITS, Clock, edit_spans  # the merge test's edits and coarse clock

TEXTS = [
    "The UNODC met IOM in Bali 😀.\nThey pledged US$7 billion to fight smuggling.",
    "Ministers of 45 countries agreed to share data on trafficking routes by 2027.",
    "Only carol has this one: 𠀀 the Bali Process met in 2025 and 12 states signed.",
]
NAMES = ["alice", "bob", "carol"]


def reviewers() -> list[Store]:
    stores = []
    for i in range(3):
        s = Store(":memory:")
        for t in TEXTS[: 3 if i == 2 else 2]:  # carol's third text reaches the others only through texts/
            s.add_document(t, title=t.split()[1])
        stores.append(s)
    return stores


def canonical_bytes(store: Store) -> str:
    out = io.StringIO()

    class Tombstones:
        include_deleted = True

    canonical.write(bundle_records(store), out, Tombstones())
    return out.getvalue()


ops = st.lists(
    st.tuples(
        st.integers(0, 2),  # reviewer
        st.sampled_from(["add", "add", "relabel", "resize", "delete", "restore", "review", "sync",
                         "relate", "retype", "unrelate", "value"]),
        st.integers(0, 2),  # document
        st.integers(0, 10_000),
        st.integers(0, 10_000),
    ),
    max_size=20,
)


# the relation types of the default scheme, by the labels they join
TYPES = {("COMMITMENT", "ORGANISATION"): ["ACTOR", "PARTNER"], ("COMMITMENT", "FIGURE"): ["AMOUNT"]}


def links(s: Store, d: str, spans, op: str, x: int, y: int) -> None:
    """A reviewer relates two spans (of one annotator, as the store requires), retypes or deletes a relation, or
    gives a figure a value: anyone's, as with spans."""
    live = [sp for sp in spans if not sp.deleted]
    if op == "relate":
        pairs = [(h, c) for h in live for c in live
                 if h.annotator == c.annotator and (h.label, c.label) in TYPES]
        if pairs:
            h, c = pairs[x % len(pairs)]
            types = TYPES[(h.label, c.label)]
            if not any(r.head == h.id and r.child == c.id for r in s.relations(d, include_deleted=True)):
                s.add_relation(d, h.id, c.id, types[y % len(types)])
        return
    if op == "value":
        figures = [sp for sp in live if sp.label == "FIGURE"]
        if figures:
            s.set_attribute(figures[x % len(figures)].id, "value", y)
        return
    relations = [r for r in s.relations(d) if not r.deleted]
    if not relations:
        return
    r = relations[x % len(relations)]
    if op == "unrelate":
        s.delete_relation(r.id)
        return
    head, child = s.span(r.head), s.span(r.child)
    types = TYPES.get((head.label, child.label), [])
    if len(types) > 1:
        s.retype_relation(r.id, types[(types.index(r.type) + 1) % len(types)])


def play(history, ticks, target: str, dbs: list[Path], orders) -> list[Store]:
    stores = reviewers()

    def run_sync(i: int):
        report = sync(stores[i], target, NAMES[i], db_path=dbs[i])
        assert not report.refused and not report.failed, report.lines()
        return report

    # a shared start, so that reviewers edit one another's spans: alice's, which everyone has taken in
    with mock.patch.object(store_module, "now", lambda: "2026-01-01T00:00:00.000000+00:00"):
        for d in stores[0].document_ids():
            for k in range(3):
                stores[0].add_span(d, 4 * k, 4 * k + 3, LABELS[k], "alice")
        for i in range(3):
            run_sync(i)
    with mock.patch.object(store_module, "now", Clock(ticks)):
        for who, op, doc, x, y in history:
            s = stores[who]
            ids = s.document_ids()
            d = ids[doc % len(ids)]
            if op in SPAN_EDITS:
                edit_spans(s, d, NAMES[who], op, x, y)
            elif op == "sync":
                run_sync(who)
            else:
                links(s, d, s.spans(d, include_deleted=True), op, x, y)
    for _ in range(2):  # everyone syncs twice, in a random order each round
        for i in orders.sample(range(3), 3):
            run_sync(i)
    exports = [canonical_bytes(s) for s in stores]
    # a third round brings nobody anything (a reviewer's file may still drop an edit of a teammate's span that
    # the teammate's own file now says), and a fourth changes nothing at all, and says so
    third = [run_sync(i) for i in range(3)]
    assert not any(m.changed for r in third for _, m in r.merged), [r.lines() for r in third]
    fourth = [run_sync(i) for i in range(3)]
    assert not any(r.changed for r in fourth), [r.lines() for r in fourth]
    assert all(r.lines()[-1].startswith("nothing new") for r in fourth)
    assert [canonical_bytes(s) for s in stores] == exports
    return exports


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=ops, ticks=st.lists(st.integers(0, 3), min_size=1, max_size=5), orders=st.randoms())
def test_three_reviewers_converge_through_a_folder(history, ticks, orders):
    with tempfile.TemporaryDirectory() as tmp:
        dbs = [Path(tmp, f"{n}.db") for n in NAMES]
        exports = play(history, ticks, tmp, dbs, orders)  # after everyone synced twice
        assert exports[0] == exports[1] == exports[2]
        assert exports[0].count('"id":') >= 3  # carol's third document reached everyone
        # texts once: three documents, three text files, however many reviewers hold them
        assert len(list(Path(tmp, "texts").rglob("*.txt"))) == 3


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=ops, ticks=st.lists(st.integers(0, 3), min_size=1, max_size=5), orders=st.randoms())
def test_three_reviewers_converge_through_a_bare_git_repository(history, ticks, orders):
    with tempfile.TemporaryDirectory() as tmp:
        remote = Path(tmp, "team.git")
        subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
        dbs = [Path(tmp, f"{n}.db") for n in NAMES]
        exports = play(history, ticks, str(remote), dbs, orders)
        assert exports[0] == exports[1] == exports[2]
        files = subprocess.run(["git", "-C", str(remote), "ls-tree", "-r", "--name-only", "main"],
                               capture_output=True, text=True, check=True).stdout.split()
        assert sorted(f for f in files if f.startswith("reviewers/")) == [f"reviewers/{n}.jsonl" for n in NAMES]


def test_two_reviewers_pushing_at_the_same_moment_both_end_in(tmp_path):
    remote = tmp_path / "team.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    both_fetched = threading.Barrier(2, timeout=30)
    real = sync_git_module.sync_place
    first = {}

    def in_step(store, place, annotator, **kw):
        report = real(store, place, annotator, **kw)
        if annotator not in first:  # both have fetched the same (empty) remote before either pushes
            first[annotator] = True
            both_fetched.wait()
        return report

    results, errors = {}, []

    def reviewer(name: str, text: str):
        try:
            s = Store(":memory:")
            doc, _ = s.add_document(text)
            s.add_span(doc.id, 0, 3, "ORGANISATION", name)
            results[name] = (s, sync(s, str(remote), name, db_path=tmp_path / f"{name}.db"))
        except BaseException as exc:  # noqa: BLE001 (reported by the main thread)
            errors.append(exc)

    with mock.patch.object(sync_git_module, "sync_place", in_step):
        threads = [threading.Thread(target=reviewer, args=(n, t)) for n, t in zip(NAMES[:2], TEXTS[:2])]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert not errors, errors
    assert not any(r.failed for _, r in results.values()), [r.lines() for _, r in results.values()]
    assert any("pushed" in " ".join(r.notes) for _, r in results.values())
    files = subprocess.run(["git", "-C", str(remote), "ls-tree", "-r", "--name-only", "main"],
                           capture_output=True, text=True, check=True).stdout.split()
    assert {"reviewers/alice.jsonl", "reviewers/bob.jsonl"} <= set(files)
    # and the one who pushed first gets the other's work on the next sync
    for name, (store, _) in results.items():
        sync(store, str(remote), name, db_path=tmp_path / f"{name}.db")
    assert canonical_bytes(results["alice"][0]) == canonical_bytes(results["bob"][0])
    assert {s.annotator for d in results["alice"][0].document_ids() for s in results["alice"][0].spans(d)} == \
        {"alice", "bob"}


def test_two_reviewers_syncing_to_one_folder_at_the_same_moment_both_end_in(tmp_path):
    start = threading.Barrier(2, timeout=30)
    stores, errors = {}, []

    def reviewer(name: str, text: str):
        try:
            s = Store(":memory:")
            doc, _ = s.add_document(text)
            s.add_span(doc.id, 0, 3, "ORGANISATION", name)
            stores[name] = s
            start.wait()
            sync(s, str(tmp_path), name)
        except BaseException as exc:  # noqa: BLE001 (reported by the main thread)
            errors.append(exc)

    threads = [threading.Thread(target=reviewer, args=(n, t)) for n, t in zip(NAMES[:2], TEXTS[:2])]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    for name, s in stores.items():
        assert not sync(s, str(tmp_path), name).refused
    assert canonical_bytes(stores["alice"]) == canonical_bytes(stores["bob"])
    assert len(list((tmp_path / "texts").rglob("*.txt"))) == 2
    assert sorted(p.name for p in (tmp_path / "reviewers").iterdir()) == ["alice.jsonl", "bob.jsonl"]
