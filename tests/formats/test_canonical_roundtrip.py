"""Property: import, export, import, export gives identical files, whatever the text and spans."""
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import InputError
from annotator.formats import canonical
from annotator.store import Store
from annotator.store.bulk import export_records, import_records

# Emoji (astral, ZWJ), CJK Extension B (astral), combining marks, and every kind of line break.
PIECES = ["a", "Z", " ", "é", "e\u0301", "😀", "👩\u200d👩\u200d👧", "𠮟", "\U0002A6D6", "中", "\n", "\r\n", "\r", "’s", "US$7", "\t"]


@st.composite
def documents(draw):
    text = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=40))) + draw(st.sampled_from(["x", "😀"]))
    # offsets into the text as the source has it (before \r\n becomes \n): what another tool would write
    n = len(text)
    spans = []
    for start, length, label in draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, 6),
                                                         st.sampled_from(["ORGANISATION", "FIGURE", "NEW"])), max_size=6)):
        end = min(n, start + length)
        if text[start] == "\n" and start and text[start - 1] == "\r":
            continue  # inside a \r\n pair there is no character to start at once it is one \n
        spans.append({"start": start, "end": end, "label": label, "text": text[start:end]})
    return {"text": text, "meta": {"k": draw(st.sampled_from(["v", "ü", "😀"]))}, "spans": spans}


def export(store) -> str:
    out = io.StringIO()
    canonical.write(export_records(store), out)
    return out.getvalue()


def load(store, lines):
    records = [canonical.parse_line(line, "prop", i) for i, line in enumerate(lines, 1)]
    import_records(store, records)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents(), min_size=1, max_size=4))
def test_import_export_import_export_is_identical(docs):
    first = Store()
    load(first, [json.dumps(d, ensure_ascii=False) for d in docs])
    exported = export(first)
    for line in exported.splitlines():
        rec = json.loads(line)
        assert "\r" not in rec["text"]
        for s in rec["spans"]:
            assert rec["text"][s["start"]:s["end"]] == s["text"]
    second = Store()
    load(second, exported.splitlines())
    assert export(second) == exported


def test_import_takes_only_our_times_so_the_database_can_be_merged_later(tmp_path):
    """A time in another form, or far ahead, would make a merge of this database refuse it (or let it win
    forever): the import says so first, with the file and line; a missing time is filled in."""
    from annotator.store import Store
    from annotator.transfer import import_paths

    text = "The UNODC met IOM in Bali."
    ok = {"text": text, "spans": [{"start": 4, "end": 9, "label": "ORGANISATION"}]}
    for bad in ("2024-01-01", "9999-12-31T00:00:00.000000+00:00"):
        line = dict(text=text, spans=[{"start": 4, "end": 9, "label": "ORGANISATION", "updated": bad}])
        path = tmp_path / "bad.jsonl"
        path.write_text(json.dumps(ok) + "\n" + json.dumps(line) + "\n", encoding="utf-8")
        store = Store(":memory:")
        with pytest.raises(InputError) as err:
            import_paths(store, [path])
        assert f"{path}, line 2: span 1: updated {bad!r}" in str(err.value) and store.document_count() == 0
    path = tmp_path / "ok.jsonl"
    path.write_text(json.dumps(ok) + "\n", encoding="utf-8")
    store = Store(":memory:")
    import_paths(store, [path])
    assert store.spans(store.document_ids()[0])[0].updated > "2026"
