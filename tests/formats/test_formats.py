"""Every format: export then import gives the same spans, apart from what the format says it could not hold;
offsets in code points whatever the file's own convention; checked by the real consumers where they exist."""
import json

import pytest

from annotator import formats
from annotator.store import Store
from annotator.store.bulk import export_records
from annotator.transfer import export_to, import_paths

TEXTS = [
    "UNODC and IOM 😀 pledged US$7 billion.\r\nThe Bali Process met in 𠮟𠮟 Jakarta.\r\n",
    "Café\u0301 talks: the European Union’s 90 delegates 👩\u200d👧 agreed.\n\nSecond paragraph with 中文 text.",
]
SPANS = [
    [("UNODC", "ORGANISATION"), ("IOM", "ORGANISATION"), ("US$7 billion", "FIGURE"), ("Bali Process", "ORGANISATION"),
     ("UNODC and IOM 😀 pledged US$7 billion", "COMMITMENT"), ("Jakarta", "ORGANISATION")],
    [("European Union", "ORGANISATION"), ("90 delegates", "FIGURE"), ("中文", "FIGURE")],
]


@pytest.fixture
def source(tmp_path):
    store = Store(tmp_path / "src.db")
    for text, spans in zip(TEXTS, SPANS):
        doc = store.add_document(text.replace("\r\n", "\n"))[0]
        for k, (phrase, label) in enumerate(spans):
            at = doc.text.index(phrase)
            store.add_span(doc.id, at, at + len(phrase), label, "alice" if k % 2 == 0 else "bob",
                           note="check" if k == 0 else "")
        store.set_review(doc.id, "alice", status="done")
    return store


def spans_of(store):
    return sorted((rec.document.text[s.start:s.end], s.label) for rec in export_records(store) for s in rec.spans)


def round_trip(source, tmp_path, fmt, suffix):
    out = tmp_path / f"out{suffix}"
    result = export_to(source, out, fmt=fmt)
    target = Store(tmp_path / f"back-{fmt}.db")
    report = import_paths(target, [out], fmt=fmt, annotator="carol")
    assert not report.skipped
    return result, target


@pytest.mark.parametrize("fmt,suffix", [("jsonl", ".jsonl"), ("doccano", ".jsonl"), ("spacy-jsonl", ".jsonl"),
                                        ("labelstudio", ".json"), ("brat", ""), ("spacy", ".spacy")])
def test_lossless_span_formats_round_trip(source, tmp_path, fmt, suffix):
    result, back = round_trip(source, tmp_path, fmt, suffix)
    assert spans_of(back) == spans_of(source)
    # the same texts, so the same document ids
    assert sorted(r.document.id for r in export_records(back)) == sorted(r.document.id for r in export_records(source))
    if fmt != "jsonl":
        assert "review statuses and document notes" in result.report.lost


def test_conll_keeps_the_outermost_of_overlapping_spans_and_says_so(source, tmp_path):
    result, back = round_trip(source, tmp_path, "conll", ".conll")
    assert result.report.lost["overlapping or nested spans (a CoNLL token has one tag)"] == 3
    got = spans_of(back)
    assert ("UNODC and IOM 😀 pledged US$7 billion", "COMMITMENT") in got
    assert ("European Union", "ORGANISATION") in got and ("中文", "FIGURE") in got
    assert ("UNODC", "ORGANISATION") not in got  # nested in the COMMITMENT, so not written
    assert len(got) == sum(len(s) for s in SPANS) - 3


def test_notes_and_annotators_are_reported_where_a_format_has_no_place(source, tmp_path):
    result = export_to(source, tmp_path / "d.jsonl", fmt="doccano")
    assert result.report.lost["span notes"] == 2
    assert result.report.lost["annotator names (spans of several annotators merged into one document)"] == 2


def test_labelstudio_writes_code_points_and_keeps_reviewers_where_label_studio_keeps_free_data(source, tmp_path):
    """Label Studio 1.23 refuses a completed_by naming a user it lacks (400 "Unknown annotator's email
    alice@annotator") and draws offsets as code points: issue 11, item 1."""
    out = tmp_path / "ls.json"
    export_to(source, out, fmt="labelstudio")
    tasks = json.loads(out.read_text())
    first = next(t for t in tasks if "😀" in t["data"]["text"])
    text = first["data"]["text"]
    values = [r["value"] for a in first["annotations"] for r in a["result"]]
    jakarta = next(v for v in values if v["text"] == "Jakarta")
    assert text[jakarta["start"]:jakarta["end"]] == "Jakarta"  # code points, as Label Studio 1.23 counts
    assert all("completed_by" not in a for t in tasks for a in t["annotations"])
    assert sorted(first["meta"]["annotator_reviewers"]) == ["alice", "bob"]
    back = Store(tmp_path / "b.db")
    import_paths(back, [out], fmt="labelstudio")
    assert {s.annotator for r in export_records(back) for s in r.spans} == {"alice", "bob"}
    assert [s.note for r in export_records(back) for s in r.spans if s.note] == ["check", "check"]
    assert spans_of(back) == spans_of(source)


def test_labelstudio_reads_utf16_offsets_of_older_versions_and_reviewer_emails_as_they_are(tmp_path):
    text = "Hi 😀 𠀀 UNODC met IOM."
    task = [{"id": 3, "data": {"text": text}, "annotations": [
        {"completed_by": {"email": "a.a@a.net"}, "result": [  # UTF-16 offsets, as Label Studio before 1.23 wrote
            {"id": "x", "type": "labels", "value": {"start": 9, "end": 14, "text": "UNODC", "labels": ["ORG"]}}]},
        {"completed_by": 7, "result": [  # code points, as Label Studio 1.23 writes, by its user 7
            {"id": "y", "type": "labels", "value": {"start": 17, "end": 20, "text": "IOM", "labels": ["ORG"]}}]},
        {"completed_by": {"email": "carol@annotator"}, "result": [  # what our exports wrote before
            {"id": "z", "type": "labels", "value": {"start": 7, "end": 12, "text": "UNODC", "labels": ["ORG"]}}]},
    ]}]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(task, ensure_ascii=False))
    store = Store(tmp_path / "o.db")
    import_paths(store, [path])
    got = sorted((r.document.text[s.start:s.end], s.annotator) for r in export_records(store) for s in r.spans)
    assert got == [("IOM", "labelstudio-user-7"), ("UNODC", "a.a@a.net"), ("UNODC", "carol")]


@pytest.mark.parametrize("walk", ["compiled", "python"])
def test_labelstudio_utf16_region_that_runs_to_the_end_of_a_text_with_an_emoji(tmp_path, monkeypatch, walk):
    """Label Studio before 1.23 counted UTF-16 units: a region over the whole of "Hi 😀 UNODC" is 0-11, past the
    text's 10 code points; it was refused as out of range, its slice being cut at the end of the text."""
    from annotator.formats import labelstudio

    if walk == "python":
        monkeypatch.setattr(labelstudio, "_region_spans", None)
    text = "Hi 😀 UNODC"
    task = [{"data": {"text": text}, "annotations": [{"result": [
        {"value": {"start": 0, "end": 11, "text": text, "labels": ["COMMITMENT"]}},
        {"value": {"start": 6, "end": 11, "text": "UNODC", "labels": ["ORGANISATION"]}}]}]}]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(task, ensure_ascii=False))
    store = Store(tmp_path / "o.db")
    report = import_paths(store, [path], fmt="labelstudio")
    assert report.spans_added == 2
    assert spans_of(store) == [("Hi 😀 UNODC", "COMMITMENT"), ("UNODC", "ORGANISATION")]


def test_labelstudio_file_written_by_label_studio(tmp_path):
    """Shaped as Label Studio's JSON export writes it (docs: 'Label Studio JSON format of annotated tasks')."""
    text = "Hi 😀 UNODC met IOM."
    task = [{
        "id": 1, "data": {"text": text},
        "annotations": [{"id": 1, "completed_by": 1, "was_cancelled": False, "result": [
            {"value": {"start": 6, "end": 11, "text": "UNODC", "labels": ["ORG"]}, "id": "a1", "from_name": "label",
             "to_name": "text", "type": "labels", "origin": "manual"},
            {"value": {"start": 16, "end": 19, "text": "IOM", "labels": ["ORG"]}, "id": "a2", "from_name": "label",
             "to_name": "text", "type": "labels", "origin": "manual"}]}],
        "predictions": [],
    }]
    path = tmp_path / "project-1-at-2024.json"
    path.write_text(json.dumps(task, ensure_ascii=False))
    store = Store(tmp_path / "ls.db")
    report = import_paths(store, [path])  # detected by its shape
    assert report.labels_added == ["ORG"]
    assert spans_of(store) == [("IOM", "ORG"), ("UNODC", "ORG")]


def test_doccano_both_shapes_as_doccano_writes_them(tmp_path):
    a = tmp_path / "seq.jsonl"
    a.write_text('{"id": 7, "text": "EU and IOM 😀 met", "label": [[0, 2, "ORG"], [7, 10, "ORG"]], "Comments": []}\n')
    b = tmp_path / "rel.jsonl"
    b.write_text(json.dumps({"id": 8, "text": "UNODC helps UNHCR", "entities": [
        {"id": 1, "label": "ORG", "start_offset": 0, "end_offset": 5},
        {"id": 2, "label": "ORG", "start_offset": 12, "end_offset": 17}],
        "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "x"}]}) + "\n")
    store = Store(tmp_path / "d.db")
    import_paths(store, [a, b])
    assert spans_of(store) == [("EU", "ORG"), ("IOM", "ORG"), ("UNHCR", "ORG"), ("UNODC", "ORG")]
    meta = [r.document.meta for r in export_records(store)]
    assert {m.get("doccano_id") for m in meta} == {7, 8}


def test_brat_as_brat_writes_it_with_notes_and_discontinuous_spans(tmp_path):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "doc1.txt").write_text("The Bali Process and the\nUNODC agreed.\n")
    (folder / "doc1.ann").write_text(
        "T1\tOrganization 4 16\tBali Process\n#1\tAnnotatorNotes T1\tintergovernmental forum\n"
        "T2\tOrganization 0 3;25 30\tThe UNODC\nR1\tRel Arg1:T1 Arg2:T2\n"
    )
    store = Store(tmp_path / "b.db")
    report = import_paths(store, [folder])
    got = sorted((r.document.text[s.start:s.end], s.label, s.note) for r in export_records(store) for s in r.spans)
    assert got == [("Bali Process", "Organization", "intergovernmental forum"), ("The", "Organization", ""),
                   ("UNODC", "Organization", "")]
    said = "\n".join(report.lines())
    assert "1 discontinuous span(s) read as one span per fragment" in said
    assert "lost" not in said  # the R line is a relation now (tests/formats/test_peer_relations.py)


def test_brat_bad_offsets_name_the_ann_line(tmp_path):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "d.txt").write_text("Short text.")
    (folder / "d.ann").write_text("T1\tORG 0 5\tShort\nT2\tORG 6 99\tnope\n")
    store = Store(tmp_path / "b.db")
    from annotator.core.errors import InputError

    with pytest.raises(InputError) as err:
        import_paths(store, [folder])
    assert str(err.value).startswith(f"{folder / 'd.ann'}, line 2: span 6-99 is out of range")
    assert store.document_count() == 0


def test_conll_as_spacy_and_label_studio_converters_write_it(tmp_path):
    spacy_style = tmp_path / "spacy.conll"
    spacy_style.write_text("-DOCSTART- -X- O O\n\nUNODC NNP B-NP B-ORG\nand CC O O\nIOM NNP B-NP B-ORG\nmet VBD B-VP O\n. . O O\n\n"
                           "-DOCSTART- -X- O O\n\nThe DT B-NP O\nBali NNP I-NP B-ORG\nProcess NNP I-NP I-ORG\n")
    ls_style = tmp_path / "ls.conll"
    ls_style.write_text("-DOCSTART- -X- O\nUS$7 -X- _ B-FIGURE\nbillion -X- _ I-FIGURE\nlost -X- _ O\n")
    store = Store(tmp_path / "c.db")
    import_paths(store, [spacy_style, ls_style])
    assert spans_of(store) == [("Bali Process", "ORG"), ("IOM", "ORG"), ("UNODC", "ORG"), ("US$7 billion", "FIGURE")]
    assert store.document_count() == 3


def test_conll_bad_tag_names_line(tmp_path):
    bad = tmp_path / "bad.conll"
    bad.write_text("-DOCSTART- -X- -X- O\n\nUNODC -X- _ B-ORG\nmet -X- _ X-ORG\n")
    from annotator.core.errors import InputError

    with pytest.raises(InputError, match=r"bad.conll, line 4: tag 'X-ORG' is not O or B-/I-/E-/S-"):
        import_paths(Store(tmp_path / "x.db"), [bad])


def test_iob2_output_is_valid_for_seqeval(source, tmp_path):
    from seqeval.scheme import IOB2, Entities

    out = tmp_path / "o.conll"
    export_to(source, out, fmt="conll")
    sentences, current = [], []
    for line in out.read_text().splitlines():
        if line.startswith("-DOCSTART-") or not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        current.append(line.split()[-1])
    if current:
        sentences.append(current)
    entities = Entities(sentences, IOB2)  # raises on a malformed IOB2 sequence
    assert sum(len(e) for e in entities.entities) == sum(len(s) for s in SPANS) - 3


def test_spacy_reads_our_exports(source, tmp_path):
    import spacy
    from spacy.tokens import DocBin
    from spacy.util import get_words_and_spaces

    nlp = spacy.blank("en")
    out = tmp_path / "s.jsonl"
    export_to(source, out, fmt="spacy-jsonl")
    aligned = 0
    for line in out.read_text().splitlines():
        rec = json.loads(line)
        words, spaces = get_words_and_spaces([t["text"] for t in rec["tokens"]], rec["text"])
        assert "".join(w + (" " if s else "") for w, s in zip(words, spaces)) == rec["text"]
        doc = nlp.make_doc(rec["text"])
        for span in rec["spans"]:
            assert rec["text"][span["start"]:span["end"]] == span["text"]
            ours = rec["tokens"][span["token_start"]]["start"], rec["tokens"][span["token_end"]]["end"]
            if ours == (span["start"], span["end"]) and doc.char_span(span["start"], span["end"], alignment_mode="strict"):
                aligned += 1
    assert aligned >= 6
    bin_path = tmp_path / "s.spacy"
    export_to(source, bin_path, fmt="spacy")
    docs = list(DocBin().from_disk(bin_path).get_docs(nlp.vocab))
    assert sorted(d.text for d in docs) == sorted(t.replace("\r\n", "\n") for t in TEXTS)
    sc = sorted((s.text, s.label_) for d in docs for s in d.spans["sc"])
    assert sc == spans_of(source)
    # the entities are in the file too: of overlapping spans the outermost (as in CoNLL), the others whole
    expected = []
    for d in docs:
        end = -1
        for span in sorted(d.spans["sc"], key=lambda x: (x.start_char, -x.end_char)):
            if span.start_char >= end:
                expected.append((span.text, span.label_))
                end = span.end_char
    ents = [(e.text, e.label_) for d in docs for e in d.ents]
    assert sorted(ents) == sorted(expected) and len(ents) == 6
    assert ("Jakarta", "ORGANISATION") in ents and ("UNODC", "ORGANISATION") not in ents


def test_strict_export_refuses_and_writes_nothing(source, tmp_path):
    from annotator.transfer import StrictRefusal

    out = tmp_path / "x.conll"
    with pytest.raises(StrictRefusal, match="overlapping or nested spans"):
        export_to(source, out, fmt="conll", strict=True)
    assert not out.exists()
    export_to(source, tmp_path / "ok.jsonl", fmt="jsonl", strict=True)


def test_auto_detection_by_shape(tmp_path):
    cases = {
        "a.jsonl": '{"text": "x", "label": [[0, 1, "A"]]}\n',
        "b.jsonl": '{"text": "x", "tokens": [], "spans": [], "answer": "accept"}\n',
        "c.jsonl": '{"id": "x", "text": "x", "meta": {}, "spans": [], "reviews": []}\n',
        "d.json": '[{"data": {"text": "x"}}]',
        "e.conll": "-DOCSTART- -X- -X- O\n",
    }
    for name, content in cases.items():
        (tmp_path / name).write_text(content)
    assert [formats.detect(tmp_path / n) for n in cases] == ["doccano", "spacy-jsonl", "jsonl", "labelstudio", "conll"]


def test_spacy_shards_folder_reads_back_and_loads_in_spacy(source, tmp_path, monkeypatch):
    import spacy
    from spacy.tokens import DocBin

    from annotator.formats import docbin_shards

    monkeypatch.setattr(docbin_shards, "PER_FILE", 1)  # one document a file, so there are several files
    out = tmp_path / "shards"
    result = export_to(source, out, fmt="spacy-shards")
    files = sorted(out.glob("*.spacy"))
    assert result.documents == 2 and [f.name for f in files] == ["part-00000.spacy", "part-00001.spacy"]
    nlp = spacy.blank("en")
    texts = sorted(d.text for f in files for d in DocBin().from_disk(f).get_docs(nlp.vocab))
    assert texts == sorted(t.replace("\r\n", "\n") for t in TEXTS)
    back = Store(tmp_path / "shards.db")
    import_paths(back, [out], fmt="spacy-shards")
    assert spans_of(back) == spans_of(source)


def test_one_spacy_file_holds_what_spacys_docbin_writes(source):
    """The .spacy file is written a document at a time (flat memory), yet decompresses to the very bytes spaCy's
    own DocBin.to_bytes would have compressed, for a corpus and for an empty one."""
    import io
    import zlib

    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    from annotator.formats import docbin

    for records in (list(export_records(source)), []):
        ours = io.BytesIO()
        assert docbin.write(records, ours) == len(records)
        theirs = DocBin(attrs=docbin.ATTRS, store_user_data=True)
        vocab = Vocab()
        for rec in records:
            theirs.add(docbin.to_doc(rec, vocab))
        assert zlib.decompress(ours.getvalue()) == zlib.decompress(theirs.to_bytes())


def test_one_spacy_file_is_written_with_flat_memory():
    import tracemalloc

    from annotator.core.model import Document, DocumentRecord, Span
    from annotator.core.text import document_id, sha256
    from annotator.formats import docbin

    class Sink:
        def write(self, data):
            return len(data)

    def peak_for(n):
        def records():
            for i in range(n):
                text = f"Article {i}: UNODC and IOM met in Bangkok to fight smuggling. " * 20
                d = Document(document_id(text), text, f"Article {i}", None, sha256(text), {})
                yield DocumentRecord(d, [Span(f"s{i}-{k}", d.id, 12 + 60 * k, 17 + 60 * k, "ORGANISATION",
                                              text[12 + 60 * k:17 + 60 * k], "a") for k in range(10)])

        docbin.write(records(), Sink())  # spaCy's first use allocates for good: not part of the measure
        tracemalloc.start()
        docbin.write(records(), Sink())
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    small, large = peak_for(30), peak_for(180)
    assert large < small * 1.5, (small, large)
