"""The compiled per-relation loops of canonical JSONL (annotator/core/_relations.c) give what the Python they stand
for gives: reading a line's relations, the same Relations or the same one-line refusal; writing them, the same
bytes. Random relations: good ones, and ones with every field of another type, another reviewer, a time that is
not ours, a key too many, non-ASCII text, escapes and astral characters."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import InputError
from annotator.core.model import Document, DocumentRecord, Entity, GoldSpan, Relation, Span
from annotator.core.text import ID_LENGTH, sha256
from annotator.core.validate import latest_time
from annotator.formats import canonical, canonical_links

T0 = "2026-05-05T10:00:00.000000+00:00"
T1 = "2026-05-05T11:00:00.000000+00:00"
TEXT = "IOM et l’ONUDC s’engagent: 😀 US$7 billion"
DIGEST = sha256(TEXT)
DOC_ID = DIGEST[:ID_LENGTH]
SPANS = [Span("s1", DOC_ID, 0, 3, "ORGANISATION", "IOM", "ana", "", T0, T0),
         Span("s2", DOC_ID, 9, 14, "ORGANISATION", "ONUDC", "ana", "", T0, T0),
         Span("s3", DOC_ID, 15, 25, "COMMITMENT", "s’engagent", "ana", "", T0, T0),
         Span("é\u2028", DOC_ID, 30, 42, "FIGURE", "US$7 billion", "bob", "", T0, T0),
         Span("s5", DOC_ID, 27, 28, "FIGURE", "😀", "", "", T0, T1, T1)]

TIMES = [T0, T1, "", None, 5, False, "2026-02-29T00:00:00.000000+00:00", "2024-02-29T23:59:59.999999+00:00",
         "2026-04-31T00:00:00.000000+00:00", "2026-01-01T24:00:00.000000+00:00", "0000-01-01T00:00:00.000000+00:00",
         "9999-12-31T23:59:59.999999+00:00", "２０２６-05-05T10:00:00.000000+00:00", T0 + " ", T0[:-6] + "Z"]
FIELDS = {
    "id": st.sampled_from(["r1", "r2", "", None, 7, "r\ud800", "é😀\"\\\n"]),
    "head": st.sampled_from(["s1", "s2", "s3", "é\u2028", "s5", "nope", None, 5, ["s1"]]),
    "child": st.sampled_from(["s1", "s2", "s3", "é\u2028", "s5", "nope", None, {"a": 1}]),
    "type": st.sampled_from(["ACTOR", "PARTNER", "", None, 3, "TYPE😀"]),
    "annotator": st.sampled_from(["ana", "bob", "", None, 1]),
    "created": st.sampled_from(TIMES),
    "updated": st.sampled_from(TIMES),
    "deleted": st.sampled_from([None, T1, "", 0, "later"]),
    "extra": st.just(1),
    "curator": st.just("ana"),
}
KEY_WEIGHTS = {"extra": 0.03, "curator": 0.03, "deleted": 0.15}


@st.composite
def relation_items(draw):
    good = draw(st.booleans())
    if good:  # a plainly good one now and then, whose fields may then be changed one by one
        d = {"id": f"r{draw(st.integers(0, 9))}", "head": "s3", "child": draw(st.sampled_from(["s1", "s2"])),
             "type": "ACTOR", "annotator": "ana", "created": T0, "updated": draw(st.sampled_from([T0, T1, None]))}
    else:
        d = {}
    for key, values in FIELDS.items():
        if draw(st.floats(0, 1)) < (KEY_WEIGHTS.get(key, 0.5) if not good else KEY_WEIGHTS.get(key, 0.1)):
            d[key] = draw(values)
    return d if draw(st.integers(0, 30)) else draw(st.sampled_from([[d], "x", None]))


def _read(items, compiled: bool):
    with pytest.MonkeyPatch.context() as m:
        if not compiled:
            m.setattr(canonical_links, "_compiled_parse", None)
        try:
            return canonical_links.parse_relations(items, SPANS, DOC_ID, "relation", LATEST)
        except InputError as exc:
            return f"refused: {exc}"


LATEST = latest_time()


def test_the_test_environment_runs_the_compiled_loops():
    assert canonical_links._compiled_parse is not None and canonical_links._compiled_json is not None, \
        "core/_relations.c was not built"


@settings(max_examples=500, deadline=None)
@given(st.lists(relation_items(), max_size=6))
def test_reading_gives_the_same_relations_or_the_same_refusal(items):
    compiled, reference = _read(items, True), _read(items, False)
    assert compiled == reference
    if isinstance(reference, list):  # the same values of the same types ("" is not None)
        assert [[type(getattr(r, f)) for f in r.__slots__] for r in compiled] == \
               [[type(getattr(r, f)) for f in r.__slots__] for r in reference]


def test_a_plain_line_is_read_by_the_compiled_loop():
    items = [{"id": "r1", "head": "s3", "child": "s1", "type": "ACTOR", "annotator": "ana", "created": T0,
              "updated": T1}, {"id": "r2", "head": "s3", "child": "s2", "type": "PARTNER", "annotator": "ana"}]
    made = canonical_links._compiled_parse(Relation, items, {s.id: s for s in SPANS}, DOC_ID, LATEST)
    assert made == [Relation("r1", DOC_ID, "s3", "s1", "ACTOR", "ana", T0, T1),
                    Relation("r2", DOC_ID, "s3", "s2", "PARTNER", "ana", "", "")]
    # a bad date, a time after the latest accepted, another reviewer: the loop in Python words each refusal
    for change in ({"created": "2026-02-29T00:00:00.000000+00:00"}, {"updated": "9999-01-01T00:00:00.000000+00:00"},
                   {"annotator": "bob"}, {"deleted": T1}, {"note": "x"}):
        assert canonical_links._compiled_parse(Relation, [{**items[0], **change}], {s.id: s for s in SPANS},
                                               DOC_ID, LATEST) is None


# -- writing ----------------------------------------------------------------------------------------------------

STRINGS = st.sampled_from(["r1", "r2", "é", "😀", "a\"b", "a\\b", "\x00\x01\x1f\x7f", "\n\r\t\b\f", "\u2028\u2029",
                           "ONUDC’s", "", "z"])


@st.composite
def relation_rows(draw):
    ids = [s.id for s in SPANS]
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        rows.append((draw(STRINGS), DOC_ID, draw(st.sampled_from(ids + ["gone"])), draw(st.sampled_from(ids)),
                     draw(STRINGS), draw(STRINGS), draw(st.sampled_from([T0, T1, "", "é"])),
                     draw(st.sampled_from([T0, T1, "x\u0007"])), draw(st.sampled_from([None, None, "", T1]))))
    if draw(st.booleans()):  # the store reads them in this order; out of it, the slow path sorts them
        rows.sort(key=lambda r: (r[6], r[0]))
    return rows


def _record(rows, *, gold: bool, entities: bool) -> DocumentRecord:
    rec = DocumentRecord(Document(DOC_ID, TEXT, "t", None, DIGEST, {"k": "é"}), list(SPANS))
    if gold:
        rec.gold = [GoldSpan("g1", DOC_ID, 0, 3, "ORGANISATION", "IOM", "cur", "", T0, T0, sources=("s1",))]
    if entities:
        rec.entities = [Entity("IOM", "International Organization for Migration", created=T0, updated=T0)]
    rec.relation_rows = rows
    return rec


@settings(max_examples=400, deadline=None)
@given(relation_rows(), st.booleans(), st.booleans(), st.booleans())
def test_writing_rows_gives_the_bytes_of_writing_relations(rows, tombstones, gold, entities):
    fast = canonical.dumps(_record(list(rows), gold=gold, entities=entities), tombstones=tombstones)
    slow_rec = _record(None, gold=gold, entities=entities)
    slow_rec.relations = [Relation(*row) for row in rows]
    slow = canonical.dumps(slow_rec, tombstones=tombstones)
    assert fast == slow
    with pytest.MonkeyPatch.context() as m:  # and without the compiled module: the Relations made of the rows
        m.setattr(canonical_links, "_compiled_json", None)
        assert canonical.dumps(_record(list(rows), gold=gold, entities=entities), tombstones=tombstones) == slow
    json.loads(fast)


def test_rows_written_are_json_text_with_the_escapes_json_writes():
    rows = [("r\"1", DOC_ID, "s3", "s1", "ACTOR\n", "ana\x00", T0, T0, None),
            ("r2", DOC_ID, "s3", "gone", "ACTOR", "ana", T0, T0, None),  # an end not written: not written either
            ("r3", DOC_ID, "s3", "s2", "PARTNER", "ana", T1, T1, T1)]  # a tombstone: only with them
    text = canonical_links._compiled_json(rows, {s.id for s in SPANS}, False)
    assert text == ('[{"id":"r\\"1","head":"s3","child":"s1","type":"ACTOR\\n","annotator":"ana\\u0000",'
                    f'"created":"{T0}","updated":"{T0}"}}]')
    assert json.loads(canonical_links._compiled_json(rows, {s.id for s in SPANS}, True))[-1]["deleted"] == T1
    assert canonical_links._compiled_json(rows[1:2], {s.id for s in SPANS}, False) == ""
    assert canonical_links._compiled_json(rows[::-1], {s.id for s in SPANS}, False) is None  # not in the order


def test_an_export_of_a_database_writes_the_bytes_of_the_slow_path(tmp_path):
    """A database's export through the rows (and the compiled writer) against the same export through Relation
    objects: byte for byte, with a reviewer filter, with tombstones and a gold layer in the line."""
    from annotator.store import Store
    from annotator.store.bulk import ExportFilter
    from annotator.transfer import export_to, import_paths
    from benchmarks.synthetic import write_corpus

    src = tmp_path / "in.jsonl"
    write_corpus(src, 30, relations=True)
    lines = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines()]
    first = lines[0]
    first["relations"][0]["deleted"] = first["relations"][0]["updated"]  # a tombstone: not written
    first["relations"][1]["type"] = "ACTOR\u2028“quoted”"  # a new type, non-ASCII
    lines[1]["relations"] = lines[1]["relations"][::-1]  # stored in (created, id) order all the same
    for item in lines[2]["spans"] + lines[2]["relations"]:  # another reviewer's line, for the filter
        item["annotator"] = "zoë"
    src.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    store = Store(str(tmp_path / "db.db"))
    import_paths(store, [src], fmt="jsonl")
    assert store.conn.execute("SELECT count(*) FROM relations WHERE deleted IS NOT NULL").fetchone()[0] == 1
    for flt in (None, ExportFilter(annotators=("bench",)), ExportFilter(labels=("COMMITMENT", "FIGURE"))):
        export_to(store, tmp_path / "fast.jsonl", fmt="jsonl", flt=flt)
        with pytest.MonkeyPatch.context() as m:
            m.setattr(canonical, "RELATION_ROWS", False)
            export_to(store, tmp_path / "slow.jsonl", fmt="jsonl", flt=flt)
        fast = (tmp_path / "fast.jsonl").read_bytes()
        assert fast == (tmp_path / "slow.jsonl").read_bytes()
        assert b'"relations":[' in fast
