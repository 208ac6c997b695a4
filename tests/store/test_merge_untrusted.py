"""A teammate's .db or bundle is checked like an import before anything of it enters (issue 9, section 3): a
crafted row refuses the whole merge with the file, the table or line and the reason, and the database is left as
it was. Also: their .db is opened read-only and leaves no file beside it; merges settle the same in every order."""
from __future__ import annotations

import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.curation.merge import merge_paths
from annotator.store import Store
from annotator.store.merge import MergeAborted

from .test_merge import TEXTS, bundle_text, reviewer_store



def teammate_db(tmp_path, name="bob") -> tuple[str, str, str]:
    """A teammate's database with one document, one span and a review; returns its path, document and span."""
    path = tmp_path / f"{name}.db"
    s = Store(path)
    d = s.add_document(TEXTS[0], title="UNODC")[0].id
    span = s.add_span(d, 4, 9, "ORGANISATION", name)
    s.set_review(d, name, status="done")
    s.close()
    return str(path), d, span.id


def edit(path: str, *statements) -> None:
    """What a teammate does with the sqlite3 shell (foreign keys are off there, as by default)."""
    conn = sqlite3.connect(path)
    for sql in statements:
        conn.executescript(sql)
    conn.commit()
    conn.close()


def refused(team: Store, paths) -> str:
    before = bundle_text(team), team.document_count(), team.labels(True)
    with pytest.raises(MergeAborted) as err:
        merge_paths(team, paths)
    after = bundle_text(team), team.document_count(), team.labels(True)
    assert after == before  # nothing of it entered
    message = str(err.value)
    assert "\n" not in message and "nothing was merged" in message
    return message


# -- a crafted teammate's database ------------------------------------------------------------------------------

def test_document_id_that_is_not_the_hash_of_its_text_is_refused(tmp_path):
    path, d, _ = teammate_db(tmp_path)
    bad = "../../pwned-by-merge"
    edit(path, f"UPDATE documents SET id = '{bad}'", f"UPDATE spans SET doc_id = '{bad}'",
         f"UPDATE reviews SET doc_id = '{bad}'")
    message = refused(Store(":memory:"), [path])
    assert message.startswith(f"{path}: table documents, id '{bad}': ")
    assert f"not the id of its text (which is '{d}')" in message


@pytest.mark.parametrize("statement, table, reason", [
    ('UPDATE spans SET "end" = 9999', "spans", "out of range"),
    ("UPDATE spans SET start = 14, \"end\" = 17", "spans", "says its text is 'UNODC' but the document has 'IOM'"),
    ("UPDATE spans SET text = 'IOM'", "spans", "says its text is 'IOM' but the document has 'UNODC'"),
    ("UPDATE spans SET start = 4.5", "spans", "start must be an integer, got float 4.5"),
    ("UPDATE spans SET label = ' ORGANISATION'", "spans", "label name ' ORGANISATION' must be 1 to 64 printable characters"),
    ("UPDATE spans SET label = 'ORG' || char(10) || 'X'", "spans", "must be 1 to 64 printable characters"),
    ("UPDATE spans SET annotator = ''", "spans", "has no annotator"),
    ("UPDATE spans SET updated = 'zzz not a time'", "spans", "updated 'zzz not a time' is not a time"),
    ("UPDATE spans SET deleted = '9999-12-31T00:00:00.000000+00:00'", "spans", "in the future"),
    ("UPDATE documents SET meta = '{oops'", "documents", "meta is not a JSON object"),
    ("UPDATE documents SET meta = '[1]'", "documents", "meta is not a JSON object"),
    ("""UPDATE documents SET meta = '{"x": 1e999}'""", "documents", "meta.x is inf: not a number JSON can hold"),
    ("UPDATE documents SET meta = '{\"x\": ' || printf('%.*c', 100, '[') || printf('%.*c', 100, ']') || '}'",
     "documents", "meta is nested more than 64 levels deep"),
    ("UPDATE documents SET title = x'00'", "documents", "title must be text, got bytes"),
    ("UPDATE documents SET sha256 = 'abc'", "documents", "sha256 does not match its text"),
    ("UPDATE documents SET text = text || char(13)", "documents", "not the id of its text"),
    ("UPDATE reviews SET updated = '9999'", "reviews", "updated '9999' is not a time"),
    ("DELETE FROM documents", "spans", "is not in the documents table"),
    ("DELETE FROM spans; UPDATE reviews SET doc_id = 'gone'", "reviews", "its document 'gone' is not in"),
])
def test_a_row_that_fails_the_import_checks_refuses_the_merge(tmp_path, statement, table, reason):
    path, d, span_id = teammate_db(tmp_path)
    edit(path, statement)
    team = reviewer_store()  # a database with work in it: it must be left exactly as it was
    team.add_span(team.document_ids()[0], 0, 3, "FIGURE", "alice")
    message = refused(team, [path])
    row = f"id '{span_id if table == 'spans' else d}'"
    if table == "reviews":
        row = f"document '{'gone' if 'gone' in statement else d}', reviewer 'bob'"
    assert message.startswith(f"{path}: table {table}, {row}: ")
    assert reason in message


def test_the_cli_refuses_in_one_line_without_a_traceback(tmp_path):
    from click.testing import CliRunner

    from annotator.cli import main

    path, _, span_id = teammate_db(tmp_path)
    edit(path, 'UPDATE spans SET "end" = 9999')
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "team.db"), "merge", path])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{path}: table spans, id '{span_id}': span 4-9999 is out of range" in result.output


# -- a crafted bundle -------------------------------------------------------------------------------------------

def write_lines(path, records) -> str:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return str(path)


def bundle_records(store: Store) -> list[dict]:
    return [json.loads(line) for line in bundle_text(store).splitlines()]


def stamp(delta: timedelta = timedelta()) -> str:
    return (datetime.now(timezone.utc) + delta).isoformat(timespec="microseconds")


@pytest.mark.parametrize("where, key, value, reason", [
    ("spans", "updated", "9999-12-31T23:59:59.999999+00:00", "is more than 24 hours in the future"),
    ("spans", "deleted", "9999-12-31T23:59:59.999999+00:00", "is more than 24 hours in the future"),
    ("spans", "updated", "zzz not a time", "is not a time"),
    ("spans", "updated", "9999", "is not a time"),
    ("spans", "created", "2026-05-05 10:00:00", "is not a time"),
    ("spans", "updated", "2026-05-05T10:00:00.000000+02:00", "is not a time"),
    ("spans", "updated", "2026-02-30T10:00:00.000000+00:00", "is not a time"),
    ("spans", "created", "", "has no created time"),
    ("reviews", "updated", "9999-12-31T23:59:59.999999+00:00", "is more than 24 hours in the future"),
    ("gold", "updated", "zzz", "is not a time"),
])
def test_bundle_times_must_be_ours_and_not_in_the_future(tmp_path, where, key, value, reason):
    from annotator.store import gold

    alice = reviewer_store()
    d = alice.document_ids()[1]
    alice.add_span(d, 0, 9, "ORGANISATION", "alice")
    alice.set_review(d, "alice", status="done")
    gold.take(alice, d, 0, 9, "ORGANISATION", "carol")
    records = bundle_records(alice)
    line = next(i for i, r in enumerate(records, 1) if r[where])
    records[line - 1][where][0][key] = value
    path = write_lines(tmp_path / "alice.jsonl", records)
    message = refused(reviewer_store(), [path])
    part = {"spans": "span 1", "gold": "gold span 1", "reviews": "review 1"}[where]
    if not value:  # an import fills a missing time in; a merge has no time to fill it with
        part = f"span {records[line - 1][where][0]['id']!r}"
    assert message.startswith(f"{path}, line {line}: {part}: ") and reason in message and (not value or repr(value) in message)


def test_a_time_a_little_ahead_of_our_clock_is_accepted(tmp_path):
    alice = reviewer_store()
    d = alice.document_ids()[0]
    s = alice.add_span(d, 4, 9, "ORGANISATION", "alice")
    records = bundle_records(alice)
    next(r for r in records if r["spans"])["spans"][0]["updated"] = stamp(timedelta(hours=23))  # a teammate's clock running fast
    team = reviewer_store()
    report = merge_paths(team, [write_lines(tmp_path / "alice.jsonl", records)])
    assert report.spans_added == 1 and team.span(s.id).text == "UNODC"


def test_a_forever_time_cannot_undo_later_work(tmp_path):
    """The reported case: a far-future time used to beat every later edit, on every re-merge."""
    alice = reviewer_store()
    d = alice.document_ids()[0]
    s = alice.add_span(d, 4, 9, "ORGANISATION", "alice")
    records = bundle_records(alice)
    forged = next(r for r in records if r["spans"])["spans"][0]
    forged["deleted"] = forged["updated"] = "9999-12-31T00:00:00.000000+00:00"
    path = write_lines(tmp_path / "mallory.jsonl", records)
    refused(alice, [path])
    assert alice.span(s.id).deleted is None


def test_a_span_id_of_another_document_is_refused(tmp_path):
    alice = reviewer_store()
    d0, d1 = alice.document_ids()
    s = alice.add_span(d0, 4, 9, "ORGANISATION", "alice")
    records = bundle_records(reviewer_store())
    other = next(i for i, r in enumerate(records, 1) if r["id"] == d1)
    records[other - 1]["spans"] = [{"id": s.id, "start": 0, "end": 9, "label": "FIGURE", "text": "Ministers",
                                    "annotator": "mallory", "note": "", "created": stamp(), "updated": stamp()}]
    path = write_lines(tmp_path / "mallory.jsonl", records)
    message = refused(alice, [path])
    assert message.startswith(f"{path}, line {other}: span '{s.id}': ") and f"document '{d0}'" in message
    assert alice.span(s.id).annotator == "alice" and alice.span(s.id).doc_id == d0
    # named in the file that holds it, though another file of the merge has the same document after it
    plain = write_lines(tmp_path / "plain.jsonl", bundle_records(reviewer_store()))
    message = refused(alice, [path, plain])
    assert message.startswith(f"{path}, line {other}: span '{s.id}': ")

    # the same within the files of one merge: alice's bundle brings the span, mallory's reuses its id
    good = tmp_path / "alice.jsonl"
    from annotator.curation.bundle import export_bundle

    export_bundle(alice, good)
    message = refused(Store(":memory:"), [str(good), path])
    assert message.startswith(f"{path}, line {other}: span '{s.id}': ")
    message = refused(Store(":memory:"), [path, str(good)])  # either way round: refused
    assert f"span '{s.id}'" in message


def test_a_non_string_source_is_refused_with_its_line(tmp_path):
    records = bundle_records(reviewer_store())
    records[1]["meta"]["source"] = 1
    path = write_lines(tmp_path / "b.jsonl", records)
    message = refused(Store(":memory:"), [path])
    assert message.startswith(f"{path}, line 2: ") and "meta.source must be a string" in message


# -- reading a teammate's database without writing beside it ----------------------------------------------------

def test_a_teammates_db_leaves_no_file_beside_it(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    path, d, span_id = teammate_db(folder)
    before = sorted(os.listdir(folder))
    team = Store(":memory:")
    report = merge_paths(team, [path])
    assert report.spans_added == 1 and team.span(span_id).text == "UNODC"
    assert sorted(os.listdir(folder)) == before == ["bob.db"]


BOBS_WINDOW = """
import sys
from annotator.store import Store
bob = Store(sys.argv[1])
print(bob.add_span(sys.argv[2], 14, 17, "ORGANISATION", "bob").id, flush=True)
sys.stdin.read()  # open until the test is done
bob.close()
"""


def test_a_teammates_db_open_in_their_window_is_read_with_its_latest_work(tmp_path):
    """While their window is open the newest work sits in the -wal file: reading the .db alone would miss it."""
    path, d, _ = teammate_db(tmp_path)
    window = subprocess.Popen([sys.executable, "-c", BOBS_WINDOW, path, d], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        late = window.stdout.readline().strip()
        before = sorted(os.listdir(tmp_path))
        assert "bob.db-wal" in before
        team = Store(":memory:")
        merge_paths(team, [path])
        assert team.span(late).text == "IOM"
        assert sorted(os.listdir(tmp_path)) == before
    finally:
        window.communicate("", timeout=30)


MERGE_SCRIPT = """
import sys
from annotator.core.errors import AnnotatorError
from annotator.curation.merge import merge_paths
from annotator.store import Store
team = Store(sys.argv[1])
try:
    report = merge_paths(team, [sys.argv[2]])
except AnnotatorError as exc:
    sys.exit(str(exc))
print(report.spans_added, *sorted(s.text for d in team.document_ids() for s in team.spans(d)))
"""

CRASHED_WINDOW = """
import os, signal, sys
from annotator.store import Store
bob = Store(sys.argv[1])
bob.conn.execute("PRAGMA wal_autocheckpoint = 0")  # the work stays in the -wal file, as between checkpoints
bob.add_span(bob.document_ids()[0], 14, 17, "ORGANISATION", "bob")
os.kill(os.getpid(), signal.SIGKILL)
"""


def merge_from_read_only_folder(team, folder, path) -> subprocess.CompletedProcess:
    """Merge ``path`` into the database ``team`` in a process that cannot write ``folder`` (root gives up its
    power to)."""
    command = [sys.executable, "-c", MERGE_SCRIPT, str(team), path]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "running the tests as root needs util-linux's setpriv to make a folder read-only"
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", *command]
    folder.chmod(0o555)
    try:
        probe = subprocess.run([*command[:-4], "-c", f"open({str(folder / 'x')!r}, 'w')"], capture_output=True)
        assert probe.returncode != 0, "the folder must really be read-only for this test"
        return subprocess.run(command, capture_output=True, text=True, timeout=60)
    finally:
        folder.chmod(0o755)


def test_a_teammates_db_in_a_read_only_folder_merges(tmp_path):
    folder = tmp_path / "readonly"
    folder.mkdir()
    path, d, span_id = teammate_db(folder)
    result = merge_from_read_only_folder(tmp_path / "team.db", folder, path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "UNODC"]
    assert os.listdir(folder) == ["bob.db"]


def test_a_crashed_teammates_db_in_a_read_only_folder_is_read_whole_or_refused(tmp_path):
    """Their window was killed: its last work is in bob.db-wal. With the -shm file it is read; a -wal copied
    without its -shm cannot be read in a read-only folder, and the merge says so rather than merge less."""
    folder = tmp_path / "readonly"
    folder.mkdir()
    path, d, span_id = teammate_db(folder)
    assert subprocess.run([sys.executable, "-c", CRASHED_WINDOW, path]).returncode == -9
    assert sorted(os.listdir(folder)) == ["bob.db", "bob.db-shm", "bob.db-wal"]
    result = merge_from_read_only_folder(tmp_path / "team.db", folder, path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2", "IOM", "UNODC"]

    os.remove(folder / "bob.db-shm")  # copied without it
    result = merge_from_read_only_folder(tmp_path / "other-team.db", folder, path)
    assert result.returncode != 0
    assert result.stderr.strip() == (
        f"{path}: its latest work is in bob.db-wal, which cannot be read here: there is no bob.db-shm beside it and"
        " the folder is read-only. Copy the database with its -wal file to a folder you can write, or open it once"
        " with annotator where it is, then merge again")
    assert sorted(os.listdir(folder)) == ["bob.db", "bob.db-wal"]


# -- the same result in every order -----------------------------------------------------------------------------

def copy_of_first_document(meta: dict, spans=()) -> dict:
    rec = bundle_records(reviewer_store(TEXTS[:1]))[0]
    rec["meta"].update(meta)
    rec["spans"] = list(spans)
    return rec


def merge_in_order(bundles, order) -> Store:
    target = Store(":memory:")
    for i in order:
        merge_paths(target, [bundles[i]])
    return target


def settled(store: Store) -> tuple:
    labels = [(x.name, x.color, x.hotkey, x.retired, x.position) for x in store.labels(include_retired=True)]
    return bundle_text(store), tuple(labels)


def test_meta_differing_only_by_json_type_settles_the_same_in_every_order(tmp_path):
    bundles = [write_lines(tmp_path / f"{k}.jsonl", [copy_of_first_document({"n": v})])
               for k, v in (("int", 1), ("float", 1.0), ("bool", True))]
    results = set()
    for order in itertools.permutations(range(3)):
        target = merge_in_order(bundles, order)
        results.add(settled(target))
        for b in bundles:
            assert not merge_paths(target, [b]).changed
    assert len(results) == 1


def span(span_id, label, deleted=None, start=4, end=9):
    t = "2026-03-01T00:00:00.000000+00:00"
    return {"id": span_id, "start": start, "end": end, "label": label, "text": TEXTS[0][start:end],
            "annotator": "alice", "note": "", "created": t, "updated": t, **({"deleted": t} if deleted else {})}


def test_a_label_first_seen_in_a_deleted_span_gets_the_same_hotkey_in_either_order(tmp_path):
    dead = write_lines(tmp_path / "dead.jsonl", [copy_of_first_document({}, [span("a", "PERSON", deleted=True)])])
    live = write_lines(tmp_path / "live.jsonl", [copy_of_first_document({}, [span("b", "PERSON", start=14, end=17)])])
    one, two = merge_in_order([dead, live], (0, 1)), merge_in_order([dead, live], (1, 0))
    assert settled(one) == settled(two)
    assert one.label("PERSON").hotkey == "4" and not one.label("PERSON").retired


meta_values = st.one_of(st.integers(-2, 2), st.sampled_from([1.0, 0.0, -1.0, 2.5]), st.booleans(), st.none(),
                        st.text("ab", max_size=2), st.lists(st.integers(0, 1), max_size=2))
copies = st.lists(
    st.tuples(
        st.dictionaries(st.sampled_from(["n", "m"]), meta_values, max_size=2),  # meta
        st.sampled_from([None, "a.txt", "b.txt"]),  # meta.source
        st.lists(st.tuples(st.sampled_from(["s1", "s2"]), st.sampled_from(["PERSON", "PLACE", "FIGURE"]),
                           st.booleans()), max_size=2),  # spans: id, label, deleted
    ),
    min_size=2, max_size=3,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(copies=copies, orders=st.randoms())
def test_any_copies_settle_the_same_in_any_order_and_a_re_merge_does_nothing(tmp_path, copies, orders):
    bundles = []
    for k, (meta, source, spans) in enumerate(copies):
        rec = copy_of_first_document({**meta, "source": source}, [span(i, lab, dead) for i, lab, dead in spans])
        bundles.append(write_lines(tmp_path / f"copy{k}.jsonl", [rec]))
    perms = list(itertools.permutations(range(len(bundles))))
    results = set()
    for order in [perms[0], *orders.sample(perms[1:], min(2, len(perms) - 1))]:
        target = merge_in_order(bundles, order)
        # the data settles the same; a label in use is live and has a key (which key depends on what else
        # arrived first, as it does when a reviewer adds labels)
        used = {s.label for d in target.document_ids() for s in target.spans(d)}
        assert all(not target.label(x).retired and target.label(x).hotkey for x in used)
        results.add(bundle_text(target))
        for b in bundles:
            assert not merge_paths(target, [b]).changed
    assert len(results) == 1


def test_text_that_is_not_utf8_refuses_the_merge_naming_its_row(tmp_path):
    path, d, _ = teammate_db(tmp_path)
    bob = Store(path)
    span = bob.add_span(d, 14, 17, "ORGANISATION", "bob")
    bob.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE spans SET note = CAST(X'4E6F7465FF' AS TEXT) WHERE id = ?", (span.id,))
    conn.commit()
    conn.close()
    team = Store(":memory:")
    with pytest.raises(MergeAborted) as refused:
        merge_paths(team, [path])
    assert f"table spans, id {span.id!r}: note is not UTF-8 text (byte 4 is 0xFF)" in str(refused.value)
    assert team.document_count() == 0
